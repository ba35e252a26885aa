"""Input validation for the fake, written out from openapi.yaml.

Two kinds of rejection, both in the contract:

* 400 Bad Request: the input does not have the shape of the operation's
  input at all. Not JSON, not an object, a required member missing, a member
  of the wrong JSON type; for the list endpoint, any bad query parameter.
* 422 Unprocessable Entity: the body has the right shape but breaks a rule:
  a bound, a pattern, a length, "exactly one of search and similar", a
  `webhook_url` that is not an absolute URI.

Mirrors JSON Schema semantics where they differ from Python's: `true` is not
an integer, `2.0` is one, `NaN` is not JSON.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final
from urllib.parse import parse_qs

JOB_STATUSES: Final = ("pending", "processing", "completing", "completed", "failed")
INT32_MIN: Final = -(2**31)
INT32_MAX: Final = 2**31 - 1
MAX_COUNT: Final = 50_000
MAX_PAGE_SIZE: Final = 100
DEFAULT_PAGE_SIZE: Final = 20

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_COUNTRY = re.compile(r"[A-Z]{2}")
_QUERY_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")


@dataclass(frozen=True, slots=True)
class Invalid:
    status: int
    detail: str
    errors: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CreateRequest:
    count: int
    webhook_url: str | None
    search: dict[str, Any] | None
    similar: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class ListQuery:
    page: int
    page_size: int
    status: str | None


def is_uuid(text: str) -> bool:
    return _UUID.fullmatch(text) is not None


# --- RFC 3986 absolute URI, as strict as the validators schemathesis uses ---
_UNRESERVED_SUB = r"A-Za-z0-9\-._~!$&'()*+,;="
_PCT = r"%[0-9A-Fa-f]{2}"
_REG_NAME = re.compile(rf"(?:[{_UNRESERVED_SUB}]|{_PCT})*")
_USERINFO = re.compile(rf"(?:[{_UNRESERVED_SUB}:]|{_PCT})*")
_PATH_QUERY = re.compile(rf"(?:[{_UNRESERVED_SUB}:@/?]|{_PCT})*")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*")
_IPVFUTURE = re.compile(rf"v[0-9A-Fa-f]+\.[{_UNRESERVED_SUB}:]+")


def is_uri(text: str) -> bool:
    """An absolute URI (scheme required), RFC 3986 syntax, ASCII only."""
    scheme, colon, rest = text.partition(":")
    if not colon or _SCHEME.fullmatch(scheme) is None:
        return False
    rest, _, fragment = rest.partition("#")
    if _PATH_QUERY.fullmatch(fragment) is None:
        return False
    hier, _, query = rest.partition("?")
    if _PATH_QUERY.fullmatch(query) is None:
        return False
    if hier.startswith("//"):
        authority, slash, path = hier[2:].partition("/")
        if not _is_authority(authority):
            return False
        hier = slash + path
    return _PATH_QUERY.fullmatch(hier) is not None


def _is_authority(authority: str) -> bool:
    userinfo, at, hostport = authority.rpartition("@")
    if at and _USERINFO.fullmatch(userinfo) is None:
        return False
    if hostport.startswith("["):
        literal, bracket, port = hostport[1:].partition("]")
        if not bracket or not _is_ip_literal(literal):
            return False
        return port == "" or (port.startswith(":") and _is_port(port[1:]))
    host, colon, port = hostport.partition(":")
    if colon and not _is_port(port):
        return False
    return _REG_NAME.fullmatch(host) is not None


def _is_port(text: str) -> bool:
    return text == "" or (text.isascii() and text.isdigit())


def _is_ip_literal(literal: str) -> bool:
    if _IPVFUTURE.fullmatch(literal):
        return True
    try:
        ipaddress.IPv6Address(literal)
    except ValueError:
        return False
    return True


# --- create body ---------------------------------------------------------


def _is_integer(value: object) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


class _Errors:
    def __init__(self) -> None:
        self.shape: dict[str, list[str]] = {}
        self.rules: dict[str, list[str]] = {}

    def wrong_shape(self, where: str, message: str) -> None:
        self.shape.setdefault(where, []).append(message)

    def broken_rule(self, where: str, message: str) -> None:
        self.rules.setdefault(where, []).append(message)


def _check_string(value: object, where: str, errors: _Errors) -> None:
    if not isinstance(value, str):
        errors.wrong_shape(where, "must be a string")


def _check_strings(value: object, where: str, errors: _Errors) -> None:
    if not isinstance(value, list):
        errors.wrong_shape(where, "must be an array of strings")
        return
    for index, item in enumerate(value):
        _check_string(item, f"{where}[{index}]", errors)


def _check_countries(value: object, where: str, errors: _Errors) -> None:
    _check_strings(value, where, errors)
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, str) and _COUNTRY.fullmatch(item) is None:
                errors.broken_rule(f"{where}[{index}]", "must be an ISO 3166-1 alpha-2 code")


def _check_domains(value: object, where: str, errors: _Errors) -> None:
    _check_strings(value, where, errors)
    if not isinstance(value, list):
        return
    if not 1 <= len(value) <= 10:
        errors.broken_rule(where, "must hold 1 to 10 domains")
    for index, item in enumerate(value):
        if item == "":
            errors.broken_rule(f"{where}[{index}]", "must not be empty")


def _check_number(value: object, where: str, errors: _Errors) -> None:
    if not _is_number(value):
        errors.wrong_shape(where, "must be a number")


def _check_object(value: object, where: str, errors: _Errors) -> None:
    if not isinstance(value, dict):
        errors.wrong_shape(where, "must be an object")


def _check_int32(value: object, where: str, errors: _Errors) -> None:
    if not _is_integer(value):
        errors.wrong_shape(where, "must be an integer")
    elif not INT32_MIN <= value <= INT32_MAX:  # type: ignore[operator]
        errors.broken_rule(where, "must be a 32-bit integer")


def _check_year_range(value: object, where: str, errors: _Errors) -> None:
    if not isinstance(value, dict):
        errors.wrong_shape(where, "must be an object")
        return
    for bound in ("min", "max"):
        if bound in value:
            _check_int32(value[bound], f"{where}.{bound}", errors)


_Check = Callable[[object, str, _Errors], None]

_SHARED_FILTER_FIELDS: dict[str, _Check] = {
    "countries": _check_countries,
    "employees": _check_strings,
    "revenue": _check_strings,
    "category": _check_strings,
    "keywords": _check_strings,
    "technologies": _check_strings,
    "foundedYear": _check_year_range,
    "exclude": _check_object,
}
# Unknown members pass: the vendor ignores filter values it does not know.
_SEARCH_FIELDS: dict[str, _Check] = {
    **_SHARED_FILTER_FIELDS,
    "semanticQuery": _check_string,
    "query": _check_string,
    "type": _check_strings,
}
_SIMILAR_FIELDS: dict[str, _Check] = {
    **_SHARED_FILTER_FIELDS,
    "domains": _check_domains,
    "similarityWeight": _check_number,
    "minScore": _check_number,
}


def _check_filter(
    value: dict[str, Any], where: str, fields: dict[str, _Check], errors: _Errors
) -> None:
    for name, check in fields.items():
        if name in value:
            check(value[name], f"{where}.{name}", errors)


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def parse_create_request(body: bytes) -> CreateRequest | Invalid:
    try:
        # JSON is UTF-8 on the wire (RFC 8259); json.loads would guess UTF-16 too.
        document = json.loads(body.decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return Invalid(400, "The request body is not valid JSON.")
    if not isinstance(document, dict):
        return Invalid(400, "The request body must be a JSON object.")

    errors = _Errors()
    count: Any = document.get("count")
    if "count" not in document:
        errors.wrong_shape("count", "is required")
    elif not _is_integer(count):
        errors.wrong_shape("count", "must be an integer")
    elif not 1 <= count <= MAX_COUNT:
        errors.broken_rule("count", f"must be between 1 and {MAX_COUNT}")

    webhook_url = document.get("webhook_url")
    if webhook_url is not None:
        if not isinstance(webhook_url, str):
            errors.wrong_shape("webhook_url", "must be a string or null")
        elif not is_uri(webhook_url):
            errors.broken_rule("webhook_url", "must be an absolute URI")

    search = document.get("search")
    similar = document.get("similar")
    for name, value, fields in (
        ("search", search, _SEARCH_FIELDS),
        ("similar", similar, _SIMILAR_FIELDS),
    ):
        if value is None:
            continue
        if not isinstance(value, dict):
            errors.wrong_shape(name, "must be an object or null")
            continue
        if name == "similar" and "domains" not in value:
            errors.wrong_shape("similar.domains", "is required")
        _check_filter(value, name, fields, errors)

    if isinstance(search, dict) and isinstance(similar, dict):
        errors.broken_rule("search", "give either search or similar, not both")
    elif search is None and similar is None:
        errors.broken_rule("search", "one of search and similar is required")

    if errors.shape:
        return Invalid(400, "The request body is not a valid export request.", errors.shape)
    if errors.rules:
        return Invalid(422, "One or more validation errors occurred.", errors.rules)
    return CreateRequest(
        count=int(count),
        webhook_url=webhook_url,
        search=search,
        similar=similar,
    )


# --- list query ----------------------------------------------------------


def _query_int(
    values: dict[str, list[str]], name: str, default: int, low: int, high: int, errors: _Errors
) -> int:
    given = values.get(name)
    if given is None:
        return default
    if len(given) != 1:
        errors.wrong_shape(name, "must be given once")
        return default
    text = given[0]
    if _QUERY_INT.fullmatch(text) is None:
        errors.wrong_shape(name, "must be an integer")
        return default
    # int() refuses more than 4,300 digits (a 500); and no in-range number is that long.
    if len(text.lstrip("-")) > len(str(max(abs(low), abs(high)))):
        errors.wrong_shape(name, f"must be between {low} and {high}")
        return default
    number = int(text)
    if not low <= number <= high:
        errors.wrong_shape(name, f"must be between {low} and {high}")
        return default
    return number


def parse_list_query(query: str) -> ListQuery | Invalid:
    values = parse_qs(query, keep_blank_values=True, errors="replace")
    errors = _Errors()
    page = _query_int(values, "page", 1, 1, INT32_MAX, errors)
    page_size = _query_int(values, "pageSize", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE, errors)
    status: str | None = None
    given = values.get("status")
    if given is not None:
        if len(given) != 1:
            errors.wrong_shape("status", "must be given once")
        elif given[0] not in JOB_STATUSES:
            errors.wrong_shape("status", "must be one of " + ", ".join(JOB_STATUSES))
        else:
            status = given[0]
    if errors.shape:
        return Invalid(400, "One or more query parameters are invalid.", errors.shape)
    return ListQuery(page=page, page_size=page_size, status=status)
