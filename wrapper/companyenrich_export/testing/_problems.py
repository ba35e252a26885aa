"""RFC 9457 problem details and the `accept` negotiation for them.

The vendor's problem bodies look like ASP.NET Core's (`type` linking to the
RFC section, `title`, `status`, `detail`, `instance`, a `traceId`, and an
`errors` map for validation), so the fake answers in that shape.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from http import HTTPStatus
from typing import Final, Literal
from urllib.parse import quote

from ._http import FakeResponse, json_bytes

JSON: Final = "application/json"
PROBLEM_JSON: Final = "application/problem+json"
ErrorMediaType = Literal["application/json", "application/problem+json"]

_TYPE_BY_STATUS = {
    400: "https://tools.ietf.org/html/rfc9110#section-15.5.1",
    401: "https://tools.ietf.org/html/rfc9110#section-15.5.2",
    402: "https://tools.ietf.org/html/rfc9110#section-15.5.3",
    403: "https://tools.ietf.org/html/rfc9110#section-15.5.4",
    404: "https://tools.ietf.org/html/rfc9110#section-15.5.5",
    405: "https://tools.ietf.org/html/rfc9110#section-15.5.6",
    406: "https://tools.ietf.org/html/rfc9110#section-15.5.7",
    409: "https://tools.ietf.org/html/rfc9110#section-15.5.10",
    422: "https://tools.ietf.org/html/rfc9110#section-15.5.21",
    429: "https://tools.ietf.org/html/rfc6585#section-4",
    500: "https://tools.ietf.org/html/rfc9110#section-15.6.1",
    502: "https://tools.ietf.org/html/rfc9110#section-15.6.3",
    503: "https://tools.ietf.org/html/rfc9110#section-15.6.4",
    504: "https://tools.ietf.org/html/rfc9110#section-15.6.5",
}

# Everything RFC 3986 allows unescaped in a path, so `instance` is always a
# valid uri-reference even when the request path was garbage.
_PATH_SAFE = "/:@!$&'()*+,;=-._~"


def status_title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def problem_response(
    status: int,
    detail: str,
    *,
    media_type: ErrorMediaType,
    instance: str,
    trace_id: str,
    title: str | None = None,
    errors: Mapping[str, list[str]] | None = None,
    extra_headers: Iterable[tuple[str, str]] = (),
) -> FakeResponse:
    """A problem-details answer. `detail` must never contain a credential."""
    payload: dict[str, object] = {
        "type": _TYPE_BY_STATUS.get(status, "about:blank"),
        "title": title or status_title(status),
        "status": status,
        "detail": detail,
        "instance": quote(instance, safe=_PATH_SAFE),
        "traceId": trace_id,
    }
    if errors:
        payload["errors"] = {key: list(messages) for key, messages in errors.items()}
    body = json_bytes(payload)
    headers = [
        ("content-type", f"{media_type}; charset=utf-8"),
        ("content-length", str(len(body))),
        *extra_headers,
    ]
    return FakeResponse(status=status, headers=headers, body=body)


# RFC 9110 media-range grammar, parameters included (q is one of them).
_TCHARS = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_QUOTED = r'"(?:[^"\\\x00-\x08\x0a-\x1f\x7f]|\\[\t !-~\x80-\xff])*"'
_PARAM = rf"\s*;\s*({_TCHARS})=({_TCHARS}|{_QUOTED})"
_RANGE = re.compile(rf"\s*({_TCHARS})/({_TCHARS})((?:{_PARAM})*)\s*")
_PARAM_RE = re.compile(_PARAM)
_QVALUE = re.compile(r"0(?:\.\d{0,3})?|1(?:\.0{0,3})?")


def negotiate_error_type(accept: str | None) -> ErrorMediaType | None:
    """Which JSON flavour an error body should use, or None if neither is acceptable.

    No header means `application/json`, the documented default. A header
    that is malformed, or that rules out both JSON flavours, gets None: the
    caller answers 400 rather than 406, because 406 is not in the contract.
    When both flavours are acceptable, `application/problem+json` wins only
    if it is named outright with at least the weight of `application/json`;
    wildcards alone mean the default.
    """
    if accept is None:
        return JSON
    ranges: list[tuple[str, str, float]] = []
    for element in accept.split(","):
        if not element.strip():
            continue  # RFC 9110 lists may have empty elements
        match = _RANGE.fullmatch(element)
        if match is None:
            return None
        main, sub, params = match.group(1).lower(), match.group(2).lower(), match.group(3)
        if main == "*" and sub != "*":
            return None
        quality = 1.0
        for name, value in _PARAM_RE.findall(params):
            if name.lower() == "q":
                if _QVALUE.fullmatch(value) is None:
                    return None
                quality = float(value)
        ranges.append((main, sub, quality))
    if not ranges:
        return None

    def weight(media_type: str) -> tuple[float, int]:
        main, sub = media_type.split("/")
        best: tuple[int, float] = (-1, 0.0)
        for range_main, range_sub, quality in ranges:
            if (range_main, range_sub) == (main, sub):
                specificity = 2
            elif (range_main, range_sub) == (main, "*"):
                specificity = 1
            elif (range_main, range_sub) == ("*", "*"):
                specificity = 0
            else:
                continue
            if specificity > best[0]:
                best = (specificity, quality)
        return best[1], best[0]

    json_q, _ = weight(JSON)
    problem_q, problem_specificity = weight(PROBLEM_JSON)
    if json_q <= 0 and problem_q <= 0:
        return None
    if problem_q > 0 and problem_specificity == 2 and problem_q >= json_q:
        return PROBLEM_JSON
    return JSON if json_q > 0 else PROBLEM_JSON
