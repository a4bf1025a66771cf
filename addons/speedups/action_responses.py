"""Rasa 3.6's check of every action-server response, made cheap without changing what it checks.

Rasa validates each response of the action server with `jsonschema.validate(response, schema)`.
Two costs, measured with py-spy on the Rasa server at 4 users (benchmarks/README.md):
- `validate` first checks the schema itself against JSON Schema's meta-schema, on every call
  (16% of the server's CPU); the schema (`RemoteAction.action_response_format_spec`) never
  changes, so its validators are built and checked once here.
- Each event must match exactly one of 23 event schemas (`oneOf`), so jsonschema tries every
  one of them for every event (another 8%). The 23 differ by the constant `event` name, so
  an event can only ever match the one named like it: each event is checked against the
  common part and its own type's schema, which accepts exactly what the `oneOf` accepts.
  fastjsonschema was tried as well and was slower here (it tries every `oneOf` branch too).
Anything the quick check does not accept goes through the full schema, so a malformed
response gets the same error as before.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jsonschema import exceptions
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


def _checked_validator(schema: dict[str, Any]) -> Any:
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


@lru_cache(maxsize=1)
def _response_validator() -> Any:
    """The validator jsonschema.validate() would build, built once."""
    return _checked_validator(RemoteAction.action_response_format_spec())


@lru_cache(maxsize=1)
def _quick_validators() -> tuple[Any, dict[str, Any]]:
    """The response's outer shape with its events unchecked, and one validator per event name:
    the event schema's common part together with that name's `oneOf` branch."""
    schema = RemoteAction.action_response_format_spec()
    events = schema["properties"]["events"]
    event_schema = dict(events["items"])
    branches = event_schema.pop("oneOf")
    outer = {
        **schema,
        "properties": {**schema["properties"], "events": {**events, "items": {}}},
    }
    by_name = {
        branch["properties"]["event"]["const"]: _checked_validator(
            {"allOf": [event_schema, branch]}
        )
        for branch in branches
    }
    return _checked_validator(outer), by_name


def _quickly_valid(result: dict[str, Any]) -> bool:
    """True only for a response the full schema accepts too."""
    outer, by_name = _quick_validators()
    if not outer.is_valid(result):
        return False
    for event in result.get("events") or ():
        name = event.get("event") if isinstance(event, dict) else None
        validator = by_name.get(name) if isinstance(name, str) else None
        if validator is None or not validator.is_valid(event):
            return False
    return True


def validate_action_result(_action: RemoteAction, result: dict[str, Any]) -> bool:
    """RemoteAction._validate_action_result: the quick check, else Rasa's full one and error."""
    if _quickly_valid(result):
        return True
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
