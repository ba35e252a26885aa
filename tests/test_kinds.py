"""The job kinds as data: each one's paths, limits and parsers agree with openapi.yaml."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
import yaml

from companyenrich_export import (
    CreatedEnrichmentJob,
    CreatedExportJob,
    EnrichmentJob,
    EnrichmentJobPage,
    ExportJob,
    ExportJobPage,
)
from companyenrich_export._core import _operations
from companyenrich_export._jobs import _kinds

SPEC: dict[str, Any] = yaml.load(
    (Path(__file__).resolve().parent.parent / "openapi.yaml").read_text(), Loader=yaml.CSafeLoader
)
JOB_ID = UUID("3fa85f64-5717-4562-b3fc-2c963f66afa6")
KINDS = list(_kinds.KINDS.values())


def _ref(schema: dict[str, Any]) -> str:
    return str(schema["$ref"]).rsplit("/", 1)[-1]


def _response_schema(path: str, method: str) -> str:
    content = SPEC["paths"][path][method]["responses"]["200"]["content"]["application/json"]
    return _ref(content["schema"])


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_every_path_of_a_kind_is_an_operation_of_the_spec(
    kind: _kinds.JobKind[Any, Any, Any, Any, Any],
) -> None:
    assert "post" in SPEC["paths"][kind.create_path]
    assert "get" in SPEC["paths"][kind.status_path]
    assert "get" in SPEC["paths"][kind.list_path]
    assert kind.get_request(JOB_ID).path == kind.status_url_path(JOB_ID)
    listed = kind.list_request(page=2, page_size=5, status=None)
    assert (listed.method, listed.path, listed.params) == (
        "GET",
        kind.list_path,
        {"page": 2, "pageSize": 5},
    )


def test_the_limits_are_the_spec_maxima() -> None:
    bulk = SPEC["components"]["schemas"]["CreateBulkEnrichmentRequest"]["properties"]["domains"]
    assert _operations.MAX_BULK_DOMAINS == bulk["maxItems"] == 10_000
    assert _kinds.BULK_ENRICHMENT.max_items == 10_000
    assert _kinds.EXPORT.max_items == 50_000
    for path in ("/companies/enrich/bulk/jobs", "/jobs"):
        sizes = {
            p["name"]: p["schema"] for p in SPEC["paths"][path]["get"]["parameters"] if "name" in p
        }
        assert sizes["pageSize"]["maximum"] == _operations.MAX_PAGE_SIZE
        assert sizes["pageSize"]["default"] == _operations.DEFAULT_PAGE_SIZE


def test_each_kind_parses_its_own_answers() -> None:
    assert _response_schema("/companies/enrich/bulk/{jobId}", "get") == "BulkEnrichmentJob"
    job = {
        "job_id": str(JOB_ID),
        "status": "processing",
        "total_domains": 10,
        "success_count": 3,
        "failed_count": 1,
        "credits_charged": 0,
        "created_at": "2026-02-17T02:04:03.743Z",
    }
    parsed = _kinds.BULK_ENRICHMENT.parse_job(json.dumps(job), expected_job_id=JOB_ID)
    assert isinstance(parsed, EnrichmentJob)
    assert isinstance(parsed, _kinds.BULK_ENRICHMENT.job_class)
    assert (parsed.progress, _kinds.BULK_ENRICHMENT.done_count(parsed)) == (0.4, 4)
    assert _kinds.BULK_ENRICHMENT.target_count(parsed) == 10
    assert not parsed.is_terminal
    created = _kinds.BULK_ENRICHMENT.parse_created(
        json.dumps({"job_id": str(JOB_ID), "total_domains": 2, "estimated_credits": 2})
    )
    assert isinstance(created, CreatedEnrichmentJob)
    assert created.status.value == "pending"
    page = _kinds.BULK_ENRICHMENT.parse_page(
        json.dumps({"items": [job], "page": 1, "totalPages": 1, "totalItems": 1})
    )
    assert isinstance(page, EnrichmentJobPage)
    assert page.items[0].success_count == 3
    assert _kinds.EXPORT.job_class is ExportJob
    export_created = _kinds.EXPORT.parse_created(
        json.dumps(
            {
                "job_id": str(JOB_ID),
                "requested_count": 5,
                "total_matching": 9,
                "estimated_credits": 5,
            }
        )
    )
    assert isinstance(export_created, CreatedExportJob)
    export_page = _kinds.EXPORT.parse_page(
        json.dumps({"items": [], "page": 1, "totalPages": 0, "totalItems": 0})
    )
    assert isinstance(export_page, ExportJobPage)


def test_the_bulk_create_body_is_checked_and_normalised() -> None:
    body = _kinds.BULK_ENRICHMENT.check_create(
        domains=["HTTPS://Stripe.com/", "stripe.com", "b.io"],
        webhook_url="https://hooks.example.com/x",
    )
    assert body.to_dict() == {
        "domains": ["stripe.com", "b.io"],
        "webhook_url": "https://hooks.example.com/x",
    }
    assert _kinds.BULK_ENRICHMENT.create_request(body).path == "/companies/enrich/bulk"
    with pytest.raises(ValueError, match="webhook_url"):
        _kinds.enrichment_body(domains=["a.io"], webhook_url="ftp://x")
    with pytest.raises(ValueError, match="not host names"):
        _kinds.enrichment_body(domains=["a.io", "nope"])


def test_the_account_list_type_finds_a_kind_only_where_documented() -> None:
    assert _kinds.kind_for_account_type("bulk_enrichment") is _kinds.BULK_ENRICHMENT
    # The vendor does not document an export's `type`.
    assert _kinds.kind_for_account_type("company_export") is None
    assert set(_kinds.KINDS) == {"export", "bulk_enrichment"}
