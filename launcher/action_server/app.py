"""rasa_sdk's Sanic app for the `actions` package, plus a shared-secret check and plain errors.

Rasa sends `Authorization: Bearer <ACTION_SERVER_TOKEN>` with every call (endpoints.yml);
anything else gets 401 before an action runs. rasa_sdk's own error handler answers 500 with
the whole request body (a customer's tracker) echoed back and logged; ours answers a short
error: 400 for a body that is not a JSON object, 500 only for a real fault, never the body.
"""

from __future__ import annotations

import hmac
import logging

from rasa_sdk.endpoint import create_app
from sanic import Sanic, response
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)

# Rasa posts the whole tracker; long conversations stay far below this.
MAX_BODY_BYTES = 8 * 1024 * 1024
OPEN_PATHS = frozenset({"/health"})


def authorised(request: Request, token: str) -> bool:
    """Whether the call carries the shared secret (constant-time comparison)."""
    sent = request.headers.get("authorization", "")
    return hmac.compare_digest(sent.encode(), f"Bearer {token}".encode())


def body_problem(request: Request) -> str | None:
    """Why a webhook body cannot be an action call, or None when it can."""
    if request.headers.get("content-encoding") == "deflate":
        return None  # rasa_sdk inflates it; a broken one ends in the error handler's 400
    try:
        # Sanic keeps the parsed body, so rasa_sdk's `request.json` does not parse it again.
        call = request.json if request.body else None
    except (SanicException, RecursionError):
        return "the body is not JSON"
    if not isinstance(call, dict) or not isinstance(call.get("tracker"), dict):
        return "the body must be a JSON object with a tracker"
    return None


def build_app(token: str) -> Sanic:
    """The action server's app; `token` is the secret Rasa must send."""
    # No CORS origins: only the Rasa server calls this, never a browser.
    app: Sanic = create_app("actions", cors_origins="")
    app.config.REQUEST_MAX_SIZE = MAX_BODY_BYTES

    @app.on_request
    async def guard(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS:
            return None
        if not authorised(request, token):
            return response.json({"error": "unauthorised"}, status=401)
        if request.method == "POST" and (problem := body_problem(request)):
            return response.json({"error": problem}, status=400)
        return None

    async def plain_error(request: Request, exception: Exception) -> HTTPResponse:
        if isinstance(exception, SanicException):
            return response.json({"error": str(exception)}, status=exception.status_code)
        logger.error("action call failed: %s", type(exception).__name__, exc_info=exception)
        return response.json({"error": "the action failed"}, status=500)

    app.error_handler.add(Exception, plain_error)
    return app
