"""Going on with a dropped download where it stopped (HTTP range requests, RFC 9110 §14).

`ServedFile` remembers what the results link served: its validator (a
strong ETag, else Last-Modified) and its total size. After a dropped
connection the next attempt asks for `Range: bytes=N-` with `If-Range`: a
206 carries exactly the missing bytes; a 200 means the file changed (or the
server ignores ranges), and the download starts over. Sans-IO: the senders
pass it responses and it says where the body starts.
"""

from __future__ import annotations

import re

import attrs
import httpx

from companyenrich_export._exceptions import CompanyEnrichError

__all__ = ["ResumeRefusedError", "ServedFile"]

_CONTENT_RANGE = re.compile(r"bytes ([0-9]{1,18})-([0-9]{1,18})/([0-9]{1,18})")


def _digits(text: str | None) -> int | None:
    # Strict ASCII digits: int() would also take "1_000", "+5" and other scripts' digits.
    if text is None or not text.isascii() or not text.isdigit() or len(text) > 18:
        return None
    return int(text)


class ResumeRefusedError(CompanyEnrichError):
    """A 206 that is not the rest of the file resumed from (another version of it).

    A server or proxy that ignores If-Range can answer a range request with
    part of a newer file; appended to the old part it would make a file of
    two versions. The download starts over instead, where it can.
    """


@attrs.define
class ServedFile:
    """What the results link served so far: the file's validator and total size."""

    validator: str | None = None
    total: int | None = None
    # What the file is, for reading it as records (RowReader chooses by them).
    content_type: str | None = None
    content_encoding: str | None = None

    @property
    def resumable(self) -> bool:
        return self.validator is not None

    def resume_headers(self, offset: int) -> dict[str, str]:
        if offset <= 0 or self.validator is None:
            return {}
        return {"range": f"bytes={offset}-", "if-range": self.validator}

    def accept(self, response: httpx.Response, offset: int) -> int:
        """Where `response`'s body starts in the file (0 or `offset`); its size is noted.

        Raises when a partial answer is not the part that was asked for.
        """
        if response.status_code == 206:
            match = _CONTENT_RANGE.fullmatch(response.headers.get("content-range", ""))
            if match is None:
                raise CompanyEnrichError(
                    "The results server answered a range request without a usable Content-Range."
                )
            first, last, total = (int(group) for group in match.groups())
            if first != offset or last != total - 1 or (self.total not in (None, total)):
                raise CompanyEnrichError(
                    f"The results server sent bytes {first}-{last} of {total}, "
                    f"not the rest from byte {offset} of the file it sent before."
                )
            if not self._same_version(response):
                raise ResumeRefusedError(
                    "The results server answered a resumed download with part of another "
                    "version of the file."
                )
            self.total = total
            return offset
        self.validator = _validator(response)
        self.total = _digits(response.headers.get("content-length"))
        self.content_type = response.headers.get("content-type")
        self.content_encoding = response.headers.get("content-encoding")
        return 0

    def _same_version(self, response: httpx.Response) -> bool:
        """Whether a 206 is of the version resumed from (the validator it names, if any, matches).

        A 206 that names no validator at all is taken on trust, as If-Range
        asked the server to check it; one that names another is refused.
        """
        if self.validator is None:
            return True  # no range was asked for: the Content-Range check covers it
        if self.validator.startswith(('"', "W/")):
            etag = response.headers.get("etag")
            return etag is None or etag == self.validator
        modified = response.headers.get("last-modified")
        return modified is None or modified == self.validator


def _validator(response: httpx.Response) -> str | None:
    etag: str | None = response.headers.get("etag")
    # If-Range takes only a strong validator: a weak ETag could match other bytes.
    if etag and not etag.startswith("W/"):
        return etag
    modified: str | None = response.headers.get("last-modified")
    return modified
