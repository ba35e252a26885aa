"""The check as a user gets it: built into a wheel, installed in a fresh venv, no dev extras.

The wheel must carry the spec (`contract/openapi.json`), and the check must
run from it with only the `[check]` extra: no PyYAML, no schemathesis, no
source tree. Built and installed by uv with `--offline`: the build backend and
every dependency come from the cache `make install` filled, so the test sends
nothing beyond loopback, where the API it checks is the fake.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from _cli_helpers import KEY, Served

from companyenrich_export.testing import FakeCompanyEnrich, serve

ROOT = Path(__file__).resolve().parent.parent
# The installer `make install` put beside this interpreter (a dev dependency).
UV = Path(sys.executable).with_name("uv")
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    fake = FakeCompanyEnrich(api_key=KEY)
    fake.complete_now(fake.add_job())
    with serve(fake) as url:
        yield Served(fake, url)


def _run(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - pip, venv and the installed console script
        [str(arg) for arg in args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="module")
def fresh_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    built = _run(UV, "build", "--wheel", "--offline", "--quiet", "-o", work / "dist", ROOT)
    assert built.returncode == 0, built.stderr
    (wheel,) = (work / "dist").glob("companyenrich_export-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        assert "companyenrich_export/contract/openapi.json" in archive.namelist()
        # PEP 561: without these markers a user's mypy sees the packages as untyped
        # (tests/typing_checks/ holds what it must then see).
        assert "companyenrich_export/py.typed" in archive.namelist()
        assert "companyenrich_export_api/py.typed" in archive.namelist()
    venv = work / "venv"
    made = _run(UV, "venv", "--offline", "--quiet", "--python", sys.executable, venv)
    assert made.returncode == 0, made.stderr
    installed = _run(
        UV,
        "pip",
        "install",
        "--offline",
        "--quiet",
        "--python",
        venv / "bin" / "python",
        "-c",
        ROOT / "constraints.txt",
        f"{wheel}[check]",
    )
    assert installed.returncode == 0, installed.stderr
    return venv


def _env(served: Served) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COMPANYENRICH", "PYTHON"))}
    env.update(COMPANYENRICH_API_KEY=KEY, COMPANYENRICH_BASE_URL=served.url)
    return env


def test_the_fresh_venv_has_no_dev_tools_and_not_our_source(fresh_venv: Path) -> None:
    probe = _run(
        fresh_venv / "bin" / "python",
        "-c",
        "import importlib.util as u, companyenrich_export as c; "
        "print([m for m in ('yaml', 'schemathesis', 'pytest') if u.find_spec(m)]); "
        "print(c.__file__)",
    )
    missing, location = probe.stdout.splitlines()
    assert missing == "[]"
    assert str(fresh_venv) in location


def test_the_installed_check_runs_against_the_fake(fresh_venv: Path, served: Served) -> None:
    cli = fresh_venv / "bin" / "companyenrich-export"
    healthy = _run(cli, "check", "--json", env=_env(served))
    assert healthy.returncode == 0, healthy.stderr
    assert json.loads(healthy.stdout)["outcome"] == "ok"

    served.fake.drift = {"type-changed"}
    try:
        drifted = _run(
            fresh_venv / "bin" / "python",
            "-c",
            "import sys; from companyenrich_export.contract import run_check, render_text; "
            "report = run_check(); print(render_text(report)); sys.exit(report.exit_code)",
            env=_env(served),
        )
    finally:
        served.fake.drift = ()
    assert drifted.returncode == 6, drifted.stderr
    assert "BREAKING  type-changed" in drifted.stdout
