"""The secrets every host must share, checked when a part starts instead of at the first customer.

On several hosts, a secret that differs on one of them fails late and quietly: a widget session
signed on host A is refused on host B, host B's Rasa gets 401 from host A's action server, a
conversation sealed with one key is unreadable with the other. So each part, at start, compares
a keyed fingerprint of each shared secret it holds with the one kept in Redis by the first part
that started on this Redis, and exits with a message naming the variable when they differ.

The fingerprint is an HMAC of a fixed label under the secret, not the secret: Redis never holds
a value that would let anyone sign, seal or call. To change a secret on purpose, stop every
part, delete the `cs:secret_fingerprint:<NAME>` key and start them all with the new value.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable

import redis

from contract import keys
from settings.env import Env
from settings.redis_target import connect, describe
from settings.secret_file import secret_or_file

# Which shared secret each part holds (README: "the same on every host").
RASA_SECRETS = ("ACTION_SERVER_TOKEN", "WIDGET_SESSION_SECRET", "DATA_AT_REST_KEY")
ACTION_SECRETS = ("ACTION_SERVER_TOKEN", "DATA_AT_REST_KEY")
# The desk signs the follow-up emails' links with WIDGET_SESSION_SECRET; Rasa checks them.
DESK_SECRETS = ("DESK_SECRET_KEY", "DATA_AT_REST_KEY", "WIDGET_SESSION_SECRET")


class SecretMismatch(SystemExit):
    """A shared secret differs from the one the other parts on this Redis use."""


def fingerprint(name: str, value: str) -> str:
    """A short keyed digest of `value` that tells equal secrets apart without revealing them."""
    digest = hmac.new(value.encode(), f"cs shared secret {name}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def check(client: redis.Redis, values: dict[str, str]) -> None:
    """Records each fingerprint if none is kept yet; raises SecretMismatch if one differs."""
    for name, value in values.items():
        key = keys.secret_fingerprint(name)
        mine = fingerprint(name, value)
        client.set(key, mine, nx=True)
        kept = client.get(key)
        if kept is not None and kept != mine:
            raise SecretMismatch(
                f"error: {name} differs from the value the other hosts on this Redis started "
                f"with (fingerprint kept in {key}). Give every host the same {name} "
                "(README: settings); to change it on purpose, stop every host, delete that "
                "key and start them all with the new value."
            )


def check_shared_secrets(names: Iterable[str], env: Env | None = None) -> None:
    """The start-up check of one part: its shared secrets (set, or generated into VAR_DIR)
    against the fingerprints in its Redis. A Redis that does not answer is left to the part's
    own start-up, which reports it."""
    env = env or Env()
    url = env.redis_url()
    client = connect(url)
    try:
        check(client, {name: secret_or_file(env, name) for name in names})
    except redis.RedisError as error:
        print(f"shared secrets not checked, Redis {describe(url)}: {error}", flush=True)
    finally:
        client.close()
