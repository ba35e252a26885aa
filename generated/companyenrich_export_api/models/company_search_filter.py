from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.company_search_filter_exclude import CompanySearchFilterExclude
    from ..models.year_range import YearRange


T = TypeVar("T", bound="CompanySearchFilter")


@_attrs_define
class CompanySearchFilter:
    """A company search query. The documented fields are modelled; others
    are passed through untouched, because the vendor's filter evolves
    and unknown filter values are ignored by the API rather than
    rejected.

        Attributes:
            semantic_query (str | Unset): Natural-language description of the companies wanted
            query (str | Unset): Keyword query
            countries (list[str] | Unset): ISO 3166-1 alpha-2 country codes
            employees (list[str] | Unset): Employee-count ranges, as the vendor names them
            revenue (list[str] | Unset): Revenue ranges, as the vendor names them
            category (list[str] | Unset): Industry categories
            type_ (list[str] | Unset): Company types
            keywords (list[str] | Unset): Keywords the companies are tagged with
            technologies (list[str] | Unset): Technologies the companies use
            founded_year (YearRange | Unset): An inclusive range of founding years.
            exclude (CompanySearchFilterExclude | Unset): The same filters, for companies to leave out
    """

    semantic_query: str | Unset = UNSET
    query: str | Unset = UNSET
    countries: list[str] | Unset = UNSET
    employees: list[str] | Unset = UNSET
    revenue: list[str] | Unset = UNSET
    category: list[str] | Unset = UNSET
    type_: list[str] | Unset = UNSET
    keywords: list[str] | Unset = UNSET
    technologies: list[str] | Unset = UNSET
    founded_year: YearRange | Unset = UNSET
    exclude: CompanySearchFilterExclude | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        semantic_query = self.semantic_query

        query = self.query

        countries: list[str] | Unset = UNSET
        if not isinstance(self.countries, Unset):
            countries = self.countries

        employees: list[str] | Unset = UNSET
        if not isinstance(self.employees, Unset):
            employees = self.employees

        revenue: list[str] | Unset = UNSET
        if not isinstance(self.revenue, Unset):
            revenue = self.revenue

        category: list[str] | Unset = UNSET
        if not isinstance(self.category, Unset):
            category = self.category

        type_: list[str] | Unset = UNSET
        if not isinstance(self.type_, Unset):
            type_ = self.type_

        keywords: list[str] | Unset = UNSET
        if not isinstance(self.keywords, Unset):
            keywords = self.keywords

        technologies: list[str] | Unset = UNSET
        if not isinstance(self.technologies, Unset):
            technologies = self.technologies

        founded_year: dict[str, Any] | Unset = UNSET
        if not isinstance(self.founded_year, Unset):
            founded_year = self.founded_year.to_dict()

        exclude: dict[str, Any] | Unset = UNSET
        if not isinstance(self.exclude, Unset):
            exclude = self.exclude.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if semantic_query is not UNSET:
            field_dict["semanticQuery"] = semantic_query
        if query is not UNSET:
            field_dict["query"] = query
        if countries is not UNSET:
            field_dict["countries"] = countries
        if employees is not UNSET:
            field_dict["employees"] = employees
        if revenue is not UNSET:
            field_dict["revenue"] = revenue
        if category is not UNSET:
            field_dict["category"] = category
        if type_ is not UNSET:
            field_dict["type"] = type_
        if keywords is not UNSET:
            field_dict["keywords"] = keywords
        if technologies is not UNSET:
            field_dict["technologies"] = technologies
        if founded_year is not UNSET:
            field_dict["foundedYear"] = founded_year
        if exclude is not UNSET:
            field_dict["exclude"] = exclude

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.company_search_filter_exclude import CompanySearchFilterExclude
        from ..models.year_range import YearRange

        d = dict(src_dict)
        semantic_query = d.pop("semanticQuery", UNSET)

        query = d.pop("query", UNSET)

        countries = cast(list[str], d.pop("countries", UNSET))

        employees = cast(list[str], d.pop("employees", UNSET))

        revenue = cast(list[str], d.pop("revenue", UNSET))

        category = cast(list[str], d.pop("category", UNSET))

        type_ = cast(list[str], d.pop("type", UNSET))

        keywords = cast(list[str], d.pop("keywords", UNSET))

        technologies = cast(list[str], d.pop("technologies", UNSET))

        _founded_year = d.pop("foundedYear", UNSET)
        founded_year: YearRange | Unset
        if isinstance(_founded_year, Unset):
            founded_year = UNSET
        else:
            founded_year = YearRange.from_dict(_founded_year)

        _exclude = d.pop("exclude", UNSET)
        exclude: CompanySearchFilterExclude | Unset
        if isinstance(_exclude, Unset):
            exclude = UNSET
        else:
            exclude = CompanySearchFilterExclude.from_dict(_exclude)

        company_search_filter = cls(
            semantic_query=semantic_query,
            query=query,
            countries=countries,
            employees=employees,
            revenue=revenue,
            category=category,
            type_=type_,
            keywords=keywords,
            technologies=technologies,
            founded_year=founded_year,
            exclude=exclude,
        )

        company_search_filter.additional_properties = d
        return company_search_filter

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
