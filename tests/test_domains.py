"""Bulk enrichment's domains: normalised, de-duplicated and checked before anything is sent."""

from __future__ import annotations

import re
import string

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from companyenrich_export._jobs._domains import (
    MAX_BULK_DOMAINS,
    normalise_domain,
    normalise_domains,
    split_domains,
)

HOST = re.compile(
    r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
)
# Cheap to run: twice the profile's examples (conftest.py).
quick = settings(max_examples=settings.default.max_examples * 2)

label = st.text(string.ascii_lowercase + string.digits, min_size=1, max_size=12).map(
    lambda text: text.strip("-")
)
tld = st.text(string.ascii_lowercase, min_size=2, max_size=6)
hosts = st.builds(
    lambda labels, top: ".".join([*labels, top]), st.lists(label, min_size=1, max_size=3), tld
).filter(lambda host: not host.startswith("www."))


@pytest.mark.parametrize(
    ("given_text", "expected"),
    [
        ("stripe.com", "stripe.com"),
        ("  Stripe.COM\n", "stripe.com"),
        ("https://www.stripe.com/pricing?plan=pro#faq", "stripe.com"),
        ("HTTP://Stripe.com:8443", "stripe.com"),
        ("stripe.com/about", "stripe.com"),
        ("stripe.com:443", "stripe.com"),
        ("stripe.com.", "stripe.com"),
        ("www.stripe.co.uk", "stripe.co.uk"),
        ("www.com", "www.com"),
        ("Bücher.de", "xn--bcher-kva.de"),
        ("https://bücher.de/x", "xn--bcher-kva.de"),
        ("xn--bcher-kva.de", "xn--bcher-kva.de"),
        ("a-b.io", "a-b.io"),
    ],
)
def test_the_documented_forms(given_text: str, expected: str) -> None:
    assert normalise_domain(given_text) == expected


@pytest.mark.parametrize(
    ("given_text", "reason"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("stripe", "no dot"),
        ("10.0.0.1", "IP address"),
        ("https://10.0.0.1/x", "IP address"),
        ("[::1]", "IP address"),
        ("http://[2001:db8::1]:80/", "IP address"),
        ("user@stripe.com", "user information"),
        ("https://user:pw@stripe.com/", "user information"),
        ("-stripe.com", "invalid label"),
        ("stripe-.com", "invalid label"),
        ("str_ipe.com", "invalid label"),
        ("stri pe.com", "invalid label"),
        ("stripe..com", "invalid label"),
        ("a" * 64 + ".com", "invalid label"),
        (".".join(["a" * 60] * 5), "longer than 253"),
        ("1.2", "number"),
        ("http://", "no host"),
        ("xn--zz.com", "international label"),
        ("☃\u200d.com", "international"),
    ],
)
def test_what_is_not_a_host_name_is_refused_with_its_reason(given_text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        normalise_domain(given_text)


def test_duplicates_go_and_the_first_order_stays() -> None:
    domains = ["b.io", "A.io", "https://b.io/x", "www.a.io", "c.io", "B.IO"]
    assert normalise_domains(domains) == ("b.io", "a.io", "c.io")


def test_any_iterable_is_taken_once() -> None:
    lines = iter(["a.io\n", "b.io\n"])
    assert normalise_domains(lines) == ("a.io", "b.io")
    assert normalise_domains(domain for domain in ("x.io", "x.io")) == ("x.io",)


def test_the_first_offenders_are_named_with_their_positions() -> None:
    domains = ["ok.io", "nodot", "ok2.io", *[f"bad{i}" for i in range(10)]]
    with pytest.raises(ValueError, match="not host names") as caught:
        normalise_domains(domains)
    message = str(caught.value)
    assert message.startswith("11 of 13 domains are not host names, nothing was sent: ")
    assert "domains[1] 'nodot' has no dot" in message
    assert "domains[6] 'bad3'" in message
    assert "bad4" not in message  # five named, the rest counted
    assert message.endswith("; and 6 more")


def test_a_long_offender_is_shortened_in_the_message() -> None:
    with pytest.raises(ValueError, match="longer than 253") as caught:
        normalise_domains(["x" * 5000])
    assert len(str(caught.value)) < 300


@pytest.mark.parametrize("domains", ["stripe.com", b"stripe.com"])
def test_a_single_string_is_a_type_error_not_letters(domains: object) -> None:
    with pytest.raises(TypeError, match="single"):
        normalise_domains(domains)  # type: ignore[arg-type]


@pytest.mark.parametrize("item", [None, 3, b"stripe.com", ["a.io"]])
def test_an_item_that_is_not_text_is_a_type_error(item: object) -> None:
    with pytest.raises(TypeError, match=r"domains\[1\]"):
        normalise_domains(["a.io", item])  # type: ignore[list-item]


def test_none_at_all_is_refused() -> None:
    with pytest.raises(ValueError, match="no domains"):
        normalise_domains([])


def test_the_limit_counts_unique_domains() -> None:
    many = [f"d{i}.io" for i in range(MAX_BULK_DOMAINS)]
    assert len(normalise_domains([*many, *many])) == 10_000
    with pytest.raises(ValueError, match=r"10,001 unique domains.*at most 10,000"):
        normalise_domains([*many, "one-more.io"])
    assert len(normalise_domains([*many, "one-more.io"], limit=None)) == 10_001


def test_split_keeps_order_and_size() -> None:
    domains = tuple(f"d{i}.io" for i in range(25_001))
    jobs = split_domains(domains)
    assert [len(job) for job in jobs] == [10_000, 10_000, 5_001]
    assert tuple(domain for job in jobs for domain in job) == domains
    assert split_domains(("a.io", "b.io", "c.io"), 2) == [("a.io", "b.io"), ("c.io",)]
    for size in (0, 10_001, True, 2.0):
        with pytest.raises(ValueError, match="size"):
            split_domains(domains, size)  # type: ignore[arg-type]


# --- properties ----------------------------------------------------------------------


@quick
@given(st.lists(st.text(max_size=40), max_size=20))
def test_any_text_is_normalised_to_host_names_or_refused_with_a_value_error(
    texts: list[str],
) -> None:
    try:
        result = normalise_domains(texts)
    except ValueError as error:
        message = str(error)
        assert "nothing was sent" in message or "no domains" in message
        return
    assert len(set(result)) == len(result)
    for host in result:
        assert HOST.fullmatch(host), host
        assert len(host) <= 253
        assert not host.startswith("www.") or host.count(".") == 1


@quick
@given(hosts)
def test_normalising_is_idempotent(host: str) -> None:
    assume(not host.rsplit(".", 1)[-1].isdigit())
    once = normalise_domain(host)
    assert normalise_domain(once) == once


@quick
@given(
    host=hosts,
    scheme=st.sampled_from(["", "http://", "HTTPS://", "https://www."]),
    port=st.sampled_from(["", ":443", ":8080"]),
    tail=st.sampled_from(["", "/", "/pricing", "?ref=x", "#top", "/a/b?c=d#e"]),
    space=st.sampled_from(["", " ", "\t", "\n "]),
    upper=st.booleans(),
)
def test_a_host_pasted_in_any_dress_comes_back_the_same(
    host: str, scheme: str, port: str, tail: str, space: str, upper: bool
) -> None:
    assume(not host.rsplit(".", 1)[-1].isdigit())
    dressed = f"{space}{scheme}{host}{port}{tail}{space}"
    assert normalise_domain(dressed.upper() if upper else dressed) == normalise_domain(host)


@quick
@given(st.lists(hosts, min_size=1, max_size=30))
def test_duplicates_in_any_spelling_are_dropped_keeping_first_order(domains: list[str]) -> None:
    domains = [d for d in domains if not d.rsplit(".", 1)[-1].isdigit()]
    assume(domains)
    spelled = [d.upper() if i % 2 else f"https://{d}/" for i, d in enumerate(domains + domains)]
    result = normalise_domains(spelled)
    expected = tuple(dict.fromkeys(normalise_domain(d) for d in domains))
    assert result == expected
