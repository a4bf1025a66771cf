"""The desk's pages, their JSON and its live streams. Thin: rules live in agent_desk/desk.py."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from redis import RedisError

from agent_desk.accounts import Accounts, Agent
from agent_desk.changes import QUEUE, Changes, conversation_topic, ticket_topic
from agent_desk.customer_panel import customer_panel
from agent_desk.desk import Desk, DeskError, Outcome, no_push_warning
from agent_desk.i18n import agent_languages
from agent_desk.i18n import gettext as _
from agent_desk.live import StreamSlots, busy_stream, event_stream
from agent_desk.notes_views import ticket_notes
from agent_desk.presence import Presence, transfer_choices
from agent_desk.presenting import (
    customer_label,
    date_time,
    fitting_level,
    masked_summary,
    masked_turns,
    queue_row,
    transcript_rows,
)
from agent_desk.rasa_api import RasaUnavailable
from agent_desk.security import availability, login_required, safe_next, sign_in, sign_out
from agent_desk.throttle import LoginThrottle
from contract.addresses import real_client
from contract.labels import can_receive_pushed_replies, channel_label
from orders.client import NotFound, Order, OrderSystem, ShopError
from tickets.availability import AVAILABLE, AWAY
from tickets.model import CLAIMED, CLOSED, WAITING, Ticket
from tickets.transcript import transcript

bp = Blueprint("desk", __name__)

# A transcript entry that is an agents' note, never a message to or from the customer.
INTERNAL = "internal"


def _desk() -> Desk:
    desk: Desk = current_app.extensions["desk"]
    return desk


def _zone() -> Any:
    return _desk().settings.tickets.hours.timezone


@bp.get("/health")
def health() -> tuple[Response, int]:
    """Ready when Redis answers (the launcher waits for this)."""
    ok = _desk().store.ping()
    return jsonify({"status": "ok" if ok else "redis unavailable"}), 200 if ok else 503


def desk_client_address() -> str:
    """The caller's address; X-Forwarded-For is believed only from TRUSTED_PROXIES."""
    peer = request.remote_addr or "unknown"
    trusted = _desk().settings.trusted_proxies
    return real_client(peer, request.headers.get("X-Forwarded-For"), trusted)


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    """Sign-in form; a wrong username or password is refused with 401, too many with 429."""
    target = safe_next(request.values.get("next", ""), url_for("desk.queue"))
    if request.method == "GET":
        return render_template("login.html", next=target)
    username = request.form.get("username", "")
    address = desk_client_address()
    throttle: LoginThrottle = current_app.extensions["desk_throttle"]
    now = current_app.extensions["desk_clock"]()
    attempt = throttle.attempt(username, address, now)
    if attempt.wait_s:
        minutes = max(1, math.ceil(attempt.wait_s / 60))
        error = (
            f"Too many failed sign-ins. Try again in {minutes} min, or sign in from a network "
            "you have used the desk from before."
        )
        page = render_template("login.html", next=target, error=error, username=username)
        return page, 429, {"Retry-After": str(int(attempt.wait_s) + 1)}
    accounts: Accounts = current_app.extensions["desk_accounts"]
    agent = accounts.verify(username, request.form.get("password", ""))
    if agent is None:
        error = _("Wrong username or password.")
        return render_template("login.html", next=target, error=error, username=username), 401
    throttle.succeeded(username, address, attempt, now)
    sign_in(agent, now)
    return redirect(target, code=303)


@bp.post("/logout")
def logout() -> Any:
    """Ends the session (a copy of its cookie stops working too)."""
    sign_out()
    flash("You are signed out.", "info")
    return redirect(url_for("desk.login"), code=303)


@bp.post("/availability")
@login_required
def set_availability() -> Any:
    """The agent's Available / Away switch: customers handed over meanwhile hear a queue
    place while anyone is available, else when a person will reply (tickets/waiting.py)."""
    state = request.form.get("state", "")
    target = safe_next(request.form.get("next", ""), url_for("desk.queue"))
    if state == AVAILABLE:
        availability().set_available(g.agent.username, _desk().clock())
        flash(_("You are available: new customers are told their place in the queue."), "info")
    elif state == AWAY:
        availability().set_away(g.agent.username)
        flash(_("You are away. With nobody available, customers are told when to expect a reply."))
    else:
        flash(_("Choose available or away."), "error")
    return redirect(target, code=303)


@bp.post("/language")
@login_required
def set_language() -> Any:
    """The agent's own language for the desk (header switch): kept with the agent's account,
    so colleagues keep theirs; what customers read follows their conversation, not this."""
    target = safe_next(request.form.get("next", ""), url_for("desk.queue"))
    try:
        agent_languages().set(g.agent.username, request.form.get("language", ""))
    except ValueError:
        flash(_("Choose one of the desk's languages."), "error")
    return redirect(target, code=303)


@bp.post("/api/availability/activity")
@login_required
def activity() -> Response:
    """The agent typed or clicked on a page (static/presence.js); login_required counted it."""
    return jsonify(availability_figures())


def availability_figures() -> dict[str, Any]:
    """The signed-in agent's state and who is available now (the header shows both)."""
    now = _desk().clock()
    states = availability()
    return {
        "state": states.state(g.agent.username, now),
        "available": states.available(now),
        "idle_minutes": round(states.idle_timeout_s / 60),
    }


def _queue_rows() -> list[dict[str, Any]]:
    desk = _desk()
    now = desk.clock()
    waiting = [t.reference for t in desk.store.waiting()]
    return [
        queue_row(t, now, waiting.index(t.reference) + 1 if t.reference in waiting else None)
        for t in desk.store.queue()
    ]


@bp.get("/")
@login_required
def queue() -> str:
    """Open tickets: oldest and most frustrated first, with reason, wait and holder."""
    closed = _desk().store.recently_closed(10)
    return render_template("queue.html", rows=_queue_rows(), closed=closed)


# A live stream ends after this long; the browser reconnects, and the session is checked again.
STREAM_LIFETIME_S = 60.0


def _stream(snapshot: Callable[[], dict[str, Any]], topics: tuple[str, ...]) -> Response:
    """Server-sent events of `snapshot()` (agent_desk/live.py), read again when Redis reports a
    write to `topics` (agent_desk/changes.py); with every stream slot taken, one reading."""

    def figures() -> dict[str, Any] | None:
        # Redis down or the ticket gone: end the stream; the browser's reconnect says why.
        try:
            return snapshot()
        except (DeskError, RedisError):
            return None

    slots: StreamSlots = current_app.extensions["desk_slots"]
    if slots.take():
        changes: Changes = current_app.extensions["desk_changes"]
        events = event_stream(figures, changes.watch(topics), STREAM_LIFETIME_S)
        response = Response(stream_with_context(events), mimetype="text/event-stream")
        response.call_on_close(slots.give_back)
    else:
        response = Response(busy_stream(figures()), mimetype="text/event-stream")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["X-Accel-Buffering"] = "no"  # nginx would otherwise hold the events
    return response


@bp.get("/api/queue")
@login_required
def queue_json() -> Response:
    """The queue page's figures (also what its live stream sends)."""
    return jsonify({"tickets": _queue_rows(), "now": _desk().clock()})


@bp.get("/api/queue/events")
@login_required
def queue_events() -> Response:
    """The queue, sent again whenever it changes."""
    return _stream(lambda: {"tickets": _queue_rows(), "now": _desk().clock()}, (QUEUE,))


def with_notes(entries: list[dict[str, Any]], notes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The transcript with each note before the first message written after it; the
    transcript's own order is kept as it is (a message without a time stays where it is)."""
    merged: list[dict[str, Any]] = []
    waiting = sorted(notes, key=lambda note: float(note["ts"]))
    for entry in entries:
        while waiting and float(entry.get("ts") or 0.0) > float(waiting[0]["ts"]):
            merged.append(waiting.pop(0))
        merged.append(entry)
    return merged + waiting


def _live(ticket: Ticket) -> dict[str, Any]:
    """The conversation as it is now: from Rasa when it answers, else the ticket's snapshot."""
    desk = _desk()
    try:
        tracker = desk.rasa.tracker(ticket.conversation_id)
        entries, source, problem = transcript(tracker.get("events") or []), "rasa", ""
        paused = bool(tracker.get("paused"))
    except RasaUnavailable as error:
        entries, source, problem = ticket.transcript, "snapshot", str(error)
        paused = ticket.status != CLOSED
    # Internal notes sit in the thread where they were written, marked as such.
    notes = [
        {"ts": note.ts, "who": INTERNAL, "text": note.text, "agent": note.author}
        for note in ticket_notes().of(ticket.reference)
    ]
    entries = with_notes(entries, notes)
    turns = masked_turns(desk.store.turns(ticket.conversation_id) or ticket.sentiment)
    return {
        "reference": ticket.reference,
        "status": ticket.status,
        "holder": ticket.holder,
        "holder_name": ticket.holder_name,
        "paused": paused,
        "transcript": transcript_rows(entries, _zone(), desk.settings.time_format),
        "now": desk.clock(),
        "transcript_source": source,
        "problem": problem,
        "sentiment": turns,
    }


def _order_facts(number: str) -> tuple[list[tuple[str, str]], str]:
    """(label, value) lines about the order, or an explanation why there are none."""
    if not number:
        return [], _("The customer has not given an order number.")
    shop: OrderSystem = current_app.extensions["desk_shop"]
    try:
        order: Order = shop.get_order(number)
    except NotFound:
        return [], _("The shop has no order %(order)s.") % {"order": number}
    except ShopError as error:
        return [], _("The shop did not answer (%(code)s); order facts are unavailable.") % {
            "code": error.code
        }
    items = ", ".join(f"{i.quantity} × {i.name}" for i in order.items)
    # The shop's own values (status, delay reason, carrier) are shown as the shop words them.
    facts = [
        (_("Order"), order.order_number),
        (_("Customer"), f"{order.customer_name} <{order.customer_email}>"),
        (_("Status"), order.status.replace("_", " ")),
        (_("Items"), items),
        (_("Total"), f"{order.total:.2f} {order.currency}"),
        (_("Ordered"), order.ordered_at.isoformat()),
        (_("Shipped"), order.shipped_at.isoformat() if order.shipped_at else _("not yet")),
        (_("Expected"), order.expected_delivery.isoformat() if order.expected_delivery else "-"),
    ]
    if (
        order.original_expected_delivery
        and order.original_expected_delivery != order.expected_delivery
    ):
        facts.append((_("First promised"), order.original_expected_delivery.isoformat()))
    if order.delivered_at:
        facts.append((_("Delivered"), order.delivered_at.isoformat()))
    if order.delay_reason:
        facts.append((_("Delay"), order.delay_reason))
    if order.carrier:
        tracking = {"carrier": order.carrier, "tracking": order.tracking_number or "-"}
        facts.append((_("Carrier"), _("%(carrier)s, tracking %(tracking)s") % tracking))
    if order.refund:
        r = order.refund
        refund = {
            "refund": f"{r.reference}: {r.amount:.2f} {r.currency}, {r.status}",
            "date": r.expected_by,
        }
        facts.append((_("Refund"), _("%(refund)s, expected by %(date)s") % refund))
    return facts, ""


def transfer_targets() -> list[Agent]:
    """Whom the signed-in agent may pass a conversation to now (signed-in colleagues)."""
    presence = Presence(current_app.extensions["desk_redis"])
    accounts: Accounts = current_app.extensions["desk_accounts"]
    return transfer_choices(accounts, presence, g.agent, _desk().clock())


def _conversation_page(
    ticket: Ticket, error: str = "", draft: str = "", status: int = 200
) -> tuple[str, int]:
    desk = _desk()
    live = _live(ticket)
    facts, facts_note = _order_facts(ticket.customer.get("order_number", ""))
    levels = list(desk.settings.hand_back_levels)
    current = (live["sentiment"][-1].get("level") if live["sentiment"] else None) or ticket.level
    page = render_template(
        "conversation.html",
        ticket=ticket,
        summary=masked_summary(ticket.summary),
        live=live,
        facts=facts,
        facts_note=facts_note,
        error=error,
        draft=draft,
        is_holder=ticket.status == CLAIMED and ticket.holder == g.agent.username,
        transfer_to=transfer_targets(),
        history=desk.store.history(ticket.reference),
        can_claim=ticket.status == WAITING,
        levels=levels,
        fitting_level=fitting_level(current, levels),
        customer=customer_label(ticket),
        channel=channel_label(ticket.channel),
        push_warning=""
        if can_receive_pushed_replies(ticket.channel)
        else no_push_warning(ticket.channel),
        created=date_time(ticket.created_at, _zone(), desk.settings.time_format),
        position=desk.store.position(ticket.reference),
        canned=[reply.for_agent(g.agent.display_name) for reply in desk.settings.canned_replies],
        notes=ticket_notes().of(ticket.reference),
        follow_up=desk.follow_up.request(ticket.conversation_id) if desk.follow_up else None,
        mails=desk.follow_up.outbox.for_ticket(ticket.reference) if desk.follow_up else [],
        panel=customer_panel(
            ticket,
            current_app.extensions["desk_shop"],
            current_app.extensions["desk_redis"],
            desk.store,
        ),
    )
    return page, status


@bp.get("/tickets/<reference>")
@login_required
def conversation(reference: str) -> Any:
    """Summary, live transcript, sentiment chart, order facts, reply box and buttons."""
    try:
        ticket = _desk().ticket(reference)
    except DeskError as error:
        return render_template("refused.html", message=error.message), error.status
    return _conversation_page(ticket)


@bp.get("/api/tickets/<reference>/live")
@login_required
def live_json(reference: str) -> Any:
    """The conversation page's figures (also what its live stream sends)."""
    ticket = _desk().store.get(reference)
    if ticket is None:
        return jsonify({"error": f"There is no ticket {reference}."}), 404
    return jsonify(_live(ticket))


@bp.get("/api/tickets/<reference>/events")
@login_required
def live_events(reference: str) -> Any:
    """The conversation, sent again whenever it (or the ticket) changes."""
    desk = _desk()
    ticket = desk.store.get(reference)
    if ticket is None:
        return jsonify({"error": f"There is no ticket {reference}."}), 404
    topics = (ticket_topic(reference), conversation_topic(ticket.conversation_id))
    return _stream(lambda: _live(desk.ticket(reference)), topics)


def _act(reference: str, action: Any, draft: str = "") -> Any:
    """Runs a desk action: back to the page with a notice, or the page with the error."""
    try:
        outcome: Outcome = action()
    except DeskError as error:
        ticket = _desk().store.get(reference)
        if ticket is None:
            return render_template("refused.html", message=error.message), error.status
        return _conversation_page(ticket, error=error.message, draft=draft, status=error.status)
    flash(outcome.message, "info")
    if outcome.warning:
        flash(outcome.warning, "error")
    return redirect(url_for("desk.conversation", reference=reference), code=303)


@bp.post("/tickets/<reference>/claim")
@login_required
def claim(reference: str) -> Any:
    """Take the conversation (atomic: a second agent gets who holds it)."""
    return _act(reference, lambda: _desk().claim(reference, g.agent))


@bp.post("/tickets/<reference>/reply")
@login_required
def reply(reference: str) -> Any:
    """Send the agent's message to the customer."""
    text = request.form.get("text", "")
    return _act(reference, lambda: _desk().reply(reference, g.agent, text), draft=text)


@bp.post("/api/tickets/<reference>/typing")
@login_required
def typing(reference: str) -> Any:
    """The holder is writing a reply: a web-chat customer sees "<name> is writing..."."""
    try:
        ticket = _desk().writing(reference, g.agent)
        if ticket is not None:
            current_app.extensions["desk_typing"].agent_typing(
                ticket.conversation_id, g.agent.display_name
            )
    except DeskError as error:
        return jsonify({"error": error.message}), error.status
    except RedisError:
        return jsonify({"error": "The customer could not be told: Redis is not reachable."}), 503
    return jsonify({"told": ticket is not None})


@bp.post("/tickets/<reference>/hand-back")
@login_required
def hand_back(reference: str) -> Any:
    """Give the conversation back to the assistant at the chosen frustration level."""
    level = request.form.get("level", "")
    return _act(reference, lambda: _desk().hand_back(reference, g.agent, level))


@bp.post("/tickets/<reference>/close")
@login_required
def close(reference: str) -> Any:
    """Close the ticket; the assistant answers if the customer writes again."""
    return _act(reference, lambda: _desk().close(reference, g.agent))


@bp.post("/tickets/<reference>/judgement")
@login_required
def judgement(reference: str) -> Any:
    """Was handing over needed? Feeds the precision per trigger in /analytics."""
    answer = request.form.get("needed")
    return _act(reference, lambda: _desk().judge(reference, g.agent, _yes_no(answer)))


def _yes_no(answer: str | None) -> bool:
    if answer not in ("yes", "no"):
        raise DeskError(_("Choose yes or no."), 400)
    return answer == "yes"
