from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="WorkforceSize")


@_attrs_define
class WorkforceSize:
    """An absolute headcount range in one department (or in all, without
    `department`). The department names are not documented: free text.

        Attributes:
            department (str | Unset): The department counted
            min_ (int | Unset): Fewest people
            max_ (int | Unset): Most people
    """

    department: str | Unset = UNSET
    min_: int | Unset = UNSET
    max_: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        department = self.department

        min_ = self.min_

        max_ = self.max_

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if department is not UNSET:
            field_dict["department"] = department
        if min_ is not UNSET:
            field_dict["min"] = min_
        if max_ is not UNSET:
            field_dict["max"] = max_

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        department = d.pop("department", UNSET)

        min_ = d.pop("min", UNSET)

        max_ = d.pop("max", UNSET)

        workforce_size = cls(
            department=department,
            min_=min_,
            max_=max_,
        )

        return workforce_size
