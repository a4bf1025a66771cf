"""Which services start for one or several instances, and HAProxy accepts the configuration."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from launcher.balancer import haproxy_binary, haproxy_config
from launcher.settings import load_stack_settings
from launcher.stack import build_services
from settings.env import SettingsError


def names(environ: dict[str, str]) -> list[str]:
    return [service.name for service in build_services(load_stack_settings(environ))]


def test_the_default_is_one_rasa_and_one_action_server_without_a_balancer(tmp_path: Path) -> None:
    assert names({"VAR_DIR": str(tmp_path)}) == ["redis", "shop", "actions", "rasa", "desk", "web"]
    assert not (tmp_path / "haproxy.cfg").exists()


def test_two_of_each_start_before_the_balancer_on_their_own_ports(tmp_path: Path) -> None:
    environ = {"VAR_DIR": str(tmp_path), "RASA_INSTANCES": "2", "ACTION_INSTANCES": "2"}
    assert names(environ) == [
        "redis",
        "shop",
        "actions-1",
        "actions-2",
        "rasa-1",
        "rasa-2",
        "balancer",
        "desk",
        "web",
    ]
    services = {s.name: s for s in build_services(load_stack_settings(environ))}
    assert services["rasa-2"].argv is not None and "5107" in services["rasa-2"].argv
    assert services["actions-1"].env["ACTION_PORT"] == "5156"


def test_haproxy_accepts_the_written_configuration(tmp_path: Path) -> None:
    settings = load_stack_settings(
        {"VAR_DIR": str(tmp_path), "RASA_INSTANCES": "3", "ACTION_INSTANCES": "1"}
    )
    config = tmp_path / "haproxy.cfg"
    config.write_text(haproxy_config(settings))
    checked = subprocess.run(
        [haproxy_binary(), "-c", "-f", str(config)], capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    text = config.read_text()
    assert text.count("server rasa-") == 6 and text.count("server actions-") == 1
    assert "balance source" in text and "cookie CS_RASA_INSTANCE insert" in text


def test_instance_ports_must_be_listed_for_every_instance() -> None:
    with pytest.raises(SettingsError, match="RASA_INSTANCE_PORTS must list 3 port numbers"):
        load_stack_settings({"RASA_INSTANCES": "3", "RASA_INSTANCE_PORTS": "6001,6002"})
    with pytest.raises(SettingsError, match="ACTION_INSTANCES must be at least 1"):
        load_stack_settings({"ACTION_INSTANCES": "0"})
