"""An httpx transport that calls the fake in-process, for sync and async clients.

No event loop, no thread, no socket: `httpx.Client(transport=fake.transport())`
talks to the fake directly. Failures come out as the exceptions httpx raises
for the real thing (`ReadTimeout`, `RemoteProtocolError`, `ConnectError`),
so a client's error handling is tested as it will run.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Generator, Iterator
from typing import TYPE_CHECKING

import httpx

from ._asgi import DROPPED_MESSAGE
from ._http import FakeResponse

if TYPE_CHECKING:
    from ._fake import FakeCompanyEnrich


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    default_port = {"http": 80, "https": 443}.get(url.scheme)
    return url.scheme, url.host, url.port or default_port


class _Body(httpx.SyncByteStream, httpx.AsyncByteStream):
    """The fake's body; a truncated one ends with the error httpx gives for a short read."""

    def __init__(self, response: FakeResponse, request: httpx.Request) -> None:
        self._chunks: Generator[bytes, None, None] = response.chunks()
        self._expected = response.content_length
        self._truncated = response.truncate_at is not None
        self._request = request

    def __iter__(self) -> Iterator[bytes]:
        received = 0
        for chunk in self._chunks:
            received += len(chunk)
            yield chunk
        if self._truncated and self._expected is not None and received < self._expected:
            raise httpx.RemoteProtocolError(
                "peer closed connection without sending complete message body: "
                f"received {received} bytes, expected {self._expected}",
                request=self._request,
            )

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self:
            yield chunk

    def close(self) -> None:
        self._chunks.close()

    async def aclose(self) -> None:
        self.close()


class FakeTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Both an `httpx.BaseTransport` and an `httpx.AsyncBaseTransport`.

    With `check_origin` (the default) a request to any origin other than the
    fake's `base_url` or `storage_base_url` fails with `httpx.ConnectError`,
    so a client that builds URLs wrongly is caught rather than served.
    """

    def __init__(self, fake: FakeCompanyEnrich, *, check_origin: bool = True) -> None:
        self._fake = fake
        self._check_origin = check_origin

    def __repr__(self) -> str:
        return f"FakeTransport({self._fake!r})"

    def _call(self, request: httpx.Request, body: bytes) -> FakeResponse:
        if self._check_origin:
            known = {
                _origin(httpx.URL(self._fake.base_url)),
                _origin(httpx.URL(self._fake.storage_base_url)),
            }
            if _origin(request.url) not in known:
                raise httpx.ConnectError(
                    f"The fake CompanyEnrich transport serves {self._fake.base_url} and "
                    f"{self._fake.storage_base_url}, not {request.url.scheme}://{request.url.netloc.decode()}",
                    request=request,
                )
        return self._fake.handle(
            request.method,
            request.url.path,
            query=request.url.query.decode("ascii", "replace"),
            headers=request.headers.multi_items(),
            body=body,
        )

    @staticmethod
    def _timed_out(response: FakeResponse, request: httpx.Request) -> bool:
        read_timeout = request.extensions.get("timeout", {}).get("read")
        return response.delay > 0 and read_timeout is not None and response.delay > read_timeout

    def _finish(self, response: FakeResponse, request: httpx.Request) -> httpx.Response:
        if response.drop:
            raise httpx.RemoteProtocolError(DROPPED_MESSAGE, request=request)
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_Body(response, request),
            request=request,
            extensions={"http_version": b"HTTP/1.1"},
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._call(request, request.read())
        if self._timed_out(response, request):
            raise httpx.ReadTimeout("timed out", request=request)
        if response.delay > 0:
            self._fake.clock.sleep(response.delay)
        return self._finish(response, request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = self._call(request, await request.aread())
        if self._timed_out(response, request):
            raise httpx.ReadTimeout("timed out", request=request)
        if response.delay > 0:
            await self._fake.clock.asleep(response.delay)
        return self._finish(response, request)
