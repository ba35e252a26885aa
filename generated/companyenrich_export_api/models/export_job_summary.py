from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.job_status import JobStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="ExportJobSummary")


@_attrs_define
class ExportJobSummary:
    """A job as the list endpoint returns it: the status fields without
    `results_url` and `error_message`.

        Attributes:
            job_id (UUID): Unique identifier for the search export job
            status (JobStatus): Current status of the job. `completed` and `failed` are terminal;
                the others move forward in the order listed.
            requested_count (int): Number of companies requested for export
            total_matching (int): Total number of companies matching the search criteria
            exported_count (int): Number of companies exported in the results
            credits_charged (int): Total credits charged for this job
            created_at (datetime.datetime): Timestamp when the job was created
            started_at (datetime.datetime | None | Unset): Timestamp when the job started processing
            completed_at (datetime.datetime | None | Unset): Timestamp when the job completed
    """

    job_id: UUID
    status: JobStatus
    requested_count: int
    total_matching: int
    exported_count: int
    credits_charged: int
    created_at: datetime.datetime
    started_at: datetime.datetime | None | Unset = UNSET
    completed_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        job_id = str(self.job_id)

        status = self.status.value

        requested_count = self.requested_count

        total_matching = self.total_matching

        exported_count = self.exported_count

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

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "job_id": job_id,
                "status": status,
                "requested_count": requested_count,
                "total_matching": total_matching,
                "exported_count": exported_count,
                "credits_charged": credits_charged,
                "created_at": created_at,
            }
        )
        if started_at is not UNSET:
            field_dict["started_at"] = started_at
        if completed_at is not UNSET:
            field_dict["completed_at"] = completed_at

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        job_id = UUID(d.pop("job_id"))

        status = JobStatus(d.pop("status"))

        requested_count = d.pop("requested_count")

        total_matching = d.pop("total_matching")

        exported_count = d.pop("exported_count")

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

        export_job_summary = cls(
            job_id=job_id,
            status=status,
            requested_count=requested_count,
            total_matching=total_matching,
            exported_count=exported_count,
            credits_charged=credits_charged,
            created_at=created_at,
            started_at=started_at,
            completed_at=completed_at,
        )

        export_job_summary.additional_properties = d
        return export_job_summary

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
