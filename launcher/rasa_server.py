"""`python -m launcher.rasa_server run ...`: `rasa run`, its API token off the command line.

Rasa takes the HTTP API token only as `--auth-token`, and every user of the machine can read
a process's command line (`ps`). The launcher puts RASA_API_TOKEN in this process's
environment only (readable by its owner alone); the flag is added to Rasa's argument list
inside the process, which does not change what `ps` shows.
"""

from __future__ import annotations

import sys

from settings.env import Env
from settings.shared_secrets import RASA_SECRETS, check_shared_secrets


def rasa_argv(arguments: list[str], token: str) -> list[str]:
    """Rasa's argument list: ours plus the token, as one argument (a random token may start
    with "-", which argparse would otherwise read as an option)."""
    return ["rasa", *arguments, f"--auth-token={token}"]


def main() -> None:
    """Runs Rasa's own command line with `--auth-token` taken from RASA_API_TOKEN, once its
    shared secrets match the other hosts' (settings/shared_secrets.py)."""
    token = Env().secret("RASA_API_TOKEN", "the Rasa server's HTTP API needs a token")
    check_shared_secrets(RASA_SECRETS)
    sys.argv = rasa_argv(sys.argv[1:], token)
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
