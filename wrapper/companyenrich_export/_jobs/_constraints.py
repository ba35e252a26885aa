"""Constraints that `Annotated` attaches to filter fields in `filters.py`.

They are data, read by `_filter_check` at run time; type checkers ignore
them (an editor's hover shows them next to the type, which is the point).
Every list, text and object in a filter must also be non-empty: that rule
holds everywhere, so it has no marker.
"""

from __future__ import annotations

__all__ = ["Bounds", "MaxItems", "Pattern"]


# Plain classes, not dataclasses: filters.py is imported with the package, and
# defining dataclasses costs milliseconds.


class Bounds:
    """An inclusive numeric range; `None` leaves that side open."""

    __slots__ = ("high", "low")

    def __init__(self, low: int | float | None = None, high: int | float | None = None) -> None:
        self.low = low
        self.high = high

    def __repr__(self) -> str:
        return f"Bounds({self.low!r}, {self.high!r})"

    def describe(self) -> str:
        if self.low is None:
            return f"at most {self.high}"
        if self.high is None:
            return f"at least {self.low}"
        return f"from {self.low} to {self.high}"


class Pattern:
    """Text that must match `regex` in full; `meaning` says what that is, for messages."""

    __slots__ = ("meaning", "regex")

    def __init__(self, regex: str, meaning: str) -> None:
        self.regex = regex
        self.meaning = meaning

    def __repr__(self) -> str:
        return f"Pattern({self.regex!r}, {self.meaning!r})"


class MaxItems:
    """A list of at most `count` items."""

    __slots__ = ("count",)

    def __init__(self, count: int) -> None:
        self.count = count

    def __repr__(self) -> str:
        return f"MaxItems({self.count!r})"
