"""The desk's Korean catalog covers every marked text of its templates and views: extracted
as `pybabel extract` does (agent_desk/babel.cfg), each has a confirmed Korean translation with
the same placeholders, and the catalog holds nothing the desk no longer says. An agent's language
is kept per agent."""

from __future__ import annotations

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from agent_desk.i18n import KOREAN, AgentLanguages, catalog_path, translations
from tests.agent_desk.desk_helpers import DeskUnderTest
from tickets.store import connect

DESK_DIR = catalog_path(KOREAN).parents[3]


def marked_texts() -> set[str]:
    """The msgids the desk's code and templates mark for translation."""
    with (DESK_DIR / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = extract_from_dir(DESK_DIR, method_map, options_map)
    return {message if isinstance(message, str) else message[0] for _, _, message, _, _ in found}


def test_every_marked_text_has_a_korean_translation_and_nothing_else_is_kept() -> None:
    with catalog_path(KOREAN).open("rb") as source:
        catalog = read_po(source, locale=KOREAN)
    entries = {message.id: message for message in catalog if message.id}
    marked = marked_texts()
    assert "Queue" in marked and "Wrong username or password." in marked
    assert sorted(marked - set(entries)) == [], "not in the Korean catalog"
    assert sorted(set(entries) - marked) == [], "in the catalog but no longer in the desk"
    untranslated = [m.id for m in entries.values() if not m.string or m.fuzzy]
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
