from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.business_category import BusinessCategory
from ..models.company_type import CompanyType
from ..models.employee_range import EmployeeRange
from ..models.funding_round import FundingRound
from ..models.revenue_range import RevenueRange
from ..types import UNSET, Unset

T = TypeVar("T", bound="ExcludeFilter")


@_attrs_define
class ExcludeFilter:
    """Negative filters: companies matching any of these are left out.
    Each field has the same shape as the search field of that name;
    `domains` lists companies to leave out by domain. Strict like the
    filters it belongs to.

        Attributes:
            domains (list[str] | Unset): Company domains.
            regions (list[str] | Unset): Region ids, as the vendor's geo endpoint names them.
            countries (list[str] | Unset): ISO 3166-1 alpha-2 country codes (upper case, such as `DE`).
            states (list[int] | Unset): State ids (numbers from the vendor's geo endpoint, not names).
            cities (list[int] | Unset): City ids (numbers from the vendor's geo endpoint, not names).
            type_ (list[CompanyType] | Unset): Company types; a company of any of them matches.
            category (list[BusinessCategory] | Unset): Business-model tags, combined as `categoryOperator` says.
            employees (list[EmployeeRange] | Unset): Employee-count ranges; a company in any of them matches.
            revenue (list[RevenueRange] | Unset): Revenue ranges; a company in any of them matches.
            naics_code (list[int] | Unset): NAICS industry codes, 2 to 6 digits.
            keywords (list[str] | Unset): Keywords the companies are tagged with, combined as
                `keywordsOperator` says. Free values (the vendor checks them against
                its keyword autocomplete).
            technologies (list[str] | Unset): Technologies the companies use, combined as `technologiesOperator`
                says. Free values (the vendor checks them against its technology
                autocomplete).
            funding_rounds (list[FundingRound] | Unset): Funding rounds a company has raised.
    """

    domains: list[str] | Unset = UNSET
    regions: list[str] | Unset = UNSET
    countries: list[str] | Unset = UNSET
    states: list[int] | Unset = UNSET
    cities: list[int] | Unset = UNSET
    type_: list[CompanyType] | Unset = UNSET
    category: list[BusinessCategory] | Unset = UNSET
    employees: list[EmployeeRange] | Unset = UNSET
    revenue: list[RevenueRange] | Unset = UNSET
    naics_code: list[int] | Unset = UNSET
    keywords: list[str] | Unset = UNSET
    technologies: list[str] | Unset = UNSET
    funding_rounds: list[FundingRound] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        domains: list[str] | Unset = UNSET
        if not isinstance(self.domains, Unset):
            domains = self.domains

        regions: list[str] | Unset = UNSET
        if not isinstance(self.regions, Unset):
            regions = self.regions

        countries: list[str] | Unset = UNSET
        if not isinstance(self.countries, Unset):
            countries = self.countries

        states: list[int] | Unset = UNSET
        if not isinstance(self.states, Unset):
            states = self.states

        cities: list[int] | Unset = UNSET
        if not isinstance(self.cities, Unset):
            cities = self.cities

        type_: list[str] | Unset = UNSET
        if not isinstance(self.type_, Unset):
            type_ = []
            for componentsschemas_company_types_item_data in self.type_:
                componentsschemas_company_types_item = (
                    componentsschemas_company_types_item_data.value
                )
                type_.append(componentsschemas_company_types_item)

        category: list[str] | Unset = UNSET
        if not isinstance(self.category, Unset):
            category = []
            for componentsschemas_business_categories_item_data in self.category:
                componentsschemas_business_categories_item = (
                    componentsschemas_business_categories_item_data.value
                )
                category.append(componentsschemas_business_categories_item)

        employees: list[str] | Unset = UNSET
        if not isinstance(self.employees, Unset):
            employees = []
            for componentsschemas_employee_ranges_item_data in self.employees:
                componentsschemas_employee_ranges_item = (
                    componentsschemas_employee_ranges_item_data.value
                )
                employees.append(componentsschemas_employee_ranges_item)

        revenue: list[str] | Unset = UNSET
        if not isinstance(self.revenue, Unset):
            revenue = []
            for componentsschemas_revenue_ranges_item_data in self.revenue:
                componentsschemas_revenue_ranges_item = (
                    componentsschemas_revenue_ranges_item_data.value
                )
                revenue.append(componentsschemas_revenue_ranges_item)

        naics_code: list[int] | Unset = UNSET
        if not isinstance(self.naics_code, Unset):
            naics_code = self.naics_code

        keywords: list[str] | Unset = UNSET
        if not isinstance(self.keywords, Unset):
            keywords = self.keywords

        technologies: list[str] | Unset = UNSET
        if not isinstance(self.technologies, Unset):
            technologies = self.technologies

        funding_rounds: list[str] | Unset = UNSET
        if not isinstance(self.funding_rounds, Unset):
            funding_rounds = []
            for componentsschemas_funding_rounds_item_data in self.funding_rounds:
                componentsschemas_funding_rounds_item = (
                    componentsschemas_funding_rounds_item_data.value
                )
                funding_rounds.append(componentsschemas_funding_rounds_item)

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if domains is not UNSET:
            field_dict["domains"] = domains
        if regions is not UNSET:
            field_dict["regions"] = regions
        if countries is not UNSET:
            field_dict["countries"] = countries
        if states is not UNSET:
            field_dict["states"] = states
        if cities is not UNSET:
            field_dict["cities"] = cities
        if type_ is not UNSET:
            field_dict["type"] = type_
        if category is not UNSET:
            field_dict["category"] = category
        if employees is not UNSET:
            field_dict["employees"] = employees
        if revenue is not UNSET:
            field_dict["revenue"] = revenue
        if naics_code is not UNSET:
            field_dict["naicsCode"] = naics_code
        if keywords is not UNSET:
            field_dict["keywords"] = keywords
        if technologies is not UNSET:
            field_dict["technologies"] = technologies
        if funding_rounds is not UNSET:
            field_dict["fundingRounds"] = funding_rounds

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        domains = cast(list[str], d.pop("domains", UNSET))

        regions = cast(list[str], d.pop("regions", UNSET))

        countries = cast(list[str], d.pop("countries", UNSET))

        states = cast(list[int], d.pop("states", UNSET))

        cities = cast(list[int], d.pop("cities", UNSET))

        _type_ = d.pop("type", UNSET)
        type_: list[CompanyType] | Unset = UNSET
        if _type_ is not UNSET:
            type_ = []
            for componentsschemas_company_types_item_data in _type_:
                componentsschemas_company_types_item = CompanyType(
                    componentsschemas_company_types_item_data
                )

                type_.append(componentsschemas_company_types_item)

        _category = d.pop("category", UNSET)
        category: list[BusinessCategory] | Unset = UNSET
        if _category is not UNSET:
            category = []
            for componentsschemas_business_categories_item_data in _category:
                componentsschemas_business_categories_item = BusinessCategory(
                    componentsschemas_business_categories_item_data
                )

                category.append(componentsschemas_business_categories_item)

        _employees = d.pop("employees", UNSET)
        employees: list[EmployeeRange] | Unset = UNSET
        if _employees is not UNSET:
            employees = []
            for componentsschemas_employee_ranges_item_data in _employees:
                componentsschemas_employee_ranges_item = EmployeeRange(
                    componentsschemas_employee_ranges_item_data
                )

                employees.append(componentsschemas_employee_ranges_item)

        _revenue = d.pop("revenue", UNSET)
        revenue: list[RevenueRange] | Unset = UNSET
        if _revenue is not UNSET:
            revenue = []
            for componentsschemas_revenue_ranges_item_data in _revenue:
                componentsschemas_revenue_ranges_item = RevenueRange(
                    componentsschemas_revenue_ranges_item_data
                )

                revenue.append(componentsschemas_revenue_ranges_item)

        naics_code = cast(list[int], d.pop("naicsCode", UNSET))

        keywords = cast(list[str], d.pop("keywords", UNSET))

        technologies = cast(list[str], d.pop("technologies", UNSET))

        _funding_rounds = d.pop("fundingRounds", UNSET)
        funding_rounds: list[FundingRound] | Unset = UNSET
        if _funding_rounds is not UNSET:
            funding_rounds = []
            for componentsschemas_funding_rounds_item_data in _funding_rounds:
                componentsschemas_funding_rounds_item = FundingRound(
                    componentsschemas_funding_rounds_item_data
                )

                funding_rounds.append(componentsschemas_funding_rounds_item)

        exclude_filter = cls(
            domains=domains,
            regions=regions,
            countries=countries,
            states=states,
            cities=cities,
            type_=type_,
            category=category,
            employees=employees,
            revenue=revenue,
            naics_code=naics_code,
            keywords=keywords,
            technologies=technologies,
            funding_rounds=funding_rounds,
        )

        return exclude_filter
