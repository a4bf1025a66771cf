"""The `language` slot after every customer message (part of action_read_turn).

The customer's words decide (contract/language.py); a message whose words do not tell (an
order number, an email, emoji, "ok") keeps the conversation's language. Before any message
has told, the language the channel passed in the metadata (the widget page's language) is
used, so a Korean page is answered in Korean from its first "10001".
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from contract.language import ENGLISH, LANGUAGE_SLOT, detect_language, page_language


def conversation_language(tracker: Tracker) -> str:
    """The conversation's language (the `language` slot), English until a message tells:
    what the buttons an action sends (choices, ratings) are titled in."""
    return str(tracker.get_slot(LANGUAGE_SLOT) or ENGLISH)


def _told_before(tracker: Tracker) -> bool:
    """Whether an earlier customer message of this conversation already showed its language."""
    users = [e for e in tracker.events if e.get("event") == "user"]
    return any(detect_language(str(e.get("text") or "")) for e in users[:-1])


def language_events(tracker: Tracker) -> list[dict[str, Any]]:
    """A SlotSet for `language` when this message changes it, else nothing."""
    current = tracker.get_slot(LANGUAGE_SLOT) or ENGLISH
    message = tracker.latest_message or {}
    language = detect_language(str(message.get("text") or ""))
    if language is None and not _told_before(tracker):
        language = page_language(message.get("metadata"))
    if language is None or language == current:
        return []
    return [SlotSet(LANGUAGE_SLOT, language)]
