"""`FakeCompanyEnrich`: the sans-IO core of the fake export API.

One method, `handle()`, turns a request into a `FakeResponse`; adapters put
it on the wire (ASGI via `__call__`, httpx via `transport()`, real HTTP via
`serve()`). All state sits behind one lock, because a served fake answers
from uvicorn's thread while the test thread adds jobs and moves the clock.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import math
import threading
import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, Literal, Protocol, cast
from urllib.parse import urlsplit
from uuid import UUID

from companyenrich_export._core._clock import Clock, SystemClock

from ._asgi import Receive, Scope, Send, asgi_app
from ._companies import CompanyRecords
from ._drift import apply_drift, parse_drift
from ._enrichments import FakeEnrichmentJob
from ._faults import Fault, FaultQueue, FaultTarget
from ._http import FakeResponse, IncomingRequest, RecordedRequest, json_response
from ._job_routes import JobRoutes, job_route_methods
from ._jobs import FakeJob, JobStatus
from ._matching import matching_companies
from ._preflight import (
    COUNT_SHAPES,
    DEFAULT_ASYNC_LIMIT,
    DEFAULT_CREDITS,
    CountShape,
    Ledger,
    count_body,
    parse_count_request,
)
from ._problems import JSON, negotiate_error_type, problem_response
from ._ratelimit import RateLimit, RateLimiter
from ._results import RESULTS_FORMATS, ResultsFile, ResultsFormat
from ._storage import STORAGE_PREFIX, UrlSigner, s3_error, storage_response
from ._validation import Invalid, is_uuid, parse_create_request, parse_list_query

if TYPE_CHECKING:
    from ._transport import FakeTransport

DEFAULT_BASE_URL: Final = "https://api.companyenrich.com"
EXPORTS_PATH: Final = "/companies/search/async"
JOBS_PATH: Final = "/companies/search/async/jobs"
# The free pre-flight calls (testing/_preflight.py).
PREFLIGHT_PATHS: Final = {
    "/companies/search/count": "count_search",
    "/companies/similar/count": "count_similar",
    "/me": "me",
}

# "more": bulk enrichment and the account-wide list, answered by `_job_routes`.
_Route = Literal[
    "create", "list", "get", "count_search", "count_similar", "me", "more", "storage", "unknown"
]
_ALLOWED: Final[dict[_Route, tuple[str, ...]]] = {
    "create": ("POST",),
    "list": ("GET",),
    "get": ("GET",),
    "count_search": ("POST",),
    "count_similar": ("POST",),
    "me": ("GET",),
}


def _owner_digest(api_key: str) -> str:
    # Jobs remember who owns them by digest, so no job ever holds a key.
    return hashlib.sha256(api_key.encode("utf-8")).hexdigest()[:16]


def _default_storage_base_url(base_url: str) -> str:
    parts = urlsplit(base_url)
    host = (parts.hostname or "localhost").removeprefix("api.")
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme or 'https'}://exports.{host}{port}"


class FakeCompanyEnrich(JobRoutes):
    """An in-memory CompanyEnrich export API that follows openapi.yaml.

    Jobs advance with `clock` (default: real time); share a
    `ManualClock` with the client under test to drive them. The API key is
    never shown: not in `repr`, answers, nor `request_log`.

    `results_format` is how results files are served: one of
    `RESULTS_FORMATS` (`csv`, `json`, `jsonl`, each also `+gzip` for
    `Content-Encoding: gzip` or `.gz` for a gzip file). Set the attribute to
    change it for files served later, or pass `results_format=` to `add_job`
    for one job.

    Like the real API it ignores unknown filter fields and values. A created
    job's `total_matching` is `default_total_matching` if set, else a fixed
    function of the filters the API would recognise (see `_matching`): a
    dropped or misspelt filter shows up as a larger count.

    Pre-flight (`testing/_preflight.py`): the count endpoints answer that same
    number in `count_shape` ("integer", "count" or "totalItems"); each key has
    `credits` in total (see `set_credits`), charged as its exports complete;
    a create it cannot cover is a 402; every authenticated answer carries
    `x-credit-cost` and `x-credit-remaining`.
    """

    def __init__(
        self,
        api_key: str = "test-key",
        *,
        clock: Clock | None = None,
        base_url: str = DEFAULT_BASE_URL,
        storage_base_url: str | None = None,
        url_ttl: float = 600.0,
        default_durations: tuple[float, float, float] = (1.0, 3.0, 1.0),
        default_total_matching: int | None = None,
        seed: int | None = None,
        results_format: str = "csv",
        rate_limit: int | RateLimit | None = None,
        credits: int = DEFAULT_CREDITS,
        async_limit: int = DEFAULT_ASYNC_LIMIT,
        count_shape: CountShape = "integer",
    ) -> None:
        if not api_key:
            raise ValueError("api_key must not be empty")
        if url_ttl <= 0:
            raise ValueError("url_ttl must be positive")
        self._api_key = api_key
        self._keys: list[str] = [api_key]
        self.clock: Clock = clock if clock is not None else SystemClock()
        self.base_url = base_url.rstrip("/")
        self.storage_base_url = (storage_base_url or _default_storage_base_url(base_url)).rstrip(
            "/"
        )
        self.url_ttl = url_ttl
        self.default_durations = default_durations
        self.default_total_matching = default_total_matching
        self.request_log: list[RecordedRequest] = []
        self._seed = seed
        self._jobs: dict[UUID, FakeJob] = {}
        self._enrichments: dict[UUID, FakeEnrichmentJob] = {}
        self._files: dict[UUID, ResultsFile] = {}
        self.results_format = results_format
        self._job_formats: dict[UUID, str] = {}
        # Per job: how often its file was replaced, and when last.
        self._revisions: dict[UUID, tuple[int, datetime]] = {}
        self._faults = FaultQueue()
        self._signer = UrlSigner(
            hashlib.sha256(f"signer:{seed}".encode()).digest() if seed is not None else None
        )
        self._ledger = Ledger(credits, async_limit)
        self.count_shape = count_shape
        self._lock = threading.RLock()
        self._job_sequence = itertools.count(1)
        self._request_sequence = itertools.count(1)
        # Off by default, so tests that are not about limits keep their speed.
        self._limiter: RateLimiter | None = None
        self.rate_limit = rate_limit
        self.api_request_times: list[float] = []
        """When (fake's clock) each API request arrived, refused ones included."""
        self._drift: frozenset[str] = frozenset()

    def __repr__(self) -> str:
        return (
            f"FakeCompanyEnrich(base_url={self.base_url!r}, "
            f"storage_base_url={self.storage_base_url!r}, jobs={len(self._jobs)}, "
            f"api_key=<hidden>)"
        )

    # --- setup and inspection, for tests ---------------------------------

    @property
    def results_format(self) -> str:
        """How results files are served from now on (see the class docstring)."""
        return self._results_format

    @results_format.setter
    def results_format(self, value: str) -> None:
        self._results_format = ResultsFormat.parse(value).name

    @property
    def rate_limit(self) -> RateLimit | None:
        """The per-key limit (None: none); set it to change it, counts start afresh."""
        return self._limiter.limit if self._limiter is not None else None

    @rate_limit.setter
    def rate_limit(self, value: int | RateLimit | None) -> None:
        limit = RateLimit(value) if isinstance(value, int) else value
        with self._lock:
            self._limiter = None if limit is None else RateLimiter(limit)

    @property
    def api_key(self) -> str:
        """The key the fake accepts by default (for building a client)."""
        return self._api_key

    def add_api_key(self, api_key: str) -> None:
        """Accept another key: a second caller, with jobs of its own."""
        if not api_key:
            raise ValueError("api_key must not be empty")
        with self._lock:
            if api_key not in self._keys:
                self._keys.append(api_key)

    def set_credits(
        self,
        total: int | None = None,
        *,
        used: int | None = None,
        async_limit: int | None = None,
        api_key: str | None = None,
    ) -> None:
        """Set a key's credits (total, already used) and its companySearchAsyncLimit."""
        owner = _owner_digest(api_key if api_key is not None else self._api_key)
        with self._lock:
            self._ledger.set(owner, total=total, used=used, async_limit=async_limit)

    def credits_remaining(self, api_key: str | None = None) -> int:
        """What GET /me would say is left (total - used) for the key, now."""
        owner = _owner_digest(api_key if api_key is not None else self._api_key)
        with self._lock:
            return self._ledger.remaining(owner, list(self._jobs.values()), self.clock.monotonic())

    @property
    def count_shape(self) -> CountShape:
        """How the count endpoints answer: a bare integer, {"count": N} or {"totalItems": N}."""
        return self._count_shape

    @count_shape.setter
    def count_shape(self, value: CountShape) -> None:
        if value not in COUNT_SHAPES:
            raise ValueError(f"count_shape must be one of {', '.join(COUNT_SHAPES)}")
        self._count_shape = value

    @property
    def jobs(self) -> Mapping[UUID, FakeJob]:
        """Every job, whoever owns it: a live, read-only view."""
        return MappingProxyType(self._jobs)

    def _new_job_id(self, sequence: int) -> UUID:
        if self._seed is None:
            return uuid.uuid4()
        digest = hashlib.sha256(f"job:{self._seed}:{sequence}".encode()).digest()
        return UUID(bytes=digest[:16], version=4)

    def add_job(
        self,
        *,
        requested_count: int = 100,
        total_matching: int = 2345,
        pending_for: float | None = None,
        processing_for: float | None = None,
        completing_for: float | None = None,
        fail_with: str | None = None,
        fail_after: float | None = None,
        rows: int | None = None,
        result_bytes: int | None = None,
        owner_key: str | None = None,
        job_id: UUID | str | None = None,
        results_format: str | None = None,
    ) -> UUID:
        """Create a job directly, as if POSTed now; durations default to `default_durations`.

        `owner_key` (default: the fake's key) owns the job; other keys get
        404 for it. `rows` sets the results file's data rows (default: the
        exported count) and `result_bytes` pads that file to about that size
        (before any gzip). `results_format` overrides the fake's for this job.
        """
        if requested_count < 0 or total_matching < 0:
            raise ValueError("counts must not be negative")
        chosen_format = ResultsFormat.parse(results_format).name if results_format else None
        pending, processing, completing = self.default_durations
        with self._lock:
            sequence = next(self._job_sequence)
            chosen_id = UUID(str(job_id)) if job_id is not None else self._new_job_id(sequence)
            if chosen_id in self._jobs:
                raise ValueError(f"job {chosen_id} already exists")
            job = FakeJob(
                job_id=chosen_id,
                owner=_owner_digest(owner_key if owner_key is not None else self._api_key),
                requested_count=requested_count,
                total_matching=total_matching,
                created_at=self.clock.utcnow(),
                created_monotonic=self.clock.monotonic(),
                pending_for=pending if pending_for is None else pending_for,
                processing_for=processing if processing_for is None else processing_for,
                completing_for=completing if completing_for is None else completing_for,
                fail_with=fail_with,
                fail_after=fail_after,
                rows=rows,
                result_bytes=result_bytes,
                sequence=sequence,
            )
            self._jobs[chosen_id] = job
            if chosen_format is not None:
                self._job_formats[chosen_id] = chosen_format
        return chosen_id

    def _job(self, job_id: UUID | str) -> FakeJob | FakeEnrichmentJob:
        key = UUID(str(job_id))
        try:
            return self._jobs.get(key) or self._enrichments[key]
        except KeyError:
            raise KeyError(f"no job {job_id}") from None

    def complete_now(self, job_id: UUID | str) -> None:
        """Finish the job successfully at the clock's current time."""
        with self._lock:
            self._job(job_id).force("completed", self.clock.monotonic(), None)

    def fail_now(self, job_id: UUID | str, message: str = "The export failed.") -> None:
        """Fail the job at the clock's current time, with `error_message`."""
        with self._lock:
            self._job(job_id).force("failed", self.clock.monotonic(), message)

    def remove_job(self, job_id: UUID | str) -> None:
        """Forget a job: its id and any results URL now answer 404."""
        with self._lock:
            job = self._job(job_id)
            self._jobs.pop(job.job_id, None)
            self._enrichments.pop(job.job_id, None)
            self._files.pop(job.job_id, None)
            self._job_formats.pop(job.job_id, None)
            self._revisions.pop(job.job_id, None)

    def results_file(self, job_id: UUID | str) -> ResultsFile:
        """The file a completed job's results URL serves (`records()` is what it holds)."""
        with self._lock:
            job = self._job(job_id)
            file = self._results_file(job.job_id)
            if file is None:
                raise ValueError(f"job {job.job_id} has not completed: it has no results file")
            return file

    def replace_results(self, job_id: UUID | str) -> None:
        """Overwrite the job's stored file: new records, new ETag and Last-Modified.

        As when a vendor regenerates an export: a download resumed with the
        old validator must start again from the first byte.
        """
        with self._lock:
            job = self._job(job_id)
            revision, _ = self._revisions.get(job.job_id, (0, None))
            self._revisions[job.job_id] = (revision + 1, self.clock.utcnow())
            self._files.pop(job.job_id, None)

    def status(self, job_id: UUID | str) -> JobStatus:
        """The job's status right now."""
        with self._lock:
            return self._job(job_id).state(self.clock.monotonic()).status

    def job_body(self, job_id: UUID | str) -> dict[str, Any]:
        """The job as GET /companies/search/async/{jobId} would show it now."""
        with self._lock:
            job = self._job(job_id)
            return job.detail(self.clock.monotonic(), self._results_url(job))

    @property
    def drift(self) -> frozenset[str]:
        """Kinds of contract drift the API answers show (see `testing._drift`); empty: none."""
        return self._drift

    @drift.setter
    def drift(self, kinds: Iterable[str]) -> None:
        self._drift = parse_drift(kinds)

    def inject(self, fault: Fault, times: int = 1, *, match: FaultTarget | None = None) -> None:
        """Queue `fault` for the next `times` requests it matches.

        `match` is "api", "storage" or "any"; by default "storage" for
        `Fault.truncated_download()` and "api" for everything else.
        """
        self._faults.add(fault, times, match if match is not None else fault.default_target)

    def clear_faults(self) -> None:
        self._faults.clear()

    @property
    def pending_faults(self) -> list[tuple[Fault, FaultTarget, int]]:
        """Queued faults with their target and remaining uses, oldest first."""
        return self._faults.pending()

    # --- adapters --------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """ASGI 3 entry point (httpx.ASGITransport, uvicorn, schemathesis)."""
        await asgi_app(self, scope, receive, send)

    def transport(self, *, check_origin: bool = True) -> FakeTransport:
        """An httpx transport, sync and async, that calls this fake in-process."""
        from ._transport import FakeTransport

        return FakeTransport(self, check_origin=check_origin)

    # --- the core --------------------------------------------------------

    def handle(
        self,
        method: str,
        path: str,
        *,
        query: str = "",
        headers: Mapping[str, str] | Iterable[tuple[str, str]] = (),
        body: bytes = b"",
    ) -> FakeResponse:
        """Answer one request. `path` is decoded, `query` is the raw query string."""
        items = headers.items() if isinstance(headers, Mapping) else headers
        request = IncomingRequest(
            method=method.upper(),
            path=path,
            query=query,
            headers=tuple((name.lower(), value) for name, value in items),
            body=body,
        )
        route = self._route_of(request.path)
        with self._lock:
            request_number = next(self._request_sequence)
            if route != "storage":
                self.api_request_times.append(self.clock.monotonic())
            limited, remaining = self._rate_limited(request, route, request_number)
            fault = (
                None if limited else self._faults.take("storage" if route == "storage" else "api")
            )
            if limited is not None:
                response = limited
            elif fault is not None and fault.replaces_answer:
                response = self._fault_answer(fault, request, route, request_number)
            else:
                response = self._dispatch(request, route, request_number)
                if route != "storage":
                    apply_drift(self._drift, response)
                if fault is not None:
                    _spoil(response, fault)
            if remaining is not None and limited is None:
                response.headers.append(("x-ratelimit-remaining", str(remaining)))
            self.request_log.append(self._record(request, route, response, fault))
        if request.method == "HEAD":
            response.body = b""
        return response

    def _rate_limited(
        self, request: IncomingRequest, route: _Route, number: int
    ) -> tuple[FakeResponse | None, int | None]:
        """(the 429 for a key over its limit or None, the requests it has left or None)."""
        if self._limiter is None or route == "storage":
            return None, None
        owner = self._authenticate(request)
        if owner is None:
            return None, None
        allowed, remaining, wait = self._limiter.admit(owner, self.clock.monotonic())
        if allowed:
            return None, remaining
        return problem_response(
            429,
            "Too many requests: the rate limit for this key is reached.",
            media_type=negotiate_error_type(request.header("accept")) or JSON,
            instance=request.path,
            trace_id=_trace_id(number),
            extra_headers=[
                ("x-ratelimit-remaining", "0"),
                *self._limiter.retry_after_header(wait),
            ],
        ), 0

    @staticmethod
    def _route_of(path: str) -> _Route:
        if path == EXPORTS_PATH:
            return "create"
        if path == JOBS_PATH:
            return "list"
        if path in PREFLIGHT_PATHS:
            return cast("_Route", PREFLIGHT_PATHS[path])
        if path.startswith(STORAGE_PREFIX):
            return "storage"
        if job_route_methods(path) is not None:
            return "more"
        job_part = path.removeprefix(EXPORTS_PATH + "/")
        if job_part != path and job_part and "/" not in job_part:
            return "get"
        return "unknown"

    def _record(
        self, request: IncomingRequest, route: _Route, response: FakeResponse, fault: Fault | None
    ) -> RecordedRequest:
        inspected = [value for _, value in request.headers] + [request.query, request.path]
        carried = any(key in value for key in self._keys for value in inspected)
        path, query = request.path, request.query
        for key in self._keys if carried else ():
            # A client that puts the key in a URL must not get it into the log.
            path, query = path.replace(key, "<redacted>"), query.replace(key, "<redacted>")
        return RecordedRequest(
            method=request.method,
            path=path,
            query=query,
            status=response.status,
            host=request.header("host"),
            has_authorization=bool(request.header_values("authorization")),
            carried_api_key=carried,
            route="storage" if route == "storage" else "unknown" if route == "unknown" else "api",
            fault=fault.kind if fault is not None else None,
        )

    def _fault_answer(
        self, fault: Fault, request: IncomingRequest, route: _Route, number: int
    ) -> FakeResponse:
        if fault.kind == "malformed":
            headers = [
                ("content-type", fault.content_type),
                ("content-length", str(len(fault.body))),
            ]
            return FakeResponse(status=fault.status, headers=headers, body=fault.body)
        if route == "storage":
            code = {429: "SlowDown", 503: "SlowDown", 500: "InternalError"}.get(
                fault.status, "InjectedFault"
            )
            response = s3_error(fault.status, code, fault.detail, request.path, _request_id(number))
            response.headers.extend(fault.headers)
            return response
        return problem_response(
            fault.status,
            fault.detail,
            media_type=negotiate_error_type(request.header("accept")) or JSON,
            instance=request.path,
            trace_id=_trace_id(number),
            extra_headers=fault.headers,
        )

    def _dispatch(self, request: IncomingRequest, route: _Route, number: int) -> FakeResponse:
        if route == "storage":
            return storage_response(
                request,
                signer=self._signer,
                find_file=self._results_file,
                now=self.clock.utcnow().timestamp(),
                request_id=_request_id(number),
            )
        media_type = negotiate_error_type(request.header("accept"))

        def problem(
            status: int,
            detail: str,
            *,
            errors: Mapping[str, list[str]] | None = None,
            headers: Iterable[tuple[str, str]] = (),
        ) -> FakeResponse:
            return problem_response(
                status,
                detail,
                media_type=media_type or JSON,
                instance=request.path,
                trace_id=_trace_id(number),
                errors=errors,
                extra_headers=headers,
            )

        if route == "unknown":
            return problem(404, "No such resource.")
        allowed = (job_route_methods(request.path) or ()) if route == "more" else _ALLOWED[route]
        if request.method not in allowed:
            return problem(405, "Method not allowed here.", headers=[("allow", ", ".join(allowed))])
        owner = self._authenticate(request)
        if owner is None:
            if request.header_values("authorization"):
                return problem(
                    401,
                    "The API key is not valid.",
                    headers=[("www-authenticate", 'Bearer error="invalid_token"')],
                )
            return problem(
                401,
                "Authentication required: send `Authorization: Bearer <API key>`.",
                headers=[("www-authenticate", "Bearer")],
            )
        if media_type is None:
            return problem(
                400,
                "The accept header must allow application/json or application/problem+json.",
                errors={"accept": ["must be application/json or application/problem+json"]},
            )
        response = self._answer(route, request, owner, problem)
        self._ledger.stamp(response, owner, list(self._jobs.values()), self.clock.monotonic())
        return response

    def _answer(
        self, route: _Route, request: IncomingRequest, owner: str, problem: _Problem
    ) -> FakeResponse:
        if route == "create":
            return self._create(request, owner, problem)
        if route == "list":
            return self._list(request, owner, problem)
        if route == "more":
            return self.handle_job_route(request, owner, problem)
        if route in ("count_search", "count_similar"):
            parsed = parse_count_request(
                request.body, "search" if route == "count_search" else "similar"
            )
            if isinstance(parsed, Invalid):
                return problem(parsed.status, parsed.detail, errors=parsed.errors)
            return count_body(
                *parsed, shape=self._count_shape, default_total_matching=self.default_total_matching
            )
        if route == "me":
            jobs = list(self._jobs.values())
            return json_response(200, self._ledger.me(owner, jobs, self.clock.monotonic()))
        return self._get(request, owner, problem)

    def _authenticate(self, request: IncomingRequest) -> str | None:
        """The owner digest for a valid Bearer key, else None."""
        values = request.header_values("authorization")
        if len(values) != 1:
            return None
        scheme, _, token = values[0].strip().partition(" ")
        if scheme.lower() != "bearer" or not token:
            return None
        given = token.strip().encode("utf-8", "surrogateescape")
        for key in self._keys:
            if hmac.compare_digest(given, key.encode("utf-8")):
                return _owner_digest(key)
        return None

    def _create(self, request: IncomingRequest, owner: str, problem: _Problem) -> FakeResponse:
        parsed = parse_create_request(request.body)
        if isinstance(parsed, Invalid):
            return problem(parsed.status, parsed.detail, errors=parsed.errors)
        total = self.default_total_matching
        if total is None:
            # Narrowed by each filter the API would recognise: a typo shows as a larger count.
            total = matching_companies(parsed.search, parsed.similar)
        refusal = self._unaffordable(owner, parsed.count, total, problem)
        if refusal is not None:
            return refusal
        pending, processing, completing = self.default_durations
        sequence = next(self._job_sequence)
        job = FakeJob(
            job_id=self._new_job_id(sequence),
            owner=owner,
            requested_count=parsed.count,
            total_matching=total,
            created_at=self.clock.utcnow(),
            created_monotonic=self.clock.monotonic(),
            pending_for=pending,
            processing_for=processing,
            completing_for=completing,
            webhook_url=parsed.webhook_url,
            request={"search": parsed.search, "similar": parsed.similar, "count": parsed.count},
            sequence=sequence,
        )
        self._jobs[job.job_id] = job
        return json_response(
            200,
            {
                "job_id": str(job.job_id),
                "status": job.state(self.clock.monotonic()).status,
                "requested_count": job.requested_count,
                "total_matching": job.total_matching,
                "estimated_credits": job.requested_count,
            },
        )

    def _unaffordable(
        self, owner: str, count: int, total: int, problem: _Problem
    ) -> FakeResponse | None:
        """The 422 (above the async limit) or 402 (not covered) a create gets; assumptions."""
        limit = self._ledger.account(owner).async_limit
        if count > limit:
            return problem(
                422,
                "One or more validation errors occurred.",
                errors={"count": [f"must be at most {limit} (companySearchAsyncLimit)"]},
            )
        jobs = list(self._jobs.values())
        available = self._ledger.available(owner, jobs, self.clock.monotonic())
        if min(count, total) > available:
            return problem(
                402,
                f"Not enough credits: this export needs up to {min(count, total)}, "
                f"{available} are available.",
            )
        return None

    def _list(self, request: IncomingRequest, owner: str, problem: _Problem) -> FakeResponse:
        parsed = parse_list_query(request.query)
        if isinstance(parsed, Invalid):
            return problem(parsed.status, parsed.detail, errors=parsed.errors)
        now = self.clock.monotonic()
        mine = [job for job in self._jobs.values() if job.owner == owner]
        if parsed.status is not None:
            mine = [job for job in mine if job.state(now).status == parsed.status]
        mine.sort(key=lambda job: (job.created_monotonic, job.sequence), reverse=True)
        start = (parsed.page - 1) * parsed.page_size
        page_items = mine[start : start + parsed.page_size]
        return json_response(
            200,
            {
                "items": [job.summary(now) for job in page_items],
                "page": parsed.page,
                "totalPages": math.ceil(len(mine) / parsed.page_size),
                "totalItems": len(mine),
            },
        )

    def _get(self, request: IncomingRequest, owner: str, problem: _Problem) -> FakeResponse:
        raw_id = request.path.removeprefix(EXPORTS_PATH + "/")
        if not is_uuid(raw_id):
            return problem(400, "The job id must be a UUID.", errors={"jobId": ["must be a UUID"]})
        job = self._jobs.get(UUID(raw_id))
        # Another caller's job is reported exactly like a missing one.
        if job is None or job.owner != owner:
            return problem(404, "No export job with this id.")
        return json_response(200, job.detail(self.clock.monotonic(), self._results_url(job)))

    # --- results files ---------------------------------------------------

    def _results_url(self, job: FakeJob | FakeEnrichmentJob) -> str | None:
        """A freshly signed URL for a completed job's file, else None."""
        if job.state(self.clock.monotonic()).status != "completed":
            return None
        expires = math.floor(self.clock.utcnow().timestamp() + self.url_ttl)
        extension = ResultsFormat.parse(self._format_of(job.job_id)).extension
        return self._signer.sign(self.storage_base_url, f"{job.job_id}{extension}", expires)

    def _format_of(self, job_id: UUID) -> str:
        return self._job_formats.get(job_id, self._results_format)

    def _results_file(self, job_id: UUID) -> ResultsFile | None:
        enrichment = self._enrichments.get(job_id)
        if enrichment is not None:
            return self._enrichment_results_file(enrichment)
        job = self._jobs.get(job_id)
        if job is None:
            return None
        state = job.state(self.clock.monotonic())
        if state.status != "completed":
            return None
        file = self._files.get(job_id)
        results_format = self._format_of(job_id)
        if file is None or file.format.name != results_format:
            rows = job.rows if job.rows is not None else state.exported_count
            revision, replaced_at = self._revisions.get(job_id, (0, None))
            file = ResultsFile(
                job_id,
                rows,
                job.result_bytes,
                results_format=results_format,
                revision=revision,
                last_modified=replaced_at or state.completed_at,
                # Records that match the query that made the job (see _matching).
                companies=CompanyRecords(
                    job_id, rows, revision=revision, search=(job.request or {}).get("search")
                ),
            )
            self._files[job_id] = file
        return file


class _Problem(Protocol):
    """The problem builder `_dispatch` hands to each handler."""

    def __call__(
        self,
        status: int,
        detail: str,
        *,
        errors: Mapping[str, list[str]] | None = ...,
        headers: Iterable[tuple[str, str]] = ...,
    ) -> FakeResponse: ...


def _spoil(response: FakeResponse, fault: Fault) -> None:
    """Apply a fault that lets the request through but spoils the delivery."""
    if fault.kind == "slow":
        response.delay = fault.seconds
    elif fault.kind == "drop":
        response.drop = True
    elif fault.kind == "truncated_download":
        length = response.content_length
        if length is None and isinstance(response.body, bytes):
            length = len(response.body)
        if length:
            response.truncate_at = math.floor(length * fault.fraction)


def _trace_id(number: int) -> str:
    digest = hashlib.sha256(f"trace:{number}".encode()).hexdigest()
    return f"00-{digest[:32]}-{digest[32:48]}-00"


def _request_id(number: int) -> str:
    return hashlib.sha256(f"request:{number}".encode()).hexdigest()[:16].upper()


__all__ = ["DEFAULT_BASE_URL", "EXPORTS_PATH", "JOBS_PATH", "RESULTS_FORMATS", "FakeCompanyEnrich"]
