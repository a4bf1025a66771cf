"""`python -m launcher run`: the whole system until Ctrl-C. `python -m launcher shell`: rasa shell.

Both read the same settings (launcher/settings.py), so `rasa shell` uses the running action
server and the same Redis.
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import time
from pathlib import Path

from launcher.channels import write_effective_credentials
from launcher.process import StartError
from launcher.settings import PROJECT_ROOT, StackSettings, load_stack_settings
from launcher.stack import QUIET_ENV, Stack
from launcher.supervisor import GaveUp, RestartPolicy, Supervisor
from settings.env import Env


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM (a service manager stopping us) or SIGINT shuts down like Ctrl-C."""
    raise KeyboardInterrupt


def run() -> int:
    """Starts everything, prints where each part listens, and stops it all on Ctrl-C."""
    settings = load_stack_settings()
    stack = Stack(settings)
    print(f"Logs: {stack.log_dir}/<part>.log", flush=True)
    # SIGINT too: a shell that starts us in the background sets Ctrl-C to "ignore".
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _interrupt)
    try:
        stack.start(report=lambda line: print(line, flush=True))
        if settings.api_token_generated:
            print(f"RASA_API_TOKEN was not set: this run's HTTP API token is {settings.api_token}")
        print(
            "\nThe assistant is up. Talk to it:\n"
            f"  curl -s {settings.rasa_url}/webhooks/rest/webhook -d "
            '\'{"sender": "me", "message": "where is order 10003?"}\'\n'
            "  make shell      (rasa shell against this system)\n"
            "Press Ctrl-C to stop everything.",
            flush=True,
        )
        supervisor = Supervisor(
            stack.children,
            stack.env,
            RestartPolicy.from_env(Env()),
            report=lambda line: print(line, flush=True),
        )
        while True:
            supervisor.check()
            time.sleep(0.5)
    except (StartError, GaveUp) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopping ...", flush=True)
        return 0
    finally:
        stack.stop()
        print("Stopped.", flush=True)


def shell_argv(settings: StackSettings, credentials: Path) -> list[str]:
    """The `rasa shell` command line: its Rasa server listens on BIND_HOST like every part."""
    return [
        sys.executable,
        "-m",
        "rasa",
        "shell",
        "--model",
        str(settings.model_dir),
        "--endpoints",
        "endpoints.yml",
        "--credentials",
        str(credentials),
        "--interface",
        settings.host,
        "--port",
        str(settings.shell_port),
    ]


def shell() -> int:
    """rasa shell with the running system's action server and Redis (on its own port)."""
    settings = load_stack_settings()
    env = {
        **QUIET_ENV,
        **Env().copy(),
        **settings.child_env(),
        **settings.secrets_for("ACTION_SERVER_TOKEN"),
    }
    # rasa shell reads a credentials file although it only talks on the command line, and
    # Rasa refuses credentials.yml while a channel's secrets are unset: give it the filtered copy.
    credentials = settings.var_dir / "shell-credentials.yml"
    write_effective_credentials(PROJECT_ROOT / "credentials.yml", credentials, env)
    argv = shell_argv(settings, credentials)
    return subprocess.call(argv, cwd=PROJECT_ROOT, env=env)


def main() -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m launcher", description=__doc__)
    parser.add_argument("command", choices=["run", "shell"])
    args = parser.parse_args()
    return run() if args.command == "run" else shell()


if __name__ == "__main__":
    sys.exit(main())
