"""The start-up check that every part holds the same shared secrets, on a real Redis."""

from __future__ import annotations

import pytest
import redis

from contract import keys
from harness.redis_server import RedisServer
from settings.env import Env
from settings.shared_secrets import SecretMismatch, check, check_shared_secrets, fingerprint


def test_the_first_part_records_and_later_parts_with_the_same_secret_pass(
    redis_server: RedisServer,
) -> None:
    client = redis.Redis.from_url(redis_server.url, decode_responses=True)
    check(client, {"ACTION_SERVER_TOKEN": "shared-token"})
    check(client, {"ACTION_SERVER_TOKEN": "shared-token"})
    kept = client.get(keys.secret_fingerprint("ACTION_SERVER_TOKEN"))
    assert kept == fingerprint("ACTION_SERVER_TOKEN", "shared-token")
    assert "shared-token" not in str(kept)


def test_a_part_with_another_secret_is_stopped_with_the_variable_named(
    redis_server: RedisServer,
) -> None:
    client = redis.Redis.from_url(redis_server.url, decode_responses=True)
    check(client, {"WIDGET_SESSION_SECRET": "one"})
    with pytest.raises(SecretMismatch, match="WIDGET_SESSION_SECRET differs"):
        check(client, {"WIDGET_SESSION_SECRET": "another"})


def test_a_secret_generated_into_var_dir_is_checked_like_a_set_one(
    redis_server: RedisServer, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # Two hosts that each let the secret be generated hold different ones: the second stops.
    first, second = (
        Env({"REDIS_URL": redis_server.url, "VAR_DIR": str(tmp_path_factory.mktemp(name))})
        for name in ("host-a", "host-b")
    )
    check_shared_secrets(["DATA_AT_REST_KEY"], first)
    with pytest.raises(SecretMismatch, match="DATA_AT_REST_KEY differs"):
        check_shared_secrets(["DATA_AT_REST_KEY"], second)


def test_the_fingerprint_depends_on_the_name_and_the_value() -> None:
    assert fingerprint("A", "x") != fingerprint("B", "x")
    assert fingerprint("A", "x") != fingerprint("A", "y")
