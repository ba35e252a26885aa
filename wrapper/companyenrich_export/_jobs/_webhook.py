"""What a `webhook_url` may be, for the client's check and the fake server's alike.

One rule on both sides, and the same as openapi.yaml's `pattern` for the
field: an absolute http(s) URI (RFC 3986 grammar, ASCII only) with a host
name or IPv4 address. A test holds the regex equal to the spec's.
"""

from __future__ import annotations

import re
from functools import cache

__all__ = ["WEBHOOK_URL_PATTERN", "is_webhook_url"]

_URL_CHARS = r"-A-Za-z0-9._~!$&'()*+,;="  # unreserved and sub-delims, RFC 3986

WEBHOOK_URL_PATTERN = (
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


@cache
def _compiled() -> re.Pattern[str]:
    # Compiled on first use: a create with a webhook, not every import.
    return re.compile(WEBHOOK_URL_PATTERN)


def is_webhook_url(text: str) -> bool:
    """Whether `text` is a webhook URL openapi.yaml allows (a JSON Schema `pattern` is a search)."""
    return _compiled().search(text) is not None
