from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.job_status import JobStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="AccountJob")


@_attrs_define
class AccountJob:
    """A job of any kind, as the account-wide list shows it. Its id is `id`,
    not `job_id`. No counts and no `results_url`: the kind's own status
    endpoint has those.

    Required here: `id`, `type`, `status` and `created_at`, without
    which an item cannot be told apart or followed; the vendor does not
    say which fields are required. The rest may be missing or null.
    Unknown members are allowed.

        Attributes:
            id (UUID): Unique identifier of the job
            type_ (str): The kind of a job. Only `bulk_enrichment` is documented ("bulk_enrichment,
                etc."); the values for exports and other kinds are not, so this is an
                open string and clients must accept any value.
            status (JobStatus): Current status of the job. `completed` and `failed` are terminal;
                the others move forward in the order listed.
            created_at (datetime.datetime): Timestamp when the job was created
            title (None | str | Unset): A human-readable name for the job
            started_at (datetime.datetime | None | Unset): Timestamp when the job started processing
            completed_at (datetime.datetime | None | Unset): Timestamp when the job completed
            credits_charged (int | None | Unset): Total credits charged for this job
            error_message (None | str | Unset): Error message if the job failed
    """

    id: UUID
    type_: str
    status: JobStatus
    created_at: datetime.datetime
    title: None | str | Unset = UNSET
    started_at: datetime.datetime | None | Unset = UNSET
    completed_at: datetime.datetime | None | Unset = UNSET
    credits_charged: int | None | Unset = UNSET
    error_message: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        type_ = self.type_

        status = self.status.value

        created_at = self.created_at.isoformat()

        title: None | str | Unset
        if isinstance(self.title, Unset):
            title = UNSET
        else:
            title = self.title

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

        credits_charged: int | None | Unset
        if isinstance(self.credits_charged, Unset):
            credits_charged = UNSET
        else:
            credits_charged = self.credits_charged

        error_message: None | str | Unset
        if isinstance(self.error_message, Unset):
            error_message = UNSET
        else:
            error_message = self.error_message

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "type": type_,
                "status": status,
                "created_at": created_at,
            }
        )
        if title is not UNSET:
            field_dict["title"] = title
        if started_at is not UNSET:
            field_dict["started_at"] = started_at
        if completed_at is not UNSET:
            field_dict["completed_at"] = completed_at
        if credits_charged is not UNSET:
            field_dict["credits_charged"] = credits_charged
        if error_message is not UNSET:
            field_dict["error_message"] = error_message

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        type_ = d.pop("type")

        status = JobStatus(d.pop("status"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_title(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        title = _parse_title(d.pop("title", UNSET))

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

        def _parse_credits_charged(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        credits_charged = _parse_credits_charged(d.pop("credits_charged", UNSET))

        def _parse_error_message(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error_message = _parse_error_message(d.pop("error_message", UNSET))

        account_job = cls(
            id=id,
            type_=type_,
            status=status,
            created_at=created_at,
            title=title,
            started_at=started_at,
            completed_at=completed_at,
            credits_charged=credits_charged,
            error_message=error_message,
        )

        account_job.additional_properties = d
        return account_job

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
