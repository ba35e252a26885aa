"""The command line's help for people typing it: "did you mean", examples, completion.

Everything here is generic over the parser, so a command added later (in a
module of its own) gets suggestions for its options and completion without
code of its own here; it needs only one line in `EXAMPLES`, which a test
demands of every command.
"""

from __future__ import annotations

import argparse
import difflib
import re
from collections.abc import Iterable, Sequence

__all__ = [
    "COMPLETION_SHELLS",
    "EXAMPLES",
    "add_examples",
    "completion_script",
    "in_cli_terms",
    "suggest",
    "with_suggestions",
]

PROG = "companyenrich-export"
COMPLETION_SHELLS = ("bash", "zsh", "fish")

# One line a command: what a person most often types. Shown first in the
# command's --help; the docs' CLI reference is rendered from the same help.
EXAMPLES: dict[str, str] = {
    "create": f'{PROG} create --count 100 --search \'{{"countries": ["DE"]}}\' --download out/',
    "get": f"{PROG} get 3fa85f64-5717-4562-b3fc-2c963f66afa6 --json",
    "wait": f"{PROG} wait 3fa85f64-5717-4562-b3fc-2c963f66afa6 --wait-timeout 600",
    "download": f"{PROG} download 3fa85f64-5717-4562-b3fc-2c963f66afa6 companies.csv",
    "rows": f"{PROG} rows 3fa85f64-5717-4562-b3fc-2c963f66afa6 --limit 10 | jq .name",
    "list": f"{PROG} list --status completed --limit 5",
    "enrich": f"{PROG} enrich crm.csv --column website --dry-run",
    "count": f'{PROG} count --search \'{{"countries": ["DE"]}}\' --json',
    "account": f"{PROG} account --json",
    "jobs": f"{PROG} jobs --type bulk_enrichment --status completed --limit 10",
    "check": f"{PROG} check --junit-xml contract-report.xml",
    "completion": f"{PROG} completion bash > ~/.local/share/bash-completion/completions/{PROG}",
}

# difflib's default; "lst" -> "list" is 0.86, "--cout" -> "--count" 0.92.
_CLOSE_ENOUGH = 0.6
_INVALID_CHOICE = re.compile(r"invalid choice: '([^']*)'")


def suggest(word: str, choices: Iterable[str]) -> str | None:
    """The nearest of `choices` to a mistyped `word`, if any is near enough."""
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=_CLOSE_ENOUGH)
    return matches[0] if matches else None


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _known_options(parser: argparse.ArgumentParser) -> list[str]:
    # Hidden (SUPPRESS-ed) spellings are left out: they are never suggested.
    return [
        option
        for action in parser._actions
        if action.help != argparse.SUPPRESS
        for option in action.option_strings
        if option.startswith("--")
    ]


def _options_in(
    parser: argparse.ArgumentParser, argv: Sequence[str]
) -> tuple[list[str], list[str]]:
    """The long options in argv that neither the parser nor the chosen command knows; theirs."""
    commands = _subparsers(parser)
    known = _known_options(parser)
    unknown: list[str] = []
    for arg in argv:
        if arg == "--":
            break
        if arg in commands:
            known += _known_options(commands[arg])
        elif arg.startswith("--"):
            name = arg.partition("=")[0]
            # argparse also takes an unambiguous prefix (--wait-t for --wait-timeout).
            if not any(option.startswith(name) for option in known) and name not in unknown:
                unknown.append(name)
    return unknown, known


def with_suggestions(
    parser: argparse.ArgumentParser, message: str, argv: Sequence[str] | None
) -> str:
    """argparse's error message, with the nearest spelling of what was mistyped.

    argparse reports a misspelt option badly: `create --cout 5` only says that
    --count is required. So every long option in the command line is compared
    with the ones the parser (and the command given) knows, whatever the error.
    """
    hints = []
    unknown, known = _options_in(parser, argv or ())
    for option in unknown:
        nearest = suggest(option, known)
        if nearest is not None:
            hints.append(f"unknown option {option}, did you mean {nearest}?")
    choice = _INVALID_CHOICE.search(message)
    if choice is not None:
        nearest = suggest(choice.group(1), _subparsers(parser))
        if nearest is not None:
            hints.append(f"did you mean '{nearest}'?")
    return "; ".join([message, *hints])


# The library's spelling of an option, and the flag that means the same here.
_LIBRARY_SPELLINGS = {
    "allow_unknown_filters=True (CLI: --allow-unknown-filters)": "--allow-unknown-filters",
    "allow_unknown_filters=True": "--allow-unknown-filters",
}


def in_cli_terms(message: str) -> str:
    """A library message with its keyword arguments named as the CLI's flags."""
    for library, flag in _LIBRARY_SPELLINGS.items():
        message = message.replace(library, flag)
    return message


def add_examples(parser: argparse.ArgumentParser) -> None:
    """Put each command's example first in its --help epilog."""
    for name, command in _subparsers(parser).items():
        example = EXAMPLES.get(name)
        if example is None:
            continue
        command.epilog = f"example:\n  {example}\n\n{command.epilog or ''}".rstrip()
        # The example's line must not be re-wrapped.
        command.formatter_class = argparse.RawDescriptionHelpFormatter


def completion_script(parser: argparse.ArgumentParser, shell: str) -> str:
    """The completion script for `shell`, made from the parser by shtab.

    shtab writes a static script from the parser once: completing costs the
    shell nothing at run time, and the CLI's start-up does not import it.
    """
    import shtab

    return str(shtab.complete(parser, shell=shell))
