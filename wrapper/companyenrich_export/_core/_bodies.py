"""Reading an API response's body with a bound on memory, whatever the server sends.

httpx would read a body whole (`response.read()`), and inflate a gzip body
without limit. API bodies are small (a job is a few hundred bytes, a page of
100 jobs tens of KB), so `BoundedBody` keeps at most `limit` decoded bytes,
decoding `Content-Encoding` itself with zlib's `max_length`. It is sans-IO:
the sync and async senders feed it raw chunks and stop when it says so.
"""

from __future__ import annotations

import zlib

import attrs
import httpx

__all__ = ["MAX_API_BODY", "BoundedBody", "Reply", "settled_response"]

# Plenty for any documented API answer, and what an error body is cut to.
MAX_API_BODY = 1024 * 1024


class BoundedBody:
    """Raw chunks in, at most `limit` decoded bytes out.

    `truncated` is set once more than `limit` decoded bytes arrived (reading
    should stop there); `decode_error` says why gzip or deflate could not be
    undone, in which case the body is empty.
    """

    def __init__(self, content_encoding: str | None, *, limit: int = MAX_API_BODY) -> None:
        self.limit = limit
        self.truncated = False
        self.decode_error: str | None = None
        self._parts: list[bytes] = []
        self._size = 0
        coding = (content_encoding or "identity").strip().lower()
        self._coding = coding
        self._fed = False
        self._decompressor: zlib._Decompress | None = None
        self._raw_deflate_fallback = False
        if coding in ("gzip", "x-gzip"):
            self._decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif coding == "deflate":
            # RFC 9110's deflate is zlib-wrapped; some servers send it raw.
            self._decompressor = zlib.decompressobj(zlib.MAX_WBITS)
            self._raw_deflate_fallback = True
        # Any other coding is read as it is, as httpx does: a mislabelled JSON
        # body still parses, and a really compressed one fails as "not JSON".

    @property
    def done(self) -> bool:
        """True once more reading is pointless (the limit is reached, or decoding failed)."""
        return self.truncated or self.decode_error is not None

    def feed(self, raw: bytes) -> None:
        if self.done or not raw:
            return
        self._fed = True
        if self._decompressor is None:
            self._keep(raw)
            return
        data = raw
        while data and not self.done:
            try:
                out = self._decompressor.decompress(data, self.limit - self._size + 1)
            except zlib.error as exc:
                if self._raw_deflate_fallback and self._size == 0:
                    self._raw_deflate_fallback = False
                    self._decompressor = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                self._fail(f"the body is not valid {self._coding}: {exc}")
                return
            self._raw_deflate_fallback = False
            self._keep(out)
            data = self._decompressor.unconsumed_tail
            if self._decompressor.eof:
                return

    def finish(self) -> bytes:
        """The decoded body (empty after a decoding error), at most `limit` bytes."""
        # An empty body under a Content-Encoding header has nothing to decode.
        decompressor = self._decompressor
        if decompressor is not None and self._fed and not self.done and not decompressor.eof:
            self._fail(f"the {self._coding} body ended early")
        return b"".join(self._parts)

    def _keep(self, data: bytes) -> None:
        room = self.limit - self._size
        if len(data) > room:
            data = data[:room]
            self.truncated = True
        if data:
            self._parts.append(data)
            self._size += len(data)

    def _fail(self, reason: str) -> None:
        self.decode_error = reason
        self._parts.clear()
        self._size = 0


def settled_response(response: httpx.Response, content: bytes) -> httpx.Response:
    """A copy of a streamed `response` holding `content` (already decoded and bounded).

    Error bodies are read by us, not by httpx, so the exception gets a
    response whose `.text` works and whose headers no longer promise an
    encoding or a length that `content` does not have.
    """
    # Raw bytes: a header that is not ASCII (a hostile server's) cannot be re-encoded from text.
    headers = [
        (name, value)
        for name, value in response.headers.raw
        if name.lower() not in (b"content-encoding", b"content-length", b"transfer-encoding")
    ]
    extensions = {}
    if "reason_phrase" in response.extensions:
        extensions["reason_phrase"] = response.extensions["reason_phrase"]
    return httpx.Response(
        response.status_code,
        headers=headers,
        content=content,
        request=response.request,
        extensions=extensions,
    )


@attrs.frozen(kw_only=True)
class Reply:
    """A successful answer: its (closed) response, its body, the longest Retry-After seen."""

    response: httpx.Response
    body: bytes
    retry_after: float | None
