"""Apache Airflow provider for CompanyEnrich exports (the `airflow` extra).

    pip install 'companyenrich-export[airflow]'

Airflow finds it through the `apache_airflow_provider` entry point, which
calls `get_provider_info()`: that registers the `companyenrich` connection
type (API key in the password field, optional base URL in host) and lists
the modules below. Importing this package does not import Airflow: the
names below are loaded on first use (provider discovery only needs
`get_provider_info`), and the client stays usable without Airflow installed.

- `hooks.CompanyEnrichHook`: builds `CompanyEnrich` / `AsyncCompanyEnrich`
  from a connection.
- `operators.CompanyEnrichExportOperator`: create an export, wait for it
  (deferred to the triggerer, or blocking), download it.
- `sensors.CompanyEnrichExportSensor`: wait for a job created elsewhere.
- `triggers.CompanyEnrichExportTrigger`: the wait, run by the triggerer.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from companyenrich_export._version import __version__

if TYPE_CHECKING:
    from .hooks import CompanyEnrichHook
    from .operators import (
        JOB_ID_STATE_KEY,
        CompanyEnrichBulkEnrichmentOperator,
        CompanyEnrichExportOperator,
    )
    from .sensors import CompanyEnrichExportSensor
    from .triggers import CompanyEnrichExportTrigger

__all__ = [
    "JOB_ID_STATE_KEY",
    "CompanyEnrichBulkEnrichmentOperator",
    "CompanyEnrichExportOperator",
    "CompanyEnrichExportSensor",
    "CompanyEnrichExportTrigger",
    "CompanyEnrichHook",
    "get_provider_info",
]

_HOMES = {
    "CompanyEnrichHook": "hooks",
    "CompanyEnrichExportOperator": "operators",
    "CompanyEnrichBulkEnrichmentOperator": "operators",
    "JOB_ID_STATE_KEY": "operators",
    "CompanyEnrichExportSensor": "sensors",
    "CompanyEnrichExportTrigger": "triggers",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)


_MODULE = "companyenrich_export.airflow"
_INTEGRATION = "CompanyEnrich"


def get_provider_info() -> dict[str, Any]:
    """What Airflow's providers manager reads (provider_info.schema.json)."""
    return {
        # Must equal the distribution's name: Airflow checks the two agree.
        "package-name": "companyenrich-export",
        "name": "CompanyEnrich",
        "description": "Deferrable exports of companies from CompanyEnrich's async export API.",
        "versions": [__version__],
        "integrations": [
            {
                "integration-name": _INTEGRATION,
                "external-doc-url": "https://companyenrich.com",
                "tags": ["service"],
            }
        ],
        "hooks": [{"integration-name": _INTEGRATION, "python-modules": [f"{_MODULE}.hooks"]}],
        "operators": [
            {"integration-name": _INTEGRATION, "python-modules": [f"{_MODULE}.operators"]}
        ],
        "sensors": [{"integration-name": _INTEGRATION, "python-modules": [f"{_MODULE}.sensors"]}],
        "triggers": [{"integration-name": _INTEGRATION, "python-modules": [f"{_MODULE}.triggers"]}],
        "connection-types": [
            {
                "connection-type": "companyenrich",
                "hook-class-name": f"{_MODULE}.hooks.CompanyEnrichHook",
                "hook-name": "CompanyEnrich",
            }
        ],
    }
