"""A background thread in the desk process: unclaimed-ticket notices, handoffs that could
not be ticketed when asked for (agent_desk/recovery.py), and once a day the retention purge
(personal_data/: conversations idle longer than RETENTION_DAYS are deleted).

Several desk processes may each run one: Desk.send_due_notices marks a ticket in Redis
before telling its customer, so each customer hears it once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

import redis

from agent_desk.desk import Desk
from agent_desk.recovery import HandoffRecovery

logger = logging.getLogger(__name__)
PURGE_EVERY_S = 24 * 3600


class Notifier(threading.Thread):
    """Checks the waiting tickets every `interval_s` seconds until stopped."""

    def __init__(
        self,
        desk: Desk,
        interval_s: float,
        recovery: HandoffRecovery | None = None,
        purge: Callable[[], object] | None = None,
    ) -> None:
        """A daemon thread: it never keeps the process alive on its own. `purge` runs at the
        first check and then once every PURGE_EVERY_S."""
        super().__init__(name="unclaimed-notifier", daemon=True)
        self._desk = desk
        self._recovery = recovery
        self._purge = purge
        self._purged_at: float | None = None
        self._interval_s = interval_s
        self._stopped = threading.Event()

    def run(self) -> None:
        """One check per interval; a Redis outage is logged and retried next time."""
        while not self._stopped.wait(self._interval_s):
            try:
                for reference in self._desk.send_due_notices():
                    logger.info("told the customer of %s that nobody has claimed it yet", reference)
                for conversation in self._recovery.run_once() if self._recovery else []:
                    logger.info("handed over %s, whose request failed earlier", conversation)
                self._purge_when_due()
            except redis.RedisError as error:
                logger.warning("unclaimed-ticket check failed: %s", error)

    def _purge_when_due(self) -> None:
        now = time.monotonic()
        if self._purge and (self._purged_at is None or now - self._purged_at >= PURGE_EVERY_S):
            logger.info("retention purge: %s", self._purge())
            self._purged_at = now

    def stop(self) -> None:
        """Ends the loop after the current check."""
        self._stopped.set()
