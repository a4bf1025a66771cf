"""A background thread in the desk process that sends the unclaimed-ticket notices.

Several desk processes may each run one: Desk.send_due_notices marks a ticket in Redis
before telling its customer, so each customer hears it once.
"""

from __future__ import annotations

import logging
import threading

import redis

from agent_desk.desk import Desk

logger = logging.getLogger(__name__)


class Notifier(threading.Thread):
    """Checks the waiting tickets every `interval_s` seconds until stopped."""

    def __init__(self, desk: Desk, interval_s: float) -> None:
        """A daemon thread: it never keeps the process alive on its own."""
        super().__init__(name="unclaimed-notifier", daemon=True)
        self._desk = desk
        self._interval_s = interval_s
        self._stopped = threading.Event()

    def run(self) -> None:
        """One check per interval; a Redis outage is logged and retried next time."""
        while not self._stopped.wait(self._interval_s):
            try:
                for reference in self._desk.send_due_notices():
                    logger.info("told the customer of %s that nobody has claimed it yet", reference)
            except redis.RedisError as error:
                logger.warning("unclaimed-ticket check failed: %s", error)

    def stop(self) -> None:
        """Ends the loop after the current check."""
        self._stopped.set()
