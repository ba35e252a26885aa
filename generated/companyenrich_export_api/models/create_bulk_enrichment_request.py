from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CreateBulkEnrichmentRequest")


@_attrs_define
class CreateBulkEnrichmentRequest:
    """The domains to enrich. The vendor documents `domains` as a string
    array of 1 to 10,000 items; it does not say whether duplicates,
    upper case, URLs or `www.` prefixes are accepted, so clients send
    normalised, de-duplicated host names.

        Attributes:
            domains (list[str]): Company domains to enrich (1 to 10,000).
            webhook_url (None | str | Unset): Called once when processing completes. The payload is not
                documented by the vendor. An absolute http(s) URI with a host
                name or IPv4 address; null or leaving it out means no webhook.
    """

    domains: list[str]
    webhook_url: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        domains = self.domains

        webhook_url: None | str | Unset
        if isinstance(self.webhook_url, Unset):
            webhook_url = UNSET
        else:
            webhook_url = self.webhook_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "domains": domains,
            }
        )
        if webhook_url is not UNSET:
            field_dict["webhook_url"] = webhook_url

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        domains = cast(list[str], d.pop("domains"))

        def _parse_webhook_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        webhook_url = _parse_webhook_url(d.pop("webhook_url", UNSET))

        create_bulk_enrichment_request = cls(
            domains=domains,
            webhook_url=webhook_url,
        )

        create_bulk_enrichment_request.additional_properties = d
        return create_bulk_enrichment_request

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
