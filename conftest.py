"""What every property test shares: Hypothesis' profiles, chosen by HYPOTHESIS_PROFILE.

- "suite" (`make test`, CI, a plain pytest): 50 examples a test, the same
  ones every run (derandomized, nothing remembered between runs), so a red CI
  reproduces by running it again and the suite keeps to its few minutes.
- "thorough" (`HYPOTHESIS_PROFILE=thorough make unit`): ten times as many,
  new ones each run; for a nightly job, or before a release. A failure prints
  the `@reproduce_failure` blob that replays it.

A test that needs fewer (one run per field of a parametrized test) asks for a
share of the profile's count (`settings.default.max_examples`), so both profiles
keep the proportions. Hypothesis' own "ci" profile, which it loads where CI is
set, is not used: CI runs what a contributor runs.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

# Drawing bodies from the spec's schemas (hypothesis-jsonschema) is slow by nature.
_SLOW_BY_NATURE = [HealthCheck.too_slow]

settings.register_profile(
    "suite",
    max_examples=50,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=_SLOW_BY_NATURE,
)
settings.register_profile(
    "thorough",
    max_examples=500,
    derandomize=False,
    database=None,
    deadline=None,
    suppress_health_check=_SLOW_BY_NATURE,
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Files with a `slow` test first, each file's tests kept together and in order.

    Under xdist (`make unit`: `--dist loadfile --no-loadscope-reorder`) files
    are handed out in this order, one at a time as workers free up. A long
    file handed out last kept one core busy while the other idled: the mypy
    run over user code (12 CPU-s) was, by name, among the last.
    """
    slow_files = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow_files)  # stable
