"""Company domains as a bulk enrichment sends them: normalised, de-duplicated, checked.

A bulk enrichment costs a credit per domain enriched, and the vendor does
not say what it does with `HTTPS://Stripe.com/pricing` or with a typo (it
documents only "a string array of 1 to 10,000"). So every domain is put in
one form before anything is sent, and anything that cannot be a company's
host name is refused, naming the first offenders, with nothing sent.

The form, for each item:

* surrounding white space is dropped, letters are lower-cased;
* a pasted URL gives its host (`https://www.stripe.com/pricing?x=1` ->
  `stripe.com`), and so does a host followed by a path, query or fragment
  (`stripe.com/about`) or a port (`stripe.com:443`); userinfo
  (`user@host`) is refused, not guessed at;
* one trailing dot (the DNS root) is dropped;
* a leading `www.` is dropped when a domain remains (`www.stripe.com` ->
  `stripe.com`, `www.com` stays): a company is known by its site's domain,
  and `www.x.com` beside `x.com` would be paid twice for one company;
* international names become their ASCII form (IDNA 2008 with UTS 46
  mapping, as browsers do: `Bücher.de` -> `xn--bcher-kva.de`);
* then it must be a host name: labels of 1 to 63 letters, digits and
  hyphens, not starting or ending with a hyphen, at least two labels, at
  most 253 characters, a top-level label that is not all digits. IP
  addresses (`10.0.0.1`, `[::1]`) are refused: they name no company.

Duplicates (after normalising) are dropped, keeping the first, so the
order of the input is kept. The count that the vendor's 10,000 limit is
held against is that of the unique domains (its `total_domains` is
documented as "unique domains to enrich").
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

import idna

from companyenrich_export._core._operations import MAX_BULK_DOMAINS

__all__ = ["MAX_BULK_DOMAINS", "normalise_domain", "normalise_domains", "split_domains"]

# How many offenders a refusal names; the rest are counted.
MAX_NAMED_OFFENDERS = 5
_MAX_HOST_LENGTH = 253
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_PORT = re.compile(r"(.*):([0-9]*)")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _host_of(text: str) -> str:
    """The host part of a domain as pasted: scheme, path, query, fragment and port removed."""
    if _SCHEME.match(text):
        try:
            parts = urlsplit(text)
        except ValueError:
            raise ValueError("not a URL with a host") from None
        if parts.username is not None or parts.password is not None:
            raise ValueError("has user information (user@host)")
        netloc = parts.netloc
        if netloc.startswith("[") or "]" in netloc:
            raise ValueError("is an IP address, not a domain")
        host = netloc
    else:
        host = re.split(r"[/?#]", text, maxsplit=1)[0]
    if "@" in host:
        raise ValueError("has user information (user@host)")
    if host.startswith("[") or "]" in host:
        raise ValueError("is an IP address, not a domain")
    with_port = _PORT.fullmatch(host)
    if with_port is not None:
        host = with_port.group(1)
    return host


def _ascii(host: str) -> str:
    if host.isascii():
        # UTS 46 would also map ASCII (and accept `_`); checked by the label rule below.
        return host
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError):
        raise ValueError("is not a valid international domain name") from None


def normalise_domain(domain: str) -> str:
    """One domain in the form sent (see the module's docstring); ValueError says why not."""
    if not isinstance(domain, str):
        raise TypeError(f"a domain must be a str, got {type(domain).__name__}")
    text = domain.strip()
    if not text:
        raise ValueError("is empty")
    host = _ascii(_host_of(text)).lower()
    host = host.removesuffix(".")
    if not host:
        raise ValueError("has no host name")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        raise ValueError("is an IP address, not a domain")
    if host.startswith("www.") and "." in host[4:]:
        host = host[4:]
    if len(host) > _MAX_HOST_LENGTH:
        raise ValueError(f"is longer than {_MAX_HOST_LENGTH} characters")
    labels = host.split(".")
    if len(labels) < 2:
        raise ValueError("has no dot: a domain has a name and a top-level domain")
    for label in labels:
        if not _LABEL.fullmatch(label):
            raise ValueError(
                f"has an invalid label {label!r}: 1 to 63 letters, digits or inner hyphens"
            )
        if label.startswith("xn--"):
            try:
                idna.decode(label)
            except (idna.IDNAError, UnicodeError):
                raise ValueError(f"has an invalid international label {label!r}") from None
    if labels[-1].isdigit():
        raise ValueError("ends in a number: not a domain")
    return host


def normalise_domains(
    domains: Iterable[str], *, limit: int | None = MAX_BULK_DOMAINS
) -> tuple[str, ...]:
    """Every domain normalised, duplicates dropped (the first kept), in the given order.

    Raises ValueError naming the first offenders (position and value) when
    any item is not a host name, when there is none, or when more than
    `limit` unique domains remain (None: no limit, for splitting into jobs).
    TypeError for a single string (which would be read letter by letter)
    or an item that is not a string.
    """
    if isinstance(domains, str | bytes | bytearray):
        raise TypeError(
            "domains must be an iterable of domains (a list, a file's lines...), "
            f"not a single {type(domains).__name__}"
        )
    unique: dict[str, None] = {}
    offenders: list[str] = []
    bad = 0
    seen = 0
    for index, domain in enumerate(domains):
        seen += 1
        if not isinstance(domain, str):
            raise TypeError(
                f"domains[{index}] must be a str, got {type(domain).__name__}: {_shown(domain)}"
            )
        try:
            unique.setdefault(normalise_domain(domain), None)
        except ValueError as reason:
            bad += 1
            if len(offenders) < MAX_NAMED_OFFENDERS:
                offenders.append(f"domains[{index}] {_shown(domain)} {reason}")
    if bad:
        more = f"; and {bad - len(offenders):,} more" if bad > len(offenders) else ""
        raise ValueError(
            f"{bad:,} of {seen:,} domains are not host names, nothing was sent: "
            + "; ".join(offenders)
            + more
        )
    if not unique:
        raise ValueError("no domains given: a bulk enrichment needs at least one")
    if limit is not None and len(unique) > limit:
        raise ValueError(
            f"{len(unique):,} unique domains, but one bulk enrichment takes at most "
            f"{limit:,}: split them into several jobs (enrichments.run() does), nothing was sent"
        )
    return tuple(unique)


def split_domains(domains: Sequence[str], size: int = MAX_BULK_DOMAINS) -> list[tuple[str, ...]]:
    """Normalised domains in jobs of at most `size`, in order (for runs above the limit)."""
    if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= MAX_BULK_DOMAINS:
        raise ValueError(f"size must be between 1 and {MAX_BULK_DOMAINS:,}, got {size!r}")
    return [tuple(domains[start : start + size]) for start in range(0, len(domains), size)]
