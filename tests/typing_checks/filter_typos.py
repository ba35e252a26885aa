"""A user's filter typos are mypy errors: checked by `make typecheck`, never run.

The filters are TypedDicts and Literals, so a misspelled key or an off-list
value fails before anything runs. Each line that must fail carries a
`type: ignore` naming the error mypy must report there: under `--strict`
(`warn_unused_ignores`) a line that stops failing is an error too, and every
line without one must pass.
"""

import json
from typing import Any, cast

from companyenrich_export import AsyncCompanyEnrich, CompanyEnrich, SearchFilter, SimilarFilter


def export(client: CompanyEnrich) -> None:
    # An inline dict is checked against `SearchFilter | None` as a whole: mypy
    # names the argument. Annotated as a SearchFilter, it names the key or value.
    client.exports.create(count=10, search={"countrys": ["DE"]})  # type: ignore[arg-type]
    client.exports.create(count=10, search={"employees": ["10-50"]})  # type: ignore[arg-type]
    client.exports.create(count=10, similar={"minScore": 0.5})  # type: ignore[arg-type]
    typo: SearchFilter = {"countrys": ["DE"]}  # type: ignore[typeddict-unknown-key]
    off_enum: SearchFilter = {"employees": ["10-50"]}  # type: ignore[list-item]
    nested: SearchFilter = {"exclude": {"type": ["startup"]}}  # type: ignore[list-item]
    wrong_type: SearchFilter = {"semanticWeight": "high", "states": ["Bavaria"]}  # type: ignore[typeddict-item, list-item]
    no_seeds: SimilarFilter = {"minScore": 0.5}  # type: ignore[typeddict-item]
    good: SearchFilter = {"semanticQuery": "B2B SaaS", "exclude": {"revenue": ["over-1b"]}}
    client.exports.create(count=10, search=good)
    client.exports.create(count=10, search={"countries": ["DE"], "employees": ["11-50"]})
    client.exports.create(count=10, similar={"domains": ["stripe.com"], "minScore": 0.5})
    # A dict[str, Any] is not a SearchFilter: cast it (the check still runs), or pass Any.
    loaded: dict[str, Any] = json.loads("{}")
    client.exports.create(count=10, search=loaded)  # type: ignore[arg-type]
    client.exports.create(count=10, search=cast(SearchFilter, loaded))
    client.exports.create(count=10, search=json.loads("{}"))
    client.exports.create(count=10, search=good, allow_unknown_filters=True)
    del typo, off_enum, nested, wrong_type, no_seeds


async def export_async(client: AsyncCompanyEnrich) -> None:
    # Revenue ranges are lower case: "10M-50M" is off the list.
    await client.exports.run(count=10, search={"revenue": ["10M-50M"]}, dest="out.csv")  # type: ignore[arg-type]
    await client.exports.run(count=10, search={"revenue": ["10m-50m"]}, dest="out.csv")
