"""Realistic, invented company records for the fake's results files.

Each record has every field of the vendor's company record (see
`companyenrich_export._results._record`), with the value shapes the vendor
documents: `employees`/`revenue` as range labels, nested `location`,
`socials` and `financial`, lists of funding rounds and subsidiaries, and
the nulls and missing fields real data has. Where the vendor leaves a
value's form open (ids, `page_rank`, dates), the choice here is a guess and
nothing else relies on it.

Record *i* of a job is made from a hash of (job id, revision, i) alone, so a
file can be produced lazily, in order or not, and is the same every time.
Names are made of syllables by a bijection of *i*, so the domains of one
export are all different. Domains sit under real-looking TLDs
(`.com`, `.de`, `.co.uk`, ...) but are invented; nothing in this project
resolves or contacts them, and any match with a real company is chance.
Text is on one line: a CSV reader that counts lines (the demo's, today)
keeps working; the readers' own tests cover line breaks inside fields.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import math
import random
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, TypeVar
from uuid import UUID

from companyenrich_export._results._record import (
    CATEGORIES,
    COMPANY_TYPES,
    EMPLOYEE_RANGES,
    FUNDING_ROUNDS,
    REVENUE_RANGES,
    Row,
)

from ._matching import RecordConstraints, record_constraints

_T = TypeVar("_T")
_DIGITS: Final = "0123456789"
_LETTERS: Final = "ABCDEFGHJKLMNPRSTUVWXYZ"
_ONSETS: Final = (
    "b",
    "br",
    "c",
    "d",
    "f",
    "g",
    "k",
    "l",
    "m",
    "n",
    "p",
    "qu",
    "r",
    "s",
    "t",
    "v",
    "z",
    "tr",
    "st",
    "h",
)
_VOWELS: Final = ("a", "e", "i", "o")
_SYLLABLES: Final = tuple(onset + vowel for onset in _ONSETS for vowel in _VOWELS)  # 80
_ENDINGS: Final = ("", "x", "n", "ra", "s", "l", "ly", "ta")
# Stems: three syllables and an ending, numbered by a bijection of the row index.
_NAME_SPACE: Final = len(_SYLLABLES) ** 2 * len(_ENDINGS) * len(_SYLLABLES)


@dataclass(frozen=True, slots=True)
class _City:
    id: int
    name: str
    latitude: float
    longitude: float
    postal: str  # a pattern: # is a digit, @ a capital letter


@dataclass(frozen=True, slots=True)
class _State:
    id: int
    name: str
    code: str
    cities: tuple[_City, ...]


@dataclass(frozen=True, slots=True)
class _Country:
    code: str
    name: str
    tlds: tuple[str, ...]
    legal: tuple[str, ...]
    phone: str  # a pattern, as postal
    streets: tuple[str, ...]
    number_first: bool
    exchanges: tuple[str, ...]
    states: tuple[_State, ...]


def _c(id_: int, name: str, lat: float, lon: float, postal: str) -> _City:
    return _City(id_, name, lat, lon, postal)


# Real places and their coordinates; the ids are invented (the vendor's are not public).
_COUNTRIES: Final[tuple[_Country, ...]] = (
    _Country(
        "US",
        "United States",
        (".com", ".io", ".ai", ".co"),
        ("Inc.", "LLC", "Corp.", ""),
        "+1 ###-555-01##",
        ("Market Street", "Main Street", "Congress Avenue", "Broadway", "Mission Street"),
        True,
        ("NASDAQ", "NYSE"),
        (
            _State(
                1001,
                "California",
                "CA",
                (
                    _c(50011, "San Francisco", 37.7749, -122.4194, "941##"),
                    _c(50012, "Los Angeles", 34.0522, -118.2437, "900##"),
                ),
            ),
            _State(1002, "New York", "NY", (_c(50021, "New York", 40.7128, -74.006, "100##"),)),
            _State(1003, "Texas", "TX", (_c(50031, "Austin", 30.2672, -97.7431, "787##"),)),
            _State(1004, "Massachusetts", "MA", (_c(50041, "Boston", 42.3601, -71.0589, "021##"),)),
        ),
    ),
    _Country(
        "GB",
        "United Kingdom",
        (".co.uk", ".com", ".io"),
        ("Ltd", "Limited", "PLC", ""),
        "+44 20 7946 0###",
        ("Old Street", "Shoreditch High Street", "King Street", "Deansgate"),
        True,
        ("LSE",),
        (
            _State(
                2001,
                "England",
                "ENG",
                (
                    _c(51011, "London", 51.5074, -0.1278, "EC#@ #@@"),
                    _c(51012, "Manchester", 53.4808, -2.2426, "M# #@@"),
                ),
            ),
            _State(2002, "Scotland", "SCT", (_c(51021, "Edinburgh", 55.9533, -3.1883, "EH# #@@"),)),
        ),
    ),
    _Country(
        "DE",
        "Germany",
        (".de", ".com", ".io"),
        ("GmbH", "AG", "SE", "GmbH & Co. KG"),
        "+49 30 #######",
        ("Friedrichstraße", "Torstraße", "Leopoldstraße", "Große Elbstraße"),
        False,
        ("XETRA", "FWB"),
        (
            _State(3001, "Berlin", "BE", (_c(52011, "Berlin", 52.52, 13.405, "10###"),)),
            _State(
                3002,
                "Bayern",
                "BY",
                (
                    _c(52021, "München", 48.1351, 11.582, "80###"),
                    _c(52022, "Nürnberg", 49.4521, 11.0767, "90###"),
                ),
            ),
            _State(3003, "Hamburg", "HH", (_c(52031, "Hamburg", 53.5511, 9.9937, "20###"),)),
        ),
    ),
    _Country(
        "FR",
        "France",
        (".fr", ".com", ".io"),
        ("SAS", "SA", "SARL"),
        "+33 1 ## ## ## ##",
        (
            "Rue de Rivoli",
            "Rue du Faubourg Saint-Antoine",
            "Boulevard Haussmann",
            "Rue de la République",
        ),
        True,
        ("Euronext Paris",),
        (
            _State(4001, "Île-de-France", "IDF", (_c(53011, "Paris", 48.8566, 2.3522, "750##"),)),
            _State(
                4002, "Auvergne-Rhône-Alpes", "ARA", (_c(53021, "Lyon", 45.764, 4.8357, "6900#"),)
            ),
        ),
    ),
    _Country(
        "NL",
        "Netherlands",
        (".nl", ".com", ".io"),
        ("B.V.", "N.V."),
        "+31 20 ### ####",
        ("Herengracht", "Keizersgracht", "Weena", "Stationsplein"),
        False,
        ("Euronext Amsterdam",),
        (
            _State(
                5001, "Noord-Holland", "NH", (_c(54011, "Amsterdam", 52.3676, 4.9041, "10## @@"),)
            ),
            _State(
                5002, "Zuid-Holland", "ZH", (_c(54021, "Rotterdam", 51.9244, 4.4777, "30## @@"),)
            ),
        ),
    ),
    _Country(
        "SE",
        "Sweden",
        (".se", ".com", ".io"),
        ("AB",),
        "+46 8 ### ### ##",
        ("Birger Jarlsgatan", "Sveavägen", "Kungsgatan"),
        False,
        ("Nasdaq Stockholm",),
        (
            _State(
                6001, "Stockholms län", "AB", (_c(55011, "Stockholm", 59.3293, 18.0686, "1## ##"),)
            ),
        ),
    ),
    _Country(
        "ES",
        "Spain",
        (".es", ".com", ".io"),
        ("S.L.", "S.A."),
        "+34 91 ### ## ##",
        ("Calle de Alcalá", "Gran Via", "Passeig de Gràcia"),
        False,
        ("BME",),
        (
            _State(
                7001, "Comunidad de Madrid", "MD", (_c(56011, "Madrid", 40.4168, -3.7038, "280##"),)
            ),
            _State(7002, "Cataluña", "CT", (_c(56021, "Barcelona", 41.3874, 2.1686, "080##"),)),
        ),
    ),
    _Country(
        "JP",
        "Japan",
        (".jp", ".co.jp", ".com"),
        ("K.K.", "Co., Ltd."),
        "+81 3-####-####",
        ("Marunouchi", "Shibuya", "Roppongi", "Umeda"),
        True,
        ("TSE",),
        (
            _State(8001, "Tokyo", "13", (_c(57011, "Tokyo", 35.6762, 139.6503, "1##-####"),)),
            _State(8002, "Osaka", "27", (_c(57021, "Osaka", 34.6937, 135.5023, "5##-####"),)),
        ),
    ),
    _Country(
        "BR",
        "Brazil",
        (".com.br", ".com"),
        ("Ltda.", "S.A."),
        "+55 11 9####-####",
        ("Avenida Paulista", "Rua Oscar Freire", "Avenida Faria Lima"),
        False,
        ("B3",),
        (
            _State(
                9001, "São Paulo", "SP", (_c(58011, "São Paulo", -23.5505, -46.6333, "01###-###"),)
            ),
        ),
    ),
    _Country(
        "IN",
        "India",
        (".in", ".com", ".io"),
        ("Pvt. Ltd.", "Ltd."),
        "+91 80 #### ####",
        ("MG Road", "Outer Ring Road", "Bandra Kurla Complex"),
        True,
        ("NSE", "BSE"),
        (
            _State(10001, "Karnataka", "KA", (_c(59011, "Bengaluru", 12.9716, 77.5946, "560###"),)),
            _State(10002, "Maharashtra", "MH", (_c(59021, "Mumbai", 19.076, 72.8777, "400###"),)),
        ),
    ),
    _Country(
        "CA",
        "Canada",
        (".ca", ".com", ".io"),
        ("Inc.", "Ltd."),
        "+1 ###-555-01##",
        ("King Street West", "Granville Street", "Rue Saint-Paul"),
        True,
        ("TSX",),
        (
            _State(11001, "Ontario", "ON", (_c(60011, "Toronto", 43.6532, -79.3832, "M#@ #@#"),)),
            _State(
                11002,
                "British Columbia",
                "BC",
                (_c(60021, "Vancouver", 49.2827, -123.1207, "V#@ #@#"),),
            ),
        ),
    ),
    _Country(
        "PL",
        "Poland",
        (".pl", ".com", ".io"),
        ("sp. z o.o.", "S.A."),
        "+48 22 ### ## ##",
        ("ulica Marszałkowska", "Aleje Jerozolimskie", "ulica Złota"),
        False,
        ("GPW",),
        (_State(12001, "Mazowieckie", "MZ", (_c(61011, "Warszawa", 52.2297, 21.0122, "00-###"),)),),
    ),
)
# Weights: an export is mostly US and European companies.
_COUNTRY_WEIGHTS: Final = tuple(itertools.accumulate((30, 12, 12, 7, 5, 3, 5, 4, 4, 6, 5, 3)))
_TYPE_WEIGHTS: Final = tuple(itertools.accumulate((80, 6, 1, 2, 3, 4, 2, 2)))

_INDUSTRIES: Final[dict[str, tuple[str, ...]]] = {
    "Software Development": (
        "Software Development",
        "IT Services and IT Consulting",
        "Data Infrastructure and Analytics",
    ),
    "Financial Services": ("Financial Services", "Banking", "Software Development"),
    "Hospitals and Health Care": ("Hospitals and Health Care", "Medical Equipment Manufacturing"),
    "Truck Transportation": (
        "Truck Transportation",
        "Transportation, Logistics, Supply Chain and Storage",
    ),
    "Advertising Services": ("Advertising Services", "Marketing Services"),
    "Retail": ("Retail", "Online and Mail Order Retail"),
    "Renewable Energy Power Generation": ("Renewable Energy Power Generation", "Utilities"),
    "Education": ("Education", "E-Learning Providers"),
    "Food and Beverage Manufacturing": ("Food and Beverage Manufacturing", "Manufacturing"),
    "Biotechnology Research": ("Biotechnology Research", "Pharmaceutical Manufacturing"),
}
_INDUSTRY_NAMES: Final = tuple(_INDUSTRIES)
# Per industry: the word after the stem, what it makes, who for, keywords, NAICS codes.
_PROFILES: Final[
    dict[
        str,
        tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]],
    ]
] = {
    "Software Development": (
        ("Labs", "Software", "Cloud", "Data", ""),
        ("a workflow automation platform", "developer tools", "an analytics suite"),
        ("mid-market companies", "engineering teams", "enterprises"),
        ("saas", "b2b software", "automation", "api", "data analytics"),
        ("541511", "513210", "518210"),
    ),
    "Financial Services": (
        ("Pay", "Capital", "Finance", "Bank"),
        ("payment infrastructure", "an expense management app", "embedded lending"),
        ("small businesses", "marketplaces", "CFOs"),
        ("fintech", "payments", "lending", "compliance"),
        ("522320", "523999", "522390"),
    ),
    "Hospitals and Health Care": (
        ("Health", "Care", "Medical", "Clinic"),
        ("a telehealth service", "clinical trial software", "home care"),
        ("patients", "hospitals", "clinics"),
        ("healthcare", "telemedicine", "digital health"),
        ("621111", "621498", "541714"),
    ),
    "Truck Transportation": (
        ("Logistics", "Freight", "Transport"),
        ("freight forwarding", "a digital freight marketplace", "last-mile delivery"),
        ("shippers", "retailers", "carriers"),
        ("logistics", "supply chain", "freight", "last mile"),
        ("484121", "488510", "493110"),
    ),
    "Advertising Services": (
        ("Media", "Studio", "Agency", "Digital"),
        ("performance marketing", "brand campaigns", "influencer marketing"),
        ("consumer brands", "B2B companies", "startups"),
        ("marketing", "advertising", "seo", "content"),
        ("541810", "541613", "541890"),
    ),
    "Retail": (
        ("Store", "Shop", "Home", "Goods"),
        ("sustainable home goods", "an online fashion store", "refurbished electronics"),
        ("consumers", "families", "students"),
        ("e-commerce", "retail", "d2c", "marketplace"),
        ("455219", "458110", "449210"),
    ),
    "Renewable Energy Power Generation": (
        ("Energy", "Solar", "Power", "Wind"),
        ("solar parks", "battery storage", "EV charging networks"),
        ("utilities", "municipalities", "homeowners"),
        ("renewable energy", "solar", "cleantech"),
        ("221114", "221115", "237130"),
    ),
    "Education": (
        ("Learning", "Academy", "Edu"),
        ("online courses", "a tutoring platform", "a learning management system"),
        ("schools", "universities", "adult learners"),
        ("edtech", "e-learning", "education"),
        ("611710", "611430", "611699"),
    ),
    "Food and Beverage Manufacturing": (
        ("Foods", "Kitchen", "Brewing"),
        ("plant-based foods", "craft beverages", "ready meals"),
        ("supermarkets", "restaurants", "consumers"),
        ("food", "beverages", "fmcg"),
        ("311999", "312120", "311412"),
    ),
    "Biotechnology Research": (
        ("Bio", "Therapeutics", "Genomics"),
        ("gene therapies", "diagnostics", "antibody research"),
        ("pharma companies", "hospitals", "research labs"),
        ("biotech", "life sciences", "drug discovery"),
        ("541714", "325414", "541380"),
    ),
}
_TECHNOLOGIES: Final = (
    "Google Analytics",
    "Google Tag Manager",
    "HubSpot",
    "Salesforce",
    "React",
    "Next.js",
    "WordPress",
    "Shopify",
    "Stripe",
    "Cloudflare",
    "Amazon Web Services",
    "Google Cloud",
    "Microsoft Azure",
    "Intercom",
    "Zendesk",
    "Segment",
    "Hotjar",
    "Mailchimp",
    "Vue.js",
    "jQuery",
    "Nginx",
    "Kubernetes",
    "Datadog",
    "Sentry",
    "Marketo",
)
_INVESTORS: Final = (
    "Brightwater Ventures",
    "Northbeam Capital",
    "Alder Peak Partners",
    "Kestrel Growth",
    "Saltmarsh Capital",
    "Eastfield Ventures",
    "Larchmont Partners",
    "Blue Heron Fund",
    "Copperline Ventures",
    "Harbor Light Capital",
)
_TAGLINES: Final = (
    "Uber for freight",
    "Stripe for healthcare",
    "the operating system for SMBs",
    "Netflix of learning",
)
_ACCENTED: Final = {"DE": ("ü", "ö"), "FR": ("é", "è"), "BR": ("ã", "ç"), "SE": ("ö", "ä")}


_Random = Callable[[], float]


def _below(rnd: _Random, bound: int) -> int:
    """A whole number in [0, bound): `random.randrange` costs several times more."""
    return int(rnd() * bound)


def _pick(rnd: _Random, items: Sequence[_T]) -> _T:
    return items[int(rnd() * len(items))]


def _some(rnd: _Random, items: Sequence[_T], count: int) -> list[_T]:
    """`count` different items, in random order (a partial Fisher-Yates shuffle)."""
    pool = list(items)
    for index in range(count):
        other = index + int(rnd() * (len(pool) - index))
        pool[index], pool[other] = pool[other], pool[index]
    return pool[:count]


def _weighted(rnd: _Random, items: Sequence[_T], cumulative: Sequence[float]) -> _T:
    return items[bisect.bisect_right(cumulative, rnd() * cumulative[-1])]


def _pattern(rnd: _Random, pattern: str) -> str:
    return "".join(
        _DIGITS[int(rnd() * 10)] if ch == "#" else _LETTERS[int(rnd() * 23)] if ch == "@" else ch
        for ch in pattern
    )


def _uuid4_text(digest: bytes) -> str:
    """The text of a version-4 UUID made from 16 bytes (as `str(uuid.UUID(...))`, cheaper)."""
    text = digest.hex()
    variant = "89ab"[int(text[16], 16) & 3]
    return f"{text[:8]}-{text[8:12]}-4{text[13:16]}-{variant}{text[17:20]}-{text[20:32]}"


def _maybe(rnd: _Random, share: float, value: _T) -> _T | None:
    """`value` with probability `share`, else None."""
    return value if rnd() < share else None


class CompanyRecords(Sequence[Row]):
    """The `count` companies of one job's export, made on demand.

    `revision` changes every record (a file replaced in storage). `search`,
    the export's search filter, makes every record match its recognised
    fields (countries, employees, revenue, category, type, foundedYear,
    keywords, technologies, and their exclusions): see `_matching`. Only
    the countries the fake has records for can be matched; a filter naming
    none of them leaves the country free.
    """

    def __init__(
        self,
        job_id: UUID,
        count: int,
        *,
        revision: int = 0,
        search: Mapping[str, Any] | None = None,
    ) -> None:
        if count < 0:
            raise ValueError("count must not be negative")
        self.constraints = record_constraints(search)
        self._constrained = self.constraints.active  # a comparison: not once per record
        self._countries, self._country_weights = _restricted(
            _COUNTRIES, _COUNTRY_WEIGHTS, self.constraints.countries, lambda c: c.code
        )
        self._types, self._type_weights = _restricted(
            COMPANY_TYPES, _TYPE_WEIGHTS, self.constraints.types, lambda t: t
        )
        self.job_id = job_id
        self.total = count
        self.revision = revision
        key = hashlib.blake2b(f"{job_id}:{revision}".encode(), digest_size=16).digest()
        self._key = key
        # An odd multiplier coprime with the name space makes i -> stem a bijection.
        multiplier = int.from_bytes(key[:8], "big") % _NAME_SPACE
        while multiplier % 2 == 0 or multiplier % 5 == 0:
            multiplier += 1
        self._multiplier = multiplier
        self._offset = int.from_bytes(key[8:], "big") % _NAME_SPACE

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index: int) -> Row:  # type: ignore[override]
        if not isinstance(index, int):
            raise TypeError("CompanyRecords supports integer indices only")
        if index < 0:
            index += self.total
        if not 0 <= index < self.total:
            raise IndexError(index)
        return self.record(index)

    def __iter__(self) -> Iterator[Row]:
        return (self.record(index) for index in range(self.total))

    def _stem(self, index: int) -> str:
        number = (index * self._multiplier + self._offset) % _NAME_SPACE
        number, first = divmod(number, len(_SYLLABLES))
        number, second = divmod(number, len(_SYLLABLES))
        number, ending = divmod(number, len(_ENDINGS))
        third = number % len(_SYLLABLES)
        stem = _SYLLABLES[first] + _SYLLABLES[second] + _SYLLABLES[third] + _ENDINGS[ending]
        # Beyond the name space (more rows than any export has) keep domains unique anyway.
        return stem if index < _NAME_SPACE else f"{stem}{index // _NAME_SPACE}"

    def record(self, index: int) -> Row:
        """Company `index` (0-based), as the vendor's record."""
        seed = hashlib.blake2b(self._key + index.to_bytes(8, "big"), digest_size=16).digest()
        # Not for secrets: a generator per record makes it repeatable, in any order, in any thread.
        rnd = random.Random(int.from_bytes(seed, "big")).random  # noqa: S311
        country = _weighted(rnd, self._countries, self._country_weights)
        state = _pick(rnd, country.states)
        city = _pick(rnd, state.cities)
        industry = _pick(rnd, _INDUSTRY_NAMES)
        words, products, audiences, keywords, naics = _PROFILES[industry]

        stem = self._stem(index)
        display = stem.capitalize()
        accents = _ACCENTED.get(country.code)
        if accents and rnd() < 0.3:
            # Some names carry their language's letters; domains never do.
            display = display[0] + display[1:].replace("o", accents[0], 1).replace(
                "e", accents[1], 1
            )
        word = _pick(rnd, words)
        legal = _pick(rnd, country.legal) if rnd() < 0.4 else ""
        name = " ".join(part for part in (display, word, legal) if part)
        if rnd() < 0.03:
            name = f"{display}, {_pick(rnd, ('Berg', 'Hale', 'Moreau'))} & Partners"
        tld = _pick(rnd, country.tlds)
        domain = f"{stem}{word.lower()}{tld}" if word and rnd() < 0.3 else f"{stem}{tld}"
        slug = stem + (f"-{word.lower()}" if word else "")

        rules = self.constraints
        company_type = _weighted(rnd, self._types, self._type_weights)
        size_index = min(int(-math.log(1.0 - rnd()) / 0.55), len(EMPLOYEE_RANGES) - 1)
        size_index = _within(rnd, EMPLOYEE_RANGES, size_index, rules.employees)
        revenue_index = min(max(size_index - 2 + _below(rnd, 3), 0), len(REVENUE_RANGES) - 1)
        revenue_index = _within(rnd, REVENUE_RANGES, revenue_index, rules.revenue)
        founded = 1950 + _below(rnd, 75) if rnd() < 0.9 else None
        if rules.founded_min is not None or rules.founded_max is not None:
            low = rules.founded_min if rules.founded_min is not None else 1950
            high = rules.founded_max if rules.founded_max is not None else 2025
            low, high = (
                (low, max(low, high)) if rules.founded_min is not None else (min(low, high), high)
            )
            founded = low + _below(rnd, high - low + 1)
        product, audience = _pick(rnd, products), _pick(rnd, audiences)
        description = f"{name} provides {product} for {audience}."
        if rnd() < 0.5:
            description += (
                f" Based in {city.name}, {country.name}, it serves customers in "
                f"{2 + _below(rnd, 58)} countries."
            )
        if rnd() < 0.1:
            description += f' Often called "the {_pick(rnd, _TAGLINES)}".'

        record: Row = {
            "id": _uuid4_text(seed),
            "name": name,
            "domain": domain,
            "website": _maybe(rnd, 0.95, f"https://{'www.' if rnd() < 0.7 else ''}{domain}"),
            "type": company_type,
            "industry": industry,
            "industries": list(_INDUSTRIES[industry][: _below(rnd, 4)]),
            "categories": sorted(_some(rnd, CATEGORIES, _below(rnd, 4))),
            "employees": _maybe(rnd, 0.95, EMPLOYEE_RANGES[size_index]),
            "revenue": _maybe(rnd, 0.8, REVENUE_RANGES[revenue_index]),
            "description": _maybe(rnd, 0.97, description),
            "seo_description": _maybe(rnd, 0.6, f"{display} \N{EN DASH} {product} for {audience}"),
            "founded_year": founded,
            "page_rank": _maybe(rnd, 0.8, round(0.5 + rnd() * 9, 2)),
            "logo_url": _maybe(rnd, 0.85, f"https://{domain}/assets/logo.png"),
            "keywords": _some(rnd, keywords, _below(rnd, len(keywords) + 1)),
            "technologies": sorted(_some(rnd, _TECHNOLOGIES, _below(rnd, 9))),
            "naics_codes": _some(rnd, naics, _below(rnd, 3)),
            "location": _location(rnd, country, state, city),
            "socials": _socials(rnd, slug),
            "financial": _financial(rnd, country, company_type, founded, domain),
            "subsidiaries": _subsidiaries(rnd, stem, tld),
            "updated_at": (
                f"2025-{1 + _below(rnd, 12):02d}-{1 + _below(rnd, 28):02d}T"
                f"{_below(rnd, 24):02d}:{_below(rnd, 60):02d}:{_below(rnd, 60):02d}."
                f"{_below(rnd, 1000):03d}Z"
            ),
        }
        # Fields the vendor sometimes leaves out altogether, not even null.
        for optional in _SOMETIMES_ABSENT:
            if rnd() < 0.04:
                del record[optional]
        if self._constrained:
            _conform(rnd, record, rules)
        return record


def _restricted(
    items: Sequence[_T],
    cumulative: Sequence[float],
    allowed: frozenset[str] | None,
    key: Callable[[_T], str],
) -> tuple[Sequence[_T], Sequence[float]]:
    """The items a filter allows, with their weights; all of them when it allows none we have."""
    if allowed is None:
        return items, cumulative
    weights = [high - low for low, high in zip((0.0, *cumulative), cumulative, strict=False)]
    kept = [(item, weight) for item, weight in zip(items, weights, strict=True)
            if _allows(allowed, key(item))]  # fmt: skip
    if not kept:
        return items, cumulative
    return [item for item, _ in kept], tuple(itertools.accumulate(w for _, w in kept))


def _allows(allowed: frozenset[str], value: str) -> bool:
    if any(item.startswith("!") for item in allowed):  # only exclusions were given
        return f"!{value}" not in allowed
    return value in allowed


def _within(rnd: _Random, ranges: Sequence[str], index: int, allowed: frozenset[str] | None) -> int:
    if allowed is None or ranges[index] in allowed:
        return index
    choices = [number for number, value in enumerate(ranges) if value in allowed]
    return _pick(rnd, choices) if choices else index


def _conform(rnd: _Random, record: Row, rules: RecordConstraints) -> None:
    """Make the fields a draw cannot leave to chance match the query (extra draws only here)."""
    for field, allowed, ranges in (
        ("employees", rules.employees, EMPLOYEE_RANGES),
        ("revenue", rules.revenue, REVENUE_RANGES),
    ):
        if allowed and record.get(field) not in allowed:
            record[field] = _pick(rnd, [value for value in ranges if value in allowed])
    for field, wanted, excluded in (
        ("categories", rules.categories, rules.excluded_categories),
        ("keywords", rules.keywords, rules.excluded_keywords),
        ("technologies", rules.technologies, rules.excluded_technologies),
    ):
        values = [value for value in record.get(field) or () if value not in excluded]
        if wanted is not None:
            given, every = wanted
            if every:
                needed = list(given)
            elif set(values) & set(given):
                needed = []
            else:
                needed = [_pick(rnd, [value for value in given if value not in excluded] or given)]
            values += [value for value in needed if value not in values]
        if field in record or wanted is not None:
            record[field] = sorted(values) if field != "keywords" else values


_SOMETIMES_ABSENT: Final = (
    "seo_description",
    "naics_codes",
    "subsidiaries",
    "page_rank",
    "logo_url",
)


def _location(rnd: _Random, country: _Country, state: _State, city: _City) -> dict[str, Any]:
    number, street = str(1 + _below(rnd, 399)), _pick(rnd, country.streets)
    address = f"{number} {street}" if country.number_first else f"{street} {number}"
    return {
        "address": _maybe(rnd, 0.8, address),
        "phone": _maybe(rnd, 0.6, _pattern(rnd, country.phone)),
        "postal_code": _maybe(rnd, 0.85, _pattern(rnd, city.postal)),
        "city": {
            "id": city.id,
            "name": city.name,
            "latitude": city.latitude,
            "longitude": city.longitude,
        },
        "state": _maybe(rnd, 0.9, {"id": state.id, "name": state.name, "code": state.code}),
        "country": {"name": country.name, "code": country.code},
    }


def _socials(rnd: _Random, slug: str) -> dict[str, Any] | None:
    if rnd() < 0.08:
        return None
    handle = slug.replace("-", "")
    socials = {
        "linkedin_url": _maybe(rnd, 0.9, f"https://www.linkedin.com/company/{slug}"),
        "linkedin_id": _maybe(rnd, 0.7, str(10_000 + _below(rnd, 99_990_000))),
        "twitter_url": _maybe(rnd, 0.5, f"https://twitter.com/{handle}"),
        "facebook_url": _maybe(rnd, 0.4, f"https://www.facebook.com/{slug}"),
        "github_url": _maybe(rnd, 0.2, f"https://github.com/{slug}"),
        "youtube_url": _maybe(rnd, 0.15, f"https://www.youtube.com/@{handle}"),
        "instagram_url": _maybe(rnd, 0.25, f"https://www.instagram.com/{handle}"),
        "crunchbase_url": _maybe(rnd, 0.35, f"https://www.crunchbase.com/organization/{slug}"),
        "g2_url": _maybe(rnd, 0.1, f"https://www.g2.com/products/{slug}/reviews"),
        "angellist_url": _maybe(rnd, 0.1, f"https://angel.co/company/{slug}"),
    }
    if rnd() < 0.05:
        del socials["g2_url"], socials["angellist_url"]  # an older record
    return socials


_ROUND_SIZES: Final = (250_000, 500_000, 1_500_000, 4_000_000, 12_000_000, 30_000_000)
_RARE_ROUNDS: Final = frozenset({"debt_financing", "angel", "venture"})


def _financial(
    rnd: _Random, country: _Country, company_type: str, founded: int | None, domain: str
) -> dict[str, Any] | None:
    public = company_type == "public"
    if not public and rnd() < 0.55:
        return None  # never raised money, as far as anyone knows
    rounds: list[dict[str, Any]] = []
    year = max(founded or 2005, 2000)
    stages = FUNDING_ROUNDS[: _below(rnd, 6)] if not public or rnd() < 0.5 else ()
    for stage in stages:
        if stage in _RARE_ROUNDS and rnd() < 0.6:
            continue
        year = min(year + _below(rnd, 3), 2025)
        amount = _pick(rnd, _ROUND_SIZES) * (1 + _below(rnd, 3))
        rounds.append(
            {
                "date": f"{year}-{1 + _below(rnd, 12):02d}-{1 + _below(rnd, 28):02d}",
                "type": stage,
                "amount": _maybe(rnd, 0.9, amount),
                "from": ", ".join(_some(rnd, _INVESTORS, 1 + _below(rnd, 3))),
                "url": _maybe(rnd, 0.7, f"https://{domain}/news/{stage.replace('_', '-')}"),
            }
        )
    amounts = [entry["amount"] for entry in rounds if entry["amount"] is not None]
    last = rounds[-1] if rounds else None
    return {
        "total_funding": sum(amounts) if amounts else None,
        "funding_stage": last["type"] if last else None,
        "funding_date": last["date"] if last else None,
        "stock_symbol": _pattern(rnd, "@@@@")[: 2 + _below(rnd, 3)] if public else None,
        "stock_exchange": _pick(rnd, country.exchanges) if public else None,
        "funding": rounds,
    }


_SUBSIDIARY_WORDS: Final = ("labs", "digital", "services", "international")


def _subsidiaries(rnd: _Random, stem: str, tld: str) -> list[dict[str, Any]]:
    if rnd() < 0.9:
        return []
    return [
        {"name": f"{stem.capitalize()} {word.capitalize()}", "domain": f"{stem}{word}{tld}"}
        for word in _some(rnd, _SUBSIDIARY_WORDS, 1 + _below(rnd, 3))
    ]


__all__ = ["CompanyRecords"]
