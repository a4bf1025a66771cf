"""`make shell` (python -m launcher shell): its Rasa server listens where every part does."""

from __future__ import annotations

from pathlib import Path

from harness.stacks import private_env
from launcher.__main__ import shell_argv
from launcher.settings import load_stack_settings


def option(argv: list[str], name: str) -> str:
    assert name in argv, f"{name} missing from {argv}"
    return argv[argv.index(name) + 1]


def test_the_shell_server_listens_on_bind_host(tmp_path: Path) -> None:
    default = load_stack_settings(private_env(tmp_path / "var", "token"))
    argv = shell_argv(default, tmp_path / "credentials.yml")
    assert option(argv, "--interface") == "127.0.0.1"  # the documented default, not 0.0.0.0
    assert option(argv, "--port") == str(default.shell_port)

    other = load_stack_settings(private_env(tmp_path / "var", "token") | {"BIND_HOST": "10.1.2.3"})
    assert option(shell_argv(other, tmp_path / "credentials.yml"), "--interface") == "10.1.2.3"
