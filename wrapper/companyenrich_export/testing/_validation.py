"""Input validation for the fake, written out from openapi.yaml.

Two kinds of rejection, both in the contract:

* 400 Bad Request: the input does not have the shape of the operation's
  input at all. Not JSON, not an object, a required member missing, a member
  of the wrong JSON type; for the list endpoint, any bad query parameter.
* 422 Unprocessable Entity: the body has the right shape but breaks a rule:
  a bound, a length, "exactly one of search and similar", a `webhook_url`
  that is not an absolute http(s) URI with a host.

Inside `search` and `similar` the fake is as lenient as the real API, which
ignores unknown fields and values instead of refusing them: see the table
of filter shapes below. openapi.yaml is stricter there (it describes what a
client should send), and the client refuses what it rejects before sending.

Mirrors JSON Schema semantics where they differ from Python's: `true` is not
an integer, `2.0` is one, `NaN` is not JSON.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Final
from urllib.parse import parse_qs

from companyenrich_export._jobs._webhook import is_webhook_url

JOB_STATUSES: Final = ("pending", "processing", "completing", "completed", "failed")
INT32_MIN: Final = -(2**31)
INT32_MAX: Final = 2**31 - 1
MAX_COUNT: Final = 50_000
MAX_SEED_DOMAINS: Final = 10
MAX_PAGE_SIZE: Final = 100
DEFAULT_PAGE_SIZE: Final = 20

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
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


# --- filters: the vendor checks JSON types, and ignores what it does not know ---
#
# Each known filter field's JSON shape, written out from openapi.yaml: TEXT,
# NUMBER, INT32 (an integer that fits 32 bits), INTEGER, `[shape]` for an
# array of it, `{field: shape}` for an object (other members ignored).
# A known field of the wrong JSON type is a 400, as a typed deserializer
# would answer; everything else about a value is ignored, like the real API:
# unknown fields, undocumented enum values, out-of-range numbers, bad
# country codes, empty lists, `query` with `semanticQuery`. Only the
# similar-companies `domains` (1 to 10 non-empty names) is enforced (422).
# The contract tests hold this table to openapi.yaml.


@dataclass(frozen=True, slots=True)
class _Scalar:
    name: str


TEXT: Final = _Scalar("text")
NUMBER: Final = _Scalar("number")
INT32: Final = _Scalar("int32")
INTEGER: Final = _Scalar("integer")
_Shape = _Scalar | list[Any] | dict[str, Any]

_YEARS: Final[dict[str, _Shape]] = {"min": INT32, "max": INT32}
_AMOUNT: Final[dict[str, _Shape]] = {"min": NUMBER, "max": NUMBER}
_WORKFORCE: Final[dict[str, _Shape]] = {"department": TEXT, "min": INT32, "max": INT32}
_EXCLUDE_FIELDS: Final[dict[str, _Shape]] = {
    "domains": [TEXT],
    "regions": [TEXT],
    "countries": [TEXT],
    "states": [INT32],
    "cities": [INT32],
    "type": [TEXT],
    "category": [TEXT],
    "employees": [TEXT],
    "revenue": [TEXT],
    "naicsCode": [INTEGER],
    "keywords": [TEXT],
    "technologies": [TEXT],
    "fundingRounds": [TEXT],
}
SEARCH_FIELDS: Final[dict[str, _Shape]] = {
    "semanticQuery": TEXT,
    "query": TEXT,
    "semanticWeight": NUMBER,
    "countries": [TEXT],
    "regions": [TEXT],
    "states": [INT32],
    "cities": [INT32],
    "employees": [TEXT],
    "revenue": [TEXT],
    "category": [TEXT],
    "categoryOperator": TEXT,
    "type": [TEXT],
    "fundingRounds": [TEXT],
    "foundedYear": _YEARS,
    "fundingYear": _YEARS,
    "fundingAmount": _AMOUNT,
    "keywords": [TEXT],
    "keywordsOperator": TEXT,
    "technologies": [TEXT],
    "technologiesOperator": TEXT,
    "naicsCode": [INTEGER],
    "workforceSize": [_WORKFORCE],
    "workforceGrowth": {},
    "lists": [TEXT],
    "require": [TEXT],
    "exclude": _EXCLUDE_FIELDS,
}
SIMILAR_FIELDS: Final[dict[str, _Shape]] = {
    **SEARCH_FIELDS,
    "domains": [TEXT],
    "similarityWeight": NUMBER,
    "minScore": NUMBER,
}


def _check_shape(shape: _Shape, value: object, where: str, errors: _Errors) -> None:
    if isinstance(shape, list):
        if not isinstance(value, list):
            errors.wrong_shape(where, "must be an array")
            return
        for index, item in enumerate(value):
            _check_shape(shape[0], item, f"{where}[{index}]", errors)
    elif isinstance(shape, dict):
        if not isinstance(value, dict):
            errors.wrong_shape(where, "must be an object")
            return
        for name, member in shape.items():
            if name in value:
                _check_shape(member, value[name], f"{where}.{name}", errors)
    elif shape is TEXT:
        if not isinstance(value, str):
            errors.wrong_shape(where, "must be a string")
    elif shape is NUMBER:
        if not _is_number(value):
            errors.wrong_shape(where, "must be a number")
    elif not _is_integer(value):
        errors.wrong_shape(where, "must be an integer")
    elif shape is INT32 and not INT32_MIN <= value <= INT32_MAX:  # type: ignore[operator]
        errors.broken_rule(where, "must be a 32-bit integer")


def _check_seed_domains(value: object, errors: _Errors) -> None:
    where = "similar.domains"
    if not isinstance(value, list):
        return  # reported by the shape check
    if not 1 <= len(value) <= MAX_SEED_DOMAINS:
        errors.broken_rule(where, f"must hold 1 to {MAX_SEED_DOMAINS} domains")
    for index, item in enumerate(value):
        if item == "":
            errors.broken_rule(f"{where}[{index}]", "must not be empty")


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
        elif not is_webhook_url(webhook_url):
            errors.broken_rule("webhook_url", "must be an absolute http(s) URI with a host")

    search = document.get("search")
    similar = document.get("similar")
    for name, value, fields in (
        ("search", search, SEARCH_FIELDS),
        ("similar", similar, SIMILAR_FIELDS),
    ):
        if value is None:
            continue
        if not isinstance(value, dict):
            errors.wrong_shape(name, "must be an object or null")
            continue
        _check_shape(fields, value, name, errors)
        if name == "similar":
            if "domains" not in value:
                errors.wrong_shape("similar.domains", "is required")
            else:
                _check_seed_domains(value["domains"], errors)

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
