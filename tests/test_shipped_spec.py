"""The spec inside the package (`contract/openapi.json`) is openapi.yaml, and the check reads it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

from companyenrich_export.contract import load_spec

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "ship_spec.py"


def test_the_shipped_spec_is_openapi_yaml() -> None:
    assert load_spec() == yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))


def test_the_drift_check_catches_a_stale_or_edited_copy(tmp_path: Path) -> None:
    copy = tmp_path / "openapi.json"
    shipped = json.loads((ROOT / "wrapper/companyenrich_export/contract/openapi.json").read_text())
    shipped["info"]["version"] = "edited"
    copy.write_text(json.dumps(shipped), encoding="utf-8")

    result = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(SCRIPT), "--check", "--target", str(copy)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "out of date with openapi.yaml" in result.stderr
