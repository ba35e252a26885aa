"""A fake CompanyEnrich export API, for tests, demos and benchmarks.

    fake = FakeCompanyEnrich(clock=ManualClock())
    client = httpx.Client(base_url=fake.base_url, transport=fake.transport())

The same fake is an ASGI app (`httpx.ASGITransport(app=fake)`, uvicorn,
schemathesis) and can be served over real HTTP with `serve(fake)`, or from
the command line: `python -m companyenrich_export.testing --port 0`.
Jobs move with the fake's clock; faults are injected with `fake.inject()`,
contract drift with `fake.drift = {"field-removed", ...}` (see `DRIFT_KINDS`).
"""

from companyenrich_export._core._budget import reset_request_budgets

from ._clock import ManualClock
from ._drift import DRIFT_KINDS
from ._enrichments import EnrichmentState, FakeEnrichmentJob, enrichment_fails
from ._fake import RESULTS_FORMATS, FakeCompanyEnrich
from ._faults import Fault
from ._http import FakeResponse, RecordedRequest
from ._jobs import FakeJob, JobState
from ._ratelimit import RateLimit, max_in_any_window
from ._results import ResultsFile
from ._serve import serve
from ._transport import FakeTransport

__all__ = [
    "DRIFT_KINDS",
    "RESULTS_FORMATS",
    "EnrichmentState",
    "FakeCompanyEnrich",
    "FakeEnrichmentJob",
    "FakeJob",
    "FakeResponse",
    "FakeTransport",
    "Fault",
    "JobState",
    "ManualClock",
    "RateLimit",
    "RecordedRequest",
    "ResultsFile",
    "enrichment_fails",
    "max_in_any_window",
    "reset_request_budgets",
    "serve",
]
