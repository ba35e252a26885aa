"""Typed search filters: what `exports.create()` and `exports.run()` take as `search=`/`similar=`.

    from companyenrich_export import SearchFilter

    query: SearchFilter = {
        "semanticQuery": "B2B SaaS for logistics",
        "countries": ["DE", "AT"],
        "employees": ["11-50", "51-200"],
        "exclude": {"type": ["nonprofit"]},
    }
    client.exports.create(count=500, search=query)

These are `TypedDict`s, so filters stay plain dicts (JSON as the API takes
it) while an editor completes the keys and the enum values, and a type
checker flags a misspelt key or an off-enum literal in your code. The
client checks the same rules again at run time, before anything is sent,
for dicts that come from JSON or `Any`: see `exports.create`.

The CompanyEnrich API silently ignores unknown fields and values, so a typo
widens the query and still spends credits; hence the strictness. Every
list, text and object must also be non-empty (the API reads an empty one as
no constraint at all: leave the key out instead). The ranges in
`Annotated[...]` are the documented ones, also checked at run time.
"""

# No `from __future__ import annotations`: on Python 3.11 a string annotation
# hides `Required[...]` from TypedDict, and `domains` would not be required.
from typing import Annotated, Any, Literal, Required, TypedDict

from companyenrich_export._core._operations import MAX_SIMILAR_DOMAINS
from companyenrich_export._jobs._constraints import Bounds, MaxItems, Pattern

__all__ = [
    "AmountRange",
    "BusinessCategory",
    "CompanyType",
    "EmployeeRange",
    "ExcludeFilter",
    "FilterOperator",
    "FundingRound",
    "RevenueRange",
    "SearchFilter",
    "SimilarFilter",
    "WorkforceSize",
    "YearRange",
]

EmployeeRange = Literal[
    "1-10", "11-50", "51-200", "201-500", "501-1K", "1K-5K", "5K-10K", "over-10K"
]
"""An employee-count range, as the vendor names it."""

RevenueRange = Literal[
    "under-1m", "1m-10m", "10m-50m", "50m-100m", "100m-200m", "200m-1b", "over-1b"
]
"""A yearly revenue range (USD), as the vendor names it."""

BusinessCategory = Literal[
    "b2b", "b2c", "b2g", "e-commerce", "media", "service-provider", "mobile", "saas"
]
"""A business-model tag (not an industry)."""

CompanyType = Literal[
    "private",
    "public",
    "self-employed",
    "self-owned",
    "partnership",
    "nonprofit",
    "educational",
    "government",
]
"""A legal or ownership type of company."""

FundingRound = Literal[
    "seed",
    "debt_financing",
    "angel",
    "venture",
    "series_a",
    "series_b",
    "series_c",
    "series_d",
    "series_e",
    "series_f",
    "series_g",
    "series_h",
    "other",
]
"""A kind of funding round."""

FilterOperator = Literal["and", "or"]
"""How the values of a list combine: `or` (any of them) or `and` (all of them)."""

_Int32 = Annotated[int, Bounds(-(2**31), 2**31 - 1)]
_Headcount = Annotated[int, Bounds(0, 2**31 - 1)]
_CountryCode = Annotated[str, Pattern("[A-Z]{2}", "an ISO 3166-1 alpha-2 country code")]
_NaicsCode = Annotated[int, Bounds(10, 999_999)]


class YearRange(TypedDict, total=False):
    """An inclusive range of years; give `min`, `max` or both."""

    min: _Int32
    max: _Int32


class AmountRange(TypedDict, total=False):
    """An inclusive range of total funding raised (currency not documented: USD, presumably)."""

    min: Annotated[float, Bounds(0, None)]
    max: Annotated[float, Bounds(0, None)]


class WorkforceSize(TypedDict, total=False):
    """An absolute headcount range in one department (or all of them, without `department`)."""

    department: str
    min: _Headcount
    max: _Headcount


class ExcludeFilter(TypedDict, total=False):
    """Companies to leave out: each field has the shape of the search field of that name."""

    domains: list[str]
    regions: list[str]
    countries: list[_CountryCode]
    states: list[_Int32]
    cities: list[_Int32]
    type: list[CompanyType]
    category: list[BusinessCategory]
    employees: list[EmployeeRange]
    revenue: list[RevenueRange]
    naicsCode: list[_NaicsCode]
    keywords: list[str]
    technologies: list[str]
    fundingRounds: list[FundingRound]


class SearchFilter(TypedDict, total=False):
    """A company search (`search=`): every documented field, all optional, at least one set.

    `query` and `semanticQuery` are not to be combined. `workforceGrowth`'s
    shape and `require`'s values are not documented: they are passed on
    unchecked (any non-empty object, any non-empty texts).
    """

    semanticQuery: str
    """Natural-language description of the companies wanted (preferred over `query`)."""
    query: str
    """Text matched against company names and domains only."""
    semanticWeight: Annotated[float, Bounds(0, 1)]
    """How much the semantic match counts (vendor default 0.7)."""
    countries: list[_CountryCode]
    regions: list[str]
    """Region ids from the vendor's geo endpoint."""
    states: list[_Int32]
    """State ids (numbers, not names)."""
    cities: list[_Int32]
    """City ids (numbers, not names)."""
    employees: list[EmployeeRange]
    revenue: list[RevenueRange]
    category: list[BusinessCategory]
    categoryOperator: FilterOperator
    type: list[CompanyType]
    fundingRounds: list[FundingRound]
    foundedYear: YearRange
    fundingYear: YearRange
    fundingAmount: AmountRange
    keywords: list[str]
    keywordsOperator: FilterOperator
    technologies: list[str]
    technologiesOperator: FilterOperator
    naicsCode: list[_NaicsCode]
    """NAICS industry codes, 2 to 6 digits."""
    workforceSize: list[WorkforceSize]
    workforceGrowth: dict[str, Any]
    """Shape not documented: passed on unchecked."""
    lists: list[str]
    """Ids of your saved company lists."""
    require: list[str]
    """Features a company must have; the values are not documented."""
    exclude: ExcludeFilter


class SimilarFilter(SearchFilter, total=False):
    """Companies similar to 1 to 10 seed `domains` (`similar=`), with every search field too."""

    domains: Required[Annotated[list[str], MaxItems(MAX_SIMILAR_DOMAINS)]]
    similarityWeight: Annotated[float, Bounds(-1, 1)]
    """How much similarity to the seed domains counts (default 0)."""
    minScore: Annotated[float, Bounds(0, 1)]
    """Lowest similarity score to include."""
