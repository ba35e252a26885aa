"""A check's report for people (text), machines (JSON) and CI systems (JUnit XML).

Every string from the server is already clipped to one line; the text form
is also made terminal-safe by the CLI, and XML escaping is ElementTree's.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

from companyenrich_export._results._files import AtomicFile

from ._check import CheckReport, Drift

__all__ = ["render_json", "render_text", "write_junit_xml"]

OUTCOME_TEXT = {
    "ok": "no drift",
    "breaking": "breaking drift",
    "additive": "additive drift only",
    "cannot-check": "cannot check",
}
_SUITE = "companyenrich-export check"


def render_json(report: CheckReport) -> str:
    return json.dumps(report.to_json(), indent=2, ensure_ascii=False)


def _drift_lines(drift: Drift) -> list[str]:
    return [
        f"  {drift.severity.upper():<9} {drift.kind:<19} {drift.operation} {drift.status}  "
        f"{drift.where}",
        f"            expected: {drift.expected}",
        f"            got:      {drift.got}",
    ]


def render_text(report: CheckReport) -> str:
    lines = [f"Contract check of {report.base_url} against the spec of {report.spec_version}"]
    for probe in report.probes:
        status = "" if probe.status is None else f" -> {probe.status}"
        note = f" ({probe.note})" if probe.note else ""
        lines.append(
            f"  {probe.result:<12} {probe.name:<25} {probe.method} {probe.path}{status}{note}"
        )
    if report.drift:
        lines.append(f"Drift: {len(report.breaking)} breaking, {len(report.additive)} additive")
        for drift in (*report.breaking, *report.additive):
            lines.extend(_drift_lines(drift))
    if report.error is not None:
        lines.append(f"Stopped: {report.error}")
    lines.append(f"Result: {OUTCOME_TEXT[report.outcome]} (exit {report.exit_code})")
    return "\n".join(lines)


def junit_xml(report: CheckReport) -> bytes:
    """Two suites: one test case per probe, and one per drift found.

    Breaking drift is a failure; additive drift a passing case whose output
    says what was added (JUnit has no "warning"), so CI pages list it without
    failing; a run that could not check is an error.
    """
    root = ET.Element("testsuites", name=_SUITE)
    probes = ET.SubElement(root, "testsuite", name=f"{_SUITE}: probes")
    failures = errors = skipped = 0
    for probe in report.probes:
        case = ET.SubElement(
            probes,
            "testcase",
            classname=f"{probe.operation}",
            name=f"{probe.name} ({probe.method} {probe.path})",
            time="0",
        )
        breaking = [each for each in report.breaking if probe.name in each.probes]
        if probe.result == "cannot-check":
            errors += 1
            ET.SubElement(case, "error", type="cannot-check", message=probe.note)
        elif probe.result == "skipped":
            skipped += 1
            ET.SubElement(case, "skipped", message=probe.note)
        elif breaking:
            failures += 1
            failure = ET.SubElement(
                case, "failure", type="breaking", message=f"{len(breaking)} breaking drift"
            )
            failure.text = "\n".join(line for each in breaking for line in _drift_lines(each))
    probes.set("tests", str(len(report.probes)))
    probes.set("failures", str(failures))
    probes.set("errors", str(errors))
    probes.set("skipped", str(skipped))
    if report.error is not None and not any(p.result == "cannot-check" for p in report.probes):
        case = ET.SubElement(probes, "testcase", classname="check", name="run", time="0")
        ET.SubElement(case, "error", type="cannot-check", message=report.error)
    drift_suite = ET.SubElement(root, "testsuite", name=f"{_SUITE}: drift")
    for drift in report.drift:
        case = ET.SubElement(
            drift_suite,
            "testcase",
            classname=drift.operation,
            name=f"{drift.severity} {drift.kind} {drift.status} {drift.where}",
            time="0",
        )
        detail = f"expected: {drift.expected}\ngot: {drift.got}\nprobes: {', '.join(drift.probes)}"
        if drift.severity == "breaking":
            element = ET.SubElement(case, "failure", type="breaking", message=drift.kind)
            element.text = detail
        else:
            ET.SubElement(case, "system-out").text = f"additive {drift.kind}\n{detail}"
    drift_suite.set("tests", str(len(report.drift)))
    drift_suite.set("failures", str(len(report.breaking)))
    drift_suite.set("errors", "0")
    drift_suite.set("skipped", "0")
    xml: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return xml


def write_junit_xml(report: CheckReport, path: str | os.PathLike[str]) -> Path:
    """Write the JUnit XML to `path` whole or not at all (a temporary file, then a rename)."""
    target = Path(path)
    with AtomicFile(target) as file:
        file.write(junit_xml(report))
        return file.commit()
