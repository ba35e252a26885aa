from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="AccountCapabilities")


@_attrs_define
class AccountCapabilities:
    """What the account's plan allows.

    Attributes:
        lists (bool): Whether lists are available.
        previews (bool): Whether previews are available.
        company_search_limit (int): The most companies one synchronous search may return.
        company_search_async_limit (int): The most companies one async company search (an export) may ask for.
        people_search_limit (int): The most people one search may return.
        search_term_limit (int | Unset): Only in the newer schema mirror; optional.
    """

    lists: bool
    previews: bool
    company_search_limit: int
    company_search_async_limit: int
    people_search_limit: int
    search_term_limit: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        lists = self.lists

        previews = self.previews

        company_search_limit = self.company_search_limit

        company_search_async_limit = self.company_search_async_limit

        people_search_limit = self.people_search_limit

        search_term_limit = self.search_term_limit

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "lists": lists,
                "previews": previews,
                "companySearchLimit": company_search_limit,
                "companySearchAsyncLimit": company_search_async_limit,
                "peopleSearchLimit": people_search_limit,
            }
        )
        if search_term_limit is not UNSET:
            field_dict["searchTermLimit"] = search_term_limit

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        lists = d.pop("lists")

        previews = d.pop("previews")

        company_search_limit = d.pop("companySearchLimit")

        company_search_async_limit = d.pop("companySearchAsyncLimit")

        people_search_limit = d.pop("peopleSearchLimit")

        search_term_limit = d.pop("searchTermLimit", UNSET)

        account_capabilities = cls(
            lists=lists,
            previews=previews,
            company_search_limit=company_search_limit,
            company_search_async_limit=company_search_async_limit,
            people_search_limit=people_search_limit,
            search_term_limit=search_term_limit,
        )

        account_capabilities.additional_properties = d
        return account_capabilities

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
