"""Every Python example in the README and docs/ runs, as written, against the fake server.

The blocks of one page run in order in one namespace (a page's examples may
continue each other, as a reader would type them), in an empty folder of
their own, with `COMPANYENRICH_API_KEY` and `COMPANYENRICH_BASE_URL` pointing
at the fake served on 127.0.0.1: exactly the quickstart's set-up. A block
that cannot run here says so on the line before it, with the reason:

    <!-- example: not run: needs Airflow (tests/airflow_provider runs it) -->

and is listed by `test_every_block_not_run_says_why`. `make docs` builds the
same pages with strict warnings (also part of `make test`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from companyenrich_export.testing import FakeCompanyEnrich
from companyenrich_export.testing._serve import serve

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").glob("**/*.md")])
KEY = "docs-example-key"
_BLOCK = re.compile(r"(?P<before>[^\n]*)\n```python\n(?P<code>.*?)\n```", re.DOTALL)
_NOT_RUN = re.compile(r"<!-- example: not run: (?P<reason>[^>]*\S) -->")


def blocks(page: Path) -> list[tuple[int, str, str | None]]:
    """(line, code, reason it is not run or None) of each ```python block."""
    text = "\n" + page.read_text(encoding="utf-8")
    found = []
    for match in _BLOCK.finditer(text):
        line = text.count("\n", 0, match.start("code"))
        not_run = _NOT_RUN.search(match.group("before"))
        found.append((line, match.group("code"), not_run.group("reason") if not_run else None))
    return found


@pytest.fixture(scope="module")
def served_fake() -> Iterator[str]:
    # Jobs finish at once: the examples wait for real, with the real client.
    fake = FakeCompanyEnrich(KEY, default_durations=(0.0, 0.0, 0.0))
    with serve(fake) as url:
        yield url


def test_the_pages_have_examples_to_run() -> None:
    runnable = {page.name for page in PAGES if any(r is None for _, _, r in blocks(page))}
    assert {"README.md", "library.md", "rows.md", "fake.md"} <= runnable


def test_every_block_not_run_says_why() -> None:
    not_run = {
        f"{page.relative_to(ROOT)}:{line}": reason
        for page in PAGES
        for line, _code, reason in blocks(page)
        if reason is not None
    }
    # By design, not by defect: each of these needs what the offline suite has not.
    assert set(not_run.values()) <= {
        "needs Airflow (tests/airflow_provider/test_docs_example.py runs it)",
    }, not_run


@pytest.mark.parametrize(
    "page",
    [page for page in PAGES if any(reason is None for _, _, reason in blocks(page))],
    ids=lambda page: str(page.relative_to(ROOT)),
)
def test_the_examples_of_a_page_run_against_the_fake(
    page: Path,
    served_fake: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COMPANYENRICH_API_KEY", KEY)
    monkeypatch.setenv("COMPANYENRICH_BASE_URL", served_fake)
    namespace: dict[str, object] = {"__name__": "__docs_example__"}
    for line, code, reason in blocks(page):
        if reason is not None:
            continue
        compiled = compile(code, f"{page.relative_to(ROOT)}:{line}", "exec")
        exec(compiled, namespace)  # noqa: S102 - our own documentation, run on purpose
    capsys.readouterr()  # what the examples print is for readers; that they run is the test


def test_the_readme_links_to_files_that_exist() -> None:
    # mkdocs --strict checks the links inside docs/; the README is not part of the site.
    links = re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", (ROOT / "README.md").read_text())
    assert "docs/index.md" in links
    missing = [link for link in links if not (ROOT / link).exists()]
    assert missing == []
