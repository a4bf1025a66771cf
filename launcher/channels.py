"""Which customer channels run: writes the credentials file the Rasa server actually loads.

credentials.yml lists every channel with its secrets as ${ENV_VAR} references. Rasa refuses to
start when a referenced variable is unset, yet most installations use only some channels; so
the launcher keeps the channels whose variables are all set and says, for each one left out,
what to set. The written file still holds references, never the secret values.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

from settings.yaml_file import read_yaml

ENV_REFERENCE = re.compile(r"\$\{([^}]+)\}")
HEADER = "# Written by the launcher from credentials.yml: only channels whose variables are set.\n"


def _references(options: Any) -> Iterator[str]:
    """Every ${VAR} named anywhere in one channel's options."""
    if isinstance(options, str):
        yield from ENV_REFERENCE.findall(options)
    elif isinstance(options, dict):
        for value in options.values():
            yield from _references(value)
    elif isinstance(options, list):
        for value in options:
            yield from _references(value)


def channel_label(key: str) -> str:
    """`addons.channels.slack.SlackChannel` -> `slack`; built-in names stay as they are."""
    parts = key.split(".")
    return parts[-2] if len(parts) > 1 else key


def write_effective_credentials(source: Path, target: Path, env: Mapping[str, str]) -> list[str]:
    """Writes `target` from `source`; returns the lines to show (one per channel left off)."""
    channels: dict[str, Any] = read_yaml(source) or {}
    kept: dict[str, Any] = {}
    lines: list[str] = []
    for key, options in channels.items():
        missing = [name for name in dict.fromkeys(_references(options)) if not env.get(name)]
        if missing:
            lines.append(f"{channel_label(key)}: off — set {' and '.join(missing)} to enable")
        else:
            kept[key] = options
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(HEADER + yaml.safe_dump(kept, sort_keys=False), encoding="utf-8")
    lines.append("channels on: " + ", ".join(channel_label(key) for key in kept))
    return lines
