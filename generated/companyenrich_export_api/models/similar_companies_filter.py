from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.similar_companies_filter_exclude import SimilarCompaniesFilterExclude
    from ..models.year_range import YearRange


T = TypeVar("T", bound="SimilarCompaniesFilter")


@_attrs_define
class SimilarCompaniesFilter:
    """A similar-companies query: up to 10 seed domains plus the search
    filters. Other fields pass through, as for `CompanySearchFilter`.

        Attributes:
            domains (list[str]): Seed domains (1 to 10)
            similarity_weight (float | Unset): How much similarity outweighs the other filters
            min_score (float | Unset): Lowest similarity score to include
            countries (list[str] | Unset): ISO 3166-1 alpha-2 country codes
            employees (list[str] | Unset): Employee-count ranges, as the vendor names them
            revenue (list[str] | Unset): Revenue ranges, as the vendor names them
            category (list[str] | Unset): Industry categories
            keywords (list[str] | Unset): Keywords the companies are tagged with
            technologies (list[str] | Unset): Technologies the companies use
            founded_year (YearRange | Unset): An inclusive range of founding years.
            exclude (SimilarCompaniesFilterExclude | Unset): Filters for companies to leave out
    """

    domains: list[str]
    similarity_weight: float | Unset = UNSET
    min_score: float | Unset = UNSET
    countries: list[str] | Unset = UNSET
    employees: list[str] | Unset = UNSET
    revenue: list[str] | Unset = UNSET
    category: list[str] | Unset = UNSET
    keywords: list[str] | Unset = UNSET
    technologies: list[str] | Unset = UNSET
    founded_year: YearRange | Unset = UNSET
    exclude: SimilarCompaniesFilterExclude | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        domains = self.domains

        similarity_weight = self.similarity_weight

        min_score = self.min_score

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
        field_dict.update(
            {
                "domains": domains,
            }
        )
        if similarity_weight is not UNSET:
            field_dict["similarityWeight"] = similarity_weight
        if min_score is not UNSET:
            field_dict["minScore"] = min_score
        if countries is not UNSET:
            field_dict["countries"] = countries
        if employees is not UNSET:
            field_dict["employees"] = employees
        if revenue is not UNSET:
            field_dict["revenue"] = revenue
        if category is not UNSET:
            field_dict["category"] = category
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
        from ..models.similar_companies_filter_exclude import (
            SimilarCompaniesFilterExclude,
        )
        from ..models.year_range import YearRange

        d = dict(src_dict)
        domains = cast(list[str], d.pop("domains"))

        similarity_weight = d.pop("similarityWeight", UNSET)

        min_score = d.pop("minScore", UNSET)

        countries = cast(list[str], d.pop("countries", UNSET))

        employees = cast(list[str], d.pop("employees", UNSET))

        revenue = cast(list[str], d.pop("revenue", UNSET))

        category = cast(list[str], d.pop("category", UNSET))

        keywords = cast(list[str], d.pop("keywords", UNSET))

        technologies = cast(list[str], d.pop("technologies", UNSET))

        _founded_year = d.pop("foundedYear", UNSET)
        founded_year: YearRange | Unset
        if isinstance(_founded_year, Unset):
            founded_year = UNSET
        else:
            founded_year = YearRange.from_dict(_founded_year)

        _exclude = d.pop("exclude", UNSET)
        exclude: SimilarCompaniesFilterExclude | Unset
        if isinstance(_exclude, Unset):
            exclude = UNSET
        else:
            exclude = SimilarCompaniesFilterExclude.from_dict(_exclude)

        similar_companies_filter = cls(
            domains=domains,
            similarity_weight=similarity_weight,
            min_score=min_score,
            countries=countries,
            employees=employees,
            revenue=revenue,
            category=category,
            keywords=keywords,
            technologies=technologies,
            founded_year=founded_year,
            exclude=exclude,
        )

        similar_companies_filter.additional_properties = d
        return similar_companies_filter

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
