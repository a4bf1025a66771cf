"""The route that saves an internal note (agent_desk/notes.py) from the conversation page."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, g, redirect, request, url_for

from agent_desk.i18n import gettext as _
from agent_desk.notes import NoteError, Notes
from agent_desk.security import login_required

bp = Blueprint("notes", __name__)


def ticket_notes() -> Notes:
    """The notes kept in the desk's Redis."""
    return Notes(current_app.extensions["desk_redis"])


@bp.post("/tickets/<reference>/notes")
@login_required
def add_note(reference: str) -> Any:
    """Any signed-in agent may leave a note; it goes nowhere near the customer's channel."""
    if current_app.extensions["desk"].store.get(reference) is None:
        flash(_("There is no ticket %(reference)s.") % {"reference": reference}, "error")
        return redirect(url_for("desk.queue"), code=303)
    try:
        ticket_notes().add(
            reference,
            g.agent.display_name,
            request.form.get("note", ""),
            current_app.extensions["desk_clock"](),
        )
    except NoteError as error:
        flash(str(error), "error")
    else:
        flash(_("Note saved for the team. The customer does not see it."), "info")
    return redirect(url_for("desk.conversation", reference=reference, _anchor="notes"), code=303)
