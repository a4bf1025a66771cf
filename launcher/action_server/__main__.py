"""`python -m launcher.action_server`: the action server on BIND_HOST:ACTION_PORT, secret
required."""

from __future__ import annotations

from launcher.action_server import without_tensorflow

# Before anything imports spaCy (the actions do): see the module.
without_tensorflow.keep_out()

from rasa_sdk import utils  # noqa: E402

from launcher.action_server.app import build_app  # noqa: E402
from settings.env import Env  # noqa: E402
from settings.secret_file import secret_or_file  # noqa: E402
from settings.shared_secrets import ACTION_SECRETS, check_shared_secrets  # noqa: E402
from tickets.settings import load_chatwoot_account  # noqa: E402


def main() -> None:
    """Reads BIND_HOST, ACTION_PORT and ACTION_SERVER_TOKEN, then serves until stopped."""
    env = Env()
    load_chatwoot_account()  # HANDOFF_TARGET=chatwoot with a value missing stops start-up here
    check_shared_secrets(ACTION_SECRETS, env)  # a secret other hosts hold differently: same
    utils.configure_colored_logging(env.text("LOG_LEVEL", "INFO"))
    utils.update_sanic_log_level()
    app = build_app(secret_or_file(env, "ACTION_SERVER_TOKEN"))
    app.run(host=env.host(), port=env.port("ACTION_PORT"), workers=1, access_log=False)


if __name__ == "__main__":
    main()
