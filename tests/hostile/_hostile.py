"""Small hostile HTTP servers over loopback, and clients of either flavour to aim at them.

A `HostileServer` listens on 127.0.0.1 (a free port) and answers each
connection with a *script*: a function given the parsed request and the
connection, free to write whatever bytes it likes (a body one byte a second,
a lie about the length, a bomb). Each connection carries one exchange and
is then closed, in a daemon thread, with a timeout on every socket
operation; `close()` wakes and ends all of them, and re-raises anything a
script raised other than the client hanging up (a failed assertion in a
script fails the test).

Nothing here sleeps to synchronise: scripts pace bytes with `Event.wait`, which
returns at once when the server closes.
"""

from __future__ import annotations

import contextlib
import inspect
import json
import pickle
import selectors
import socket
import struct
import threading
import time
import traceback
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from types import TracebackType
from typing import Any, Self

import httpx

from companyenrich_export import AsyncCompanyEnrich, CompanyEnrich

KEY = "sk-hostile-7Q2x9LmN4v"
JOB_ID = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
OTHER_JOB_ID = "0b5e3a2c-9d41-4f7e-8a6b-2c1d0e9f8a7b"
JOB_PATH = f"/companies/search/async/{JOB_ID}"

_MAX_HEAD = 64 * 1024
_MAX_REQUEST_BODY = 1024 * 1024
_ACCEPT_POLL = 0.05
_JOIN_TIMEOUT = 5.0


def job_body(**fields: Any) -> dict[str, Any]:
    """A valid status body (a pending job), with fields to override."""
    body: dict[str, Any] = {
        "job_id": JOB_ID,
        "status": "pending",
        "requested_count": 100,
        "total_matching": 2345,
        "exported_count": 0,
        "credits_charged": 0,
        "created_at": "2026-02-17T02:04:03.743Z",
        "started_at": None,
        "completed_at": None,
        "results_url": None,
        "error_message": None,
    }
    body.update(fields)
    return body


def completed_body(results_url: str, **fields: Any) -> dict[str, Any]:
    done: dict[str, Any] = {
        "status": "completed",
        "exported_count": 100,
        "credits_charged": 100,
        "started_at": "2026-02-17T02:04:05.120Z",
        "completed_at": "2026-02-17T02:05:41.004Z",
        "results_url": results_url,
    }
    return job_body(**{**done, **fields})


# --- wire format ------------------------------------------------------------------


def head(
    status: int,
    headers: Iterable[tuple[str, str]] = (),
    *,
    length: int | None = None,
    reason: str | None = None,
) -> bytes:
    """A status line and headers (`Content-Length` when `length` is given), then the blank line."""
    if reason is None:
        try:
            reason = HTTPStatus(status).phrase
        except ValueError:
            reason = "Unknown"
    lines = [f"HTTP/1.1 {status} {reason}", "Connection: close"]
    if length is not None:
        lines.append(f"Content-Length: {length}")
    lines += [f"{name}: {value}" for name, value in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def reply(status: int, body: bytes = b"", headers: Iterable[tuple[str, str]] = ()) -> bytes:
    """A whole response with an honest Content-Length."""
    return head(status, headers, length=len(body)) + body


def json_reply(status: int, value: object, headers: Iterable[tuple[str, str]] = ()) -> bytes:
    content_type = "application/problem+json" if status >= 400 else "application/json"
    return reply(status, json.dumps(value).encode(), [("Content-Type", content_type), *headers])


def nested(depth: int) -> bytes:
    """A JSON object whose first member is nested `depth` levels deep."""
    return b'{"job_id": ' + b"[" * depth + b"]" * depth + b"}"


def gzip_bomb(inflated_mib: int) -> bytes:
    """A valid gzip member of `inflated_mib` MiB of zeros, about a thousandth of that on the wire.

    Built from one deflate block repeated (a full flush makes each block
    independent), so it costs a CRC pass instead of compressing a gigabyte.
    """
    chunk = bytes(1024 * 1024)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(inflated_mib):
        crc = zlib.crc32(chunk, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    final_empty_block = b"\x03\x00"
    trailer = struct.pack("<II", crc, (inflated_mib * len(chunk)) & 0xFFFFFFFF)
    return header + block * inflated_mib + final_empty_block + trailer


# --- the server -------------------------------------------------------------------


@dataclass(frozen=True)
class RawRequest:
    method: str
    target: str
    headers: dict[str, str]
    body: bytes

    @property
    def path(self) -> str:
        return self.target.partition("?")[0]


class PeerGone(Exception):
    """The client closed the connection (or the server is closing)."""


class Connection:
    """One accepted socket, with the few things a script does to it."""

    def __init__(self, sock: socket.socket, stop: threading.Event, io_timeout: float) -> None:
        self._sock = sock
        self._stop = stop
        sock.settimeout(io_timeout)

    def read_request(self) -> RawRequest | None:
        data = b""
        while b"\r\n\r\n" not in data:
            if len(data) > _MAX_HEAD:
                raise AssertionError("request head too large")
            chunk = self._recv()
            if not chunk:
                return None
            data += chunk
        head_bytes, _, rest = data.partition(b"\r\n\r\n")
        request_line, *header_lines = head_bytes.decode("latin-1").split("\r\n")
        method, target, _version = request_line.split(" ", 2)
        headers: dict[str, str] = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = min(int(headers.get("content-length", "0")), _MAX_REQUEST_BODY)
        while len(rest) < length:
            chunk = self._recv()
            if not chunk:
                break
            rest += chunk
        return RawRequest(method, target, headers, rest[:length])

    def _recv(self) -> bytes:
        try:
            return self._sock.recv(65536)
        except (ConnectionError, TimeoutError, OSError):
            return b""

    def send(self, data: bytes) -> None:
        if self._stop.is_set():
            raise PeerGone
        try:
            self._sock.sendall(data)
        except (ConnectionError, TimeoutError, OSError) as exc:
            raise PeerGone from exc

    def trickle(self, data: bytes, *, every: float, budget: float) -> None:
        """`data` one byte every `every` seconds, for at most `budget` seconds, then stop."""
        deadline = time.monotonic() + budget
        for index in range(len(data)):
            if time.monotonic() >= deadline:
                return
            self.send(data[index : index + 1])
            if self._stop.wait(every):
                raise PeerGone

    def stream(self, chunk: bytes, total: int) -> None:
        """`total` bytes made of `chunk` repeated: a huge body that costs no memory."""
        sent = 0
        while sent < total:
            piece = chunk[: total - sent]
            self.send(piece)
            sent += len(piece)

    def hang_up(self) -> None:
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)
        self._sock.close()


Script = Callable[[RawRequest, Connection], None]


def always(data: bytes) -> Script:
    """A script answering every request with the same bytes."""

    def script(request: RawRequest, connection: Connection) -> None:
        connection.send(data)

    return script


def by_path(routes: dict[str, Script], fallback: Script | None = None) -> Script:
    """A script choosing by request path (404 for anything else)."""

    def script(request: RawRequest, connection: Connection) -> None:
        chosen = routes.get(request.path, fallback)
        if chosen is None:
            connection.send(json_reply(404, {"title": "Not Found", "status": 404}))
            return
        chosen(request, connection)

    return script


class HostileServer:
    """A loopback HTTP/1.1 server that does what its script says, nothing more."""

    def __init__(self, script: Script, *, io_timeout: float = 10.0) -> None:
        self._script = script
        self._io_timeout = io_timeout
        self._stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.setblocking(False)
        self.port: int = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.requests: list[RawRequest] = []
        self._lock = threading.Lock()
        self._connections: list[tuple[Connection, threading.Thread]] = []
        self._failures: list[BaseException] = []
        self._acceptor = threading.Thread(
            target=self._accept_loop, name=f"hostile-{self.port}", daemon=True
        )

    def start(self) -> Self:
        self._acceptor.start()
        return self

    def _accept_loop(self) -> None:
        with selectors.DefaultSelector() as selector:
            selector.register(self._listener, selectors.EVENT_READ)
            while not self._stop.is_set():
                if not selector.select(timeout=_ACCEPT_POLL):
                    continue
                try:
                    sock, _ = self._listener.accept()
                except (BlockingIOError, OSError):
                    continue
                sock.setblocking(True)
                connection = Connection(sock, self._stop, self._io_timeout)
                thread = threading.Thread(target=self._serve, args=(connection,), daemon=True)
                with self._lock:
                    self._connections.append((connection, thread))
                thread.start()

    def _serve(self, connection: Connection) -> None:
        try:
            request = connection.read_request()
            if request is None:
                return
            with self._lock:
                self.requests.append(request)
            self._script(request, connection)
        except PeerGone:
            pass
        except BaseException as exc:
            with self._lock:
                self._failures.append(exc)
        finally:
            connection.hang_up()

    def close(self) -> None:
        self._stop.set()
        self._acceptor.join(_JOIN_TIMEOUT)
        self._listener.close()
        with self._lock:
            connections = list(self._connections)
        for connection, _ in connections:
            connection.hang_up()
        stuck = []
        for _, thread in connections:
            thread.join(_JOIN_TIMEOUT)
            if thread.is_alive():
                stuck.append(thread)
        if self._failures:
            raise AssertionError("a hostile server's script failed") from self._failures[0]
        assert not stuck, f"{len(stuck)} connection threads did not end"

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


# --- clients of either flavour ----------------------------------------------------


class _Awaited:
    """`client.exports`, every method awaitable whatever the client's flavour."""

    def __init__(self, exports: Any) -> None:
        self._exports = exports

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self._exports, name)

        async def call(*args: Any, **kwargs: Any) -> Any:
            result = method(*args, **kwargs)
            return await result if inspect.isawaitable(result) else result

        return call


class AnyClient:
    """A CompanyEnrich or an AsyncCompanyEnrich, used the same way by tests."""

    def __init__(self, client: CompanyEnrich | AsyncCompanyEnrich) -> None:
        self.client = client
        self.exports = _Awaited(client.exports)
        self.is_async = isinstance(client, AsyncCompanyEnrich)


def build_client(
    flavour: str,
    *,
    transport: httpx.BaseTransport | httpx.AsyncBaseTransport | None = None,
    verify: Any = True,
    **kwargs: Any,
) -> tuple[AnyClient, httpx.Client | httpx.AsyncClient]:
    """A client of `flavour` ("sync"/"async") and the HTTP pool it runs on (close both)."""
    kwargs.setdefault("api_key", KEY)
    http: httpx.Client | httpx.AsyncClient
    if flavour == "async":
        http = httpx.AsyncClient(transport=transport, verify=verify)  # type: ignore[arg-type]
        return AnyClient(AsyncCompanyEnrich(http_client=http, **kwargs)), http
    http = httpx.Client(transport=transport, verify=verify)  # type: ignore[arg-type]
    return AnyClient(CompanyEnrich(http_client=http, **kwargs)), http


def texts_of(error: BaseException) -> list[str]:
    """Everything a user could see of an error: str, repr, args, the printed traceback, a pickle."""
    shown = [str(error), repr(error), repr(error.args), "".join(traceback.format_exception(error))]
    try:
        shown.append(pickle.dumps(error).decode("latin-1"))
    except Exception as exc:  # not picklable is a failure of its own, reported elsewhere
        shown.append(f"<unpicklable: {type(exc).__name__}>")
    return shown


def secret_forms(secret: str) -> Sequence[str]:
    """The key as text, and the tail that stays recognisable in any quoting."""
    return (secret, secret[3:])
