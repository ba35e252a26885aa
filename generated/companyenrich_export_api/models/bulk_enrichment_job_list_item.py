from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.job_status import JobStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="BulkEnrichmentJobListItem")


@_attrs_define
class BulkEnrichmentJobListItem:
    """One job of the bulk enrichment list. The vendor does not document
    this schema, so nothing is required here and unknown members are
    allowed. Presumably the status fields of `BulkEnrichmentJob`
    (perhaps without `results_url` and `error_message`, as the export
    list does); clients need at least `job_id` and `status` to use an
    item and should follow `getBulkEnrichmentJob` for the rest.

        Attributes:
            job_id (UUID | Unset): Unique identifier for the bulk enrichment job
            status (JobStatus | Unset): Current status of the job. `completed` and `failed` are terminal;
                the others move forward in the order listed.
            total_domains (int | Unset): Number of unique domains to enrich
            success_count (int | Unset): Number of domains enriched so far
            failed_count (int | Unset): Number of domains that could not be enriched
            credits_charged (int | Unset): Total credits charged for this job
            created_at (datetime.datetime | Unset): Timestamp when the job was created
            started_at (datetime.datetime | None | Unset): Timestamp when the job started processing
            completed_at (datetime.datetime | None | Unset): Timestamp when the job completed
    """

    job_id: UUID | Unset = UNSET
    status: JobStatus | Unset = UNSET
    total_domains: int | Unset = UNSET
    success_count: int | Unset = UNSET
    failed_count: int | Unset = UNSET
    credits_charged: int | Unset = UNSET
    created_at: datetime.datetime | Unset = UNSET
    started_at: datetime.datetime | None | Unset = UNSET
    completed_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        job_id: str | Unset = UNSET
        if not isinstance(self.job_id, Unset):
            job_id = str(self.job_id)

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        total_domains = self.total_domains

        success_count = self.success_count

        failed_count = self.failed_count

        credits_charged = self.credits_charged

        created_at: str | Unset = UNSET
        if not isinstance(self.created_at, Unset):
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

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if job_id is not UNSET:
            field_dict["job_id"] = job_id
        if status is not UNSET:
            field_dict["status"] = status
        if total_domains is not UNSET:
            field_dict["total_domains"] = total_domains
        if success_count is not UNSET:
            field_dict["success_count"] = success_count
        if failed_count is not UNSET:
            field_dict["failed_count"] = failed_count
        if credits_charged is not UNSET:
            field_dict["credits_charged"] = credits_charged
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if started_at is not UNSET:
            field_dict["started_at"] = started_at
        if completed_at is not UNSET:
            field_dict["completed_at"] = completed_at

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        _job_id = d.pop("job_id", UNSET)
        job_id: UUID | Unset
        if isinstance(_job_id, Unset):
            job_id = UNSET
        else:
            job_id = UUID(_job_id)

        _status = d.pop("status", UNSET)
        status: JobStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = JobStatus(_status)

        total_domains = d.pop("total_domains", UNSET)

        success_count = d.pop("success_count", UNSET)

        failed_count = d.pop("failed_count", UNSET)

        credits_charged = d.pop("credits_charged", UNSET)

        _created_at = d.pop("created_at", UNSET)
        created_at: datetime.datetime | Unset
        if isinstance(_created_at, Unset):
            created_at = UNSET
        else:
            created_at = datetime.datetime.fromisoformat(_created_at)

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

        bulk_enrichment_job_list_item = cls(
            job_id=job_id,
            status=status,
            total_domains=total_domains,
            success_count=success_count,
            failed_count=failed_count,
            credits_charged=credits_charged,
            created_at=created_at,
            started_at=started_at,
            completed_at=completed_at,
        )

        bulk_enrichment_job_list_item.additional_properties = d
        return bulk_enrichment_job_list_item

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
