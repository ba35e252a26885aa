"""Constraints that `Annotated` attaches to filter fields in `filters.py`.

They are data, read by `_filter_check` at run time; type checkers ignore
them (an editor's hover shows them next to the type, which is the point).
Every list, text and object in a filter must also be non-empty: that rule
holds everywhere, so it has no marker.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Bounds", "MaxItems", "Pattern"]


@dataclass(frozen=True, slots=True)
class Bounds:
    """An inclusive numeric range; `None` leaves that side open."""

    low: int | float | None = None
    high: int | float | None = None

    def describe(self) -> str:
        if self.low is None:
            return f"at most {self.high}"
        if self.high is None:
            return f"at least {self.low}"
        return f"from {self.low} to {self.high}"


@dataclass(frozen=True, slots=True)
class Pattern:
    """Text that must match `regex` in full; `meaning` says what that is, for messages."""

    regex: str
    meaning: str


@dataclass(frozen=True, slots=True)
class MaxItems:
    """A list of at most `count` items."""

    count: int
