"""Ask instead of guessing: an unclear message gets the likeliest requests as buttons.

When the NLU is unsure (nlu_fallback: low confidence, or the best two intents close), the
customer sees the requests the classifier still ranked (config/choices.yml: which intents,
their words on the button, how many) and a "Something else" button. A button's payload is the
request itself with the order number or refund reference of the unclear message, so pressing
it continues exactly as if the customer had written that request; the words of the unclear
message stay the request's words (a refund reason in it is used, `request_words`).

A message answered with choices is not a failure for the repeated-failure handoff: the
assistant asked a question, and a choice pressed is understood. Turning the choices down is a
failure (`rejection_times`); another message the assistant cannot help with straight after
the choices makes both failures (`ignored_offers`), so two in a row still hand over.

A complaint about the order the conversation is about ("the lamp was broken", right after a
refund on it) gets that order's requests as buttons instead of "give me the order number".
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.language import conversation_language
from actions.settings import ChoiceSettings, load_choice_settings
from actions.shop_access import normalize_order_number
from contract.events import intent_of
from contract.language import ENGLISH
from contract.slots import ORDER_NUMBER

UNSURE = "nlu_fallback"
OFFER_ACTION = "action_offer_choices"
REJECT_INTENT = "deny"
# What a choice carries over from the unclear message: what the request would have read from it.
KEPT_ENTITIES = (ORDER_NUMBER, "refund_reference")


def likely_requests(parse_data: dict[str, Any], settings: ChoiceSettings) -> list[str]:
    """The labelled intents the classifier ranked at least `min_confidence`, best first."""
    found: list[str] = []
    for ranked in parse_data.get("intent_ranking") or []:
        name = ranked.get("name")
        confident = float(ranked.get("confidence") or 0.0) >= settings.min_confidence
        if name in settings.labels and confident and name not in found:
            found.append(str(name))
        if len(found) >= settings.max_choices:
            break
    return found


def requests_to_offer(
    parse_data: dict[str, Any], settings: ChoiceSettings, order: str | None
) -> list[str]:
    """The likely requests; with none but an order the conversation is about, that order's
    usual requests (`about_an_order`), so "the lamp ... was lost" is not asked for a number."""
    return likely_requests(parse_data, settings) or (list(settings.about_an_order) if order else [])


def offers_choices(
    parse_data: dict[str, Any], settings: ChoiceSettings, order: str | None = None
) -> bool:
    """The message was unclear and there are requests to offer for it."""
    intent = (parse_data.get("intent") or {}).get("name")
    return intent == UNSURE and bool(requests_to_offer(parse_data, settings, order))


def entity_value(entities: Iterable[dict[str, Any]], name: str) -> str | None:
    """The first text value of entity `name`."""
    values = [e.get("value") for e in entities if e.get("entity") == name]
    return next((v for v in values if isinstance(v, str)), None)


def context_order(tracker: Tracker) -> str | None:
    """The order this message is about: one it names, else the one the conversation is on."""
    named = entity_value(tracker.latest_message.get("entities") or [], ORDER_NUMBER)
    return normalize_order_number(named) or normalize_order_number(tracker.get_slot(ORDER_NUMBER))


def kept_entities(tracker: Tracker) -> dict[str, str]:
    """The entities a choice carries: those of the message, the conversation's order if none."""
    entities = tracker.latest_message.get("entities") or []
    kept = {name: value for name in KEPT_ENTITIES if (value := entity_value(entities, name))}
    order = context_order(tracker)
    if order:
        kept[ORDER_NUMBER] = order
    return kept


def payload(intent: str, entities: dict[str, str]) -> str:
    """A button payload Rasa reads as `intent` with these entities, at full confidence."""
    return f"/{intent}{json.dumps(entities, sort_keys=True)}" if entities else f"/{intent}"


def request_buttons(
    intents: Sequence[str], entities: dict[str, str], settings: ChoiceSettings, language: str
) -> list[dict[str, str]]:
    """One button per request, in the customer's words and language."""
    return [
        {"title": settings.label(i, language), "payload": payload(i, entities)} for i in intents
    ]


def buttons(
    intents: Sequence[str],
    entities: dict[str, str],
    settings: ChoiceSettings,
    language: str = ENGLISH,
) -> list[dict[str, str]]:
    """One button per request in the customer's words, then "Something else"."""
    offered = request_buttons(intents, entities, settings, language)
    other = settings.none_of_these(language)
    return [*offered, {"title": other, "payload": f"/{REJECT_INTENT}"}]


def _user_events(events: Sequence[dict[str, Any]]) -> list[tuple[int, dict[str, Any]]]:
    return [(i, e) for i, e in enumerate(events) if e.get("event") == "user"]


def offered_times(events: Sequence[dict[str, Any]]) -> set[float]:
    """Timestamps of the user messages that were answered with choices (the offer action ran
    and showed buttons before the next user message)."""
    found: set[float] = set()
    users = _user_events(events)
    for position, (index, event) in enumerate(users):
        end = users[position + 1][0] if position + 1 < len(users) else len(events)
        after = events[index + 1 : end]
        ran = any(e.get("event") == "action" and e.get("name") == OFFER_ACTION for e in after)
        shown = any(e.get("event") == "bot" and (e.get("data") or {}).get("buttons") for e in after)
        if ran and shown:
            found.add(event.get("timestamp") or 0.0)
    return found


def rejection_times(turns: Sequence[dict[str, Any]], offered: set[float]) -> set[float]:
    """Timestamps of the messages that turned the offered choices down ("Something else", a
    typed no), and of an unclear message straight after choices or a refusal of them:
    failures all, so a customer going round in circles reaches a person."""
    times = [float(t.get("timestamp") or 0.0) for t in turns]
    found: set[float] = set()
    for position in range(1, len(turns)):
        previous = times[position - 1]
        after_choices = previous in offered or previous in found
        if after_choices and intent_of(turns[position]) in (REJECT_INTENT, UNSURE):
            found.add(times[position])
    return found


def ignored_offers(
    turns: Sequence[dict[str, Any]], offered: set[float], failure_intents: AbstractSet[str]
) -> set[float]:
    """Timestamps of the offers the customer answered with another message the assistant
    could not help with (unclear, out of scope): the offer did not help, so it counts as a
    failure after all, and two such messages in a row still hand over."""
    times = [float(t.get("timestamp") or 0.0) for t in turns]
    return {
        times[position - 1]
        for position in range(1, len(turns))
        if times[position - 1] in offered and intent_of(turns[position]) in failure_intents
    }


def request_words(events: Sequence[dict[str, Any]], intent: str) -> str | None:
    """What the customer wrote for the latest `intent` request: its text, or, when it came
    from a choice button, the text of the unclear message the choice answered."""
    users = [e for e in events if e.get("event") == "user"]
    for position in range(len(users) - 1, -1, -1):
        event = users[position]
        if intent_of(event) != intent:
            continue
        text = str(event.get("text") or "")
        if text.startswith("/") and position > 0 and intent_of(users[position - 1]) == UNSURE:
            return str(users[position - 1].get("text") or "")
        return text
    return None


class ActionOfferChoices(Action):
    """Offers the likeliest requests as buttons (the order's usual ones when nothing is likely
    but the conversation is about an order); with none, asks the customer to rephrase.

    Needs in the domain: responses utter_offer_choices, utter_offer_choices_order (with
    {order_number}) and utter_ask_rephrase.
    """

    def name(self) -> str:
        """Name used in the rules (data/rules/fallback.yml)."""
        return OFFER_ACTION

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """The order the conversation is about is named, so the customer sees it is kept."""
        settings = load_choice_settings()
        order = context_order(tracker)
        intents = requests_to_offer(tracker.latest_message, settings, order)
        if not intents:
            dispatcher.utter_message(response="utter_ask_rephrase")
            return []
        shown = buttons(intents, kept_entities(tracker), settings, conversation_language(tracker))
        if order:
            dispatcher.utter_message(
                response="utter_offer_choices_order", order_number=order, buttons=shown
            )
        else:
            dispatcher.utter_message(response="utter_offer_choices", buttons=shown)
        return []


class ActionAnswerComplaint(Action):
    """A complaint about the order the conversation is about offers that order's requests;
    without an order, the number is asked (utter_complaint).

    Needs in the domain: responses utter_complaint and utter_complaint_about_order.
    """

    def name(self) -> str:
        """Name used in the rules (data/rules/fallback.yml)."""
        return "action_answer_complaint"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """A person stays one button away either way."""
        order = context_order(tracker)
        if not order:
            dispatcher.utter_message(response="utter_complaint")
            return []
        settings = load_choice_settings()
        language = conversation_language(tracker)
        shown = request_buttons(settings.about_an_order, kept_entities(tracker), settings, language)
        if "request_human" in settings.labels:
            person = settings.label("request_human", language)
            shown.append({"title": person, "payload": "/request_human"})
        dispatcher.utter_message(
            response="utter_complaint_about_order", order_number=order, buttons=shown
        )
        return []
