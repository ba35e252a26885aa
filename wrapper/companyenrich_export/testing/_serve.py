"""Serve a fake over real HTTP (uvicorn in a background thread).

The API answers on http://127.0.0.1:PORT and storage on
http://localhost:PORT: one server, two origins, so a client that keeps its
API key to the API's origin never sends it to storage.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import anyio

from ._asgi import HANG_UP, Receive, Scope, Send

if TYPE_CHECKING:
    import uvicorn

    from ._fake import FakeCompanyEnrich

_STARTUP_TIMEOUT = 10.0
_SHUTDOWN_TIMEOUT = 10.0


class _ServedApp:
    """Wraps the fake to give it a way to hang up, which plain ASGI lacks."""

    def __init__(self, fake: FakeCompanyEnrich) -> None:
        self._fake = fake

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            cycle = getattr(send, "__self__", None)
            transport = getattr(cycle, "transport", None)
            if isinstance(transport, asyncio.Transport):
                scope = {
                    **scope,
                    "extensions": {**(scope.get("extensions") or {}), HANG_UP: _hang_up(cycle)},
                }
        await self._fake(scope, receive, send)


def _hang_up(cycle: Any) -> Any:
    """A coroutine function closing uvicorn's connection under an unfinished response.

    It reaches into uvicorn's request cycle (the owner of `send`); it then
    waits, boundedly, for uvicorn to notice the connection is gone, so
    uvicorn does not log a spurious "returned without completing response".
    """

    async def hang_up() -> None:
        cycle.transport.close()
        # uvicorn sets `disconnected` and then `message_event` in connection_lost.
        event = getattr(cycle, "message_event", None)
        if not isinstance(event, asyncio.Event):
            return
        with anyio.move_on_after(1.0):
            while not cycle.disconnected:
                event.clear()
                await event.wait()

    return hang_up


def _make_server(config: uvicorn.Config) -> tuple[uvicorn.Server, threading.Event]:
    import uvicorn

    started = threading.Event()

    class _Server(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            try:
                await super().startup(sockets=sockets)
            finally:
                started.set()

    return _Server(config), started


def _listening_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio disables Nagle only on sockets that say so,
    # and with Nagle on, keep-alive requests stall ~40 ms on delayed ACKs.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        # Listening before uvicorn starts: early connections queue, none are refused.
        sock.listen(128)
    except BaseException:
        sock.close()
        raise
    return sock


def _url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


@contextmanager
def serve(fake: FakeCompanyEnrich, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Run `fake` over HTTP on `host:port` (0: a free port); yield its API base URL.

    While served, `fake.base_url` is that URL and `fake.storage_base_url` the
    same port under the other loopback name (localhost / 127.0.0.1), so
    results URLs point at a different origin. Both are restored afterwards.
    Needs uvicorn (the `server` extra).
    """
    try:
        import uvicorn
    except ImportError as error:  # pragma: no cover - depends on the install
        raise RuntimeError(
            "serving the fake needs uvicorn: pip install 'companyenrich-export[server]'"
        ) from error

    sock = _listening_socket(host, port)
    try:
        bound_port = sock.getsockname()[1]
        # Clients cannot connect to a wildcard address: give them loopback.
        wildcard = host in ("0.0.0.0", "")  # noqa: S104 - compared, not bound
        api_host = "127.0.0.1" if wildcard else "::1" if host == "::" else host
        storage_host = "127.0.0.1" if api_host == "localhost" else "localhost"
        api_url, storage_url = _url(api_host, bound_port), _url(storage_host, bound_port)
        config = uvicorn.Config(
            _ServedApp(fake),
            lifespan="off",
            http="h11",
            log_level="warning",
            access_log=False,
            proxy_headers=False,
            server_header=False,
            timeout_graceful_shutdown=1,
        )
        server, started = _make_server(config)
        failure: list[BaseException] = []

        def run() -> None:
            try:
                server.run(sockets=[sock])
            except BaseException as error:  # SystemExit too: uvicorn exits on startup failure
                failure.append(error)
                started.set()

        previous = fake.base_url, fake.storage_base_url
        fake.base_url, fake.storage_base_url = api_url, storage_url
        thread = threading.Thread(target=run, name=f"fake-companyenrich-{bound_port}", daemon=True)
        thread.start()
        try:
            if not started.wait(_STARTUP_TIMEOUT) or failure or not server.started:
                raise RuntimeError("the fake CompanyEnrich server did not start") from (
                    failure[0] if failure else None
                )
            yield api_url
        finally:
            server.should_exit = True
            thread.join(_SHUTDOWN_TIMEOUT)
            fake.base_url, fake.storage_base_url = previous
    finally:
        sock.close()
