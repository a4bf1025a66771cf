"""A scripted conversation from tests/flows/conversations.yml, run over REST and checked.

Each conversation lists what the customer says (or which offered button they press), words
each answer must (and must not) hold and the buttons it must offer, then the state that must
follow: the orders in the shop, and whether (and why) a person took
over. The same runner measures the turns a conversation took.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

import requests

from harness.stacks import rasa_tracker
from launcher.settings import StackSettings


@dataclass(frozen=True)
class Turn:
    """One customer message (or a press on a button of the last answer, by its title) and
    what the answer must show: words in its text, words not in it, button titles offered."""

    say: str
    expect: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    buttons: tuple[str, ...] = ()
    press: bool = False


@dataclass(frozen=True)
class Script:
    """One conversation of the suite."""

    name: str
    turns: tuple[Turn, ...]
    shop: dict[str, dict[str, Any]] = field(default_factory=dict)
    handoff: str | None = None  # the handoff reason expected, or None for no handoff

    @classmethod
    def parse(cls, raw: dict[str, Any]) -> Script:
        """From the YAML mapping; `expect`/`absent` may be one text or a list."""

        def texts(value: Any) -> tuple[str, ...]:
            found = (value,) if not isinstance(value, list) else tuple(value)
            found = tuple(str(v) if isinstance(v, int) else v for v in found if v is not None)
            if not all(isinstance(v, str) for v in found):
                raise ValueError(f"{raw['name']}: quote yes/no/on/off in the suite: {value!r}")
            return found

        turns = tuple(
            Turn(
                texts(t.get("say", t.get("press")))[0],
                texts(t.get("expect")),
                texts(t.get("absent")),
                texts(t.get("buttons")),
                "press" in t,
            )
            for t in raw["turns"]
        )
        shop = {str(k): v for k, v in (raw.get("shop") or {}).items()}
        return cls(raw["name"], turns, shop, raw.get("handoff"))


@dataclass
class Outcome:
    """What happened in one run: the answers and every mismatch found."""

    answers: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Answer:
    """The assistant's answer to one message: texts joined and lower-cased; buttons offered
    (title -> payload), in order."""

    text: str
    buttons: dict[str, str] = field(default_factory=dict)


class RestCustomer:
    """One sender id talking to the Rasa server's REST channel."""

    def __init__(self, settings: StackSettings, label: str) -> None:
        self._settings = settings
        self.sender_id = f"{label[:40]}-{uuid.uuid4().hex[:8]}".replace(" ", "_")

    def ask(self, text: str) -> str:
        """The assistant's answer texts, joined and lower-cased."""
        return self.send(text).text

    def send(self, text: str) -> Answer:
        """The assistant's answer, buttons included (a button press sends its payload)."""
        response = requests.post(
            f"{self._settings.rasa_url}/webhooks/rest/webhook",
            json={"sender": self.sender_id, "message": text},
            timeout=90,
        )
        response.raise_for_status()
        messages = response.json()
        buttons = {
            str(b.get("title")): str(b.get("payload"))
            for m in messages
            for b in m.get("buttons") or []
        }
        return Answer(" ".join(m.get("text", "") for m in messages).lower(), buttons)

    def tracker(self) -> dict[str, Any]:
        """The conversation as Rasa stores it."""
        return rasa_tracker(self._settings, self.sender_id)


def check_turn(
    turn: Turn, answer: str, index: int, buttons: dict[str, str] | None = None
) -> list[str]:
    """Mismatches between one answer and what the script expects of it."""
    problems = [f"turn {index} ({turn.say!r}): missing {w!r} in {answer!r}"
                for w in turn.expect if w.lower() not in answer]  # fmt: skip
    problems += [f"turn {index} ({turn.say!r}): unexpected {w!r} in {answer!r}"
                 for w in turn.absent if w.lower() in answer]  # fmt: skip
    offered = list(buttons or {})
    problems += [f"turn {index} ({turn.say!r}): no button {t!r} among {offered!r}"
                 for t in turn.buttons if t not in offered]  # fmt: skip
    return problems


def check_handoff(script: Script, tracker: dict[str, Any]) -> list[str]:
    """The handoff decision: none, or a handoff for the expected reason."""
    slots = tracker["slots"]
    handed = bool(slots.get("live_agent_handoff"))
    if script.handoff is None and handed:
        return [f"handed over ({slots.get('handoff_reason')}) but no handoff was expected"]
    if script.handoff is not None and (not handed or slots.get("handoff_reason") != script.handoff):
        return [f"expected handoff {script.handoff}, got {slots.get('handoff_reason')!r}"]
    return []


def check_shop(script: Script, shop_url: str) -> list[str]:
    """The orders' final state in the shop: status, refund (none / pending / paid), reason."""
    problems: list[str] = []
    for number, wanted in script.shop.items():
        order = requests.get(f"{shop_url}/orders/{number}", timeout=10).json()
        refund = order.get("refund")
        if "status" in wanted and order["status"] != wanted["status"]:
            problems.append(f"order {number}: status {order['status']}, wanted {wanted['status']}")
        if "refund" in wanted:
            state = refund["status"] if refund else "none"
            if state != wanted["refund"]:
                problems.append(f"order {number}: refund {state}, wanted {wanted['refund']}")
        if "reason" in wanted and (
            not refund or wanted["reason"].lower() not in refund["reason"].lower()
        ):
            problems.append(f"order {number}: refund reason {refund and refund['reason']!r}")
    return problems


def run(script: Script, settings: StackSettings) -> Outcome:
    """Plays the script and collects every mismatch (none means the conversation passed)."""
    customer = RestCustomer(settings, script.name)
    outcome = Outcome()
    offered: dict[str, str] = {}
    for index, turn in enumerate(script.turns, start=1):
        if turn.press and turn.say not in offered:
            outcome.problems.append(f"turn {index}: no button {turn.say!r} to press in {offered}")
            break
        answer = customer.send(offered[turn.say] if turn.press else turn.say)
        offered = answer.buttons
        outcome.answers.append(answer.text)
        outcome.problems += check_turn(turn, answer.text, index, answer.buttons)
    outcome.problems += check_handoff(script, customer.tracker())
    outcome.problems += check_shop(script, settings.shop_url)
    return outcome
