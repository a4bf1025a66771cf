"""Rasa 3.6's check of every action-server response, made cheap without changing what it checks.

Rasa validates each response of the action server with `jsonschema.validate(response, schema)`,
which first checks the schema itself against JSON Schema's meta-schema, on every call; the
schema (`RemoteAction.action_response_format_spec`, every event type) never changes. py-spy on
the Rasa server at 4 users (benchmarks/README.md): 20% of its CPU went there, about 16 points
of it to the schema check. Here the validator is built and its schema checked once; each
response still gets the same validation and, when it fails, the same error.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jsonschema import exceptions
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@lru_cache(maxsize=1)
def _response_validator() -> Any:
    """The validator jsonschema.validate() would build, built once."""
    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_action_result(_action: RemoteAction, result: dict[str, Any]) -> bool:
    """RemoteAction._validate_action_result with the validator built once."""
    error = exceptions.best_match(_response_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, make sure your response from "
        "the Action endpoint is valid. For more information about the format visit "
        f"{DOCS_BASE_URL}/custom-actions"
    )
    raise error


def install() -> None:
    """Replaces Rasa's method in this process (idempotent)."""
    RemoteAction._validate_action_result = validate_action_result
