from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.company_search_filter import CompanySearchFilter
    from ..models.similar_companies_filter import SimilarCompaniesFilter


T = TypeVar("T", bound="CreateExportRequest")


@_attrs_define
class CreateExportRequest:
    """What to export. Exactly one of `search` and `similar` must be an
    object (the other absent or null). The rule is written with
    `if`/`then`/`else` rather than `oneOf` because openapi-python-client
    0.29 cannot build models from a `oneOf` of partial objects, while
    it ignores `if`/`then`/`else` and validators enforce it.

        Attributes:
            count (int): How many companies to export (at most 50,000).
            webhook_url (None | str | Unset): Called once when processing finishes. The payload is not
                documented by the vendor. An absolute http(s) URI with a host
                name or IPv4 address (RFC 3986: ASCII only, other characters
                percent-encoded); the empty string is not one (null or leaving
                it out means no webhook).
            search (CompanySearchFilter | None | Unset): A company search query, as for `/companies/search`.
            similar (None | SimilarCompaniesFilter | Unset): A similar-companies query.
    """

    count: int
    webhook_url: None | str | Unset = UNSET
    search: CompanySearchFilter | None | Unset = UNSET
    similar: None | SimilarCompaniesFilter | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.company_search_filter import CompanySearchFilter
        from ..models.similar_companies_filter import SimilarCompaniesFilter

        count = self.count

        webhook_url: None | str | Unset
        if isinstance(self.webhook_url, Unset):
            webhook_url = UNSET
        else:
            webhook_url = self.webhook_url

        search: dict[str, Any] | None | Unset
        if isinstance(self.search, Unset):
            search = UNSET
        elif isinstance(self.search, CompanySearchFilter):
            search = self.search.to_dict()
        else:
            search = self.search

        similar: dict[str, Any] | None | Unset
        if isinstance(self.similar, Unset):
            similar = UNSET
        elif isinstance(self.similar, SimilarCompaniesFilter):
            similar = self.similar.to_dict()
        else:
            similar = self.similar

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "count": count,
            }
        )
        if webhook_url is not UNSET:
            field_dict["webhook_url"] = webhook_url
        if search is not UNSET:
            field_dict["search"] = search
        if similar is not UNSET:
            field_dict["similar"] = similar

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.company_search_filter import CompanySearchFilter
        from ..models.similar_companies_filter import SimilarCompaniesFilter

        d = dict(src_dict)
        count = d.pop("count")

        def _parse_webhook_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        webhook_url = _parse_webhook_url(d.pop("webhook_url", UNSET))

        def _parse_search(data: object) -> CompanySearchFilter | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                search_type_0 = CompanySearchFilter.from_dict(data)

                return search_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CompanySearchFilter | None | Unset, data)

        search = _parse_search(d.pop("search", UNSET))

        def _parse_similar(data: object) -> None | SimilarCompaniesFilter | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                similar_type_0 = SimilarCompaniesFilter.from_dict(data)

                return similar_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SimilarCompaniesFilter | Unset, data)

        similar = _parse_similar(d.pop("similar", UNSET))

        create_export_request = cls(
            count=count,
            webhook_url=webhook_url,
            search=search,
            similar=similar,
        )

        create_export_request.additional_properties = d
        return create_export_request

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
