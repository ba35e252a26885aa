"""Contract checks our users run in their own CI: `companyenrich-export check`, from Python.

    from companyenrich_export.contract import run_check, render_text
    report = run_check()                  # COMPANYENRICH_API_KEY, COMPANYENRICH_BASE_URL
    print(render_text(report))
    raise SystemExit(report.exit_code)    # 0 no drift, 6 breaking, 7 additive, 3 cannot check

Free, read-only calls (`PROBES`), each answer validated against the spec
shipped inside this package (`openapi.json`) with `jsonschema` (the
`[check]` extra). See docs/contract-checks.md.
"""

from __future__ import annotations

from ._check import (
    EXIT_ADDITIVE,
    EXIT_BREAKING,
    EXIT_CANNOT_CHECK,
    EXIT_OK,
    CheckReport,
    Drift,
    ProbeResult,
    run_check,
)
from ._probes import PROBES, Probe
from ._report import junit_xml, render_json, render_text, write_junit_xml
from ._spec import load_spec

__all__ = [
    "EXIT_ADDITIVE",
    "EXIT_BREAKING",
    "EXIT_CANNOT_CHECK",
    "EXIT_OK",
    "PROBES",
    "CheckReport",
    "Drift",
    "Probe",
    "ProbeResult",
    "junit_xml",
    "load_spec",
    "render_json",
    "render_text",
    "run_check",
    "write_junit_xml",
]
