"""The Airflow provider's registration, checked without Airflow (the main .venv has none).

Its behaviour is tested with a real Airflow in tests/airflow_provider (make test-airflow).
"""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import distribution, entry_points


def test_the_entry_point_gives_airflow_the_provider_info() -> None:
    [entry] = [
        ep
        for ep in entry_points(group="apache_airflow_provider")
        if ep.dist is not None and ep.dist.name == "companyenrich-export"
    ]
    assert entry.value == "companyenrich_export.airflow:get_provider_info"
    info = entry.load()()
    # Airflow refuses a provider whose package-name differs from its distribution's.
    assert info["package-name"] == distribution("companyenrich-export").metadata["Name"]
    assert info["versions"] == [distribution("companyenrich-export").version]
    assert info["connection-types"] == [
        {
            "connection-type": "companyenrich",
            "hook-class-name": "companyenrich_export.airflow.hooks.CompanyEnrichHook",
            "hook-name": "CompanyEnrich",
        }
    ]
    assert info["triggers"] == [
        {
            "integration-name": "CompanyEnrich",
            "python-modules": ["companyenrich_export.airflow.triggers"],
        }
    ]


def test_reading_the_provider_info_does_not_import_airflow() -> None:
    # Airflow calls get_provider_info() while it starts: it must stay light, and
    # the package must import where Airflow is not installed.
    code = (
        "import sys, companyenrich_export.airflow as provider; provider.get_provider_info(); "
        "print(sorted(m for m in sys.modules if m == 'airflow' or m.startswith('airflow.')))"
    )
    shown = subprocess.run(  # noqa: S603 - this interpreter, our own code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert shown.stdout.strip() == "[]"
