"""The one Redis connection factory: plain URLs and Sentinel targets, from the environment."""

from __future__ import annotations

import pytest

from addons.stores.client import store_url
from launcher.settings import load_stack_settings
from settings.env import Env, SettingsError
from settings.redis_target import RedisTargetError, describe, parse_sentinel_url

SENTINEL_ENV = {
    "REDIS_SENTINELS": "10.0.0.5:26379, 10.0.0.6:26380",
    "REDIS_SENTINEL_MASTER": "cs-primary",
    "REDIS_PASSWORD": "p@ss/word",
    "REDIS_DB": "2",
}


def test_sentinel_settings_become_one_url_every_part_reads_back() -> None:
    url = Env(SENTINEL_ENV).redis_url()
    target = parse_sentinel_url(url)
    assert target is not None
    assert target.sentinels == (("10.0.0.5", 26379), ("10.0.0.6", 26380))
    assert (target.master, target.password, target.db) == ("cs-primary", "p@ss/word", 2)
    assert "p@ss" not in describe(url)


def test_sentinels_win_over_redis_url_and_the_launcher_starts_no_redis() -> None:
    settings = load_stack_settings({**SENTINEL_ENV, "REDIS_URL": "redis://other:6379/0"})
    assert not settings.redis.embedded
    assert settings.redis.url == Env(SENTINEL_ENV).redis_url()
    child = settings.child_env()
    assert child["REDIS_SENTINELS"] and child["REDIS_SENTINEL_MASTER"] == "cs-primary"


def test_the_stores_build_the_same_target_from_endpoints_settings() -> None:
    sentinel = {"sentinels": SENTINEL_ENV["REDIS_SENTINELS"], "sentinel_master": "cs-primary"}
    settings = {"host": "ignored", "port": 6379, "db": "2", "password": "p@ss/word", **sentinel}
    assert store_url(settings) == Env(SENTINEL_ENV).redis_url()
    assert store_url({"host": "redis", "port": "6379", "db": "0"}) == "redis://redis:6379/0"


@pytest.mark.parametrize(
    "environ",
    [
        {"REDIS_SENTINELS": "10.0.0.5:26379"},  # no primary's name
        {"REDIS_SENTINELS": "10.0.0.5", "REDIS_SENTINEL_MASTER": "m"},  # no port
        {"REDIS_SENTINELS": "10.0.0.5:99999", "REDIS_SENTINEL_MASTER": "m"},
    ],
)
def test_a_bad_sentinel_setting_stops_start_up_naming_it(environ: dict[str, str]) -> None:
    with pytest.raises(SettingsError, match="REDIS_SENTINELS"):
        Env(environ).redis_url()


def test_a_url_of_another_kind_is_refused() -> None:
    with pytest.raises(RedisTargetError):
        parse_sentinel_url("http://redis:6379")
    assert parse_sentinel_url("redis://redis:6379/0") is None
