"""Idempotency keys for the shop's writes: a repeated request gets the first answer again.

A client sends `Idempotency-Key: <unique string>` with a POST. The first request with a key
runs and its answer (success or refusal) is stored; a repeat with the same key and the same
request gets that answer replayed, marked `Idempotent-Replayed: true`, and changes nothing.
The same key with a different request is refused (422 `idempotency_key_reused`), and a repeat
that arrives while the first is still running is told to retry (409 `request_in_progress`).
This is the scheme payment APIs use (Stripe, the IETF Idempotency-Key draft).

Without the header, the write runs as before; the shop's own rules still refund an order at
most once, but a repeat then gets a refusal instead of the original refund.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable
from typing import Any

from flask import Response, make_response, request

from orders.demo_shop.db import KeyInUse, KeyReused, Store, StoredAnswer
from orders.demo_shop.errors import ApiError

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
_KEY = re.compile(r"[A-Za-z0-9._:-]{8,128}")

Handler = Callable[..., Any]


def _fingerprint() -> str:
    """What makes two requests "the same": method, path and body."""
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.path.encode(), request.get_data()):
        digest.update(part + b"\0")
    return digest.hexdigest()


def _replay(answer: StoredAnswer) -> Response:
    return Response(
        answer.body,
        status=answer.status,
        mimetype="application/json",
        headers={REPLAYED_HEADER: "true"},
    )


def idempotent(store_of: Callable[[], Store]) -> Callable[[Handler], Handler]:
    """Wraps a write route so a request carrying an idempotency key runs at most once.

    The route's refusals (ApiError) are answers too and are stored; anything else is
    unexpected: the claim is released so a retry can run again.
    """

    def wrap(handler: Handler) -> Handler:
        @functools.wraps(handler)
        def run(*args: Any, **kwargs: Any) -> Any:
            key = request.headers.get(HEADER)
            if key is None:
                return handler(*args, **kwargs)
            if not _KEY.fullmatch(key):
                raise ApiError(
                    400,
                    "invalid_idempotency_key",
                    "Idempotency keys are 8 to 128 characters of letters, digits and . _ : -.",
                )
            store = store_of()
            try:
                stored = store.claim_key(key, _fingerprint())
            except KeyReused:
                raise ApiError(
                    422, "idempotency_key_reused", "This key was used for a different request."
                ) from None
            except KeyInUse:
                raise ApiError(
                    409, "request_in_progress", "A request with this key is still running."
                ) from None
            if stored is not None:
                return _replay(stored)
            try:
                response = make_response(handler(*args, **kwargs))
            except ApiError as refusal:
                response = refusal.response()
            except Exception:
                store.release_key(key)
                raise
            store.store_answer(key, StoredAnswer(response.status_code, response.get_data(True)))
            return response

        return run

    return wrap
