"""What the job machinery needs of any kind's values, as protocols.

`_async/_job_resource.py` (and its generated twin) is written over these, so
that a status value of any kind (`ExportJob`, `EnrichmentJob`, ...) and a
list page of any kind can go through one get/wait/download/list. The two
page-fetch aliases differ in more than `await`, so both are written here,
as `_core/_backends.py` does for its pairs (unasync renames `AsyncPageFetch` to
`SyncPageFetch`).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable, Generator, Sequence
from typing import Protocol, TypeVar
from uuid import UUID

from companyenrich_export_api.models import JobStatus

__all__ = ["AsyncItems", "AsyncPageFetch", "JobState", "Page", "SyncItems", "SyncPageFetch"]

ItemT_co = TypeVar("ItemT_co", covariant=True)
ItemT = TypeVar("ItemT")


class JobState(Protocol):
    """A job's status value, of any kind: what following and downloading it reads."""

    @property
    def job_id(self) -> UUID: ...
    @property
    def status(self) -> JobStatus: ...
    @property
    def results_url(self) -> str | None: ...
    @property
    def error_message(self) -> str | None: ...


class Page(Protocol[ItemT_co]):
    """One page of a job list, of any kind (or of the account-wide list)."""

    @property
    def items(self) -> Sequence[ItemT_co]: ...
    @property
    def page(self) -> int: ...
    @property
    def has_next(self) -> bool: ...


AsyncPageFetch = Callable[[int], Awaitable[Page[ItemT]]]
SyncPageFetch = Callable[[int], Page[ItemT]]
# Generators (so that `aclosing`/`closing` can end them) of a list's items.
AsyncItems = AsyncGenerator[ItemT, None]
SyncItems = Generator[ItemT, None, None]
