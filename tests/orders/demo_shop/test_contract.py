"""The shop serves exactly the routes its OpenAPI document lists, and errors stay JSON."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import requests
import yaml

from orders.demo_shop.app import OPENAPI_PATH, create_app
from tests.orders.demo_shop.contract import (
    HTTP_METHODS,
    SPEC,
    assert_documented,
    assert_error,
    resolved,
)


def _openapi_path(flask_rule: str) -> str:
    """/orders/<path:order_number> -> /orders/{order_number}"""
    return re.sub(r"<(?:[^:<>]+:)?([^:<>]+)>", r"{\1}", flask_rule)


def test_openapi_lists_every_route_the_app_serves(tmp_path: Path) -> None:
    app = create_app(tmp_path / "never-opened.sqlite3")
    served = {
        (_openapi_path(rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }
    documented = {
        (path, method)
        for path, operations in SPEC["paths"].items()
        for method in operations
        if method in HTTP_METHODS
    }
    assert served == documented


def test_openapi_path_parameters_match_the_path_templates() -> None:
    for path, operations in SPEC["paths"].items():
        for method, operation in operations.items():
            parameters = [resolved(parameter) for parameter in operation.get("parameters", [])]
            declared = {parameter["name"] for parameter in parameters if parameter["in"] == "path"}
            assert declared == set(re.findall(r"{([^}]+)}", path)), f"{method.upper()} {path}"


def test_served_openapi_document_is_the_file(shop_server: str) -> None:
    response = requests.get(f"{shop_server}/openapi.yaml", timeout=10)
    assert_documented(response, "/openapi.yaml", "get")
    assert yaml.safe_load(response.text) == yaml.safe_load(OPENAPI_PATH.read_text())


@pytest.mark.parametrize("path", ["/nope", "/orders/", "/refunds", "/orders//10001"])
def test_unknown_route_is_a_json_404(shop_server: str, path: str) -> None:
    response = requests.get(shop_server + path, timeout=10, allow_redirects=False)
    assert_error(response, 404, "not_found")


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/health"), ("DELETE", "/orders/10001"), ("PUT", "/orders/10001/refunds"),
     ("POST", "/refunds/RF-3QX8ZP"), ("POST", "/orders")],
)  # fmt: skip
def test_wrong_method_is_a_json_405_with_allow(shop_server: str, method: str, path: str) -> None:
    response = requests.request(method, shop_server + path, timeout=10)
    assert_error(response, 405, "method_not_allowed")
    assert response.headers["Allow"]
