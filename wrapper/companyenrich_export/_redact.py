"""Taking credentials out of text the library shows: URLs, the API key, control characters.

Everything here is total: it returns text for any input and never raises,
because it runs while an error is being reported.
"""

from __future__ import annotations

import json
import re
from urllib.parse import quote, urlsplit, urlunsplit

__all__ = [
    "MIN_SECRET_LENGTH",
    "REDACTED",
    "clip",
    "redact_secret",
    "redact_url",
    "redact_urls_in",
]

REDACTED = "[redacted]"
# What replaces a URL's query: the signature of a pre-signed link is a credential.
_REDACTED_QUERY = "<redacted>"
# Shorter "keys" are test placeholders; replacing every "ab" in a message garbles it.
MIN_SECRET_LENGTH = 4
# URLs inside free text (a body excerpt): up to the first character a URL cannot hold.
_URL_IN_TEXT = re.compile(r"""https?://[^\s"'<>`{}|\\^\[\]]+""", re.IGNORECASE)
_ELLIPSIS = "…"


def redact_url(url: object) -> str:
    """`url` without its userinfo, query or fragment (the query becomes `<redacted>`).

    Accepts text or an `httpx.URL`. Text that is not a URL at all comes back
    as a placeholder rather than verbatim: it may be a credential too.
    """
    text = str(url)
    try:
        parts = urlsplit(text)
    except ValueError:
        return "<unreadable URL>"
    host = parts.netloc.rpartition("@")[2]
    query = _REDACTED_QUERY if parts.query else ""
    return urlunsplit((parts.scheme, host, parts.path, query, ""))


def redact_urls_in(text: str) -> str:
    """Every http(s) URL inside `text` passed through `redact_url`."""
    return _URL_IN_TEXT.sub(lambda match: redact_url(match.group(0)), text)


def _secret_forms(secret: str) -> list[str]:
    # The forms a key takes once a server or a library has quoted it: verbatim,
    # JSON-escaped, as a Python str or bytes repr, percent-encoded.
    forms = {
        secret,
        json.dumps(secret)[1:-1],
        repr(secret)[1:-1],
        repr(secret.encode("utf-8", "backslashreplace"))[2:-1],
        quote(secret, safe=""),
    }
    # Longest first, so a form that contains another is replaced whole.
    return sorted((form for form in forms if form), key=len, reverse=True)


def redact_secret(text: str, secret: str | None) -> str:
    """`text` with every quoted form of `secret` replaced by `[redacted]`."""
    if not secret or len(secret) < MIN_SECRET_LENGTH:
        return text
    for form in _secret_forms(secret):
        if form in text:
            text = text.replace(form, REDACTED)
    return text


def clip(text: str, limit: int) -> str:
    """`text` on one line, control characters blanked, at most `limit` characters (then `…`).

    A server's text ends up on terminals: escape sequences and line breaks
    from it must not reach them. Only a window of the text is looked at, so
    clipping a megabyte costs no more than clipping a line.
    """
    window = text[: limit * 4 + 1]
    printable = "".join(char if char.isprintable() else " " for char in window)
    flat = " ".join(printable.split())
    if len(flat) > limit or len(text) > len(window):
        return flat[: max(limit - 1, 0)].rstrip() + _ELLIPSIS
    return flat
