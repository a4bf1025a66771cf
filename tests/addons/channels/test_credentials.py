"""The launcher keeps only the channels whose secrets are set, and says what the others need."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rasa.shared.utils.io import read_config_file

from launcher.channels import write_effective_credentials
from launcher.settings import PROJECT_ROOT

CREDENTIALS = PROJECT_ROOT / "credentials.yml"


def test_channels_without_secrets_stay_off_with_a_line_saying_what_to_set(tmp_path: Path) -> None:
    target = tmp_path / "credentials.yml"

    lines = write_effective_credentials(CREDENTIALS, target, {"REDIS_URL": "redis://x:1/0"})

    assert "slack: off — set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to enable" in lines
    assert "telegram: off — set TELEGRAM_BOT_TOKEN and TELEGRAM_SECRET_TOKEN to enable" in lines
    assert lines[-1] == "channels on: rest, webchat"
    assert set(yaml.safe_load(target.read_text())) == {
        "addons.channels.rest.RestChannel",
        "addons.channels.webchat.WebChatChannel",
    }


def test_a_channel_with_its_secrets_is_kept_as_references_rasa_fills_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "credentials.yml"
    env = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s3cret"}

    lines = write_effective_credentials(CREDENTIALS, target, env)

    assert not any(line.startswith("slack:") for line in lines)
    written = target.read_text()
    assert "xoxb-1" not in written and "s3cret" not in written
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    loaded = read_config_file(str(target))
    assert loaded["addons.channels.slack.SlackChannel"]["slack_token"] == "xoxb-1"
    assert loaded["addons.channels.slack.SlackChannel"]["slack_signing_secret"] == "s3cret"
    assert "addons.channels.telegram.TelegramChannel" not in loaded
