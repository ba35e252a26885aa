"""The fake's file storage: pre-signed, expiring results URLs, S3-style.

`results_url` is not documented by the vendor beyond "URL to download the
results"; it is most likely a pre-signed object-store URL on another host.
The fake behaves like one: no API key needed, HMAC-signed (over the object
name, so the file extension is part of what is signed), expires, answers
errors as S3 XML, supports `Range` with `If-Range` (an ETag or the
`Last-Modified` date), and refuses a request that also carries an
`Authorization` header (S3: "Only one auth mechanism allowed"), which is how
a test catches a client that sends the API key to storage.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from email.utils import format_datetime, parsedate_to_datetime
from typing import Final, Literal
from urllib.parse import parse_qs, quote
from uuid import UUID
from xml.sax.saxutils import escape

from ._http import FakeResponse, IncomingRequest
from ._results import ResultsFile

STORAGE_PREFIX: Final = "/_storage/"
_OBJECT_NAME = re.compile(
    r"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(\.(?:csv|jsonl?)(?:\.gz)?)",
    re.ASCII,
)
_RANGE = re.compile(r"bytes=(\d*)-(\d*)", re.ASCII)


class UrlSigner:
    """Signs and checks results URLs with a secret of its own."""

    def __init__(self, secret: bytes | None = None) -> None:
        self._secret = secret if secret is not None else secrets.token_bytes(32)

    def __repr__(self) -> str:
        return "UrlSigner(secret=<hidden>)"

    def _signature(self, object_name: str, expires: int) -> str:
        message = f"GET\n{object_name}\n{expires}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    def sign(self, storage_base_url: str, object_name: str, expires: int) -> str:
        """A URL for `object_name` (`<job id>.csv`, ...) that works until `expires`."""
        signature = self._signature(object_name, expires)
        base = storage_base_url.rstrip("/")
        return f"{base}{STORAGE_PREFIX}{object_name}?expires={expires}&signature={signature}"

    def verify(self, object_name: str, expires: int, signature: str) -> bool:
        return hmac.compare_digest(self._signature(object_name, expires), signature)


def s3_error(status: int, code: str, message: str, resource: str, request_id: str) -> FakeResponse:
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{escape(code)}</Code><Message>{escape(message)}</Message>"
        f"<Resource>{escape(quote(resource))}</Resource><RequestId>{request_id}</RequestId></Error>"
    ).encode()
    headers = [("content-type", "application/xml"), ("content-length", str(len(body)))]
    if status == 405:
        headers.append(("allow", "GET, HEAD"))
    return FakeResponse(status=status, headers=headers, body=body)


def _byte_range(
    request: IncomingRequest, file: ResultsFile
) -> tuple[int, int] | Literal["whole", "unsatisfiable"]:
    """(start, stop) of the one range asked for, the whole file, or "unsatisfiable".

    Malformed or multi-part ranges are ignored, as RFC 9110 allows.
    """
    header = request.header("range")
    if header is None:
        return "whole"
    if_range = request.header("if-range")
    if if_range is not None and not _validator_matches(if_range.strip(), file):
        return "whole"
    match = _RANGE.fullmatch(header.strip())
    if match is None or (not match.group(1) and not match.group(2)):
        return "whole"
    first, last = match.group(1), match.group(2)
    if not first:
        suffix = int(last)
        if suffix == 0 or file.size == 0:
            return "unsatisfiable"
        return max(file.size - suffix, 0), file.size
    start = int(first)
    if last and int(last) < start:
        return "whole"
    if start >= file.size:
        return "unsatisfiable"
    return start, file.size if not last else min(int(last) + 1, file.size)


def _validator_matches(if_range: str, file: ResultsFile) -> bool:
    """RFC 9110 13.1.5: a strong ETag match, or exactly the Last-Modified date."""
    if if_range.startswith(('"', "W/")):
        return if_range == file.etag  # a weak tag never matches: W/"..." != "..."
    if file.last_modified is None:
        return False
    try:
        return parsedate_to_datetime(if_range) == file.last_modified.replace(microsecond=0)
    except (TypeError, ValueError):
        return False


def file_response(request: IncomingRequest, file: ResultsFile) -> FakeResponse:
    headers = [("content-type", file.format.content_type)]
    if file.format.content_encoding is not None:
        headers.append(("content-encoding", file.format.content_encoding))
    headers += [
        ("etag", file.etag),
        ("accept-ranges", "bytes"),
        ("content-disposition", f'attachment; filename="{file.file_name}"'),
    ]
    if file.last_modified is not None:
        headers.append(("last-modified", format_datetime(file.last_modified, usegmt=True)))
    chosen = _byte_range(request, file)
    if chosen == "unsatisfiable":
        headers += [("content-range", f"bytes */{file.size}"), ("content-length", "0")]
        return FakeResponse(status=416, headers=headers)
    status, (start, stop) = (200, (0, file.size)) if chosen == "whole" else (206, chosen)
    headers.append(("content-length", str(stop - start)))
    if status == 206:
        headers.append(("content-range", f"bytes {start}-{stop - 1}/{file.size}"))
    body = b"" if request.method == "HEAD" else file.iter_bytes(start, stop)
    return FakeResponse(status=status, headers=headers, body=body)


def storage_response(
    request: IncomingRequest,
    *,
    signer: UrlSigner,
    find_file: Callable[[UUID], ResultsFile | None],
    now: float,
    request_id: str,
) -> FakeResponse:
    """Answer one storage request; `now` is wall-clock Unix time."""
    resource = request.path

    def error(status: int, code: str, message: str) -> FakeResponse:
        return s3_error(status, code, message, resource, request_id)

    if request.method not in ("GET", "HEAD"):
        return error(405, "MethodNotAllowed", "The specified method is not allowed.")
    if request.header_values("authorization"):
        return error(
            400,
            "InvalidArgument",
            "Only one auth mechanism allowed; only the signature query string parameter "
            "or the Authorization header should be specified",
        )
    object_name = request.path.removeprefix(STORAGE_PREFIX)
    match = _OBJECT_NAME.fullmatch(object_name)
    if match is None:
        return error(404, "NoSuchKey", "The specified key does not exist.")
    job_id = UUID(match.group(1))
    query = parse_qs(request.query, keep_blank_values=True)
    expires_values, signatures = query.get("expires", []), query.get("signature", [])
    if len(expires_values) != 1 or len(signatures) != 1:
        return error(
            403,
            "AccessDenied",
            "Query-string authentication requires the signature and expires parameters",
        )
    expires_text = expires_values[0]
    if not (expires_text.isascii() and expires_text.isdigit()):
        return error(403, "AccessDenied", "Invalid date (should be seconds since epoch)")
    expires = int(expires_text)
    if not signer.verify(object_name, expires, signatures[0]):
        return error(
            403,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided.",
        )
    if now > expires:
        return error(403, "AccessDenied", "Request has expired")
    file = find_file(job_id)
    if file is None or file.file_name != object_name:
        return error(404, "NoSuchKey", "The specified key does not exist.")
    return file_response(request, file)
