"""docs/ci/: the GitHub Actions and GitLab CI examples parse, and their commands work.

Each file's check command is run as its CI would run it (bash, the key in the
environment as the secret store puts it there), against the fake on loopback.
The `pip install` lines are not run (no network here); that they name the
`[check]` extra, which the wheel test installs, is asserted instead.
"""

from __future__ import annotations

import subprocess
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from _cli_helpers import KEY, Served, cli_env
from junitparser import JUnitXml

from companyenrich_export.testing import FakeCompanyEnrich, serve

ROOT = Path(__file__).resolve().parent.parent
GITHUB = ROOT / "docs" / "ci" / "github-actions.yml"
GITLAB = ROOT / "docs" / "ci" / "gitlab-ci.yml"
INSTALL = 'python -m pip install "companyenrich-export[check]"'
REPORT = "companyenrich-contract.xml"


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    fake = FakeCompanyEnrich(api_key=KEY)
    fake.complete_now(fake.add_job())
    with serve(fake) as url:
        yield Served(fake, url)


@pytest.fixture(autouse=True)
def healthy(served: Served) -> Iterator[None]:
    yield
    served.fake.drift = ()


def _github_check_step() -> dict[str, Any]:
    workflow = yaml.safe_load(GITHUB.read_text(encoding="utf-8"))
    steps = workflow["jobs"]["contract"]["steps"]
    return next(step for step in steps if "companyenrich-export check" in step.get("run", ""))


def _gitlab_job() -> dict[str, Any]:
    job: dict[str, Any] = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))[
        "companyenrich-contract"
    ]
    return job


def _bash(script: str, served: Served, cwd: Path) -> tuple[int, str]:
    env = cli_env(served, key=KEY, COMPANYENRICH_EXPORT_JOB_ID="")
    result = subprocess.run(  # noqa: S603 - bash running the example's own lines
        ["/bin/bash", "-e", "-c", script],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
        check=False,
    )
    return result.returncode, result.stdout + result.stderr


def test_both_install_the_check_extra_and_take_the_key_from_the_secret_store() -> None:
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    assert "check" in extras
    workflow = yaml.safe_load(GITHUB.read_text(encoding="utf-8"))
    # PyYAML reads the key `on` as True (YAML 1.1).
    triggers = workflow.get("on", workflow.get(True))
    assert triggers["schedule"][0]["cron"]
    step = _github_check_step()
    assert step["env"]["COMPANYENRICH_API_KEY"] == "${{ secrets.COMPANYENRICH_API_KEY }}"
    runs = [s.get("run", "") for s in workflow["jobs"]["contract"]["steps"]]
    assert INSTALL in runs
    job = _gitlab_job()
    assert job["script"][0] == INSTALL
    assert {"if": '$CI_PIPELINE_SOURCE == "schedule"'} in job["rules"]
    assert job["allow_failure"] == {"exit_codes": [7]}
    assert job["artifacts"]["reports"]["junit"] == REPORT
    for text in (GITHUB.read_text(), GITLAB.read_text()):
        assert "--api-key" not in text  # a key on a command line ends up in logs


@pytest.mark.parametrize(
    ("drift", "expected"), [((), 0), (("field-added",), 0), (("type-changed",), 6)]
)
def test_the_github_step_runs_against_the_fake(
    served: Served, tmp_path: Path, drift: tuple[str, ...], expected: int
) -> None:
    served.fake.drift = drift
    code, output = _bash(_github_check_step()["run"], served, tmp_path)
    assert code == expected, output
    assert ("::warning::additive drift" in output) == bool(drift and expected == 0)
    assert list(JUnitXml.fromfile(str(tmp_path / REPORT)))


@pytest.mark.parametrize(("drift", "expected"), [((), 0), (("field-added",), 7)])
def test_the_gitlab_script_runs_against_the_fake(
    served: Served, tmp_path: Path, drift: tuple[str, ...], expected: int
) -> None:
    served.fake.drift = drift
    commands = [line for line in _gitlab_job()["script"] if line != INSTALL]
    code, output = _bash("\n".join(commands), served, tmp_path)
    # GitLab's allow_failure: exit_codes [7] turns an additive-only run into a warning.
    assert code == expected, output
    xml = JUnitXml.fromfile(str(tmp_path / _gitlab_job()["artifacts"]["reports"]["junit"]))
    assert sum(len(list(suite)) for suite in xml) >= 7
