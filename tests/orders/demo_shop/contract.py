"""The shop's OpenAPI document as a test oracle: is this answer one the contract promises?

OpenAPI 3.0 schemas are not quite JSON Schema, so they are converted once: `nullable: true`
becomes "or null", and every object schema refuses properties it does not list, so a field
the shop serves but the document forgets fails the tests too.
"""

from __future__ import annotations

from typing import Any

import requests
import yaml
from jsonschema import Draft7Validator, FormatChecker

from orders.demo_shop.app import OPENAPI_PATH

SPEC: dict[str, Any] = yaml.safe_load(OPENAPI_PATH.read_text(encoding="utf-8"))
HTTP_METHODS = frozenset({"get", "put", "post", "delete", "patch", "head", "options", "trace"})


def _json_schema(node: Any) -> Any:
    """One OpenAPI schema (and everything inside it) as JSON Schema draft 7."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _json_schema(value) for key, value in node.items() if key != "nullable"}
    if converted.get("type") == "object" and "properties" in converted:
        converted.setdefault("additionalProperties", False)
    if node.get("nullable") is True:
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


_COMPONENTS = {"schemas": _json_schema(SPEC["components"]["schemas"])}


def resolved(node: dict[str, Any]) -> dict[str, Any]:
    """Follow a local `$ref` such as #/components/responses/OrderNotFound."""
    while "$ref" in node:
        target: Any = SPEC
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def assert_schema(body: Any, schema: dict[str, Any]) -> None:
    """Fail with the validator's explanation unless `body` matches the OpenAPI `schema`."""
    document = {**_json_schema(schema), "components": _COMPONENTS}
    Draft7Validator(document, format_checker=FormatChecker()).validate(body)


def assert_documented(response: requests.Response, path: str, method: str) -> Any:
    """Fail unless the status, content type and body are what openapi.yaml lists for this
    operation (`path` as written in the document, e.g. /orders/{order_number}); return the
    parsed JSON body."""
    operation = SPEC["paths"][path][method]
    status = str(response.status_code)
    assert status in operation["responses"], (
        f"{method.upper()} {path} answered {status}, which openapi.yaml does not list"
        f" (body: {response.text[:200]})"
    )
    content = resolved(operation["responses"][status])["content"]
    media_type = response.headers.get("Content-Type", "").split(";")[0]
    assert media_type in content, f"{method.upper()} {path} {status} served {media_type}"
    if media_type != "application/json":
        return None
    body = response.json()
    assert_schema(body, content[media_type]["schema"])
    return body


def assert_error(response: requests.Response, status: int, code: str) -> str:
    """Fail unless the answer is the JSON error `code` with HTTP `status`; return its message."""
    assert response.status_code == status, f"expected {status}, got {response.status_code}"
    assert response.headers.get("Content-Type", "").startswith("application/json")
    body = response.json()
    assert_schema(body, {"$ref": "#/components/schemas/Error"})
    assert body["error"] == code, body
    assert body["message"].strip(), "an error must say what went wrong"
    return str(body["message"])
