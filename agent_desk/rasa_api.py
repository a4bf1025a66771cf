"""The desk's only way to the Rasa server: its HTTP API, with the token and timeouts.

Reads a conversation (GET /conversations/{id}/tracker) and appends events to it
(POST /conversations/{id}/tracker/events?output_channel=latest&execute_side_effects=true):
Rasa sends appended `bot` events to the customer's latest input channel and stores them in
the tracker, under its per-conversation lock, so this also works with several Rasa servers
sharing the Redis tracker store. Customer-facing wording comes from the model's domain
(GET /domain), so it lives in domain/handoff.yml with every other response; in a conversation
whose `language` slot is Korean, from config/responses_ko.yml as the assistant's own replies.

POSTs are never retried: a retried reply could reach the customer twice.
"""

from __future__ import annotations

import string
import threading
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import requests

from contract.language import ENGLISH, LANGUAGE_SLOT
from contract.wording import localised_text, localised_values, pick_text, responses_in

# Domain responses rarely change (only with a new model); re-read them after this long.
DOMAIN_TTL_S = 60.0


class RasaUnavailable(Exception):
    """The Rasa server did not answer usefully; the message says what happened."""


class _KeepUnknown(dict):
    """Leaves placeholders the desk has no value for as they are, instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render(template: str, values: Mapping[str, Any]) -> str:
    """Fills {name} placeholders like Rasa's templated responses."""
    return string.Formatter().vformat(template, (), _KeepUnknown(values))


class RasaClient:
    """Blocking client of Rasa's HTTP API; safe to share between threads."""

    def __init__(
        self, base_url: str, token: str, connect_timeout_s: float, read_timeout_s: float
    ) -> None:
        """Nothing is contacted until the first call."""
        self._base_url = base_url.rstrip("/")
        self._token = token
        self._timeout = (connect_timeout_s, read_timeout_s)
        self._session = requests.Session()
        self._domain: dict[str, Any] | None = None
        self._domain_read_at = 0.0
        self._lock = threading.Lock()

    def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        params = {"token": self._token, **kwargs.pop("params", {})}
        try:
            response = self._session.request(
                method, self._base_url + path, params=params, timeout=self._timeout, **kwargs
            )
        except requests.RequestException as exc:
            raise RasaUnavailable(
                f"the Rasa server at {self._base_url} did not answer ({type(exc).__name__})"
            ) from exc
        if response.status_code == 401 or response.status_code == 403:
            raise RasaUnavailable("the Rasa server refused the desk's API token (RASA_API_TOKEN)")
        if not response.ok:
            raise RasaUnavailable(
                f"the Rasa server answered {response.status_code} to {method} {path.split('?')[0]}"
            )
        try:
            answer = response.json()
        except ValueError as exc:
            raise RasaUnavailable("the Rasa server's answer was not JSON") from exc
        if not isinstance(answer, dict):
            raise RasaUnavailable("the Rasa server's answer was not a JSON object")
        return answer

    @staticmethod
    def _conversation(conversation_id: str) -> str:
        return "/conversations/" + quote(conversation_id, safe="")

    def tracker(self, conversation_id: str) -> dict[str, Any]:
        """The conversation's state with every event since its last restart."""
        return self._call("GET", self._conversation(conversation_id) + "/tracker")

    def execute(self, conversation_id: str, action: str) -> dict[str, Any]:
        """Runs one action now; what it says goes out in the customer's latest channel."""
        return self._call(
            "POST",
            self._conversation(conversation_id) + "/execute",
            params={"output_channel": "latest"},
            json={"name": action},
        )

    def append(self, conversation_id: str, events: list[dict[str, Any]]) -> dict[str, Any]:
        """Appends events in one locked step; bot events go out in the customer's channel."""
        return self._call(
            "POST",
            self._conversation(conversation_id) + "/tracker/events",
            params={"output_channel": "latest", "execute_side_effects": "true"},
            json=events,
        )

    def _responses(self) -> dict[str, Any]:
        with self._lock:
            if self._domain is None or time.monotonic() - self._domain_read_at > DOMAIN_TTL_S:
                self._domain = self._call("GET", "/domain", headers={"Accept": "application/json"})
                self._domain_read_at = time.monotonic()
            return dict(self._domain.get("responses") or {})

    def language(self, conversation_id: str) -> str:
        """The conversation's `language` slot (contract/language.py), English when unset."""
        tracker = self._call(
            "GET",
            self._conversation(conversation_id) + "/tracker",
            params={"include_events": "NONE"},
        )
        return str((tracker.get("slots") or {}).get(LANGUAGE_SLOT) or ENGLISH)

    def response_text(
        self, name: str, channel: str, values: Mapping[str, Any], language: str = ENGLISH
    ) -> str:
        """A response's text in `language`, filled with `values`: from that language's file
        (contract/wording.py) when it has the response, else the domain's English.

        Picks among the unconditional variants, preferring those for `channel`, as Rasa does.
        """
        translated = pick_text(responses_in(language).get(name) or [], channel)
        if translated is not None:
            filled = render(translated, localised_values(language, dict(values)))
            return localised_text(language, filled)
        text = pick_text(self._responses().get(name) or [], channel)
        if text is None:
            raise RasaUnavailable(
                f"the assistant's model has no response {name!r}: retrain it (deploy/setup.sh)"
            )
        return render(text, values)
