"""Signing in to the agent desk as the tests and the desk benchmark do: the demo password and
the CSRF token every form carries."""

from __future__ import annotations

import re

PASSWORD = "demo-password"  # the documented demo password of config/agents.yml


def token_in(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the page has no form with a CSRF token"
    return match.group(1)
