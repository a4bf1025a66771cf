"""Choosing a response by a code that comes from outside (an order status, a refusal reason)."""

from __future__ import annotations

from typing import Any


def pick_response(domain: dict[str, Any], preferred: str, fallback: str) -> str:
    """`preferred` when the domain defines it, else `fallback`.

    The shop may add states or refusal codes the domain has no wording for yet; the customer
    then gets the generic answer instead of silence.
    """
    return preferred if preferred in domain.get("responses", {}) else fallback
