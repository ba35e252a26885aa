"""What both schemathesis runs share (in-process over ASGI, and over real HTTP).

* A seeded configuration, and seeded state machines, so every run sends
  the same cases.
* A fake with jobs in every state, and a hook that points generated job ids
  at them (so GETs are exercised as 200s, not only 404s).
* The checks of "one contract" for create requests and, their filter put
  in a create body, for the two count calls (see `_contract`):
  - `negative_data_rejection_as_the_vendor` replaces schemathesis's
    `negative_data_rejection`: the fake may accept a schema-invalid body
    only where the real API would (an unknown filter field or value, say),
    and then the client must refuse that body before sending it;
  - `client_agrees_with_the_spec`: for every create body generated, the
    client sends it if the spec accepts it and refuses it if not;
  - `CountsAgreeWithCreate` (the in-process run): each create case's filter
    is sent to its count call too, which must answer as the vendor would.
    The systematic coverage phase runs on create alone, in that run.
* `ignored_auth` probing each operation once per run, as schemathesis's own
  command line does, not after every answered case (`check_kwargs`).
* Probes that let schemathesis see the `webhook_url` pattern implies
  `format: uri` (`_URI_PROBES`).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import hypothesis
import requests
import schemathesis
from _contract import client_refusal, spec_accepts, vendor_accepts
from schemathesis.checks import CheckContext
from schemathesis.config import SchemathesisConfig
from schemathesis.core.parameters import ParameterLocation
from schemathesis.core.transport import Response
from schemathesis.generation.case import Case
from schemathesis.generation.stateful.state_machine import DEFAULT_STATE_MACHINE_SETTINGS
from schemathesis.hooks import HookContext
from schemathesis.schemas import BaseSchema
from schemathesis.specs.openapi.checks import ignored_auth, negative_data_rejection
from schemathesis.specs.openapi.coverage import _schema as coverage_schema

from companyenrich_export.testing import FakeCompanyEnrich, ManualClock

SPEC_PATH = Path(__file__).resolve().parent.parent / "openapi.yaml"
API_KEY = "test-key"
EXAMPLE_JOB_ID = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
JOB_PATH = "/companies/search/async/{jobId}"
CREATE_PATH = "/companies/search/async"
BULK_JOB_PATH = "/companies/enrich/bulk/{jobId}"
ACCOUNT_JOB_PATH = "/jobs/{jobId}"
# The count calls take the filter of a create body on its own: one contract for both.
COUNT_PATHS = {"/companies/search/count": "search", "/companies/similar/count": "similar"}


# Before the coverage phase breaks only a string's `format`, schemathesis asks
# whether the string's `pattern` implies the format: a pattern that matches its
# probes' valid values and none of their near misses does, and the case is
# skipped. 4.32.5 has probes for `uuid` and `date` only. Without these, it drew
# pattern-matching values hoping one breaks `format: uri`, for 8 of the 12
# CPU-s of collecting these modules, and gave up: the `webhook_url` pattern
# only matches absolute http(s) URIs. Near misses are what a loose URL pattern
# lets through; `test_filter_types` pins the pattern itself, and
# `test_schemathesis_fake` that schemathesis sees it implies the format.
_URI_PROBES = (
    ("https://example.com/hook", "http://127.0.0.1:8080/a/b?c=d&e#f"),
    (
        "https://exa mple.com/",
        "https://example.com/a b",
        "https://example.com/%zz",
        "https://example.com/<a>",
        "https://example.com/{x}",
        "https://example.com/a\\b",
        "https://example.com/#a#b",
        "https://example.com/a|b",
        "https://example.com/\n",
    ),
)
_known_probes = getattr(coverage_schema, "_FORMAT_PROBES", None)
if isinstance(_known_probes, dict):
    _known_probes.setdefault("uri", _URI_PROBES)


def config(*, max_examples: int, cover_create: bool) -> SchemathesisConfig:
    """A seeded configuration; `cover_create=False` skips the coverage phase for create.

    That phase sends about 1,500 systematic variants of a create body (every
    filter field broken in every way), half a minute of work: one of the two
    runs is enough for it. The count calls take the same filters, and their
    own coverage phase (as many variants again, each) never runs:
    `CountsAgreeWithCreate` sends each create variant's filter to its count
    call instead, for a tenth of the time.
    """
    operations: list[dict[str, Any]] = []
    for path in (*(() if cover_create else (CREATE_PATH,)), *COUNT_PATHS):
        operations.append(
            # By name: each `include-*` key is a filter of its own, any one
            # matching, so a path and a method would pick every POST.
            {"include-name": f"POST {path}", "phases": {"coverage": {"enabled": False}}}
        )
    return SchemathesisConfig.from_dict(
        {
            "seed": 20261117,
            "generation": {
                "deterministic": True,
                "database": "none",
                "max-examples": max_examples,
            },
            "operations": operations,
            # The scheme-aware `[auth]` form: schemathesis then knows the key is
            # explicit in every phase. With `config.update(headers=...)` the
            # fuzzing phase treats the header as generated and `ignored_auth`
            # fails on every 200 without even probing.
            "auth": {"openapi": {"bearerAuth": {"bearer": API_KEY}}},
        }
    )


class SeededFake:
    """A fake holding a job in every state, plus one of another caller."""

    def __init__(self) -> None:
        self.fake = FakeCompanyEnrich(API_KEY, clock=ManualClock(), seed=11)
        add = self.fake.add_job
        self.job_ids = [
            EXAMPLE_JOB_ID,
            str(add(pending_for=3600)),
            str(add(pending_for=0, processing_for=3600)),
            str(add(pending_for=0, processing_for=0, completing_for=3600)),
            str(add(pending_for=0, processing_for=0, completing_for=0, requested_count=3)),
            str(add(fail_with="The search backend timed out.", fail_after=0)),
        ]
        add(job_id=EXAMPLE_JOB_ID, pending_for=0, processing_for=0, completing_for=0)
        self.other_callers_job = str(add(owner_key="someone-else"))
        # Bulk enrichments in every state (issue 21); /jobs/{jobId} finds both kinds.
        enrich = self.fake.add_enrichment_job
        self.enrichment_ids = [
            str(enrich(pending_for=3600)),
            str(enrich(pending_for=0, processing_for=3600)),
            str(enrich(pending_for=0, processing_for=0, completing_for=3600)),
            str(enrich(pending_for=0, processing_for=0, completing_for=0)),
            str(enrich(fail_with="The enrichment backend timed out.", fail_after=0)),
        ]
        self.other_callers_enrichment = str(enrich(owner_key="someone-else"))
        self.seeded: dict[str, tuple[list[str], str]] = {
            JOB_PATH: (self.job_ids, self.other_callers_job),
            BULK_JOB_PATH: (self.enrichment_ids, self.other_callers_enrichment),
            ACCOUNT_JOB_PATH: (self.job_ids + self.enrichment_ids, self.other_callers_job),
        }

    def steer(self, context: HookContext, case: Case) -> Case:
        """A `map_case` hook: most valid job ids become seeded jobs."""
        seeded = self.seeded.get(case.operation.path)
        if seeded is None or case.path_parameters is None:
            return case
        if case.meta is not None and case.meta.is_negative_at(ParameterLocation.PATH):
            return case
        job_ids, other_callers_job = seeded
        drawn = str(case.path_parameters.get("jobId", ""))
        pick = hashlib.sha256(drawn.encode()).digest()[0] % (len(job_ids) + 2)
        if pick < len(job_ids):
            case.path_parameters["jobId"] = job_ids[pick]
        elif pick == len(job_ids):
            case.path_parameters["jobId"] = other_callers_job
        return case


def _create_body(case: Case) -> dict[str, Any] | None:
    """The create body a case stands for: its own, or a count's filter put in one."""
    if case.operation.method.upper() != "POST":
        return None
    kind = COUNT_PATHS.get(case.operation.path)
    if kind is not None:
        return {"count": 1, kind: case.body}
    if case.operation.path != CREATE_PATH:
        return None
    return case.body if isinstance(case.body, dict) else None


def negative_data_rejection_as_the_vendor(
    ctx: CheckContext, response: Response, case: Case
) -> bool | None:
    body = _create_body(case)
    if body is not None and 200 <= response.status_code < 300 and not spec_accepts(body):
        assert vendor_accepts(body), (
            f"the fake accepted a create body that the real API would refuse: {body!r}"
        )
        return None  # tolerated like the vendor; client_agrees_with_the_spec checks the client
    return negative_data_rejection(ctx, response, case)


def client_agrees_with_the_spec(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    body = _create_body(case)
    if body is None:
        return None
    refusal = client_refusal(body)
    if spec_accepts(body):
        assert refusal is None, f"the client refuses a body the spec accepts: {refusal}: {body!r}"
    else:
        assert refusal is not None, f"the client would send a body the spec rejects: {body!r}"
    return None


def stateful_settings(*, max_examples: int, steps: int) -> hypothesis.settings:
    """Settings for a state machine run from pytest, which ignores the config's stateful phase.

    Without them schemathesis runs 100 unseeded scenarios: slow, and different every time.
    """
    return hypothesis.settings(
        DEFAULT_STATE_MACHINE_SETTINGS,
        max_examples=max_examples,
        stateful_step_count=steps,
        derandomize=True,
        database=None,
    )


class CountsAgreeWithCreate:
    """A check of create cases: each filter in the body, sent alone to its count call.

    The count calls take a create body's filter on its own: one contract for
    both. The fake (its sans-IO core, in this process) must answer the filter
    as the vendor would: 2xx exactly when `vendor_accepts` the create body
    made of it. Counted, so a test can see it ran and met both answers.
    """

    __name__ = "counts_agree_with_create"

    def __init__(self, fake: FakeCompanyEnrich) -> None:
        self.fake = fake
        self.accepted = 0
        self.refused = 0

    def __call__(self, ctx: CheckContext, response: Response, case: Case) -> bool | None:
        body = case.body
        if case.operation.method.upper() != "POST" or case.operation.path != CREATE_PATH:
            return None
        if not isinstance(body, dict):
            return None
        for path, kind in COUNT_PATHS.items():
            if body.get(kind) is None:  # absent, or null: no such filter in this create
                continue
            answer = self.fake.handle(
                "POST",
                path,
                headers={"authorization": f"Bearer {API_KEY}", "content-type": "application/json"},
                body=json.dumps(body[kind]).encode(),
            )
            accepted = 200 <= answer.status < 300
            assert accepted == vendor_accepts({"count": 1, kind: body[kind]}), (
                f"{path} answered {answer.status} to the {kind} filter of {body!r}"
            )
            self.accepted += accepted
            self.refused += not accepted
        return None


def check_kwargs(
    auth_enforced: set[str], counts: CountsAgreeWithCreate | None = None
) -> dict[str, Any]:
    """The checks for `call_and_validate`; `auth_enforced` collects the operations probed.

    `ignored_auth` sends its two probes (no key, a wrong key) once per
    operation, as schemathesis's command line does: called from pytest it has
    no run to remember what it confirmed, and probed after every case the fake
    answered with a 2xx, about 3,000 extra requests. Its checks without
    probes (a generated key, or none, let through) still run on every case.
    """

    def ignored_auth_once_per_operation(
        ctx: CheckContext, response: Response, case: Case
    ) -> bool | None:
        ctx.auth_enforced_operations = auth_enforced
        return ignored_auth(ctx, response, case)

    return {
        "excluded_checks": [negative_data_rejection, ignored_auth],
        "additional_checks": [
            negative_data_rejection_as_the_vendor,
            client_agrees_with_the_spec,
            ignored_auth_once_per_operation,
            *([counts] if counts is not None else []),
        ],
    }


def operation_labels(schema: BaseSchema) -> set[str]:
    """Every operation's label (`GET /me`), as `ignored_auth` records them."""
    return {result.ok().label for result in schema.get_all_operations()}


# Headers that frame the HTTP message rather than say anything to the API. A
# fuzzed value breaks the message itself, and the server's HTTP layer refuses
# it before any API code runs: uvicorn answers `400 text/plain` ("Invalid HTTP
# request received."), which no contract covers, and the vendor's front end
# does what it does. Hypothesis draws header names from string constants in
# our own modules, so "content-length" can come up, and then did: a run with
# one more local module loaded drew it.
FRAMING_HEADERS = frozenset(
    {"content-length", "transfer-encoding", "host", "connection", "te", "upgrade", "expect"}
)


def without_framing_headers(case: Case) -> Case:
    """`case` without the headers that would break the HTTP message rather than test the API."""
    if case.headers:
        for name in [name for name in case.headers if name.lower() in FRAMING_HEADERS]:
            del case.headers[name]
    return case


def load_schema(app: FakeCompanyEnrich | None, seeded: SeededFake, **settings: Any) -> BaseSchema:
    schema = schemathesis.openapi.from_path(SPEC_PATH, config=config(**settings))
    if app is not None:
        schema.app = app

    def map_case(context: HookContext, case: Case) -> Case:
        return without_framing_headers(seeded.steer(context, case))

    schema.hook(map_case)
    return schema


def for_the_fake(session: requests.Session) -> requests.Session:
    """`session` as these runs need it, to the fake in-process or on loopback.

    - requests' default `Accept: */*` is removed: schemathesis 4.32.5 lets it
      win over the case's own `accept`, so negative accept values would never
      reach the fake (and be reported as "accepted").
    - The environment is not read: no proxy or `.netrc` applies to the fake,
      and reading them (all of `os.environ`, every request) was a tenth of a
      run's time, over its 14,000 requests.
    """
    del session.headers["Accept"]
    session.trust_env = False
    return session
