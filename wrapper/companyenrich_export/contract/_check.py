"""Running the probes against an API and collecting what drifted.

Requests go through the client's own configuration (key, base URL,
timeouts) and bounded body reader, one at a time and without retries: a
run is at most one request per probe (7 today), far below the ~500 a minute
reported for the API, and every one of them is free and read-only.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Iterable, Sequence
from typing import Any, Final
from urllib.parse import quote
from uuid import UUID

import attrs
import httpx

from companyenrich_export._core._bodies import MAX_API_BODY
from companyenrich_export._core._operations import ApiRequest
from companyenrich_export._core._redact import clip, redact_secret, redact_url
from companyenrich_export._core._requests import ClientConfig, transport_error
from companyenrich_export._jobs._models import coerce_job_id
from companyenrich_export._sync._client import CompanyEnrich
from companyenrich_export._sync._http import HTTP

from ._probes import PROBES, Probe
from ._schema import Finding, schema_findings, shown
from ._spec import Operation, load_spec, operation

__all__ = [
    "EXIT_ADDITIVE",
    "EXIT_BREAKING",
    "EXIT_CANNOT_CHECK",
    "EXIT_OK",
    "CheckReport",
    "Drift",
    "ProbeResult",
    "run_check",
]

# The process exit status for each outcome; the CLI's ExitCode has the same values.
EXIT_OK: Final = 0
EXIT_CANNOT_CHECK: Final = 3
EXIT_BREAKING: Final = 6
EXIT_ADDITIVE: Final = 7

# Headers any HTTP server, CDN or proxy may add: not the API's contract, so
# never reported as new. The spec's own headers for a response are added per
# answer, and `ignore_headers=` (`--ignore-header`) extends the list.
STANDARD_HEADERS: Final = frozenset(
    {
        "accept-ranges", "access-control-allow-credentials", "access-control-allow-headers",
        "access-control-allow-methods", "access-control-allow-origin",
        "access-control-expose-headers", "access-control-max-age", "age", "allow", "alt-svc",
        "cache-control", "connection", "content-disposition", "content-encoding",
        "content-language", "content-length", "content-location", "content-range",
        "content-security-policy", "content-type", "cross-origin-embedder-policy",
        "cross-origin-opener-policy", "cross-origin-resource-policy", "date", "etag",
        "expires", "keep-alive", "last-modified", "link", "location", "nel",
        "permissions-policy", "pragma", "referrer-policy", "report-to", "reporting-endpoints",
        "request-id", "server", "server-timing", "set-cookie", "strict-transport-security",
        "timing-allow-origin", "traceparent", "tracestate", "trailer", "transfer-encoding",
        "upgrade", "vary", "via", "www-authenticate", "x-cache", "x-cache-hits",
        "x-content-type-options", "x-correlation-id", "x-frame-options", "x-powered-by",
        "x-request-id", "x-served-by", "x-timer", "x-xss-protection",
    }
)  # fmt: skip
# Prefixes of CDN and cloud load balancers' own headers.
STANDARD_HEADER_PREFIXES: Final = ("cf-", "x-amz", "x-envoy-", "x-vercel-", "x-cloud-trace")
_HTTP_ERRORS_THAT_STOP: Final = (429,)


@attrs.frozen(kw_only=True)
class Drift:
    """One way an answer differs from the shipped spec."""

    severity: str
    """`breaking` or `additive`."""
    kind: str
    """missing-field, type-changed, enum-changed, format-changed, value-changed,
    unknown-status, status-changed, media-type-changed, not-json, new-field, new-header."""
    operation: str
    """The spec's operationId."""
    status: int
    """The HTTP status of the answer it was found in."""
    where: str
    """`body: items[].status`, `header: x-new`, `status`."""
    expected: str
    got: str
    probes: tuple[str, ...]
    """The probes whose answers showed it."""

    def to_json(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "kind": self.kind,
            "operation": self.operation,
            "status": self.status,
            "where": self.where,
            "expected": self.expected,
            "got": self.got,
            "probes": list(self.probes),
        }


@attrs.frozen(kw_only=True)
class ProbeResult:
    """What one probe sent and how it went: ok, drift, skipped or cannot-check."""

    name: str
    operation: str
    method: str
    path: str
    result: str
    status: int | None = None
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "operation": self.operation,
            "method": self.method,
            "path": self.path,
            "status": self.status,
            "result": self.result,
            "note": self.note,
        }


@attrs.frozen(kw_only=True)
class CheckReport:
    """Everything a run found; `outcome` and `exit_code` sum it up."""

    base_url: str
    spec_version: str
    probes: tuple[ProbeResult, ...]
    drift: tuple[Drift, ...]
    error: str | None = None
    """Why the check could not run to the end (key refused, no connection, 429, 5xx)."""

    @property
    def breaking(self) -> tuple[Drift, ...]:
        return tuple(each for each in self.drift if each.severity == "breaking")

    @property
    def additive(self) -> tuple[Drift, ...]:
        return tuple(each for each in self.drift if each.severity == "additive")

    @property
    def outcome(self) -> str:
        """`cannot-check`, `breaking`, `additive` or `ok`, the first that applies."""
        if self.error is not None:
            return "cannot-check"
        if self.breaking:
            return "breaking"
        return "additive" if self.drift else "ok"

    @property
    def exit_code(self) -> int:
        return {
            "cannot-check": EXIT_CANNOT_CHECK,
            "breaking": EXIT_BREAKING,
            "additive": EXIT_ADDITIVE,
            "ok": EXIT_OK,
        }[self.outcome]

    def to_json(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "exit_code": self.exit_code,
            "base_url": self.base_url,
            "spec_version": self.spec_version,
            "error": self.error,
            "breaking": len(self.breaking),
            "additive": len(self.additive),
            "probes": [each.to_json() for each in self.probes],
            "drift": [each.to_json() for each in self.drift],
        }


class _CannotCheck(Exception):
    """The run stops: the answer says nothing about the contract (or nothing came)."""


def run_check(
    client: CompanyEnrich | None = None,
    *,
    api_key: str | None = None,
    base_url: str | None = None,
    timeout: float | None = None,
    job_id: str | UUID | None = None,
    ignore_headers: Iterable[str] = (),
    probes: Sequence[Probe] = PROBES,
) -> CheckReport:
    """Run the contract checks against the API and report every drift found.

        report = run_check()                       # key and URL from the environment
        with CompanyEnrich() as client:
            report = run_check(client, job_id="3fa85f64-...")
        sys.exit(report.exit_code)

    `job_id` names a job of yours to fetch (default: the newest listed one).
    Bad arguments raise ValueError before any request; problems talking to
    the API are in the report (`outcome == "cannot-check"`), never raised.
    """
    named = coerce_job_id(job_id) if job_id is not None else None
    ignored = frozenset(name.strip().lower() for name in ignore_headers)
    if client is None:
        with CompanyEnrich(api_key, base_url=base_url, timeout=timeout, max_retries=0) as own:
            return _Run(own, named, ignored).run(probes)
    return _Run(client, named, ignored).run(probes)


class _Run:
    def __init__(self, client: CompanyEnrich, job_id: UUID | None, ignored: frozenset[str]) -> None:
        # The client's own configuration and connection pool: one place for the key.
        self.config: ClientConfig = client._config
        self.http = HTTP(self.config, client._http)
        self.job_id = job_id
        self.ignored = ignored
        self.results: list[ProbeResult] = []
        self.drift: dict[tuple[str, int, str, str, str], Drift] = {}

    def run(self, probes: Sequence[Probe]) -> CheckReport:
        error: str | None = None
        for probe in probes:
            try:
                self._probe(probe)
            except _CannotCheck as stop:
                error = str(stop)
                break
        spec = load_spec()
        return CheckReport(
            base_url=redact_url(self.config.base_url),
            spec_version=str(spec.get("info", {}).get("version", "")),
            probes=tuple(self.results),
            drift=tuple(self.drift.values()),
            error=error,
        )

    def _probe(self, probe: Probe) -> None:
        op = operation(probe.method, probe.path)
        if op is None:
            self._result(probe, probe.path, "skipped", note="not in the shipped spec")
            return
        path = self._path(probe)
        if path is None:
            self._result(
                probe,
                op.operation_id,
                "skipped",
                note="no job to fetch: none listed (pass --job-id to name one)",
            )
            return
        request = self.config.build(
            self.http.client,
            ApiRequest(
                method=probe.method,
                path=path,
                params=dict(probe.params) if probe.params else None,
                json=probe.json,
                accept=probe.accept,
            ),
            timeout=None,
        )
        if not probe.send_key:
            del request.headers["authorization"]
        try:
            response, body = self.http._exchange(request)
        except httpx.HTTPError as exc:
            message = transport_error(exc, request, self.config).message
            self._result(probe, op.operation_id, "cannot-check", note=message)
            raise _CannotCheck(
                f"{message} ({redact_url(self.config.base_url)}): cannot check"
            ) from None
        status = response.status_code
        if status in _HTTP_ERRORS_THAT_STOP or status >= 500:
            note = f"the API answered {status} {self._reason(response)}"
            self._result(probe, op.operation_id, "cannot-check", status=status, note=note)
            raise _CannotCheck(f"{note} to {probe.name}: cannot check now, try again later")
        if probe.authenticates and status in (401, 403):
            note = f"the API key was refused ({status} {self._reason(response)})"
            self._result(probe, op.operation_id, "cannot-check", status=status, note=note)
            raise _CannotCheck(f"{note}: cannot check (is it the right key for this base URL?)")
        found = self._answer(probe, op, response, body.finish(), body.truncated, body.decode_error)
        for finding in found:
            key = (op.operation_id, status, finding.kind, finding.where, finding.expected)
            seen = self.drift.get(key)
            probes = (*seen.probes, probe.name) if seen else (probe.name,)
            self.drift[key] = Drift(
                severity=finding.severity,
                kind=finding.kind,
                operation=op.operation_id,
                status=status,
                where=finding.where,
                expected=finding.expected,
                # A server that echoes the key must not get it into a CI log.
                got=redact_secret(finding.got, self.config.api_key),
                probes=probes,
            )
        self._result(probe, op.operation_id, "drift" if found else "ok", status=status)

    def _reason(self, response: httpx.Response) -> str:
        # The reason phrase is the server's text: one short line, without the key.
        return clip(redact_secret(response.reason_phrase, self.config.api_key), 40)

    def _path(self, probe: Probe) -> str | None:
        if probe.job is None:
            return probe.path
        if probe.job == "listed":
            if self.job_id is None:
                return None
            job = str(self.job_id)
        elif probe.job == "unknown":
            job = str(uuid.uuid4())
        else:
            job = "not-a-job-id"
        return probe.path.replace("{jobId}", quote(job, safe=""))

    def _result(
        self,
        probe: Probe,
        operation_id: str,
        result: str,
        *,
        status: int | None = None,
        note: str = "",
    ) -> None:
        self.results.append(
            ProbeResult(
                name=probe.name,
                operation=operation_id,
                method=probe.method,
                path=probe.path,
                result=result,
                status=status,
                note=note,
            )
        )

    def _answer(
        self,
        probe: Probe,
        op: Operation,
        response: httpx.Response,
        content: bytes,
        truncated: bool,
        decode_error: str | None,
    ) -> list[Finding]:
        status = response.status_code
        documented = op.response(status)
        if documented is None:
            return [
                Finding(
                    severity="breaking",
                    kind="unknown-status",
                    where="status",
                    expected="one of " + ", ".join(op.documented_statuses()),
                    got=str(status),
                )
            ]
        findings: list[Finding] = []
        if status not in probe.expect:
            findings.append(
                Finding(
                    severity="breaking",
                    kind="status-changed",
                    where="status",
                    expected=" or ".join(str(each) for each in sorted(probe.expect)),
                    got=str(status),
                )
            )
        findings.extend(self._headers(documented, response))
        content_types: dict[str, Any] = documented.get("content") or {}
        if not content_types:
            return findings
        sent_type = response.headers.get("content-type", "").split(";")[0].strip()
        media_type = sent_type.lower()
        if media_type not in content_types:
            findings.append(
                Finding(
                    severity="breaking",
                    kind="media-type-changed",
                    where="header: content-type",
                    expected=" or ".join(sorted(content_types)),
                    # As sent, redacted before clipping (lower case or a clip can hide the key).
                    got=clip(redact_secret(sent_type, self.config.api_key) or "(none)", 80),
                )
            )
            return findings
        if decode_error is not None or truncated:
            reason = decode_error or f"larger than {MAX_API_BODY:,} bytes"
            findings.append(_not_json(clip(reason, 80)))
            return findings
        key = self.config.api_key
        try:
            instance = json.loads(content)
        except (ValueError, RecursionError):
            findings.append(_not_json(shown(content.decode("utf-8", "replace"), key)))
            return findings
        schema = content_types[media_type].get("schema")
        if isinstance(schema, dict):
            findings.extend(
                attrs.evolve(each, where=f"body: {each.where}")
                for each in schema_findings(op.spec, schema, instance, key)
            )
        if probe.job is None and self.job_id is None and isinstance(instance, dict):
            self._remember_job(instance)
        return findings

    def _remember_job(self, page: dict[str, Any]) -> None:
        items = page.get("items")
        first = items[0] if isinstance(items, list) and items else None
        if isinstance(first, dict):
            # A bad id is reported as drift already; there is just no job to fetch.
            with contextlib.suppress(TypeError, ValueError):
                self.job_id = coerce_job_id(first.get("job_id"))

    def _headers(self, documented: dict[str, Any], response: httpx.Response) -> list[Finding]:
        declared = {name.lower() for name in documented.get("headers") or {}}
        findings: list[Finding] = []
        for name in sorted({key.lower() for key in response.headers}):
            if (
                name in declared
                or name in STANDARD_HEADERS
                or name in self.ignored
                or name.startswith(STANDARD_HEADER_PREFIXES)
            ):
                continue
            findings.append(
                Finding(
                    severity="additive",
                    kind="new-header",
                    # Redacted before clipping, which could leave part of the key.
                    where=f"header: {clip(redact_secret(name, self.config.api_key), 80)}",
                    expected="not in the spec",
                    got=shown(response.headers.get(name, ""), self.config.api_key),
                )
            )
        return findings


def _not_json(got: str) -> Finding:
    return Finding(
        severity="breaking", kind="not-json", where="body", expected="a JSON document", got=got
    )
