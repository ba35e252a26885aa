"""What a `webhook_url` may be, for the client's check and the fake server's alike.

One rule on both sides, and the same as openapi.yaml's `pattern` for the
field: an absolute http(s) URI (RFC 3986 grammar, ASCII only) with a host
name or IPv4 address. A test holds the regex equal to the spec's.
"""

from __future__ import annotations

import re

__all__ = ["WEBHOOK_URL_PATTERN", "is_webhook_url"]

_URL_CHARS = r"-A-Za-z0-9._~!$&'()*+,;="  # unreserved and sub-delims, RFC 3986

WEBHOOK_URL_PATTERN = re.compile(
    r"^(?!.*%(?![0-9A-Fa-f]{2}))"  # every % starts a %XX escape
    r"[Hh][Tt][Tt][Pp][Ss]?://"
    rf"([{_URL_CHARS}:%]*@)?"  # userinfo
    rf"[{_URL_CHARS}%]+"  # host: a name or an IPv4 address, not empty
    r"(:[0-9]*)?"  # port
    rf"([/?][{_URL_CHARS}:@/?%]*)?"  # path and query
    rf"(#[{_URL_CHARS}:@/?%]*)?"  # fragment
    # The end of the text: `$` would also match before a final newline.
    r"(?![\s\S])"
)


def is_webhook_url(text: str) -> bool:
    """Whether `text` is a webhook URL openapi.yaml allows."""
    return WEBHOOK_URL_PATTERN.search(text) is not None
