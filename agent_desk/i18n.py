"""The desk's own interface (labels, buttons, its messages to the agent) in each agent's language.

English is the source text; Korean comes from a gettext catalog,
agent_desk/translations/ko/LC_MESSAGES/messages.po. Templates mark text with Jinja's i18n
extension (`{% trans %}`, `_()`), Python code with `gettext` from here. The catalog is compiled
from its .po file when the desk first needs it (Babel's own compiler, in memory), so there is no
generated .mo file to build in setup or to go stale beside its source.

Each agent chooses a language in the desk's header; the choice is kept in Redis under the
agent's username (`contract.keys.agent_language`), so it follows the agent to any browser and
desk process and changes nothing for the other agents. Before sign-in the desk is in English.
"""

from __future__ import annotations

import gettext as stdlib_gettext
import io
from functools import lru_cache
from pathlib import Path
from typing import Final

import redis
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, current_app, g, has_app_context

from analytics.wording import N_, Words
from contract import keys

ENGLISH: Final = "en"
KOREAN: Final = "ko"
# Each language in its own words, as the switch in the header shows it.
DESK_LANGUAGES: Final = {ENGLISH: "English", KOREAN: "한국어"}
CATALOG_DIR: Final = Path(__file__).resolve().parent / "translations"
DOMAIN: Final = "messages"


# What the desk's scripts write themselves (static/*.js, through static/words.js).
SCRIPT_TEXTS: Final = (
    N_("Agent desk"),
    N_("This browser cannot show desktop notifications."),
    N_("Turn off desktop notifications"),
    N_("Enable desktop notifications"),
    N_("Desktop notifications are blocked in this browser's site settings."),
    N_("Desktop notifications are on."),
    N_("New ticket %(reference)s: %(reason)s"),
    N_("%(colleague)s passed %(reference)s to you"),
    N_("updated %(time)s"),
    N_("unclaimed"),
    N_("%(holder)s (from %(colleague)s)"),
    N_("%(seconds)s s"),
    N_("%(minutes)s min"),
    N_("%(hours)s h %(minutes)s min"),
    N_("%(days)s d %(hours)s h"),
    # live.js: the live status of a page.
    N_("many desk pages are open: this one updates every 15 s"),
    N_("desk not reachable, retrying…"),
    N_("Sign in"),
    # conversation.js: the transcript's speakers (tickets/transcript.py's `who`) and status line.
    N_("customer"),
    N_("assistant"),
    N_("agent"),
    N_("note"),
    N_("internal"),
    N_("internal note, the customer never sees it"),
    N_("pressed"),
    N_("live · %(time)s"),
    N_("live · assistant paused · %(time)s"),
    N_("showing the handoff snapshot: %(problem)s"),
    # chart.js: the sentiment chart (mood levels come from SERVER_TEXTS).
    N_("unknown"),
    N_(
        "Sentiment and frustration over %(turns)s customer turns; latest sentiment "
        "%(sentiment)s, frustration %(frustration)s (%(level)s)"
    ),
    N_("Sentiment chart: no analysed turns yet"),
    N_("No analysed turns yet"),
    N_("no cues"),
    N_("Turn %(turn)s: “%(text)s”"),
    N_(
        "sentiment %(sentiment)s, frustration %(frustration)s, smoothed %(smoothed)s "
        "(%(level)s); %(cues)s"
    ),
    N_("turn →"),
    N_("sentiment (−1 … +1)"),
    N_("frustration, smoothed (0 … 1)"),
    N_("calm"),
    N_("annoyed"),
    N_("frustrated"),
)


# What other packages word for agents and the desk shows as it is (tickets/model.py's
# REASON_LABELS, contract/slots.py's LEVELS, contract/labels.py's CHANNEL_LABELS, CUE_LABELS,
# FLOW_LABELS and INTENT_LABELS, contract/csat.py's TRIGGER_LABELS, analytics/recorder.py's
# claim-wait bands): marked here for the catalog, translated by `label` and by the figures' words
# (tests/agent_desk/test_translations.py keeps the lists in step).
SERVER_TEXTS: Final = (
    N_("Customer asked for a person"),
    N_("Customer is frustrated"),
    N_("Customer had to come back"),
    N_("Assistant kept failing"),
    N_("calm"),
    N_("annoyed"),
    N_("frustrated"),
    N_("Web chat"),
    N_("REST API"),
    N_("Rasa shell"),
    N_("Unknown channel"),
    N_("negative words"),
    N_("writing in capitals"),
    N_("many ! or ?"),
    N_("swearing"),
    N_("said they had to write again"),
    N_("sarcasm"),
    N_("impatience"),
    N_("threatened to escalate"),
    N_("said the answer did not help"),
    N_("not understood in a row"),
    N_("asked the same thing again"),
    N_("Delivery status"),
    N_("Refund request"),
    N_("Refund status"),
    N_("Cancellation"),
    N_("Refunds"),
    N_("No routine flow"),
    N_("Complaint"),
    N_("Said yes"),
    N_("Said no"),
    N_("Greeting"),
    N_("Goodbye"),
    N_("Thanks"),
    N_("Gave a detail (order number, email)"),
    N_("Asked for a person"),
    N_("Asked if it is a bot"),
    N_("Not understood"),
    N_("Rated the conversation"),
    N_("Went back"),
    N_("Empty message"),
    N_("Started over"),
    N_("Message refused as unsafe"),
    N_("customer said goodbye"),
    N_("customer said thanks"),
    N_("a person handed back"),
    N_("a person closed it"),
    N_("under 1 min"),
    N_("1-5 min"),
    N_("5-15 min"),
    N_("15-60 min"),
    N_("over 1 h"),
    # tickets/model.py's statuses, and actions/history.py's topic groups (the customer panel).
    N_("waiting"),
    N_("claimed"),
    N_("closed"),
    N_("delivery"),
    N_("refund"),
    N_("cancellation"),
    # tickets/transcript.py's notes in the transcript.
    N_("The assistant handed over and is paused."),
    N_("Handed back: the assistant answers again."),
)


def catalog_path(language: str) -> Path:
    """Where the .po catalog of `language` lives."""
    return CATALOG_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=len(DESK_LANGUAGES))
def translations(language: str) -> stdlib_gettext.NullTranslations:
    """The compiled catalog of `language` (English: the text as written); fuzzy entries,
    whose translation nobody confirmed, are left out so they show in English."""
    if language == ENGLISH:
        return stdlib_gettext.NullTranslations()
    with catalog_path(language).open("rb") as source:
        catalog = read_po(source, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return stdlib_gettext.GNUTranslations(compiled)


class AgentLanguages:
    """Each agent's desk language, in Redis so every desk process agrees."""

    def __init__(self, client: redis.Redis) -> None:
        """`client`: the desk's Redis."""
        self._redis = client

    def get(self, username: str) -> str:
        """The agent's language; English until the agent chooses another."""
        value = self._redis.get(keys.agent_language(username))
        if isinstance(value, bytes):
            value = value.decode()
        return value if value in DESK_LANGUAGES else ENGLISH

    def set(self, username: str, language: str) -> None:
        """Keeps the agent's choice (ValueError for a language the desk does not have)."""
        if language not in DESK_LANGUAGES:
            raise ValueError(f"the desk has no {language!r} interface")
        self._redis.set(keys.agent_language(username), language)


def agent_languages() -> AgentLanguages:
    """The app's store of agents' languages (installed by `install`)."""
    languages: AgentLanguages = current_app.extensions["desk_languages"]
    return languages


def desk_language() -> str:
    """The signed-in agent's language, read once per request; English before sign-in and
    outside a request (a queue row built by a test or a script)."""
    if not has_app_context() or "agent" not in g:
        return ENGLISH
    if "desk_language" not in g:
        g.desk_language = agent_languages().get(g.agent.username)
    language: str = g.desk_language
    return language


def gettext(message: str) -> str:
    """`message` in the signed-in agent's language."""
    return translations(desk_language()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form for `count`, in the signed-in agent's language."""
    return translations(desk_language()).ngettext(singular, plural, count)


def desk_words() -> Words:
    """The signed-in agent's language for what analytics/ words (figures, headlines, charts)."""
    return Words(desk_language(), gettext)


def label(text: str) -> str:
    """A label worded by another package (SERVER_TEXTS) in the agent's language; a text the
    catalog does not have stays as it is."""
    return gettext(text)


def script_words() -> dict[str, str]:
    """SCRIPT_TEXTS in the signed-in agent's language, for static/words.js."""
    return {text: gettext(text) for text in SCRIPT_TEXTS}


def install(app: Flask, client: redis.Redis) -> None:
    """Gives the app's templates `_()`, `{% trans %}`, `desk_language()`, the choices and the
    scripts' words."""
    app.extensions["desk_languages"] = AgentLanguages(client)
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext, ngettext, newstyle=True
    )
    app.jinja_env.globals.update(
        desk_language=desk_language,
        desk_languages=DESK_LANGUAGES,
        script_words=script_words,
        label=label,
    )
    app.jinja_env.filters["label"] = label
