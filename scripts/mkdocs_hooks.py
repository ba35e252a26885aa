"""mkdocs hooks (mkdocs.yml `hooks:`): the CLI reference, rendered from the parser.

`docs/cli-reference.md` holds a marker; at build time it is replaced by the
`--help` of the program and of every command, as argparse prints them at 80
columns. The page cannot drift from the CLI, and a command added later
appears without anyone editing the docs.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

MARKER = "<!-- cli-reference -->"
WIDTH = "80"


@contextmanager
def _columns(width: str) -> Iterator[None]:
    # argparse wraps help to the terminal's width, read from $COLUMNS first.
    previous = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = width
    try:
        yield
    finally:
        if previous is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = previous


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def render_cli_reference() -> str:
    """Markdown: the program's help, then each command's, in the parser's order."""
    from companyenrich_export._cli._main import build_parser

    with _columns(WIDTH):
        parser = build_parser()
        sections = [("companyenrich-export", parser.format_help())]
        sections += [
            (f"companyenrich-export {name}", command.format_help())
            for name, command in _commands(parser).items()
        ]
    return "\n".join(f"## `{title}`\n\n```text\n{text.rstrip()}\n```\n" for title, text in sections)


def on_page_markdown(markdown: str, **_kwargs: Any) -> str:
    if MARKER in markdown:
        return markdown.replace(MARKER, render_cli_reference())
    return markdown
