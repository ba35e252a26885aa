"""The CLI helping a person type it: suggestions, examples, completion, missing extras."""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import companyenrich_export
from companyenrich_export._cli._help import EXAMPLES, suggest
from companyenrich_export._cli._main import build_parser, main
from companyenrich_export.testing.__main__ import main as serve_fake_main

ROOT = Path(__file__).resolve().parents[1]
PROG = "companyenrich-export"


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    raise AssertionError("no subcommands")


def _error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    return lines[0]


# --- did you mean --------------------------------------------------------------------


def test_a_mistyped_command_is_suggested(capsys: pytest.CaptureFixture[str]) -> None:
    line = _error(capsys, "lst")
    assert line.startswith("error: argument COMMAND: invalid choice: 'lst'")
    assert line.endswith("; did you mean 'list'? (see 'companyenrich-export --help')")


def test_a_mistyped_option_is_suggested_not_just_reported_missing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    line = _error(capsys, "create", "--cout", "5", "--search", '{"countries": ["DE"]}')
    assert line == (
        "error: the following arguments are required: --count; unknown option --cout, "
        "did you mean --count? (see 'companyenrich-export create --help')"
    )


def test_a_mistyped_option_of_the_command_is_suggested_after_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMPANYENRICH_API_KEY", "unused-key")
    line = _error(capsys, "list", "--limt", "5")
    assert line == (
        "error: unrecognized arguments: --limt 5; unknown option --limt, did you mean "
        "--limit? (see 'companyenrich-export --help')"
    )
    line = _error(capsys, "--verison")
    assert "unknown option --verison, did you mean --version?" in line


def test_nothing_is_suggested_for_what_is_far_from_any_name(
    capsys: pytest.CaptureFixture[str],
) -> None:
    line = _error(capsys, "zzzzzz")
    assert "did you mean" not in line
    # An unambiguous prefix is a known option, not a typo.
    assert suggest("--xyzzy", ["--count", "--search"]) is None
    line = _error(capsys, "list", "--stat", "nonsense")
    assert "unknown option" not in line
    assert "invalid choice: 'nonsense'" in line


# --- examples --------------------------------------------------------------------------


def test_every_command_shows_an_example_of_itself_in_its_help() -> None:
    commands = _subparsers(build_parser())
    assert set(commands) == set(EXAMPLES), "every command needs a line in _cli_help.EXAMPLES"
    for name, parser in commands.items():
        text = parser.format_help()
        example = text.split("\nexample:\n  ", 1)[1].split("\n", 1)[0]
        assert example.startswith(f"{PROG} {name} "), name
        # The example parses: a flag renamed later cannot leave it behind.
        command_line = example.split(" | ")[0].split(" > ")[0]
        argv = [word.strip("'") for word in re.findall(r"'[^']*'|\S+", command_line)[1:]]
        build_parser().parse_args(argv)


# --- the CLI speaks its own flags ------------------------------------------------------


def test_the_refused_filter_message_names_the_flag_not_the_keyword(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMPANYENRICH_API_KEY", "unused-key")
    # Refused before any request, so the unreachable base URL is never dialled.
    line = _error(
        capsys, "--base-url", "http://127.0.0.1:9", "create", "--count", "5", "--search",
        '{"countrys": ["DE"]}',
    )  # fmt: skip
    assert line.endswith("pass --allow-unknown-filters.")
    assert "allow_unknown_filters" not in line


# --- completion --------------------------------------------------------------------------


def _completion(shell: str, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["completion", shell]) == 0  # no API key needed
    captured = capsys.readouterr()
    assert captured.err == ""
    return captured.out


def _bash_complete(script: Path, *words: str) -> list[str]:
    """What bash offers after `words` (the last one being completed), via the generated function."""
    quoted = " ".join(f"'{word}'" for word in words)
    program = (
        f"source '{script}'\n"
        f"COMP_WORDS=({quoted})\n"
        f"COMP_CWORD={len(words) - 1}\n"
        f'COMP_LINE="${{COMP_WORDS[*]}}"\n'
        "COMP_POINT=${#COMP_LINE}\n"
        "_shtab_companyenrich_export\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    bash = shutil.which("bash")
    assert bash is not None
    result = subprocess.run(  # noqa: S603
        [bash, "--norc", "--noprofile", "-c", program],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return sorted(line.strip() for line in result.stdout.splitlines() if line.strip())


def test_the_bash_script_completes_a_command_and_a_flag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "companyenrich-export.bash"
    script.write_text(_completion("bash", capsys))

    assert _bash_complete(script, PROG, "li") == ["list"]
    assert _bash_complete(script, PROG, "co") == ["completion", "count"]
    assert _bash_complete(script, PROG, "create", "--cou") == ["--count"]
    assert _bash_complete(script, PROG, "rows", "JOB", "--format", "") == ["csv", "jsonl"]
    assert _bash_complete(script, PROG, "completion", "") == ["bash", "fish", "zsh"]


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_the_zsh_and_fish_scripts_know_every_command_and_option(
    shell: str, capsys: pytest.CaptureFixture[str]
) -> None:
    script = _completion(shell, capsys)
    for name, parser in _subparsers(build_parser()).items():
        assert name in script
        for action in parser._actions:
            for option in action.option_strings:
                if action.help != argparse.SUPPRESS and option.startswith("--"):
                    # fish names long options without their dashes (-l count).
                    assert option.removeprefix("--") in script, (name, option)
    if shutil.which(shell):
        checked = subprocess.run(  # noqa: S603
            [shell, "-n"], input=script, capture_output=True, text=True, timeout=60
        )
        assert checked.returncode == 0, checked.stderr


def test_an_unknown_shell_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    line = _error(capsys, "completion", "bsh")
    assert "did you mean 'bash'?" not in line  # a choice of a command's argument
    assert "invalid choice: 'bsh'" in line


# --- one version -----------------------------------------------------------------------


def test_the_cli_the_package_its_metadata_and_the_changelog_agree_on_the_version(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"{PROG} {companyenrich_export.__version__}\n"
    assert importlib.metadata.version("companyenrich-export") == companyenrich_export.__version__
    changelog = (ROOT / "CHANGELOG.md").read_text()
    released = re.findall(r"^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}$", changelog, re.MULTILINE)
    assert released, "no release in CHANGELOG.md"
    assert released[0] == companyenrich_export.__version__
    assert "## [Unreleased]" in changelog.split(f"## [{released[0]}]", 1)[0]
    # The install instructions name the wheel that `pip wheel .` makes today.
    for page in (ROOT / "README.md", ROOT / "docs" / "getting-started.md"):
        wheels = set(re.findall(r"companyenrich_export-([^-\s]+)-py3", page.read_text()))
        assert wheels == {companyenrich_export.__version__}, page


# --- the fake's command line without its extra -------------------------------------------


def test_serving_the_fake_without_the_server_extra_is_one_line_and_exit_69(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # as if not installed
    assert serve_fake_main(["--port", "0"]) == 69
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "error: serving the fake over HTTP needs uvicorn: "
        "pip install 'companyenrich-export[server]'\n"
    )


# --- the docs' CLI reference ---------------------------------------------------------------


def test_the_docs_cli_reference_is_every_commands_help_as_printed() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("mkdocs_hooks", ROOT / "scripts/mkdocs_hooks.py")
    assert spec is not None
    assert spec.loader is not None
    hooks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hooks)

    page = (ROOT / "docs" / "cli-reference.md").read_text()
    rendered = hooks.on_page_markdown(page)
    assert hooks.MARKER not in rendered
    for name in _subparsers(build_parser()):
        assert f"## `{PROG} {name}`" in rendered
        assert EXAMPLES[name] in rendered
        assert f"usage: {PROG} {name}" in rendered, name
    assert hooks.on_page_markdown("# another page") == "# another page"


# --- starting fast -----------------------------------------------------------------------


def test_the_command_does_not_load_httpxs_own_command_line() -> None:
    """click, rich and pygments (httpx's CLI) are installed here, as beside Airflow: unused."""
    command = Path(sys.executable).parent / PROG
    started = subprocess.run(  # noqa: S603 - our own console script
        [str(command), "--version"],
        capture_output=True,
        text=True,
        env={"PYTHONPROFILEIMPORTTIME": "1", "PATH": str(command.parent)},
        timeout=60,
        check=True,
    )
    imported = {line.rsplit("|", 1)[-1].strip() for line in started.stderr.splitlines()}
    assert "httpx" in imported  # the listing is real
    assert importlib.util.find_spec("click") is not None  # the case this guards
    assert not {"click", "rich", "pygments"} & imported
