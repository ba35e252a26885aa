from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.job_status import JobStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="CreatedBulkEnrichmentJob")


@_attrs_define
class CreatedBulkEnrichmentJob:
    """The bulk enrichment job just created. A new job is `pending`, so
    `status` is optional here and read as `pending` when missing (as
    for exports).

        Attributes:
            job_id (UUID): Unique identifier for the bulk enrichment job
            total_domains (int): Number of unique domains to enrich
            estimated_credits (int): Credits the job will cost if every domain is enriched
            status (JobStatus | Unset): Current status of the job. `completed` and `failed` are terminal;
                the others move forward in the order listed.
    """

    job_id: UUID
    total_domains: int
    estimated_credits: int
    status: JobStatus | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        job_id = str(self.job_id)

        total_domains = self.total_domains

        estimated_credits = self.estimated_credits

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "job_id": job_id,
                "total_domains": total_domains,
                "estimated_credits": estimated_credits,
            }
        )
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        job_id = UUID(d.pop("job_id"))

        total_domains = d.pop("total_domains")

        estimated_credits = d.pop("estimated_credits")

        _status = d.pop("status", UNSET)
        status: JobStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = JobStatus(_status)

        created_bulk_enrichment_job = cls(
            job_id=job_id,
            total_domains=total_domains,
            estimated_credits=estimated_credits,
            status=status,
        )

        created_bulk_enrichment_job.additional_properties = d
        return created_bulk_enrichment_job

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
