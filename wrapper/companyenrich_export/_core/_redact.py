"""Taking credentials out of text the library shows: URLs, the API key, control characters.

Everything here is total: it returns text for any input and never raises,
because it runs while an error is being reported.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Collection, Iterable
from urllib.parse import quote, quote_plus, urlsplit, urlunsplit

__all__ = [
    "MIN_SECRET_LENGTH",
    "REDACTED",
    "RedactingFilter",
    "bare_url",
    "carries_secret",
    "clip",
    "origins_in",
    "redact_secret",
    "redact_secret_in_json",
    "redact_text",
    "redact_url",
    "redact_urls_in",
    "terminal_safe",
    "url_origin",
]

REDACTED = "[redacted]"
# What replaces a URL's query: the signature of a pre-signed link is a credential.
_REDACTED_QUERY = "<redacted>"
# Shorter "keys" are test placeholders; replacing every "ab" in a message garbles it.
MIN_SECRET_LENGTH = 4
# URLs inside free text (a body excerpt): up to the first character a URL cannot hold.
# A query already redacted is taken along, so that redacting twice changes nothing.
_URL_IN_TEXT = re.compile(r"""https?://[^\s"'<>`{}|\\^\[\]]+(?:<redacted>)?""", re.IGNORECASE)
# The same for showing origins only (the CLI): a URL ends at a quote, a space or a bracket.
_URL_FOR_ORIGIN = re.compile(r"\bhttps?://[^\s'\"<>()\[\]{}]+(?:<redacted>)?", re.IGNORECASE)
_ELLIPSIS = "…"

# Escape sequences a terminal acts on: OSC (titles, hyperlinks, clipboard) up to
# its terminator, CSI (cursor, colours, erase), then any other two-byte ESC
# sequence; each in its 7-bit and its 8-bit (C1) form.
_TERMINAL_SEQUENCE = re.compile(
    r"(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"
    r"|\x1b[\x20-\x7e]?"
)
# What is left that a terminal would act on or that hides text: C0 and C1
# controls, DEL, and the bidirectional overrides that reorder what is shown.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


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


def bare_url(url: object) -> str:
    """Scheme, host, port and path of `url`: no userinfo, query or fragment at all."""
    parts = urlsplit(redact_url(url))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def url_origin(url: str) -> str:
    """The scheme, host and port of `url`: user info, path and query may hold credentials."""
    try:
        parts = urlsplit(url)
        scheme, host, port = parts.scheme, parts.hostname, parts.port
    except ValueError:  # an unclosed "[" or a port that is not a number
        return "<URL>"
    if not scheme or not host:
        return "<URL>"
    if ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}" + (f":{port}" if port is not None else "")


def origins_in(text: str) -> str:
    """Every http(s) URL inside `text` cut to its origin (what the CLI shows)."""

    def origin(match: re.Match[str]) -> str:
        url = match.group()
        # Punctuation that ends the sentence is not part of the URL.
        bare = url.rstrip(".,;:!?")
        return url_origin(bare) + url[len(bare) :]

    return _URL_FOR_ORIGIN.sub(origin, text)


def _secret_forms(secret: str) -> tuple[str, ...]:
    # The forms a key takes once a server or a library has quoted it: verbatim,
    # backslash-escaped (once or twice, as a repr of a repr shows it),
    # JSON-escaped, as a Python str or bytes repr (either quote), percent-
    # encoded (either case, `+` for a space).
    escaped = secret.replace("\\", "\\\\")
    forms = {
        secret,
        escaped,
        escaped.replace("\\", "\\\\"),
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        repr(secret)[1:-1],
        escaped.replace("'", "\\'"),
        escaped.replace('"', '\\"'),
        repr(secret.encode("utf-8", "backslashreplace"))[2:-1],
        quote(secret, safe=""),
        quote(secret, safe="").lower(),
        quote_plus(secret, safe=""),
    }
    # Longest first, so a form that contains another is replaced whole.
    return tuple(sorted((form for form in forms if form), key=len, reverse=True))


def terminal_safe(text: str) -> str:
    """`text` without terminal escape sequences; other control characters become spaces.

    A server's message, a job's error message or a file name could otherwise
    retitle the window, move the cursor, rewrite earlier lines or hide text.
    """
    return _CONTROL.sub(" ", _TERMINAL_SEQUENCE.sub("", text))


def redact_secret(text: str, secret: str | None) -> str:
    """`text` with every quoted form of `secret` replaced by `[redacted]`."""
    if not secret or len(secret) < MIN_SECRET_LENGTH:
        return text
    return _without_forms(text, _secret_forms(secret))


def _without_forms(text: str, forms: tuple[str, ...]) -> str:
    # The same object back when nothing matched: callers skip unchanged values.
    for form in forms:
        if form in text:
            text = text.replace(form, REDACTED)
    return text


def redact_secret_in_json(data: object, secret: str | None, members: Collection[str]) -> object:
    """Decoded JSON with `secret` redacted from the string values of `members`, at any depth.

    For the server's own words that a model keeps and shows (a job's
    `error_message`); ids, links and dates stay as sent, since a short test
    key may well occur in them. Containers change in place; iterative, as the
    depth is whatever `json.loads` accepted.
    """
    if not secret or len(secret) < MIN_SECRET_LENGTH:
        return data
    forms = _secret_forms(secret)
    containers = (dict, list)
    pending = [data] if isinstance(data, containers) else []
    while pending:
        node = pending.pop()
        items = enumerate(node) if isinstance(node, list) else node.items()
        for key, item in items:
            if isinstance(item, containers):
                pending.append(item)
            elif isinstance(item, str) and key in members:
                node[key] = _redacted_as_shown(item, forms)
    return data


def _redacted_as_shown(text: str, forms: tuple[str, ...]) -> str:
    # A key split by an escape sequence comes out whole once a terminal (or
    # `terminal_safe`) drops the sequence: such a text is kept as shown, redacted.
    redacted = _without_forms(text, forms)
    shown = terminal_safe(redacted)
    if shown == redacted:
        return redacted
    shown_redacted = _without_forms(shown, forms)
    return shown_redacted if shown_redacted is not shown else redacted


def carries_secret(text: str, secret: str | None) -> bool:
    """Whether `text` holds `secret` in any of the forms `redact_secret` removes."""
    return redact_secret(text, secret) != text


def redact_text(text: str, secrets: Iterable[str | None] = (), *, origins: bool = False) -> str:
    """The one redaction for text the library or the CLI shows or logs.

    Each secret in every quoted form, then every URL's userinfo and query
    (`origins=True`: everything but the URL's origin).
    """
    for secret in secrets:
        text = redact_secret(text, secret)
    return origins_in(text) if origins else redact_urls_in(text)


class RedactingFilter(logging.Filter):
    """A logging filter that passes every record's text through `redact_text`.

    On a logger it covers records logged there; on a handler, everything the
    handler writes (the CLI's `--debug` lines). The record is rendered once
    and its arguments dropped, so no formatter sees the raw values.
    """

    def __init__(self, secrets: Iterable[str] = (), *, origins: bool = False) -> None:
        super().__init__()
        self.secrets = list(secrets)
        self.origins = origins

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: say so, never the raw values
            message = str(record.msg)
        record.msg = redact_text(message, self.secrets, origins=self.origins)
        record.args = None
        if record.exc_info is not None and record.exc_text is None:
            record.exc_text = redact_text(
                logging.Formatter().formatException(record.exc_info),
                self.secrets,
                origins=self.origins,
            )
        return True


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


# The library's own records (method, path, status, retries, failures) pass the
# same redaction wherever they are handled: the logger's filter runs before any
# handler, the application's included.
logging.getLogger("companyenrich_export").addFilter(RedactingFilter())
