from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.bulk_enrichment_job_list_item import BulkEnrichmentJobListItem


T = TypeVar("T", bound="BulkEnrichmentJobPage")


@_attrs_define
class BulkEnrichmentJobPage:
    """One page of the bulk enrichment list. Not documented by the vendor:
    the envelope of its other lists is assumed.

        Attributes:
            items (list[BulkEnrichmentJobListItem]): The jobs on this page.
            page (int): The 1-based number of this page.
            total_pages (int): How many pages there are at this page size.
            total_items (int): How many jobs match the filter in all.
    """

    items: list[BulkEnrichmentJobListItem]
    page: int
    total_pages: int
    total_items: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        page = self.page

        total_pages = self.total_pages

        total_items = self.total_items

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "items": items,
                "page": page,
                "totalPages": total_pages,
                "totalItems": total_items,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.bulk_enrichment_job_list_item import BulkEnrichmentJobListItem

        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = BulkEnrichmentJobListItem.from_dict(items_item_data)

            items.append(items_item)

        page = d.pop("page")

        total_pages = d.pop("totalPages")

        total_items = d.pop("totalItems")

        bulk_enrichment_job_page = cls(
            items=items,
            page=page,
            total_pages=total_pages,
            total_items=total_items,
        )

        bulk_enrichment_job_page.additional_properties = d
        return bulk_enrichment_job_page

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
