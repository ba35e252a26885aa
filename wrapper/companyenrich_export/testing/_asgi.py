"""ASGI 3 adapter: puts the core's answers on the wire, chunk by chunk.

Plain ASGI cannot hang up without answering. A server that can (see
`_serve.py`) offers a coroutine under `scope["extensions"][HANG_UP]`; without
one, a dropped answer raises `httpx.RemoteProtocolError` out of the app,
which is what `httpx.ASGITransport` hands to its caller anyway.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping, MutableMapping
from typing import Any, Final, Protocol

import anyio
import httpx

from companyenrich_export._core._clock import Clock

from ._http import FakeResponse

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

HANG_UP: Final = "companyenrich_export.hang_up"
DROPPED_MESSAGE: Final = "Server disconnected without sending a response."


class _Core(Protocol):
    clock: Clock

    def handle(
        self,
        method: str,
        path: str,
        *,
        query: str = ...,
        headers: Mapping[str, str] | Iterable[tuple[str, str]] = ...,
        body: bytes = ...,
    ) -> FakeResponse: ...


async def asgi_app(core: _Core, scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        await _lifespan(receive, send)
        return
    if scope["type"] != "http":
        raise RuntimeError(f"the fake CompanyEnrich server speaks HTTP only, not {scope['type']}")
    body = await _read_body(receive)
    if body is None:
        return  # the client went away before sending its request
    response = core.handle(
        scope["method"],
        scope["path"],
        query=bytes(scope.get("query_string", b"")).decode("latin-1"),
        headers=[
            (bytes(k).decode("latin-1"), bytes(v).decode("latin-1")) for k, v in scope["headers"]
        ],
        body=body,
    )
    if response.delay > 0:
        await core.clock.asleep(response.delay)
    extensions = scope.get("extensions") or {}
    hang_up: Callable[[], Awaitable[None]] | None = extensions.get(HANG_UP)
    if response.drop:
        if hang_up is None:
            raise httpx.RemoteProtocolError(DROPPED_MESSAGE)
        await hang_up()
        return
    await send(
        {
            "type": "http.response.start",
            "status": response.status,
            "headers": [
                (name.encode("latin-1"), value.encode("latin-1"))
                for name, value in response.headers
            ],
        }
    )
    if isinstance(response.body, bytes) and response.truncate_at is None:
        await send({"type": "http.response.body", "body": response.body, "more_body": False})
        return
    await _stream(response, receive, send)
    if response.truncate_at is not None and hang_up is not None:
        # Close with the body short of Content-Length, as a broken download does.
        await hang_up()
        return
    await send({"type": "http.response.body", "body": b"", "more_body": False})


async def _stream(response: FakeResponse, receive: Receive, send: Send) -> None:
    """Send the body chunk by chunk; stop making chunks once the client is gone."""
    chunks = response.chunks()
    try:
        async with anyio.create_task_group() as group:

            async def watch_for_disconnect() -> None:
                while (await receive())["type"] != "http.disconnect":
                    pass
                group.cancel_scope.cancel()

            group.start_soon(watch_for_disconnect)
            for chunk in chunks:
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            group.cancel_scope.cancel()
    finally:
        chunks.close()


async def _read_body(receive: Receive) -> bytes | None:
    parts: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        parts.append(bytes(message.get("body", b"")))
        if not message.get("more_body", False):
            return b"".join(parts)


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
