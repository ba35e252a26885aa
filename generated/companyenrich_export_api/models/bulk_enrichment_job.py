from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.job_status import JobStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="BulkEnrichmentJob")


@_attrs_define
class BulkEnrichmentJob:
    """A bulk enrichment job, as its status endpoint returns it.

    Required: the fields the vendor documents without "or null", as for
    `ExportJob`. The four nullable fields may also be missing (read as
    null). Unknown members are allowed: the vendor adds fields over time.

        Attributes:
            job_id (UUID): Unique identifier for the bulk enrichment job
            status (JobStatus): Current status of the job. `completed` and `failed` are terminal;
                the others move forward in the order listed.
            total_domains (int): Number of unique domains to enrich
            success_count (int): Number of domains enriched so far
            failed_count (int): Number of domains that could not be enriched
            credits_charged (int): Total credits charged for this job
            created_at (datetime.datetime): Timestamp when the job was created
            started_at (datetime.datetime | None | Unset): Timestamp when the job started processing
            completed_at (datetime.datetime | None | Unset): Timestamp when the job completed
            results_url (None | str | Unset): URL to download the results (available when completed). Their
                format is not documented; presumably one company record per
                enriched domain, as in an export.
            error_message (None | str | Unset): Error message if the job failed
    """

    job_id: UUID
    status: JobStatus
    total_domains: int
    success_count: int
    failed_count: int
    credits_charged: int
    created_at: datetime.datetime
    started_at: datetime.datetime | None | Unset = UNSET
    completed_at: datetime.datetime | None | Unset = UNSET
    results_url: None | str | Unset = UNSET
    error_message: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        job_id = str(self.job_id)

        status = self.status.value

        total_domains = self.total_domains

        success_count = self.success_count

        failed_count = self.failed_count

        credits_charged = self.credits_charged

        created_at = self.created_at.isoformat()

        started_at: None | str | Unset
        if isinstance(self.started_at, Unset):
            started_at = UNSET
        elif isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        completed_at: None | str | Unset
        if isinstance(self.completed_at, Unset):
            completed_at = UNSET
        elif isinstance(self.completed_at, datetime.datetime):
            completed_at = self.completed_at.isoformat()
        else:
            completed_at = self.completed_at

        results_url: None | str | Unset
        if isinstance(self.results_url, Unset):
            results_url = UNSET
        else:
            results_url = self.results_url

        error_message: None | str | Unset
        if isinstance(self.error_message, Unset):
            error_message = UNSET
        else:
            error_message = self.error_message

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "job_id": job_id,
                "status": status,
                "total_domains": total_domains,
                "success_count": success_count,
                "failed_count": failed_count,
                "credits_charged": credits_charged,
                "created_at": created_at,
            }
        )
        if started_at is not UNSET:
            field_dict["started_at"] = started_at
        if completed_at is not UNSET:
            field_dict["completed_at"] = completed_at
        if results_url is not UNSET:
            field_dict["results_url"] = results_url
        if error_message is not UNSET:
            field_dict["error_message"] = error_message

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        job_id = UUID(d.pop("job_id"))

        status = JobStatus(d.pop("status"))

        total_domains = d.pop("total_domains")

        success_count = d.pop("success_count")

        failed_count = d.pop("failed_count")

        credits_charged = d.pop("credits_charged")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_started_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)

                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        started_at = _parse_started_at(d.pop("started_at", UNSET))

        def _parse_completed_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                completed_at_type_0 = datetime.datetime.fromisoformat(data)

                return completed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        completed_at = _parse_completed_at(d.pop("completed_at", UNSET))

        def _parse_results_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        results_url = _parse_results_url(d.pop("results_url", UNSET))

        def _parse_error_message(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error_message = _parse_error_message(d.pop("error_message", UNSET))

        bulk_enrichment_job = cls(
            job_id=job_id,
            status=status,
            total_domains=total_domains,
            success_count=success_count,
            failed_count=failed_count,
            credits_charged=credits_charged,
            created_at=created_at,
            started_at=started_at,
            completed_at=completed_at,
            results_url=results_url,
            error_message=error_message,
        )

        bulk_enrichment_job.additional_properties = d
        return bulk_enrichment_job

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
