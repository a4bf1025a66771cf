"""/review: messages the assistant misread, for staff to turn into training data.

The action server keeps them (actions/review_capture.py, analytics/review_store.py); here a
signed-in agent sees them grouped by the intent the assistant predicted, with counts, and in
one click gives each its right intent (one of the domain's), marks it out of scope, or
dismisses it. The export writes the reviewed ones as Rasa NLU data
(agent_desk/review_export.py) to `REVIEW_EXPORT_FILE` (data/nlu/reviewed.yml), or downloads
the same file.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)

from agent_desk.i18n import N_, desk_words
from agent_desk.i18n import gettext as _
from agent_desk.review_export import OUT_OF_SCOPE, build, render, shown_path, write_export
from agent_desk.review_export import written_examples as known_examples
from agent_desk.security import login_required
from analytics.figures import intent_label as figures_intent_label
from analytics.review_store import (
    CORRECTED,
    DISAMBIGUATED,
    FALLBACK,
    HANDOFF,
    ReviewItem,
    ReviewStore,
)
from contract.labels import channel_label
from settings.env import PROJECT_ROOT

bp = Blueprint("review", __name__)

DOMAIN_DIR = PROJECT_ROOT / "domain"
NOT_ASSIGNABLE = frozenset({"blank", "unsafe_input", "nlu_fallback"})
"""Set by fixed rules (addons/message_guard.py) or by the fallback: never a reviewer's answer."""
REASON_WORDS = {
    FALLBACK: N_("not understood"),
    DISAMBIGUATED: N_("customer had to pick what they meant"),
    CORRECTED: N_("customer said the answer did not help"),
    HANDOFF: N_("handed to a person next"),
}
RECENT = 20


@lru_cache(maxsize=4)
def domain_intents(domain_dir: Path = DOMAIN_DIR) -> tuple[str, ...]:
    """The intents a reviewer may assign: the domain's, in file order, less NOT_ASSIGNABLE."""
    found: list[str] = []
    for path in sorted(domain_dir.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for entry in data.get("intents") or []:
            name = entry if isinstance(entry, str) else next(iter(entry))
            if name not in NOT_ASSIGNABLE and name not in found:
                found.append(str(name))
    return tuple(found)


def _store() -> ReviewStore:
    store: ReviewStore = current_app.extensions["desk_review"]
    return store


def _export_path() -> Path:
    return Path(current_app.extensions["desk"].settings.review_export_file)


def intent_label(intent: str) -> str:
    """The intent in words, in the signed-in agent's language (config/topics.yml's `label_ko`
    or the desk's catalog)."""
    return figures_intent_label(intent, desk_words())


def _row(item: ReviewItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "text": item.text,
        "predicted": item.predicted,
        "predicted_label": intent_label(item.predicted),
        "confidence": round(100 * item.confidence),
        "why": "; ".join(_(REASON_WORDS[r]) if r in REASON_WORDS else r for r in item.reasons),
        "picked": item.picked,
        "picked_label": intent_label(item.picked) if item.picked else "",
        "channel": channel_label(item.channel) if item.channel else "",
        "seen": item.seen,
        "ts": item.ts,
        "label": item.label,
        "label_label": intent_label(item.label) if item.label else "",
        "status": item.status,
        "reviewed_by": item.reviewed_by,
    }


@bp.get("/review")
@login_required
def page() -> str:
    """Pending messages grouped by predicted intent, recent reviews, the export."""
    store = _store()
    found = store.groups()
    groups = [
        {
            "predicted": group.predicted,
            "label": intent_label(group.predicted),
            "count": group.count,
            "items": [_row(item) for item in group.items],
        }
        for group in found
    ]
    intents = [(name, intent_label(name)) for name in domain_intents()]
    return render_template(
        "review.html",
        groups=groups,
        pending=sum(len(group.items) for group in found),
        intents=intents,
        recent=[_row(item) for item in store.reviewed(RECENT)],
        labelled=len(store.labelled()),
        export_path=shown_path(_export_path()),
        out_of_scope=OUT_OF_SCOPE,
    )


@bp.post("/review/<ident>")
@login_required
def review(ident: str) -> Any:
    """One click: `intent` (a domain intent, or "other" with `other` chosen) or `dismiss`."""
    store = _store()
    item = store.get(ident)
    if item is None:
        return render_template("refused.html", message=_("That message is no longer kept.")), 404
    now = current_app.extensions["desk_clock"]()
    if request.form.get("dismiss"):
        store.dismiss(ident, g.agent.username, now)
        flash(_("Dismissed “%(text)s”.") % {"text": item.text}, "info")
        return redirect(url_for("review.page"), code=303)
    intent = request.form.get("intent", "")
    if intent == "other":
        intent = request.form.get("other", "")
    if intent not in domain_intents():
        message = _("Choose one of the assistant's intents, or out of scope.")
        return render_template("refused.html", message=message), 400
    store.label(ident, intent, g.agent.username, now)
    flash(
        _("“%(text)s” is now an example of %(intent)s.")
        % {"text": item.text, "intent": intent_label(intent)},
        "info",
    )
    return redirect(url_for("review.page"), code=303)


@bp.post("/review/<ident>/reopen")
@login_required
def reopen(ident: str) -> Any:
    """Back to the pending list (a review made by mistake)."""
    if not _store().reopen(ident):
        return render_template("refused.html", message=_("That message is no longer kept.")), 404
    flash(_("Back in the list to review."), "info")
    return redirect(url_for("review.page"), code=303)


@bp.post("/review/export")
@login_required
def export() -> Any:
    """Writes the reviewed messages to the training data file (REVIEW_EXPORT_FILE)."""
    try:
        done = write_export(_store(), _export_path())
    except OSError as error:
        flash(
            _("The file could not be written: %(error)s.") % {"error": error.strerror or error},
            "error",
        )
    else:
        flash(done.summary(), "info")
    return redirect(url_for("review.page"), code=303)


@bp.get("/review/reviewed.yml")
@login_required
def download() -> Response:
    """The same file as the export writes, as a download."""
    path = _export_path()
    done = build(_store().labelled(), known_examples(path.parent, path), path)
    return Response(
        render(done),
        mimetype="application/x-yaml",
        headers={"Content-Disposition": 'attachment; filename="reviewed.yml"'},
    )
