"""Fixtures for the hostile-server tests: loopback servers that misbehave, clients to aim at them.

The harness itself is `_hostile.py` (imported by the tests here); these
fixtures make sure every server and HTTP pool a test starts is closed when
it ends, whatever happened.
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest

from companyenrich_export import RetryPolicy
from companyenrich_export.testing import ManualClock

from _hostile import AnyClient, HostileServer, Script, build_client

StartServer = Callable[..., HostileServer]
MakeClient = Callable[..., AnyClient]


@pytest.fixture
def hostile() -> Iterator[StartServer]:
    """Start a `HostileServer` running a script; all are closed (and checked) at teardown."""
    servers: list[HostileServer] = []

    def start(script: Script, **kwargs: Any) -> HostileServer:
        server = HostileServer(script, **kwargs).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


@pytest.fixture
async def make_client(
    flavour: str, anyio_backend: str, ssl_context: ssl.SSLContext
) -> AsyncIterator[MakeClient]:
    """A client of this test's flavour (sync or async). Keyword arguments go to the client,
    except `transport=` (an in-process httpx transport). By default time is a fresh
    ManualClock and backoff has no jitter, so retries cost nothing and sleeps are exact.
    """
    made: list[httpx.Client | httpx.AsyncClient] = []

    def make(**kwargs: Any) -> AnyClient:
        kwargs.setdefault("clock", ManualClock())
        if "max_retries" not in kwargs:
            kwargs.setdefault("retry_policy", RetryPolicy(jitter=lambda: 0.0))
        client, http = build_client(flavour, verify=ssl_context, **kwargs)
        made.append(http)
        return client

    yield make
    for http in made:
        if isinstance(http, httpx.AsyncClient):
            await http.aclose()
        else:
            http.close()
