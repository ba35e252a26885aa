from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.job_status import JobStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="CreatedExportJob")


@_attrs_define
class CreatedExportJob:
    """The job just created. The vendor's example omits `status`; a new job
    is `pending`, so `status` is optional here and read as `pending`
    when missing.

        Attributes:
            job_id (UUID): Unique identifier for the search export job
            requested_count (int): Number of companies requested for export
            total_matching (int): Total number of companies matching the search criteria
            estimated_credits (int): Credits the job will cost if it exports every requested company
            status (JobStatus | Unset): Current status of the job. `completed` and `failed` are terminal;
                the others move forward in the order listed.
    """

    job_id: UUID
    requested_count: int
    total_matching: int
    estimated_credits: int
    status: JobStatus | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        job_id = str(self.job_id)

        requested_count = self.requested_count

        total_matching = self.total_matching

        estimated_credits = self.estimated_credits

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "job_id": job_id,
                "requested_count": requested_count,
                "total_matching": total_matching,
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

        requested_count = d.pop("requested_count")

        total_matching = d.pop("total_matching")

        estimated_credits = d.pop("estimated_credits")

        _status = d.pop("status", UNSET)
        status: JobStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = JobStatus(_status)

        created_export_job = cls(
            job_id=job_id,
            requested_count=requested_count,
            total_matching=total_matching,
            estimated_credits=estimated_credits,
            status=status,
        )

        created_export_job.additional_properties = d
        return created_export_job

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
