"""The desk's Korean catalog covers every marked text of its templates and views, and of the
figures analytics/ words for the desk and `make report`: extracted as `pybabel extract` does
(agent_desk/babel.cfg over agent_desk/ and analytics/), each has a confirmed Korean translation with
the same placeholders, and the catalog holds nothing the desk no longer says. An agent's language
is kept per agent."""

from __future__ import annotations

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from agent_desk.i18n import KOREAN, SERVER_TEXTS, AgentLanguages, catalog_path, translations
from analytics.recorder import CLAIM_BUCKETS, LAST_CLAIM_BUCKET
from contract.csat import TRIGGER_LABELS
from contract.labels import CHANNEL_LABELS, CUE_LABELS, FLOW_LABELS, INTENT_LABELS
from contract.slots import LEVELS
from tests.agent_desk.desk_helpers import DeskUnderTest
from tickets.model import REASON_LABELS
from tickets.store import connect
from tickets.summary import KOREAN_SUMMARY

DESK_DIR = catalog_path(KOREAN).parents[3]
# Where the catalog's texts are marked (agent_desk/README.md: Languages).
MARKED_DIRS = (DESK_DIR, DESK_DIR.parent / "analytics")


def marked_texts() -> set[str]:
    """The msgids the desk's and analytics' code and templates mark for translation."""
    with (DESK_DIR / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    return {
        singular(message)
        for folder in MARKED_DIRS
        for _, _, message, _, _ in extract_from_dir(folder, method_map, options_map)
    }


def singular(message_id: str | tuple[str, ...]) -> str:
    """The text that names a catalog entry: the singular of a plural one."""
    return message_id if isinstance(message_id, str) else message_id[0]


def test_every_marked_text_has_a_korean_translation_and_nothing_else_is_kept() -> None:
    with catalog_path(KOREAN).open("rb") as source:
        catalog = read_po(source, locale=KOREAN)
    # A plural entry's id is (singular, plural), as extraction gives it; its singular names it.
    entries = {singular(message.id): message for message in catalog if message.id}
    marked = marked_texts()
    assert "Queue" in marked and "Wrong username or password." in marked
    assert sorted(marked - set(entries)) == [], "not in the Korean catalog"
    assert sorted(set(entries) - marked) == [], "in the catalog but no longer in the desk"
    forms = {m.id: (m.string,) if isinstance(m.string, str) else m.string for m in entries.values()}
    untranslated = [m.id for m in entries.values() if not all(forms[m.id]) or m.fuzzy]
    assert untranslated == []
    assert [(m.id, errors) for m, errors in catalog.check()] == []  # same placeholders
    assert translations(KOREAN).gettext("Sign out") == "로그아웃"


def test_the_language_is_kept_per_agent(desk: DeskUnderTest) -> None:
    languages = AgentLanguages(connect(desk.settings.redis_url))
    languages.set("alex", KOREAN)
    assert (languages.get("alex"), languages.get("sam")) == (KOREAN, "en")
    with pytest.raises(ValueError):
        languages.set("sam", "fr")
    assert languages.get("sam") == "en"


def test_the_labels_other_packages_word_are_all_marked_for_the_catalog() -> None:
    """A new handoff reason, mood level, channel, frustration cue, flow, intent, rating moment
    or claim-wait band shows in English to a Korean agent until SERVER_TEXTS has it (names such
    as Slack are the same in both)."""
    worded = {
        *REASON_LABELS.values(),
        *LEVELS,
        *CHANNEL_LABELS.values(),
        *CUE_LABELS.values(),
        *FLOW_LABELS.values(),
        *INTENT_LABELS.values(),
        *TRIGGER_LABELS.values(),
        *(band for _, band in CLAIM_BUCKETS),
        LAST_CLAIM_BUCKET,
    }
    same_in_korean = {"Slack", "Telegram"}
    assert sorted(worded - same_in_korean - set(SERVER_TEXTS)) == []


def test_a_korean_agent_reads_queue_rows_and_waits_in_korean(desk: DeskUnderTest) -> None:
    desk.ticket("0123456789abcdef0123456789abcdef", order_number="")
    AgentLanguages(connect(desk.settings.redis_url)).set("alex", KOREAN)
    [row] = desk.agent("alex").get("/api/queue").get_json()["tickets"]
    assert row["customer"] == "방문자 01234567"
    assert row["waited"] == "1분" and row["level_label"] in {"차분함", "언짢음", "불만 큼"}
    assert row["reason_label"] in {translations(KOREAN).gettext(r) for r in REASON_LABELS.values()}


def test_a_korean_summary_names_things_as_the_korean_desk_does() -> None:
    """The action server writes a Korean conversation's summary without the desk's catalog
    (tickets/summary.py); a reason, level or cue must read the same there as on the page."""
    korean = translations(KOREAN)
    shared = {e: k for e, k in KOREAN_SUMMARY.names.items() if korean.gettext(e) != e}
    assert len(shared) >= 18
    assert {e: korean.gettext(e) for e in shared} == shared
