"""Rasa 3.6's calls to the action server, made cheaper without changing what is sent.

py-spy on the Rasa server at 4 users (README, "Performance"): `EndpointConfig.request` opens a
new aiohttp session, so a new TCP connection, for every action call (about 4% of the server's
CPU), and encodes the body with the standard `json` module (6%), two thirds of it the domain
(21 KB), which is the same object on every call. Here each endpoint keeps one session per
event loop (keep-alive connections, with the same headers, auth and timeout Rasa's own session
has), and a body is encoded with ujson (Rasa's own dependency), the domain once per domain
object. The action server receives the same JSON document as before.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT
from rasa.utils.endpoints import ClientResponseError, EndpointConfig, concat_url

from addons.json_text import dumps, loads

KEEPALIVE_S = 2.0
_rasa_request = EndpointConfig.request

# The last domain object sent and its encoding: Rasa passes `Domain.as_dict()`, the domain's
# own dict, which is never changed after loading. The object is kept, so its id cannot be
# reused by another dict while this cache refers to it.
_domain_cache: list[tuple[dict[str, Any], str]] = []


def _encode_domain(domain: dict[str, Any]) -> str:
    """The domain's encoding, computed once per domain object."""
    if not _domain_cache or _domain_cache[0][0] is not domain:
        _domain_cache[:] = [(domain, dumps(domain))]
    return _domain_cache[0][1]


def encode_body(body: Any) -> bytes:
    """The JSON document `json.dumps(body)` would give (same data), with the domain reused."""
    if not isinstance(body, dict):
        return dumps(body).encode()
    parts = []
    for key, value in body.items():
        encoded = _encode_domain(value) if key == "domain" and isinstance(value, dict) else None
        parts.append(f"{dumps(str(key))}:{encoded or dumps(value)}")
    return ("{" + ",".join(parts) + "}").encode()


def _shared_session(endpoint: EndpointConfig) -> aiohttp.ClientSession:
    """The endpoint's session for the running event loop, created on first use."""
    loop = asyncio.get_running_loop()
    cached: tuple[asyncio.AbstractEventLoop, aiohttp.ClientSession] | None = getattr(
        endpoint, "_shared_session", None
    )
    if cached is None or cached[0] is not loop or cached[1].closed:
        # Idle connections are dropped before the server's keep-alive ends (Sanic: 5 s), so a
        # request is never sent on a connection the server is closing.
        auth = aiohttp.BasicAuth(**endpoint.basic_auth) if endpoint.basic_auth else None
        session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_S),
            headers=endpoint.headers,
            auth=auth,
            timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
        )
        cached = (loop, session)
        endpoint._shared_session = cached
    return cached[1]


async def request(
    self: EndpointConfig,
    method: str = "post",
    subpath: str | None = None,
    content_type: str | None = "application/json",
    compress: bool = False,
    **kwargs: Any,
) -> Any:
    """EndpointConfig.request on a kept session, JSON bodies encoded as above.

    Same headers, parameters, errors (ClientResponseError for a status of 400 and above) and
    result (the response's JSON, or None when it is not JSON) as Rasa's method.
    """
    if self.cafile:
        # A private CA: rare, and Rasa's method reports a missing file its own way.
        return await _rasa_request(self, method, subpath, content_type, compress, **kwargs)
    headers = {"Content-Type": content_type} if content_type else {}
    headers.update(kwargs.pop("headers", None) or {})
    headers.update(self.headers)
    if "json" in kwargs:
        kwargs["data"] = encode_body(kwargs.pop("json"))
    async with _shared_session(self).request(
        method,
        concat_url(self.url, subpath),
        headers=headers,
        params=self.combine_parameters(kwargs),
        compress=compress,
        **kwargs,
    ) as response:
        if response.status >= 400:
            raise ClientResponseError(
                response.status, response.reason, await response.content.read()
            )
        try:
            return await response.json(loads=loads)
        except aiohttp.ContentTypeError:
            return None


def install() -> None:
    """Replaces Rasa's method in this process (idempotent)."""
    EndpointConfig.request = request
