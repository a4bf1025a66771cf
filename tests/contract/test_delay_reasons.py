"""config/delay_reasons.yml: a late order's reason in Korean, never the shop's English."""

from __future__ import annotations

from pathlib import Path

import pytest

from contract.delay_reasons import load_delay_reasons, parse_delay_reasons
from contract.wording import korean_values
from settings.yaml_file import ConfigError

WEATHER_KO = "택배사 물류 거점의 기상 악화"


def test_the_demo_shops_reason_is_found_by_its_code_and_by_its_english() -> None:
    reasons = load_delay_reasons()
    assert reasons.in_korean("weather", "anything the shop wrote") == WEATHER_KO
    # A shop that sends only text: case and a final full stop do not matter.
    assert reasons.in_korean(None, "Weather at the carrier's hub.") == WEATHER_KO


def test_a_reason_nobody_translated_is_not_said() -> None:
    reasons = load_delay_reasons()
    assert reasons.in_korean(None, "Held at depot pending inspection") is None
    assert reasons.in_korean("strike", "a strike at the port") is None
    assert reasons.in_korean(None, None) is None


def test_a_reason_the_shop_wrote_in_korean_is_said_as_it_is() -> None:
    assert load_delay_reasons().in_korean(None, " 폭설로 도로 통제 ") == "폭설로 도로 통제"


def test_every_reason_has_english_and_korean() -> None:
    reasons = load_delay_reasons()
    assert reasons.english.keys() == reasons.korean.keys()
    assert "carrier_delay" in reasons.korean  # what is said when the shop gives no reason
    assert all(reasons.in_korean(code, None) for code in reasons.korean)


def test_a_reason_without_korean_is_refused() -> None:
    with pytest.raises(ConfigError, match="'reasons.weather.ko' is missing"):
        parse_delay_reasons({"reasons": {"weather": {"en": "weather"}}}, Path("delay.yml"))


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # The demo shop's code, its English text beside it.
        (
            {"delay_reason": "weather at the carrier's hub", "delay_reason_code": "weather"},
            f"({WEATHER_KO})",
        ),
        # No reason from the shop: the assistant's own default, in Korean.
        ({"delay_reason": "a delay at the carrier", "delay_reason_code": ""}, "(택배사 사정)"),
        # Shopify's free text in English: left out, no English in a Korean sentence.
        ({"delay_reason": "Package held at local facility", "delay_reason_code": ""}, ""),
    ],
)
def test_korean_replies_carry_the_reason_in_korean_or_not_at_all(
    values: dict[str, str], expected: str
) -> None:
    assert korean_values(values)["delay_reason"] == expected
