"""The settings kit's environment getters: one set of defaults, errors that name the variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from settings.env import PROJECT_ROOT, Env, SettingsError


def test_defaults_run_on_one_laptop() -> None:
    env = Env({})
    assert env.host() == "127.0.0.1"
    assert env.url("SHOP_URL", "SHOP_PORT") == "http://127.0.0.1:8071"
    assert env.url("RASA_URL", "RASA_PORT") == "http://127.0.0.1:5005"
    assert env.redis_url() == "redis://127.0.0.1:6390/0"


def test_bind_host_and_ports_change_the_derived_urls() -> None:
    env = Env({"BIND_HOST": "10.0.0.5", "SHOP_PORT": "9000", "REDIS_PORT": "7000"})
    assert env.url("SHOP_URL", "SHOP_PORT") == "http://10.0.0.5:9000"
    assert env.redis_url() == "redis://127.0.0.1:7000/0"
    assert env.host("DESK_HOST") == "10.0.0.5"
    assert Env({"DESK_HOST": "0.0.0.0", "BIND_HOST": "10.0.0.5"}).host("DESK_HOST") == "0.0.0.0"


def test_an_explicit_url_wins_without_its_trailing_slash() -> None:
    assert Env({"SHOP_URL": "https://shop.example/api/"}).url("SHOP_URL", "SHOP_PORT") == (
        "https://shop.example/api"
    )


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"SHOP_PORT": "eighty"}, "SHOP_PORT must be a whole number, got 'eighty'"),
        ({"SHOP_PORT": "70000"}, "SHOP_PORT must be a port number (1-65535), got 70000"),
        ({"SHOP_TIMEOUT": "soon"}, "SHOP_TIMEOUT must be a number, got 'soon'"),
        ({"SHOP_TIMEOUT": "-1"}, "SHOP_TIMEOUT must be at least 0.0, got -1.0"),
    ],
)
def test_bad_values_stop_start_up_naming_the_variable(
    variables: dict[str, str], message: str
) -> None:
    env = Env(variables)
    with pytest.raises(SettingsError) as failure:
        if "PORT" in next(iter(variables)):
            env.port("SHOP_PORT")
        else:
            env.number("SHOP_TIMEOUT", 2.0)
    assert str(failure.value) == message


def test_a_missing_secret_says_why_it_is_needed() -> None:
    with pytest.raises(SettingsError, match="RASA_API_TOKEN is not set: the desk needs it"):
        Env({}).secret("RASA_API_TOKEN", "the desk needs it")
    assert Env({"RASA_API_TOKEN": "t"}).secret("RASA_API_TOKEN", "x") == "t"


def test_relative_paths_are_taken_from_the_project_root() -> None:
    assert Env({"VAR_DIR": "state"}).path("VAR_DIR", Path("/x")) == PROJECT_ROOT / "state"
    assert Env({"VAR_DIR": "/srv/cs"}).path("VAR_DIR", Path("/x")) == Path("/srv/cs")
    assert Env({}).path("VAR_DIR", Path("/x")) == Path("/x")


def test_flags_and_prefixed_variables() -> None:
    env = Env({"DESK_SECURE_COOKIES": "yes", "SLACK_TOKEN": "a", "TELEGRAM_X": "b", "OTHER": "c"})
    assert env.flag("DESK_SECURE_COOKIES") and not env.flag("MISSING")
    assert env.with_prefixes(("SLACK_", "TELEGRAM_")) == {"SLACK_TOKEN": "a", "TELEGRAM_X": "b"}


def test_origins_are_scheme_host_and_port_without_a_path() -> None:
    env = Env(
        {"WIDGET_CORS_ORIGINS": "https://Shop.example/, http://127.0.0.1:8080 https://b.example"}
    )
    assert env.origins("WIDGET_CORS_ORIGINS") == {
        "https://shop.example",
        "http://127.0.0.1:8080",
        "https://b.example",
    }
    assert Env({}).origins("WIDGET_CORS_ORIGINS") == frozenset()
    for bad in ("shop.example", "https://shop.example/chat", "ftp://shop.example"):
        with pytest.raises(SettingsError, match="WIDGET_CORS_ORIGINS must list origins"):
            Env({"WIDGET_CORS_ORIGINS": bad}).origins("WIDGET_CORS_ORIGINS")
