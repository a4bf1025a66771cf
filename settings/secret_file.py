"""Secrets that must be the same for several processes but need not be chosen by a person.

A secret comes from its environment variable when set; otherwise from a file under
VAR_DIR/secrets, generated on first use with owner-only rights (0600), so the launcher, the
part that checks the secret and `make shell` all read the same value without it ever being
written to a command line, a log or Redis.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from settings.env import PROJECT_ROOT, Env


def secrets_dir(env: Env) -> Path:
    """VAR_DIR/secrets (default ./var/secrets)."""
    return env.path("VAR_DIR", PROJECT_ROOT / "var") / "secrets"


def secret_or_file(env: Env, name: str) -> str:
    """`name` from the environment, else the generated file VAR_DIR/secrets/<name>."""
    value = env.text(name)
    if value:
        return value
    path = secrets_dir(env) / name.lower()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(handle, "w", encoding="ascii") as out:
        out.write(secrets.token_urlsafe(32))
    return path.read_text(encoding="ascii").strip()
