"""The route that passes a conversation to another signed-in agent (Desk.transfer)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, g, request

from agent_desk.desk import Desk, DeskError
from agent_desk.i18n import gettext as _
from agent_desk.security import login_required
from agent_desk.views import _act, transfer_targets

bp = Blueprint("transfer", __name__)


@bp.post("/tickets/<reference>/transfer")
@login_required
def transfer(reference: str) -> Any:
    """Hand the conversation to the chosen agent, with an optional note for them."""
    desk: Desk = current_app.extensions["desk"]
    wanted = request.form.get("to", "")
    note = request.form.get("note", "")

    def act() -> Any:
        target = next((agent for agent in transfer_targets() if agent.username == wanted), None)
        if target is None:
            raise DeskError(_("Choose an agent who is signed in now."), 400)
        return desk.transfer(reference, g.agent, target, note)

    return _act(reference, act, draft="")
