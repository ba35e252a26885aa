from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.business_category import BusinessCategory
from ..models.company_type import CompanyType
from ..models.employee_range import EmployeeRange
from ..models.filter_operator import FilterOperator
from ..models.funding_round import FundingRound
from ..models.revenue_range import RevenueRange
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.amount_range import AmountRange
    from ..models.exclude_filter import ExcludeFilter
    from ..models.workforce_growth import WorkforceGrowth
    from ..models.workforce_size import WorkforceSize
    from ..models.year_range import YearRange


T = TypeVar("T", bound="SimilarCompaniesFilter")


@_attrs_define
class SimilarCompaniesFilter:
    """A similar-companies query: 1 to 10 seed domains, how strongly
    similarity ranks, a lowest score, and every field of
    `CompanySearchFilter` (the vendor: "and every filter above"), under
    the same strict rules.

        Attributes:
            domains (list[str]): Seed domains to find similar companies to (1 to 10).
            similarity_weight (float | Unset): How much similarity to the seed domains counts, -1 to 1 (default 0).
            min_score (float | Unset): Lowest similarity score to include, 0 to 1.
            semantic_query (str | Unset): Natural-language description of the companies wanted; the preferred
                text field. Not to be combined with `query`.
            query (str | Unset): Text matched against company names and domains only. Not to be
                combined with `semanticQuery`.
            semantic_weight (float | Unset): How much the semantic match counts, 0 to 1 (the vendor's default is 0.7).
            countries (list[str] | Unset): ISO 3166-1 alpha-2 country codes (upper case, such as `DE`).
            regions (list[str] | Unset): Region ids, as the vendor's geo endpoint names them.
            states (list[int] | Unset): State ids (numbers from the vendor's geo endpoint, not names).
            cities (list[int] | Unset): City ids (numbers from the vendor's geo endpoint, not names).
            employees (list[EmployeeRange] | Unset): Employee-count ranges; a company in any of them matches.
            revenue (list[RevenueRange] | Unset): Revenue ranges; a company in any of them matches.
            category (list[BusinessCategory] | Unset): Business-model tags, combined as `categoryOperator` says.
            category_operator (FilterOperator | Unset): How the values of a list combine: `or` (any of them) or `and` (all
                of them).
            type_ (list[CompanyType] | Unset): Company types; a company of any of them matches.
            funding_rounds (list[FundingRound] | Unset): Funding rounds a company has raised.
            founded_year (YearRange | Unset): An inclusive range of years; give `min`, `max` or both.
            funding_year (YearRange | Unset): An inclusive range of years; give `min`, `max` or both.
            funding_amount (AmountRange | Unset): An inclusive range of total funding raised; give `min`, `max` or
                both. The currency is not documented (USD, presumably).
            keywords (list[str] | Unset): Keywords the companies are tagged with, combined as
                `keywordsOperator` says. Free values (the vendor checks them against
                its keyword autocomplete).
            keywords_operator (FilterOperator | Unset): How the values of a list combine: `or` (any of them) or `and` (all
                of them).
            technologies (list[str] | Unset): Technologies the companies use, combined as `technologiesOperator`
                says. Free values (the vendor checks them against its technology
                autocomplete).
            technologies_operator (FilterOperator | Unset): How the values of a list combine: `or` (any of them) or `and`
                (all of them).
            naics_code (list[int] | Unset): NAICS industry codes, 2 to 6 digits.
            workforce_size (list[WorkforceSize] | Unset): Headcount ranges per department.
            workforce_growth (WorkforceGrowth | Unset): Workforce growth filter. Its shape is not known here (the vendor's
                documentation does not say), so any non-empty object is passed on
                unchecked.
            lists (list[str] | Unset): Ids of the caller's saved company lists.
            require (list[str] | Unset): Features a company must have. The set of values is not known here
                (not documented), so any non-empty text is passed on unchecked.
            exclude (ExcludeFilter | Unset): Negative filters: companies matching any of these are left out.
                Each field has the same shape as the search field of that name;
                `domains` lists companies to leave out by domain. Strict like the
                filters it belongs to.
    """

    domains: list[str]
    similarity_weight: float | Unset = UNSET
    min_score: float | Unset = UNSET
    semantic_query: str | Unset = UNSET
    query: str | Unset = UNSET
    semantic_weight: float | Unset = UNSET
    countries: list[str] | Unset = UNSET
    regions: list[str] | Unset = UNSET
    states: list[int] | Unset = UNSET
    cities: list[int] | Unset = UNSET
    employees: list[EmployeeRange] | Unset = UNSET
    revenue: list[RevenueRange] | Unset = UNSET
    category: list[BusinessCategory] | Unset = UNSET
    category_operator: FilterOperator | Unset = UNSET
    type_: list[CompanyType] | Unset = UNSET
    funding_rounds: list[FundingRound] | Unset = UNSET
    founded_year: YearRange | Unset = UNSET
    funding_year: YearRange | Unset = UNSET
    funding_amount: AmountRange | Unset = UNSET
    keywords: list[str] | Unset = UNSET
    keywords_operator: FilterOperator | Unset = UNSET
    technologies: list[str] | Unset = UNSET
    technologies_operator: FilterOperator | Unset = UNSET
    naics_code: list[int] | Unset = UNSET
    workforce_size: list[WorkforceSize] | Unset = UNSET
    workforce_growth: WorkforceGrowth | Unset = UNSET
    lists: list[str] | Unset = UNSET
    require: list[str] | Unset = UNSET
    exclude: ExcludeFilter | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        domains = self.domains

        similarity_weight = self.similarity_weight

        min_score = self.min_score

        semantic_query = self.semantic_query

        query = self.query

        semantic_weight = self.semantic_weight

        countries: list[str] | Unset = UNSET
        if not isinstance(self.countries, Unset):
            countries = self.countries

        regions: list[str] | Unset = UNSET
        if not isinstance(self.regions, Unset):
            regions = self.regions

        states: list[int] | Unset = UNSET
        if not isinstance(self.states, Unset):
            states = self.states

        cities: list[int] | Unset = UNSET
        if not isinstance(self.cities, Unset):
            cities = self.cities

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

        category: list[str] | Unset = UNSET
        if not isinstance(self.category, Unset):
            category = []
            for componentsschemas_business_categories_item_data in self.category:
                componentsschemas_business_categories_item = (
                    componentsschemas_business_categories_item_data.value
                )
                category.append(componentsschemas_business_categories_item)

        category_operator: str | Unset = UNSET
        if not isinstance(self.category_operator, Unset):
            category_operator = self.category_operator.value

        type_: list[str] | Unset = UNSET
        if not isinstance(self.type_, Unset):
            type_ = []
            for componentsschemas_company_types_item_data in self.type_:
                componentsschemas_company_types_item = (
                    componentsschemas_company_types_item_data.value
                )
                type_.append(componentsschemas_company_types_item)

        funding_rounds: list[str] | Unset = UNSET
        if not isinstance(self.funding_rounds, Unset):
            funding_rounds = []
            for componentsschemas_funding_rounds_item_data in self.funding_rounds:
                componentsschemas_funding_rounds_item = (
                    componentsschemas_funding_rounds_item_data.value
                )
                funding_rounds.append(componentsschemas_funding_rounds_item)

        founded_year: dict[str, Any] | Unset = UNSET
        if not isinstance(self.founded_year, Unset):
            founded_year = self.founded_year.to_dict()

        funding_year: dict[str, Any] | Unset = UNSET
        if not isinstance(self.funding_year, Unset):
            funding_year = self.funding_year.to_dict()

        funding_amount: dict[str, Any] | Unset = UNSET
        if not isinstance(self.funding_amount, Unset):
            funding_amount = self.funding_amount.to_dict()

        keywords: list[str] | Unset = UNSET
        if not isinstance(self.keywords, Unset):
            keywords = self.keywords

        keywords_operator: str | Unset = UNSET
        if not isinstance(self.keywords_operator, Unset):
            keywords_operator = self.keywords_operator.value

        technologies: list[str] | Unset = UNSET
        if not isinstance(self.technologies, Unset):
            technologies = self.technologies

        technologies_operator: str | Unset = UNSET
        if not isinstance(self.technologies_operator, Unset):
            technologies_operator = self.technologies_operator.value

        naics_code: list[int] | Unset = UNSET
        if not isinstance(self.naics_code, Unset):
            naics_code = self.naics_code

        workforce_size: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.workforce_size, Unset):
            workforce_size = []
            for componentsschemas_workforce_sizes_item_data in self.workforce_size:
                componentsschemas_workforce_sizes_item = (
                    componentsschemas_workforce_sizes_item_data.to_dict()
                )
                workforce_size.append(componentsschemas_workforce_sizes_item)

        workforce_growth: dict[str, Any] | Unset = UNSET
        if not isinstance(self.workforce_growth, Unset):
            workforce_growth = self.workforce_growth.to_dict()

        lists: list[str] | Unset = UNSET
        if not isinstance(self.lists, Unset):
            lists = self.lists

        require: list[str] | Unset = UNSET
        if not isinstance(self.require, Unset):
            require = self.require

        exclude: dict[str, Any] | Unset = UNSET
        if not isinstance(self.exclude, Unset):
            exclude = self.exclude.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "domains": domains,
            }
        )
        if similarity_weight is not UNSET:
            field_dict["similarityWeight"] = similarity_weight
        if min_score is not UNSET:
            field_dict["minScore"] = min_score
        if semantic_query is not UNSET:
            field_dict["semanticQuery"] = semantic_query
        if query is not UNSET:
            field_dict["query"] = query
        if semantic_weight is not UNSET:
            field_dict["semanticWeight"] = semantic_weight
        if countries is not UNSET:
            field_dict["countries"] = countries
        if regions is not UNSET:
            field_dict["regions"] = regions
        if states is not UNSET:
            field_dict["states"] = states
        if cities is not UNSET:
            field_dict["cities"] = cities
        if employees is not UNSET:
            field_dict["employees"] = employees
        if revenue is not UNSET:
            field_dict["revenue"] = revenue
        if category is not UNSET:
            field_dict["category"] = category
        if category_operator is not UNSET:
            field_dict["categoryOperator"] = category_operator
        if type_ is not UNSET:
            field_dict["type"] = type_
        if funding_rounds is not UNSET:
            field_dict["fundingRounds"] = funding_rounds
        if founded_year is not UNSET:
            field_dict["foundedYear"] = founded_year
        if funding_year is not UNSET:
            field_dict["fundingYear"] = funding_year
        if funding_amount is not UNSET:
            field_dict["fundingAmount"] = funding_amount
        if keywords is not UNSET:
            field_dict["keywords"] = keywords
        if keywords_operator is not UNSET:
            field_dict["keywordsOperator"] = keywords_operator
        if technologies is not UNSET:
            field_dict["technologies"] = technologies
        if technologies_operator is not UNSET:
            field_dict["technologiesOperator"] = technologies_operator
        if naics_code is not UNSET:
            field_dict["naicsCode"] = naics_code
        if workforce_size is not UNSET:
            field_dict["workforceSize"] = workforce_size
        if workforce_growth is not UNSET:
            field_dict["workforceGrowth"] = workforce_growth
        if lists is not UNSET:
            field_dict["lists"] = lists
        if require is not UNSET:
            field_dict["require"] = require
        if exclude is not UNSET:
            field_dict["exclude"] = exclude

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.amount_range import AmountRange
        from ..models.exclude_filter import ExcludeFilter
        from ..models.workforce_growth import WorkforceGrowth
        from ..models.workforce_size import WorkforceSize
        from ..models.year_range import YearRange

        d = dict(src_dict)
        domains = cast(list[str], d.pop("domains"))

        similarity_weight = d.pop("similarityWeight", UNSET)

        min_score = d.pop("minScore", UNSET)

        semantic_query = d.pop("semanticQuery", UNSET)

        query = d.pop("query", UNSET)

        semantic_weight = d.pop("semanticWeight", UNSET)

        countries = cast(list[str], d.pop("countries", UNSET))

        regions = cast(list[str], d.pop("regions", UNSET))

        states = cast(list[int], d.pop("states", UNSET))

        cities = cast(list[int], d.pop("cities", UNSET))

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

        _category = d.pop("category", UNSET)
        category: list[BusinessCategory] | Unset = UNSET
        if _category is not UNSET:
            category = []
            for componentsschemas_business_categories_item_data in _category:
                componentsschemas_business_categories_item = BusinessCategory(
                    componentsschemas_business_categories_item_data
                )

                category.append(componentsschemas_business_categories_item)

        _category_operator = d.pop("categoryOperator", UNSET)
        category_operator: FilterOperator | Unset
        if isinstance(_category_operator, Unset):
            category_operator = UNSET
        else:
            category_operator = FilterOperator(_category_operator)

        _type_ = d.pop("type", UNSET)
        type_: list[CompanyType] | Unset = UNSET
        if _type_ is not UNSET:
            type_ = []
            for componentsschemas_company_types_item_data in _type_:
                componentsschemas_company_types_item = CompanyType(
                    componentsschemas_company_types_item_data
                )

                type_.append(componentsschemas_company_types_item)

        _funding_rounds = d.pop("fundingRounds", UNSET)
        funding_rounds: list[FundingRound] | Unset = UNSET
        if _funding_rounds is not UNSET:
            funding_rounds = []
            for componentsschemas_funding_rounds_item_data in _funding_rounds:
                componentsschemas_funding_rounds_item = FundingRound(
                    componentsschemas_funding_rounds_item_data
                )

                funding_rounds.append(componentsschemas_funding_rounds_item)

        _founded_year = d.pop("foundedYear", UNSET)
        founded_year: YearRange | Unset
        if isinstance(_founded_year, Unset):
            founded_year = UNSET
        else:
            founded_year = YearRange.from_dict(_founded_year)

        _funding_year = d.pop("fundingYear", UNSET)
        funding_year: YearRange | Unset
        if isinstance(_funding_year, Unset):
            funding_year = UNSET
        else:
            funding_year = YearRange.from_dict(_funding_year)

        _funding_amount = d.pop("fundingAmount", UNSET)
        funding_amount: AmountRange | Unset
        if isinstance(_funding_amount, Unset):
            funding_amount = UNSET
        else:
            funding_amount = AmountRange.from_dict(_funding_amount)

        keywords = cast(list[str], d.pop("keywords", UNSET))

        _keywords_operator = d.pop("keywordsOperator", UNSET)
        keywords_operator: FilterOperator | Unset
        if isinstance(_keywords_operator, Unset):
            keywords_operator = UNSET
        else:
            keywords_operator = FilterOperator(_keywords_operator)

        technologies = cast(list[str], d.pop("technologies", UNSET))

        _technologies_operator = d.pop("technologiesOperator", UNSET)
        technologies_operator: FilterOperator | Unset
        if isinstance(_technologies_operator, Unset):
            technologies_operator = UNSET
        else:
            technologies_operator = FilterOperator(_technologies_operator)

        naics_code = cast(list[int], d.pop("naicsCode", UNSET))

        _workforce_size = d.pop("workforceSize", UNSET)
        workforce_size: list[WorkforceSize] | Unset = UNSET
        if _workforce_size is not UNSET:
            workforce_size = []
            for componentsschemas_workforce_sizes_item_data in _workforce_size:
                componentsschemas_workforce_sizes_item = WorkforceSize.from_dict(
                    componentsschemas_workforce_sizes_item_data
                )

                workforce_size.append(componentsschemas_workforce_sizes_item)

        _workforce_growth = d.pop("workforceGrowth", UNSET)
        workforce_growth: WorkforceGrowth | Unset
        if isinstance(_workforce_growth, Unset):
            workforce_growth = UNSET
        else:
            workforce_growth = WorkforceGrowth.from_dict(_workforce_growth)

        lists = cast(list[str], d.pop("lists", UNSET))

        require = cast(list[str], d.pop("require", UNSET))

        _exclude = d.pop("exclude", UNSET)
        exclude: ExcludeFilter | Unset
        if isinstance(_exclude, Unset):
            exclude = UNSET
        else:
            exclude = ExcludeFilter.from_dict(_exclude)

        similar_companies_filter = cls(
            domains=domains,
            similarity_weight=similarity_weight,
            min_score=min_score,
            semantic_query=semantic_query,
            query=query,
            semantic_weight=semantic_weight,
            countries=countries,
            regions=regions,
            states=states,
            cities=cities,
            employees=employees,
            revenue=revenue,
            category=category,
            category_operator=category_operator,
            type_=type_,
            funding_rounds=funding_rounds,
            founded_year=founded_year,
            funding_year=funding_year,
            funding_amount=funding_amount,
            keywords=keywords,
            keywords_operator=keywords_operator,
            technologies=technologies,
            technologies_operator=technologies_operator,
            naics_code=naics_code,
            workforce_size=workforce_size,
            workforce_growth=workforce_growth,
            lists=lists,
            require=require,
            exclude=exclude,
        )

        return similar_companies_filter
