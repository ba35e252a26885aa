"""The spec's limits and paths live in `_operations`, and they agree with openapi.yaml.

`_operations` is also the one place that calls the generated client's private
`_get_kwargs`; these tests fail, naming the operation, if a generator upgrade
moves or reshapes it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import UUID

import yaml

from companyenrich_export._core import _operations
from companyenrich_export_api.models import CreateExportRequest, JobStatus

SPEC: dict[str, Any] = yaml.load(
    (Path(__file__).resolve().parent.parent / "openapi.yaml").read_text(), Loader=yaml.CSafeLoader
)
JOB_ID = UUID("3fa85f64-5717-4562-b3fc-2c963f66afa6")


def _schema(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = SPEC["components"]["schemas"][name]
    return schema


def _query_parameter(path: str, name: str) -> dict[str, Any]:
    for parameter in SPEC["paths"][path]["get"]["parameters"]:
        if parameter.get("name") == name:
            schema: dict[str, Any] = parameter["schema"]
            return schema
    raise AssertionError(f"{path} has no query parameter {name}")


def _resolved(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = _schema(schema["$ref"].rsplit("/", 1)[-1])
    return schema


def _similar_domains() -> dict[str, Any]:
    similar = _schema("CreateExportRequest")["properties"]["similar"]
    for option in similar.get("oneOf") or similar.get("anyOf") or [similar]:
        option = _resolved(option)
        if "properties" in option and "domains" in option["properties"]:
            return _resolved(option["properties"]["domains"])
    raise AssertionError("the similar query has no domains in openapi.yaml")


def test_limits_match_the_spec() -> None:
    count = _schema("CreateExportRequest")["properties"]["count"]
    assert _operations.MAX_EXPORT_COUNT == count["maximum"] == 50_000
    page_size = _query_parameter("/companies/search/async/jobs", "pageSize")
    assert _operations.MAX_PAGE_SIZE == page_size["maximum"] == 100
    assert _operations.DEFAULT_PAGE_SIZE == page_size["default"] == 20
    page = _query_parameter("/companies/search/async/jobs", "page")
    assert _operations.MAX_PAGE_NUMBER == page["maximum"] == 2**31 - 1
    assert _operations.MAX_SIMILAR_DOMAINS == _similar_domains()["maxItems"] == 10


def test_paths_match_the_spec() -> None:
    base = _operations.EXPORTS_PATH
    assert base == "/companies/search/async"
    assert {base, f"{base}/jobs", f"{base}/{{jobId}}"} <= set(SPEC["paths"])


def test_get_job_request() -> None:
    request = _operations.get_job(JOB_ID)
    assert (request.method, request.path) == ("GET", f"/companies/search/async/{JOB_ID}")
    assert request.params is None
    assert request.json is None
    assert request.accept == "application/json"


def test_create_job_request_carries_the_body_as_given() -> None:
    body = {"count": 10, "search": {"countries": ["DE"]}, "webhook_url": "https://hooks.test/x"}
    request = _operations.create_job(CreateExportRequest.from_dict(body))
    assert (request.method, request.path) == ("POST", "/companies/search/async")
    assert request.json == body
    assert request.accept == "application/json"


def test_list_jobs_request_uses_the_specs_query_names() -> None:
    request = _operations.list_jobs(page=3, page_size=50, status=JobStatus("failed"))
    assert (request.method, request.path) == ("GET", "/companies/search/async/jobs")
    assert request.params == {"page": 3, "pageSize": 50, "status": "failed"}
    no_status = _operations.list_jobs(page=1, page_size=20, status=None)
    assert no_status.params == {"page": 1, "pageSize": 20}


def test_preflight_paths_and_limits_match_the_spec() -> None:
    assert {
        _operations.SEARCH_COUNT_PATH,
        _operations.SIMILAR_COUNT_PATH,
        _operations.ACCOUNT_PATH,
    } <= set(SPEC["paths"])
    for branch in _schema("CompanyCount")["anyOf"]:
        number = (
            branch if branch["type"] == "integer" else next(iter(branch["properties"].values()))
        )
        assert number["maximum"] == _operations.MAX_COMPANY_COUNT == 2**53 - 1


def test_count_requests_carry_the_filter_as_given() -> None:
    search = {"semanticQuery": "B2B", "countries": ["DE"]}
    request = _operations.count_matching(search=search, similar=None)
    assert (request.method, request.path) == ("POST", _operations.SEARCH_COUNT_PATH)
    assert request.json == search
    assert list(request.json) == list(search)
    similar = {"domains": ["a.com"]}
    request = _operations.count_matching(search=None, similar=similar)
    assert (request.method, request.path, request.json) == (
        "POST",
        _operations.SIMILAR_COUNT_PATH,
        similar,
    )


def test_account_request() -> None:
    request = _operations.get_me()
    assert (request.method, request.path, request.json) == ("GET", "/me", None)
