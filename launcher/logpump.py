"""Every part's output goes through here into `<log_dir>/<part>.log`: masked, rotated, capped.

The parts wrote straight into their log files: rasa.log grew past 11 MB and was never rotated,
and error lines carried whole customer messages (a card number and an email were seen). Now
the launcher reads each part's output, masks card numbers, emails and phone numbers in every
line (contract/privacy.py), cuts very long lines, and rotates the file at LOG_MAX_BYTES keeping
LOG_BACKUPS old files, so the logs of one part never take more than (1 + backups) x the limit.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import IO

from contract.privacy import mask_personal
from settings.env import Env

MAX_LINE_CHARS = 4000


@dataclass(frozen=True)
class LogLimits:
    """How big one part's log may grow."""

    max_bytes: int = 5 * 1024 * 1024
    backups: int = 3

    @classmethod
    def from_env(cls, env: Env) -> LogLimits:
        """LOG_MAX_BYTES and LOG_BACKUPS, defaults above."""
        return cls(
            max_bytes=env.integer("LOG_MAX_BYTES", cls.max_bytes, minimum=1024),
            backups=env.integer("LOG_BACKUPS", cls.backups, minimum=1),
        )


def clean_line(raw: bytes) -> str:
    """One output line as it may be written: decoded, masked, at most MAX_LINE_CHARS."""
    line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
    if len(line) > MAX_LINE_CHARS:
        line = line[:MAX_LINE_CHARS] + f" ... ({len(line) - MAX_LINE_CHARS} characters cut)"
    return mask_personal(line)


def start_log_pump(stream: IO[bytes], path: Path, limits: LogLimits) -> threading.Thread:
    """Copies `stream` into `path` line by line until the part closes its output."""
    handler = RotatingFileHandler(
        path, maxBytes=limits.max_bytes, backupCount=limits.backups, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(message)s"))

    def pump() -> None:
        try:
            for raw in iter(stream.readline, b""):
                handler.emit(logging.makeLogRecord({"msg": clean_line(raw), "args": None}))
        finally:
            handler.close()
            stream.close()

    thread = threading.Thread(target=pump, name=f"log-{path.stem}", daemon=True)
    thread.start()
    return thread
