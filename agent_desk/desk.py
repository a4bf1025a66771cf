"""What agents do to a ticket, each checked against who holds it, and the unclaimed notice.

The web views and the notifier thread both go through `Desk`, so the rules (only the holder
replies, hands back or closes; claims are atomic; the notice goes out once) live in one place.
Every message to the customer goes through Rasa's HTTP API (agent_desk/rasa_api.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import redis

from agent_desk.accounts import Agent
from agent_desk.follow_up_mail import FollowUpMail
from agent_desk.i18n import gettext as _
from agent_desk.i18n import label
from agent_desk.rasa_api import RasaClient, RasaUnavailable
from agent_desk.settings import DeskSettings
from analytics.recorder import Recorder
from contract.csat import (
    CLOSE,
    CSAT_AGENT,
    CSAT_ASKED,
    CSAT_TRIGGER,
    HAND_BACK,
    RESPONSE_ASK,
    load_csat,
)
from contract.labels import can_receive_pushed_replies, channel_label
from contract.language import ENGLISH
from contract.metadata import (
    AGENT_METADATA_KEY,
    CLAIMED_BY_METADATA_KEY,
    RESPONSE_AGENT_JOINED,
    RESPONSE_BACK,
    RESPONSE_CLOSED,
    RESPONSE_METADATA_KEY,
    RESPONSE_UNCLAIMED,
)
from contract.slots import FRUSTRATION_LEVEL, FRUSTRATION_SCORE, HANDOFF_REASON, LIVE_AGENT_HANDOFF
from tickets.availability import Availability
from tickets.chatwoot import HOLDER as CHATWOOT_HOLDER
from tickets.model import CLAIMED, CLOSED, HANDED_BACK, RESOLVED, Ticket
from tickets.store import TicketStore
from tickets.waiting import notice_due_at

logger = logging.getLogger(__name__)

MAX_REPLY_CHARS = 2000
MAX_TRANSFER_NOTE_CHARS = 500


class DeskError(Exception):
    """An action the agent cannot take; `message` is shown to them as is."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Outcome:
    """A done action; `warning` when it worked but the customer may not have been told."""

    message: str
    warning: str = ""


def bot_event(text: str, **metadata: Any) -> dict[str, Any]:
    """A bot event. Its metadata tells channels who wrote it (addons/channels/speaker.py):
    `agent` on a person's reply, `utter_action` on the desk's notices, as Rasa sets it on its own
    responses."""
    return {"event": "bot", "text": text, "metadata": metadata}


def no_push_warning(channel: str) -> str:
    """What an agent must know before answering a customer whose channel cannot be pushed to."""
    return _(
        "This customer writes through %(channel)s, which cannot receive messages sent later: "
        "they will NOT see your reply. Reach them another way (email, phone)."
    ) % {"channel": label(channel_label(channel))}


def _not_told(error: Exception) -> str:
    """The warning when the customer could not be told of a change of hands."""
    return _("The customer was not told: %(error)s.") % {"error": error}


def _changed_hands(reference: str) -> str:
    return _("Ticket %(reference)s changed hands meanwhile.") % {"reference": reference}


# Rasa's names of the web widget's channel: the one that shows "... is writing".
WEB_CHAT_CHANNELS = frozenset({"socketio", "webchat"})


class Desk:
    """Ticket actions for signed-in agents."""

    def __init__(
        self,
        store: TicketStore,
        rasa: RasaClient,
        settings: DeskSettings,
        clock: Callable[[], float],
        recorder: Recorder,
        follow_up: FollowUpMail | None = None,
    ) -> None:
        """Dependencies are passed in so tests run the real thing against their own services;
        without `follow_up`, replies are never emailed."""
        self.store = store
        self.rasa = rasa
        self.settings = settings
        self.clock = clock
        self.recorder = recorder
        self.follow_up = follow_up

    def _count(self, record: Callable[[Recorder], None]) -> None:
        """Analytics never fail an agent's action: a Redis error loses the figure, logged."""
        try:
            record(self.recorder)
        except redis.RedisError as error:
            logger.warning("analytics not recorded: %s", error)

    def ticket(self, reference: str) -> Ticket:
        """The ticket, or a 404 DeskError."""
        ticket = self.store.get(reference)
        if ticket is None:
            raise DeskError(_("There is no ticket %(reference)s.") % {"reference": reference}, 404)
        return ticket

    def _held(self, reference: str, agent: Agent) -> Ticket:
        """The ticket when `agent` holds it; otherwise a DeskError naming who does."""
        ticket = self.ticket(reference)
        if ticket.status == CLOSED:
            raise DeskError(
                _("Ticket %(reference)s is already closed.") % {"reference": reference}, 409
            )
        if ticket.status != CLAIMED:
            raise DeskError(_("Claim ticket %(reference)s first.") % {"reference": reference}, 409)
        if ticket.holder != agent.username:
            raise DeskError(
                _("%(holder)s holds this conversation; only they can answer it.")
                % {"holder": ticket.holder_name},
                409,
            )
        return ticket

    def notice(self, ticket: Ticket, response: str, values: dict[str, str]) -> str:
        """A notice to the customer in the conversation's language (a Korean customer reads
        "상담원이 연결됐어요", not the English of domain/handoff.yml)."""
        language = self.rasa.language(ticket.conversation_id)
        return self.rasa.response_text(response, ticket.channel, values, language)

    def _say(self, ticket: Ticket, response: str, agent: Agent | None) -> None:
        values = {
            "agent": agent.display_name if agent else "",
            "ticket_reference": ticket.reference,
        }
        text = self.notice(ticket, response, values)
        metadata = {RESPONSE_METADATA_KEY: response}
        if agent is not None:
            metadata[CLAIMED_BY_METADATA_KEY] = agent.display_name
        self.rasa.append(ticket.conversation_id, [bot_event(text, **metadata)])

    def claim(self, reference: str, agent: Agent) -> Outcome:
        """Takes the ticket; the customer is told a person has joined."""
        ticket = self.ticket(reference)
        if ticket.chatwoot_conversation_id and agent.username != CHATWOOT_HOLDER:
            raise DeskError(
                _(
                    "This conversation is handled in Chatwoot (conversation %(conversation)s); "
                    "answer it there."
                )
                % {"conversation": ticket.chatwoot_conversation_id},
                409,
            )
        result = self.store.claim(reference, agent.username, agent.display_name, self.clock())
        if not result.ok:
            if result.status == CLAIMED:
                raise DeskError(
                    _(
                        "%(holder)s already holds this conversation; two agents cannot claim "
                        "the same one."
                    )
                    % {"holder": result.holder_name},
                    409,
                )
            raise DeskError(
                _("Ticket %(reference)s is %(status)s; it cannot be claimed.")
                % {"reference": reference, "status": label(result.status)},
                409,
            )
        now = self.clock()
        self._count(lambda recorder: recorder.claim(ticket, now))
        try:
            self._say(ticket, RESPONSE_AGENT_JOINED, agent)
        except RasaUnavailable as error:
            return Outcome(_("You hold this conversation."), _not_told(error))
        return Outcome(_("You hold this conversation. The customer was told you joined."))

    def take_for_helpdesk(self, ticket: Ticket, agent: Agent, announce: bool) -> None:
        """A helpdesk agent (Chatwoot) took the conversation: it is claimed for them (again
        harmlessly, claims by the same holder succeed), the claim counts once, and with
        `announce` the customer is told who joined. Raises RasaUnavailable from the notice."""
        result = self.store.claim(
            ticket.reference, agent.username, agent.display_name, self.clock()
        )
        if not result.ok:
            raise DeskError(
                _("Ticket %(reference)s is %(status)s.")
                % {"reference": ticket.reference, "status": label(result.status)},
                409,
            )
        now = self.clock()
        self._count(lambda recorder: recorder.claim(ticket, now))
        if announce:
            self._say(ticket, RESPONSE_AGENT_JOINED, agent)

    def calmest_level(self) -> str:
        """The hand-back level of a conversation closed as done."""
        levels = self.settings.hand_back_levels
        return min(levels, key=lambda level: levels[level])

    def transfer(self, reference: str, agent: Agent, to: Agent, note: str) -> Outcome:
        """Passes a conversation `agent` holds to `to` (signed in: the caller checks), with an
        optional note for them; the customer is told who has joined.

        Analytics are untouched: the ticket was claimed once and its first reply counts once,
        whoever sends it (analytics/recorder.py counts each once per ticket).
        """
        note = note.strip()
        if to.username == agent.username:
            raise DeskError(_("You already hold this conversation; choose another agent."), 400)
        if len(note) > MAX_TRANSFER_NOTE_CHARS:
            raise DeskError(
                _("Notes are limited to %(count)s characters.")
                % {"count": MAX_TRANSFER_NOTE_CHARS},
                400,
            )
        ticket = self._held(reference, agent)
        result = self.store.transfer(reference, agent, to, note, self.clock())
        if not result.ok:
            raise DeskError(_changed_hands(reference), 409)
        holder = {"holder": to.display_name}
        try:
            self._say(ticket, RESPONSE_AGENT_JOINED, to)
        except RasaUnavailable as error:
            return Outcome(_("%(holder)s now holds this conversation.") % holder, _not_told(error))
        return Outcome(
            _("%(holder)s now holds this conversation. The customer was told they joined.") % holder
        )

    def writing(self, reference: str, agent: Agent) -> Ticket | None:
        """The ticket whose web-chat customer may be told `agent` is writing, else None."""
        ticket = self._held(reference, agent)
        return ticket if ticket.channel in WEB_CHAT_CHANNELS else None

    def reply(self, reference: str, agent: Agent, text: str) -> Outcome:
        """Sends the agent's words to the customer's channel."""
        text = text.strip()
        if not text:
            raise DeskError(_("Write a reply first."), 400)
        if len(text) > MAX_REPLY_CHARS:
            raise DeskError(
                _("Replies are limited to %(count)s characters.") % {"count": MAX_REPLY_CHARS}, 400
            )
        ticket = self._held(reference, agent)
        try:
            self.rasa.append(
                ticket.conversation_id,
                [bot_event(text, **{AGENT_METADATA_KEY: agent.display_name})],
            )
        except RasaUnavailable as error:
            raise DeskError(
                _("Your reply was NOT sent: %(error)s. Try again.") % {"error": error}, 502
            ) from error
        now = self.clock()
        self._count(lambda recorder: recorder.reply(ticket, now))
        emailed = self._email_reply(ticket, agent, text, now)
        if not can_receive_pushed_replies(ticket.channel):
            return Outcome(_("Reply saved in the conversation."), no_push_warning(ticket.channel))
        return Outcome(emailed or _("Reply sent."))

    def _email_reply(self, ticket: Ticket, agent: Agent, text: str, now: float) -> str:
        """Queues the reply as an email when the web-chat customer asked for one; returns the
        agent's notice when there is an email to speak of ('' otherwise). The reply is in the
        chat already, so a Redis error here is told, never raised."""
        if self.follow_up is None or ticket.channel not in WEB_CHAT_CHANNELS:
            return ""
        try:
            address = self.follow_up.queue_reply(
                ticket.reference,
                ticket.conversation_id,
                agent.display_name,
                text,
                now,
                self._language_or_english(ticket),
            )
        except redis.RedisError as error:
            logger.error("follow-up email for %s not queued: %s", ticket.reference, error)
            return _(
                "Reply sent, but NOT queued for email (Redis failed): tell the customer another "
                "way."
            )
        if not address:
            return ""
        return _("Reply sent and queued for email to %(address)s.") % {"address": address}

    def _language_or_english(self, ticket: Ticket) -> str:
        """The conversation's language; English when Rasa cannot tell it just now, since the
        reply is in the chat already and its email must still go out."""
        try:
            return self.rasa.language(ticket.conversation_id)
        except RasaUnavailable as error:
            logger.warning(
                "language of %s not read, emailing in English: %s", ticket.reference, error
            )
            return ENGLISH

    def _resume(
        self, ticket: Ticket, agent: Agent, level: str, response: str, trigger: str
    ) -> None:
        """Resumes the assistant with the chosen frustration state, in one locked append.

        The trailing action_listen makes the tracker look as if the assistant had just listened,
        so the customer's next message is predicted like any other (see rasa#5645).
        """
        if level not in self.settings.hand_back_levels:
            levels = ", ".join(label(level) for level in self.settings.hand_back_levels)
            raise DeskError(_("Choose one of: %(levels)s.") % {"levels": levels}, 400)
        text = self.notice(
            ticket, response, {"agent": agent.display_name, "ticket_reference": ticket.reference}
        )
        self.rasa.append(
            ticket.conversation_id,
            [
                {"event": "resume"},
                {"event": "slot", "name": LIVE_AGENT_HANDOFF, "value": False},
                {"event": "slot", "name": HANDOFF_REASON, "value": None},
                {"event": "slot", "name": FRUSTRATION_LEVEL, "value": level},
                {
                    "event": "slot",
                    "name": FRUSTRATION_SCORE,
                    "value": self.settings.hand_back_levels[level],
                },
                bot_event(text, **{RESPONSE_METADATA_KEY: response}),
                *self._csat_question(ticket, agent, trigger),
                {"event": "action", "name": "action_listen"},
            ],
        )

    def _csat_question(self, ticket: Ticket, agent: Agent, trigger: str) -> list[dict[str, Any]]:
        """The satisfaction question with its buttons (config/csat.yml), and the slots that file
        the rating under this agent and trigger; nothing when `trigger` is not configured."""
        config = load_csat()
        if trigger not in config.ask_on:
            return []
        try:
            language = self.rasa.language(ticket.conversation_id)
            question = self.rasa.response_text(RESPONSE_ASK, ticket.channel, {}, language)
        except RasaUnavailable as error:  # a model older than the question: hand back anyway
            logger.warning("satisfaction question not asked: %s", error)
            return []
        slots = {CSAT_ASKED: True, CSAT_TRIGGER: trigger, CSAT_AGENT: agent.username}
        return [
            *({"event": "slot", "name": name, "value": value} for name, value in slots.items()),
            {
                **bot_event(question, **{RESPONSE_METADATA_KEY: RESPONSE_ASK}),
                "data": {"buttons": config.buttons(language)},
            },
        ]

    def _finish(
        self, reference: str, agent: Agent, level: str, response: str, outcome: str, trigger: str
    ) -> None:
        """Resumes the assistant first: if Rasa is unreachable the ticket stays with the agent."""
        ticket = self._held(reference, agent)
        try:
            self._resume(ticket, agent, level, response, trigger)
        except RasaUnavailable as error:
            raise DeskError(
                _("Nothing changed: %(error)s. The ticket is still yours; try again.")
                % {"error": error},
                502,
            ) from error
        if not self.store.finish(reference, agent.username, outcome, self.clock()):
            raise DeskError(_changed_hands(reference), 409)

    def hand_back(self, reference: str, agent: Agent, level: str) -> Outcome:
        """The assistant takes over again; the customer is told."""
        self._finish(reference, agent, level, RESPONSE_BACK, HANDED_BACK, HAND_BACK)
        return Outcome(
            _("Handed back to the assistant with the customer at '%(level)s'.")
            % {"level": label(level)}
        )

    def close(self, reference: str, agent: Agent) -> Outcome:
        """Done: the ticket closes and the assistant answers if the customer writes again."""
        self._finish(reference, agent, self.calmest_level(), RESPONSE_CLOSED, RESOLVED, CLOSE)
        return Outcome(_("Ticket %(reference)s closed.") % {"reference": reference})

    def judge(self, reference: str, agent: Agent, needed: bool) -> Outcome:
        """Records whether handing over was the right call (precision per trigger in /analytics)."""
        if self.store.judge(reference, needed, agent.username, self.clock()) is None:
            raise DeskError(_("There is no ticket %(reference)s.") % {"reference": reference}, 404)
        ticket = self.ticket(reference)
        self._count(lambda recorder: recorder.judgement(ticket, needed))
        return Outcome(
            _("Noted: handing over was needed.")
            if needed
            else _("Noted: handing over was not needed.")
        )

    def send_due_notices(self) -> list[str]:
        """Tells each customer whose ticket waited too long, once; returns their references.

        Only while an agent is available: otherwise nobody is there to be "still busy", and the
        customer was (or will be, on the next handoff) told when to expect a reply.
        """
        now = self.clock()
        config = self.settings.tickets
        if not Availability(self.store.client, config.idle_timeout_s).available(now):
            return []
        sent: list[str] = []
        for ticket in self.store.waiting():
            due = notice_due_at(ticket, config, self.settings.unclaimed_notice_after_s)
            if ticket.notified_at is not None or now < due:
                continue
            if not self.store.mark_notified(ticket.reference, now):
                continue  # claimed meanwhile, or another desk process sent it
            try:
                self._say(ticket, RESPONSE_UNCLAIMED, None)
            except RasaUnavailable as error:
                logger.warning("unclaimed notice for %s not sent: %s", ticket.reference, error)
                self.store.unmark_notified(ticket.reference)
                continue
            self._count(partial(Recorder.unclaimed_notice, ticket=ticket))
            sent.append(ticket.reference)
        return sent
