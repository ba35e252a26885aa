"""`companyenrich-export`: the command line over `CompanyEnrich.exports`.

Every command is one `_add_*` function that adds its subparser and sets
`handler`; `main()` builds the client, runs the handler and turns the
client's typed errors into one line on stderr and a documented exit code.
Adding a command means writing one more `_add_*` and listing it in `COMMANDS`.

What goes where: stdout carries the command's data only (a job id, a job,
the list, the file itself for `download JOB -`); progress and every
message go to stderr (see `_cli_output.Streams`). A reader that closes
stdout early never stops a wait or a download that was asked for.
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import os
import re
import signal
import sys
import textwrap
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import IntEnum
from types import FrameType, ModuleType
from typing import Any, NoReturn, TextIO, cast
from uuid import UUID

from companyenrich_export._cli._check import (
    CHECK_DESCRIPTION,
    CHECK_SUMMARY,
    add_check_options,
    run_check_command,
)
from companyenrich_export._cli._compression import add_compression_options
from companyenrich_export._cli._enrich import add_enrich
from companyenrich_export._cli._help import (
    COMPLETION_SHELLS,
    add_examples,
    completion_script,
    in_cli_terms,
    with_suggestions,
)
from companyenrich_export._cli._jobs import add_jobs
from companyenrich_export._cli._output import (
    StdoutClosedError,
    Streams,
    format_job,
    format_jobs_table,
    human_size,
    reader_left,
    url_origin,
    write_rows,
)
from companyenrich_export._core._redact import RedactingFilter
from companyenrich_export._core._requests import API_KEY_ENV, BASE_URL_ENV, DEFAULT_BASE_URL
from companyenrich_export._core._timing import DEFAULT_WAIT_TIMEOUT, PollSchedule, positive_seconds
from companyenrich_export._exceptions import (
    APIConnectionError,
    APIStatusError,
    CompanyEnrichError,
    DownloadInProgressError,
    DownloadTimeoutError,
    InternalServerError,
    JobFailedError,
    PaymentRequiredError,
    PreflightRefusal,
    ResponseValidationError,
    WaitTimeoutError,
)
from companyenrich_export._jobs._enrichment_models import EnrichmentJob
from companyenrich_export._jobs._kinds import EXPORT, KINDS
from companyenrich_export._jobs._models import ExportJob, JobStatus, coerce_job_id
from companyenrich_export._results._files import resolve_destination
from companyenrich_export._sync._client import CompanyEnrich
from companyenrich_export._sync._job_resource import JobResource
from companyenrich_export._version import __version__
from companyenrich_export.filters import SimilarFilter

__all__ = ["COMMANDS", "ExitCode", "build_parser", "main"]

PROG = "companyenrich-export"
# "-" on the command line: stdout for a destination, stdin for @- (a search filter).
STANDARD_STREAM = "-"
# A download started at its deadline still gets this long (then exit 5).
_LEAST_TIME_LEFT = 0.01
# Far more than any search filter; a bound, so `--search @/dev/zero` is an error, not a hang.
MAX_QUERY_FILE_BYTES = 1024 * 1024


class ExitCode(IntEnum):
    """What the process exit status means; listed in the top-level `--help` and the README."""

    OK = 0
    LOCAL_ERROR = 1
    """The results could not be written (permissions, disk full)."""
    USAGE = 2
    """Bad arguments, an invalid job id, a missing folder or no API key: nothing was sent."""
    API_ERROR = 3
    """The API refused or could not be reached, or answered off-contract."""
    EXPORT_FAILED = 4
    """The job (an export, a bulk enrichment) ended `failed`."""
    WAIT_TIMEOUT = 5
    """The job did not finish before the wait deadline."""
    DRIFT_BREAKING = 6
    """`check`: the API answered off-contract in a way that breaks clients."""
    DRIFT_ADDITIVE = 7
    """`check`: only additions (new fields or headers); nothing known is broken."""
    COST_REFUSED = 8
    """Not created for its cost: above --max-credits, the balance (402) or the account's limit."""
    INTERNAL_ERROR = 70
    """A bug (EX_SOFTWARE in sysexits.h): one line, and --debug shows the traceback."""
    HANGUP = 129
    """SIGHUP (128 + 1): the terminal went away."""
    INTERRUPTED = 130
    """Ctrl-C (128 + SIGINT, as shells report it)."""
    STDOUT_CLOSED = 141
    """stdout's reader left early (128 + SIGPIPE, as shells report it); the work was done."""
    TERMINATED = 143
    """SIGTERM (128 + 15): `timeout`, `docker stop`, a cancelled CI job."""


EPILOG = f"""\
output:
  stdout carries only data: the job id (create), the job (get, and --json),
  the jobs (list), the file's bytes (download JOB -). Progress and messages go
  to stderr, so `2>/dev/null` leaves clean data and `| head -1` never stops a
  wait or a download.

environment:
  {API_KEY_ENV}   API key, used when --api-key is not given
  {BASE_URL_ENV}  API base URL, used when --base-url is not given

exit codes:
  {ExitCode.OK:<4} success
  {ExitCode.LOCAL_ERROR:<4} the results could not be written (permissions, disk full, another
       download of the same job to the same place is in progress)
  {ExitCode.USAGE:<4} usage error: bad arguments, invalid job id, missing folder, no API key
       (nothing was sent)
  {ExitCode.API_ERROR:<4} API error: an error status (401, 404, 422, 429, 5xx...), no connection,
       or a response that breaks the API contract
  {ExitCode.EXPORT_FAILED:<4} the export job failed
  {ExitCode.WAIT_TIMEOUT:<4} the job did not finish, or its results did not all arrive, within
       --wait-timeout (the job keeps running; a partial download is kept to resume)
  {ExitCode.DRIFT_BREAKING:<4} check: breaking drift (a required field gone, a type, enum or
       status changed); check's "cannot check" (key refused, no connection) is {ExitCode.API_ERROR}
  {ExitCode.DRIFT_ADDITIVE:<4} check: additive drift only (a new field or header)
  {ExitCode.COST_REFUSED:<4} not created for its cost: above --max-credits, not enough credits
       (402), above the account's export limit, or not confirmed
  {ExitCode.INTERNAL_ERROR:<4} unexpected internal error (a bug): --debug shows the traceback
  {ExitCode.HANGUP:<4} hung up (SIGHUP); a partial download is removed
  {ExitCode.INTERRUPTED:<4} interrupted (Ctrl-C); a partial download is removed
  {ExitCode.STDOUT_CLOSED:<4} stdout was closed before all of it was written (the wait or
       download to a file still ran to the end; `download JOB -` stops)
  {ExitCode.TERMINATED:<4} terminated (SIGTERM); a partial download is removed

Errors are reported as one line on stderr, beginning with "error:".
"""
SUBCOMMAND_EPILOG = f"Streams, environment and exit codes: '{PROG} --help'."

Handler = Callable[[argparse.Namespace, CompanyEnrich, Streams], ExitCode]


def _wrapped(text: str) -> str:
    # Raw formatting keeps the epilog's table; descriptions are wrapped here instead.
    return textwrap.fill(text, width=78)


class UsageError(Exception):
    """Raised instead of argparse's print-usage-and-exit, so main() can return 2."""


class _Parser(argparse.ArgumentParser):
    _argv: Sequence[str] | None = None

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        self._argv = args  # for error(): what was typed, to suggest what was meant
        return super().parse_known_args(args, namespace)

    def error(self, message: str) -> NoReturn:
        # One line, like every other error, with the way to the full usage.
        message = with_suggestions(self, message, self._argv)
        raise UsageError(f"{message} (see '{self.prog} --help')")


class _DeprecatedSpelling(argparse.Action):
    """An old flag that still works; `main()` prints a note naming the new one.

    The note is kept under an attribute of its own: argparse copies a
    subcommand's namespace over the top-level one, and a shared list would lose
    a note given before the command.
    """

    def __init__(
        self, option_strings: Sequence[str], dest: str, *, replacement: str, **kwargs: Any
    ) -> None:
        super().__init__(option_strings, dest, **kwargs)
        self.replacement = replacement

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        setattr(namespace, self.dest, values)
        setattr(
            namespace,
            f"deprecated_{self.dest}",
            f"{option_string} is deprecated here and will be removed: "
            f"write {self.replacement} (same meaning)",
        )


def _deprecation_notes(args: argparse.Namespace) -> list[str]:
    return [value for name, value in sorted(vars(args).items()) if name.startswith("deprecated_")]


# --- argument types ---------------------------------------------------------------


def _job_id(text: str) -> UUID:
    # Checked while parsing, so an invalid id is a usage error and sends nothing.
    try:
        return coerce_job_id(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a job id: {text!r} (expected a UUID such as 3fa85f64-5717-4562-b3fc-2c963f66afa6)"
        ) from None


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    try:
        return positive_seconds("", value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be a positive number of seconds: {text!r}"
        ) from None


def _poll_interval(text: str) -> PollSchedule:
    # Built while parsing: the client's own limits (a floor, say) then refuse a bad
    # interval before `create --wait` has spent anything.
    try:
        return PollSchedule.fixed(_seconds(text))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _read_query_file(source: str, shown: str) -> bytes:
    """At most MAX_QUERY_FILE_BYTES of a file, or of stdin for `@-`."""
    try:
        if source == STANDARD_STREAM:
            stdin = sys.stdin.buffer if sys.stdin is not None else None
            if stdin is None:
                raise argparse.ArgumentTypeError("cannot read stdin: it is closed")
            content = stdin.read(MAX_QUERY_FILE_BYTES + 1)
        else:
            with open(source, "rb") as file:
                content = file.read(MAX_QUERY_FILE_BYTES + 1)
    except OSError as exc:
        raise argparse.ArgumentTypeError(f"cannot read {shown}: {exc.strerror}") from None
    if len(content) > MAX_QUERY_FILE_BYTES:
        raise argparse.ArgumentTypeError(
            f"{shown} is larger than {MAX_QUERY_FILE_BYTES // 1024 // 1024} MiB: "
            "not a search filter"
        )
    return content


def _json_object(text: str) -> dict[str, Any]:
    """A JSON object given inline, as @FILE, or as @- for stdin (shells make long JSON awkward)."""
    source = "argument"
    if text.startswith("@"):
        source = "stdin" if text == "@-" else text[1:]
        try:
            text = _read_query_file(text[1:], source).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise argparse.ArgumentTypeError(f"{source} is not UTF-8 text") from None
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not valid JSON in {source}: {exc}") from None
    except RecursionError:
        raise argparse.ArgumentTypeError(f"JSON in {source} is nested too deeply") from None
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError(f"must be a JSON object, got {type(value).__name__}")
    return value


_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+", re.ASCII)


def _count(text: str) -> int:
    # ASCII digits only: int() would also take "1_000" and other scripts' digits.
    if not _WHOLE_NUMBER.fullmatch(text.strip()):
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}")
    return int(text)


def _limit(text: str) -> int:
    value = _count(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


# --- the parser -------------------------------------------------------------------


def _common_options(parser: argparse.ArgumentParser, *, top_level: bool) -> None:
    """Options accepted before or after the command: connection and output.

    Explained in full in the top-level help; a command's help lists them in
    a line each. On subcommands they default to SUPPRESS, so that leaving them
    out there does not overwrite a value given before the command.
    """

    def explained(full: str, short: str) -> str:
        return full if top_level else short

    default = None if top_level else argparse.SUPPRESS
    flag_default = False if top_level else argparse.SUPPRESS
    group = parser.add_argument_group("connection options" if top_level else "common options")
    group.add_argument(
        "--api-key",
        metavar="KEY",
        help=explained(
            f"API key (default: ${API_KEY_ENV}); prefer the variable: "
            "command lines are visible to other users of the machine",
            f"API key (default: ${API_KEY_ENV})",
        ),
        default=default,
    )
    group.add_argument(
        "--base-url",
        metavar="URL",
        help=explained(
            f"API base URL (default: ${BASE_URL_ENV}, else {DEFAULT_BASE_URL})", "API base URL"
        ),
        default=default,
    )
    group.add_argument(
        "--request-timeout",
        dest="request_timeout",
        type=_seconds,
        metavar="SECONDS",
        help=explained(
            "timeout of each HTTP request (default: 30, 10 to connect)",
            "timeout of each HTTP request",
        ),
        default=default,
    )
    if top_level:
        # The old spelling before the command; after it, --timeout was the wait deadline.
        group.add_argument(
            "--timeout",
            dest="request_timeout",
            type=_seconds,
            action=_DeprecatedSpelling,
            replacement="--request-timeout",
            help=argparse.SUPPRESS,
            default=default,
        )
    output = group if not top_level else parser.add_argument_group("output options")
    output.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        default=flag_default,
        help=explained(
            "no progress or messages on stderr, only errors and warnings", "no progress or messages"
        ),
    )
    output.add_argument(
        "--debug",
        action="store_true",
        default=flag_default,
        help=explained(
            "log each request on stderr, and show the traceback of an unexpected error",
            "log requests; show a bug's traceback",
        ),
    )


def _kind_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--kind",
        choices=tuple(KINDS),
        default=EXPORT.name,
        help="the job's kind: export (default), or bulk_enrichment for a job that `enrich` started",
    )


def _wait_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("waiting")
    group.add_argument(
        "--wait-timeout",
        dest="wait_timeout",
        type=_seconds,
        default=DEFAULT_WAIT_TIMEOUT,
        metavar="SECONDS",
        help="give up (exit 5) if the job has not finished after this long; for a "
        "download or rows, if its results have not all arrived by then either: one "
        f"deadline for the whole command, from when it starts waiting (default: "
        f"{DEFAULT_WAIT_TIMEOUT:g})",
    )
    group.add_argument(
        "--timeout",
        dest="wait_timeout",
        type=_seconds,
        action=_DeprecatedSpelling,
        replacement="--wait-timeout",
        help=argparse.SUPPRESS,
    )
    group.add_argument(
        "--poll-interval",
        dest="poll_schedule",
        type=_poll_interval,
        metavar="SECONDS",
        help="check the job every SECONDS (default: after 1 s, then 10%% of the "
        "time waited so far, at most every 30 s)",
    )


def _json_option(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--json", action="store_true", help=f"print {what} as one JSON document")


def _subcommand(
    commands: argparse._SubParsersAction[_Parser], name: str, *, summary: str, description: str
) -> argparse.ArgumentParser:
    return commands.add_parser(
        name,
        help=summary,
        description=_wrapped(description),
        epilog=SUBCOMMAND_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def _add_get(commands: argparse._SubParsersAction[_Parser]) -> argparse.ArgumentParser:
    parser = _subcommand(
        commands,
        "get",
        summary="show a job",
        description="Show a job's status, progress and results link (a free call): "
        "an export, or with --kind a job of another kind.",
    )
    parser.add_argument("job_id", type=_job_id, metavar="JOB_ID", help="the job's id")
    _kind_option(parser)
    _json_option(parser, "the job (the API's field names, ISO 8601 times, full results link)")
    parser.set_defaults(handler=_run_get)
    return parser


def _add_wait(commands: argparse._SubParsersAction[_Parser]) -> argparse.ArgumentParser:
    parser = _subcommand(
        commands,
        "wait",
        summary="wait for a job to finish, showing its progress",
        description=(
            "Poll a job (an export, or with --kind another kind) until it completes, "
            "with a progress bar when stderr is a terminal and one line per change "
            "otherwise. Exits 4 if the job fails and 5 if it is still running at the "
            "deadline."
        ),
    )
    parser.add_argument("job_id", type=_job_id, metavar="JOB_ID", help="the job's id")
    _kind_option(parser)
    _json_option(parser, "the finished job (or the last one seen)")
    _wait_options(parser)
    parser.set_defaults(handler=_run_wait)
    return parser


def _add_download(commands: argparse._SubParsersAction[_Parser]) -> argparse.ArgumentParser:
    parser = _subcommand(
        commands,
        "download",
        summary="wait for a job if needed, then download its results",
        description=(
            "Wait for a job (as `wait` does; an export, or with --kind another kind), "
            "then download its results file. The file appears only once complete: an "
            "interrupted or failed download leaves nothing behind, and an existing file "
            "is replaced only on success."
        ),
    )
    parser.add_argument("job_id", type=_job_id, metavar="JOB_ID", help="the job's id")
    _kind_option(parser)
    parser.add_argument(
        "dest",
        metavar="DEST",
        help="file to write; a folder (an existing one, or ending in /) to put the "
        "file in, named after the results link; or - for stdout",
    )
    _json_option(parser, "the job with the saved file's path and size")
    add_compression_options(parser)
    _wait_options(parser)
    parser.set_defaults(handler=_run_download)
    return parser


def _add_create(commands: argparse._SubParsersAction[_Parser]) -> argparse.ArgumentParser:
    parser = _subcommand(
        commands,
        "create",
        summary="start an export (charges 1 credit per exported company)",
        description=(
            "Start an export of COUNT companies matching a search, or similar to "
            "some domains, and print its job id. With --wait or --download, follow "
            "it to the end as those commands do. Creating is not retried after a "
            "server error or a lost answer, since the job may exist: check with "
            "'list' before creating it again."
        ),
    )
    parser.add_argument(
        "--count",
        type=_count,
        required=True,
        metavar="N",
        help="how many companies to export (1 to 50,000)",
    )
    query = parser.add_mutually_exclusive_group(required=True)
    query.add_argument(
        "--search",
        type=_json_object,
        metavar="JSON",
        help="a company search filter as a JSON object, @FILE or @- (stdin), e.g. "
        '\'{"countries": ["DE"], "semanticQuery": "B2B SaaS"}\'',
    )
    query.add_argument(
        "--similar",
        type=_json_object,
        metavar="JSON",
        help='a similar-companies filter as a JSON object, @FILE or @-, e.g. \'{"domains": '
        '["stripe.com"]}\'',
    )
    query.add_argument(
        "--similar-to",
        action="append",
        metavar="DOMAIN",
        help="shorthand for --similar with these seed domains (repeat, up to 10)",
    )
    parser.add_argument("--webhook-url", metavar="URL", help="called once when the job finishes")
    parser.add_argument(
        "--allow-unknown-filters",
        action="store_true",
        help="send filter fields and enum values this client does not know yet, instead "
        "of refusing them (a warning names them; the API ignores any it does not know)",
    )
    follow = parser.add_mutually_exclusive_group()
    follow.add_argument(
        "--wait", action="store_true", help="then wait for the job, showing its progress"
    )
    follow.add_argument(
        "--download",
        metavar="DEST",
        help="then wait for the job and download its results to DEST (as `download` "
        "does; checked before the export is created)",
    )
    _json_option(parser, "the created job (with --wait/--download: the finished job)")
    add_compression_options(parser)
    _wait_options(parser)
    _preflight().add_create_options(parser)
    parser.set_defaults(handler=_run_create)
    return parser


def _add_list(commands: argparse._SubParsersAction[_Parser]) -> argparse.ArgumentParser:
    parser = _subcommand(
        commands,
        "list",
        summary="list your export jobs, newest first",
        description=(
            "List your export jobs, newest first (a free call). Results links and "
            "error messages are not in the list: 'get JOB_ID' shows them."
        ),
    )
    _job_list_options(parser)
    parser.set_defaults(handler=_run_list)
    return parser


def _job_list_options(parser: argparse.ArgumentParser) -> None:
    """--status, --limit and --json: what every command listing jobs takes."""
    parser.add_argument(
        "--status",
        choices=[status.value for status in JobStatus],
        help="only jobs in this status",
    )
    parser.add_argument(
        "--limit",
        type=_limit,
        default=20,
        metavar="N",
        help="show at most N jobs (default: 20; 0 for all of them)",
    )
    _json_option(parser, "the jobs (an array)")


def _add_rows(commands: argparse._SubParsersAction[_Parser]) -> argparse.ArgumentParser:
    parser = _subcommand(
        commands,
        "rows",
        summary="wait for a job if needed, then print its companies as records",
        description=(
            "Wait for a job (as `wait` does; an export, or with --kind another kind), "
            "then stream its results to stdout "
            "as records, whatever the file's format: JSON Lines (one company record per "
            "line, nested as the API returns it) or CSV (flat columns, dotted names for "
            "nested fields). Nothing is saved to disk."
        ),
    )
    parser.add_argument("job_id", type=_job_id, metavar="JOB_ID", help="the job's id")
    _kind_option(parser)
    parser.add_argument(
        "--format",
        choices=("jsonl", "csv"),
        default="jsonl",
        help="jsonl (default) or csv",
    )
    parser.add_argument(
        "--limit",
        type=_limit,
        default=0,
        metavar="N",
        help="print at most N records, then stop reading (default: 0, all of them)",
    )
    _wait_options(parser)
    parser.set_defaults(handler=_run_rows)
    return parser


def _add_check(commands: argparse._SubParsersAction[_Parser]) -> argparse.ArgumentParser:
    parser = _subcommand(commands, "check", summary=CHECK_SUMMARY, description=CHECK_DESCRIPTION)
    add_check_options(parser)
    _json_option(parser, "the report")
    parser.set_defaults(handler=_run_check)
    return parser


def _run_check(args: argparse.Namespace, client: CompanyEnrich, out: Streams) -> ExitCode:
    return ExitCode(run_check_command(args, client, out))


def _add_completion(commands: argparse._SubParsersAction[_Parser]) -> argparse.ArgumentParser:
    parser = _subcommand(
        commands,
        "completion",
        summary="print the shell completion script for bash, zsh or fish",
        description=(
            "Print a script that completes this program's commands and options in "
            "your shell. bash: save it as ~/.local/share/bash-completion/completions/"
            f"{PROG}; zsh: as _{PROG} in a folder on $fpath; fish: as "
            f"~/.config/fish/completions/{PROG}.fish. Needs no API key."
        ),
    )
    parser.add_argument("shell", choices=COMPLETION_SHELLS, help="the shell to complete in")
    parser.set_defaults(handler=None, local_handler=_run_completion)
    return parser


AddCommand = Callable[["argparse._SubParsersAction[_Parser]"], argparse.ArgumentParser]
COMMANDS: tuple[AddCommand, ...] = (
    _add_create,
    _add_get,
    _add_wait,
    _add_download,
    _add_rows,
    _add_list,
    _add_check,
    add_jobs,  # the account's jobs of every kind (_cli/_jobs.py)
    add_enrich,  # bulk enrichment of a list of domains (_cli/_enrich.py)
    _add_completion,
)


def _preflight() -> ModuleType:
    # Imported when used: `_cli/_preflight.py` builds on this module's helpers.
    from companyenrich_export._cli import _preflight as preflight_commands

    return preflight_commands


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description=_wrapped("Follow and download CompanyEnrich company exports."),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _common_options(parser, top_level=True)
    commands = parser.add_subparsers(
        title="commands",
        dest="command",
        metavar="COMMAND",
        required=True,
        help=f"one of these; '{PROG} COMMAND --help' shows its options",
    )
    for add in (*COMMANDS, _preflight().add_count, _preflight().add_account):
        _common_options(add(commands), top_level=False)
    add_examples(parser)
    return parser


# --- the commands -----------------------------------------------------------------


def _run_get(args: argparse.Namespace, client: CompanyEnrich, out: Streams) -> ExitCode:
    job = _resource(client, args).get(args.job_id)
    out.data(job.to_json(indent=2) if args.json else format_job(job))
    return ExitCode.OK


def _follow(
    args: argparse.Namespace,
    client: CompanyEnrich,
    out: Streams,
    resource: JobResource[Any, Any, Any, Any, Any] | None = None,
) -> Any:
    """wait() with progress on stderr; with --json the last job seen is printed even on failure.

    `resource` is the job kind's (`client.enrichments`); --kind's by default.
    """
    jobs = _resource(client, args) if resource is None else resource
    # --wait-timeout is one deadline for waiting and for fetching the results after.
    # Several jobs (enrich) share it: a later one gets what is left.
    if getattr(args, "deadline", None) is None:
        args.deadline = time.monotonic() + args.wait_timeout
        timeout = args.wait_timeout
    else:
        timeout = _time_left(args)
    try:
        with out.job_progress() as progress:
            return jobs.wait(
                args.job_id,
                timeout=timeout,
                on_progress=progress,
                poll_interval=args.poll_schedule,
            )
    except (JobFailedError, WaitTimeoutError) as error:
        if args.json and isinstance(error.job, ExportJob | EnrichmentJob):
            out.data(error.job.to_json(indent=2))
        raise


def _resource(
    client: CompanyEnrich, args: argparse.Namespace
) -> JobResource[Any, Any, Any, Any, Any]:
    """The resource of the job kind the command was given (--kind; exports without one)."""
    kind: str = getattr(args, "kind", EXPORT.name)
    return client._resource_of(kind)


def _time_left(args: argparse.Namespace) -> float:
    """What is left of --wait-timeout for fetching the results (never zero: the call then fails)."""
    deadline: float = args.deadline
    return max(deadline - time.monotonic(), _LEAST_TIME_LEFT)


def _run_wait(args: argparse.Namespace, client: CompanyEnrich, out: Streams) -> ExitCode:
    job = _follow(args, client, out)
    if args.json:
        out.data(job.to_json(indent=2))
    if isinstance(job, EnrichmentJob):
        out.info(
            f"Bulk enrichment {job.job_id} completed: {job.success_count:,} companies "
            f"enriched, {job.failed_count:,} domains failed."
        )
    else:
        out.info(f"Export {job.job_id} completed: {job.exported_count:,} companies exported.")
    return ExitCode.OK


def _check_destination(args: argparse.Namespace, dest: str, out: Streams) -> None:
    """Everything about DEST that can be known before a request (and credits) are spent."""
    if dest != STANDARD_STREAM:
        resolve_destination(dest, results_url="", fallback="export.csv")
        return
    if args.json:
        raise UsageError("--json needs stdout, which DEST - already uses for the file")
    if out.stdout_reader_gone():
        raise StdoutClosedError


def _run_download(args: argparse.Namespace, client: CompanyEnrich, out: Streams) -> ExitCode:
    # Before waiting: a typo should not cost a 20-minute wait.
    _check_destination(args, args.dest, out)
    return _download(args, client, out, args.dest)


def _download(
    args: argparse.Namespace,
    client: CompanyEnrich,
    out: Streams,
    dest: str,
    resource: JobResource[Any, Any, Any, Any, Any] | None = None,
) -> ExitCode:
    jobs = _resource(client, args) if resource is None else resource
    job = _follow(args, client, out, jobs)
    if isinstance(job, ExportJob):
        summary = f"{job.exported_count:,} companies from export {job.job_id}"
    else:
        summary = f"{job.success_count:,} companies from {jobs.kind.noun} {job.job_id}"
    if dest == STANDARD_STREAM:
        writer = out.stdout_bytes()
        with out.byte_progress() as progress:
            size = jobs.download_to(job, writer, timeout=_time_left(args), on_progress=progress)
        writer.flush()
        out.info(f"Wrote {human_size(size)} to stdout ({summary}).")
        return ExitCode.OK
    try:
        with out.byte_progress() as progress:
            path = jobs.download(
                job,
                dest,
                timeout=_time_left(args),
                on_progress=progress,
                decompress=args.decompress,
            )
    except OSError as exc:
        # What failed is the temporary file beside DEST; the user knows DEST.
        raise OSError(exc.errno, exc.strerror, dest) from exc
    size = path.stat().st_size
    out.info(f"Saved {path.resolve()} ({human_size(size)}, {summary}).")
    if args.json:
        saved = {**job.to_dict(), "path": str(path.resolve()), "size": size}
        out.data(json.dumps(saved, indent=2))
    return ExitCode.OK


def _run_create(args: argparse.Namespace, client: CompanyEnrich, out: Streams) -> ExitCode:
    if args.download is not None:
        # Before spending credits: the results must have somewhere to go.
        _check_destination(args, args.download, out)
    similar: SimilarFilter | None = (
        {"domains": args.similar_to} if args.similar_to else args.similar
    )
    # The price first: --dry-run, --max-credits, the confirmation (nothing sent when none applies).
    stop = _preflight().before_create(args, client, out, similar)
    if stop is not None:
        return cast(ExitCode, stop)
    try:
        created = client.exports.create(
            count=args.count,
            search=args.search,
            similar=similar,
            webhook_url=args.webhook_url,
            allow_unknown_filters=args.allow_unknown_filters,
        )
    except ValueError as exc:
        raise UsageError(in_cli_terms(str(exc))) from None
    # The id alone on stdout's first line: `JOB=$(companyenrich-export create ... | head -1)`;
    # not when stdout carries JSON or the file itself.
    if not args.json and args.download != STANDARD_STREAM:
        out.data(str(created.job_id))
    out.info(
        f"Export {created.job_id} started: {created.requested_count:,} of "
        f"{created.total_matching:,} matching companies (about "
        f"{created.estimated_credits:,} credits).",
        # A paid-for job's id must be somewhere, and stdout has the file instead.
        even_if_quiet=args.download == STANDARD_STREAM,
    )
    args.job_id = created.job_id
    with _preflight().paid_job_notice(created, args, out):
        if args.download is not None:
            return _download(args, client, out, args.download)
        if args.wait:
            return _run_wait(args, client, out)
    if args.json:
        out.data(created.to_json(indent=2))
    return ExitCode.OK


def _run_rows(args: argparse.Namespace, client: CompanyEnrich, out: Streams) -> ExitCode:
    if out.stdout_reader_gone():
        raise StdoutClosedError
    jobs = _resource(client, args)
    job = _follow(args, client, out, jobs)
    rows = jobs.iter_rows(job, timeout=_time_left(args))
    if args.limit:
        rows = itertools.islice(rows, args.limit)
    written = write_rows(rows, out.stdout_bytes(), args.format)
    out.info(f"Wrote {written:,} records of {jobs.kind.noun} {job.job_id} ({args.format}).")
    return ExitCode.OK


def _run_completion(args: argparse.Namespace, out: Streams) -> ExitCode:
    out.data(completion_script(build_parser(), args.shell).rstrip("\n"))
    return ExitCode.OK


def _run_list(args: argparse.Namespace, client: CompanyEnrich, out: Streams) -> ExitCode:
    jobs = []
    for job in client.exports.list(status=args.status):
        jobs.append(job)
        if len(jobs) == args.limit:
            break  # pages are fetched lazily: stop asking once there are enough
    if args.json:
        out.data(json.dumps([job.to_dict() for job in jobs], indent=2))
    elif jobs:
        format_jobs_table(jobs, cast("TextIO", out.stdout), interactive=out.stdout_is_terminal)
    else:
        out.info("No export jobs" + (f" in status {args.status}." if args.status else "."))
    return ExitCode.OK


# --- errors -----------------------------------------------------------------------


def _timeout_message(error: WaitTimeoutError[Any]) -> str:
    job = error.job
    if not isinstance(job, ExportJob):
        return error.message
    # The job goes on server-side; say where it was and how to keep following it.
    return (
        f"Export job {job.job_id} did not finish within {error.timeout:g} s (last seen "
        f"{job.status.value}, {job.exported_count:,}/{job.requested_count:,} exported); "
        f"it keeps running: '{PROG} wait {job.job_id}' follows it again"
    )


def describe_error(error: BaseException) -> tuple[ExitCode, str]:
    """The exit code and the one-line message for an error a command raised."""
    if isinstance(error, JobFailedError):
        return ExitCode.EXPORT_FAILED, error.message
    if isinstance(error, WaitTimeoutError):
        return ExitCode.WAIT_TIMEOUT, _timeout_message(error)
    if isinstance(error, DownloadTimeoutError):
        return ExitCode.WAIT_TIMEOUT, f"{error.message} (--wait-timeout)"
    if isinstance(error, DownloadInProgressError):
        return ExitCode.LOCAL_ERROR, error.message
    if isinstance(error, PreflightRefusal | PaymentRequiredError):
        return ExitCode.COST_REFUSED, str(error)
    if isinstance(error, APIStatusError):
        # str(): the library's full account of the answer (field errors included).
        message = str(error)
        # A server fault is one to report to the vendor, and they will want the trace id.
        if isinstance(error, InternalServerError) and error.request_id:
            message += f" (request id {error.request_id})"
        return ExitCode.API_ERROR, message
    if isinstance(error, APIConnectionError):
        return ExitCode.API_ERROR, f"{error.message} ({url_origin(str(error.request.url))})"
    if isinstance(error, ResponseValidationError):
        return ExitCode.API_ERROR, f"unexpected response from the API: {error.message}"
    if isinstance(error, CompanyEnrichError):
        return ExitCode.API_ERROR, error.message
    if isinstance(error, UsageError | ValueError):
        # The client validates arguments before sending anything.
        return ExitCode.USAGE, str(error)
    if isinstance(error, OSError):
        reason = error.strerror or str(error)
        if error.filename:
            return ExitCode.LOCAL_ERROR, f"cannot write {error.filename}: {reason}"
        return ExitCode.LOCAL_ERROR, f"cannot write the results: {reason}"
    raise error


def _keys_in(argv: Sequence[str]) -> list[str]:
    """Every API key in sight: the environment's and any given with --api-key."""
    keys = [os.environ.get(API_KEY_ENV, "")]
    for index, arg in enumerate(argv):
        name, equals, value = arg.partition("=")
        # argparse also takes an unambiguous prefix such as --api.
        if len(name) < len("--api") or not "--api-key".startswith(name):
            continue
        if equals:
            keys.append(value)
        elif index + 1 < len(argv):
            keys.append(argv[index + 1])
    return [key for key in keys if key]


# --- signals and standard streams ---------------------------------------------------


class _Terminated(BaseException):
    """SIGTERM or SIGHUP, raised where the program is, so `with` blocks clean up as on Ctrl-C.

    A BaseException, like KeyboardInterrupt, so no `except Exception` on the way
    swallows it.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


_TERMINATING = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)


@contextmanager
def _terminating_signals_raise() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers; an embedding program owns them
        return

    def raise_terminated(signum: int, _frame: FrameType | None) -> None:
        # A second signal ends the process at once, clean-up or not: the way out
        # when the first one cannot finish (an exception raised at an arbitrary
        # point, as Ctrl-C's is, can in rare cases stall inside a library).
        for each in previous:
            signal.signal(each, signal.SIG_DFL)
        raise _Terminated(signum)

    # A signal inherited as ignored stays ignored: `nohup` (SIGHUP) and the like
    # are the caller's decision that this process should outlive them.
    previous = {
        signum: signal.signal(signum, raise_terminated)
        for signum in _TERMINATING
        if signal.getsignal(signum) is not signal.SIG_IGN
    }
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)


def _open_missing_standard_streams() -> None:
    """Put /dev/null on fds 0-2 if closed (`>&-`), so no file or socket of ours lands there.

    sys.stdout stays None for a closed stdout: Streams reads that as a reader that left.
    """
    for descriptor in (0, 1, 2):
        try:
            os.fstat(descriptor)
        except OSError:
            null = os.open(os.devnull, os.O_RDWR)
            if null != descriptor:
                os.dup2(null, descriptor)
                os.close(null)


@contextmanager
def _debug_log(out: Streams, enabled: bool) -> Iterator[None]:
    if not enabled:
        yield
        return
    # The library's own logger only: it never logs headers, keys or link signatures
    # (httpx's logger prints full pre-signed URLs).
    logger = logging.getLogger("companyenrich_export")
    handler = logging.StreamHandler(cast("TextIO", out.stderr))
    handler.setFormatter(logging.Formatter("debug: %(message)s"))
    # The CLI's own rule on top of the library's: keys in any form, URLs cut to origins.
    handler.addFilter(RedactingFilter(out.secrets, origins=True))
    previous_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous_level)


# --- entry point ------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI with `argv` (default: sys.argv[1:]) and return the exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    _open_missing_standard_streams()
    out = Streams(sys.stdout, sys.stderr)
    out.secrets = _keys_in(arguments)
    try:
        with _terminating_signals_raise():
            code = _main(arguments, out)
    except KeyboardInterrupt:
        # The client's own clean-up (partial file, connections) has run by now.
        if out.stderr.isatty():
            out.stderr.write("\n")  # past the "^C" the terminal echoed
        out.error("interrupted")
        return int(ExitCode.INTERRUPTED)
    except _Terminated as stop:
        name = signal.Signals(stop.signum).name
        out.error(f"{'hung up' if name == 'SIGHUP' else 'terminated'} ({name})")
        return 128 + stop.signum
    except Exception as exc:  # the last line of defence: one line, not a traceback
        if out.debug:
            out.debug_text("".join(traceback.format_exception(exc)))
        out.error(
            f"unexpected {type(exc).__name__}: {exc}. This is a bug; "
            f"'{PROG} --debug ...' shows where it happened"
        )
        return int(ExitCode.INTERNAL_ERROR)
    return int(_settle(code, out))


def _settle(code: ExitCode, out: Streams) -> ExitCode:
    """The exit code, once stdout is flushed: did all the data get out?"""
    lost = out.close()
    if lost is None or code != ExitCode.OK:
        return code
    if reader_left(lost):
        # The reader chose to stop (`| head`); the work itself was done.
        return ExitCode.STDOUT_CLOSED
    out.error(f"cannot write <stdout>: {lost.strerror or lost}")
    return ExitCode.LOCAL_ERROR


def _main(argv: Sequence[str], out: Streams) -> ExitCode:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        # A key typed where a job id belongs would be quoted back: redacted by out.error.
        out.error(str(exc))
        return ExitCode.USAGE
    except SystemExit as exc:  # --help and --version print, then "exit"
        return ExitCode.OK if exc.code in (0, None) else ExitCode.USAGE
    out.quiet, out.debug = args.quiet, args.debug
    for note in _deprecation_notes(args):
        out.warn(note)
    local_handler: Callable[[argparse.Namespace, Streams], ExitCode] | None = getattr(
        args, "local_handler", None
    )
    if local_handler is not None:  # a command that needs neither key nor client
        return local_handler(args, out)

    key = args.api_key if args.api_key is not None else os.environ.get(API_KEY_ENV)
    # enrich --dry-run only counts the domains: it sends nothing, so needs no key.
    offline = bool(getattr(args, "dry_run", False) and getattr(args, "offline_dry_run", False))
    if not key and not offline:
        out.error(f"no API key: pass --api-key KEY or set {API_KEY_ENV}")
        return ExitCode.USAGE
    handler: Handler = args.handler
    try:
        if offline:
            return handler(args, cast("CompanyEnrich", None), out)
        with (
            _debug_log(out, args.debug),
            CompanyEnrich(
                api_key=key, base_url=args.base_url, timeout=args.request_timeout
            ) as client,
        ):
            return handler(args, client, out)
    except StdoutClosedError:
        # `download JOB -` and its reader left: nobody is there to tell.
        return ExitCode.STDOUT_CLOSED
    # Not TypeError: the parser hands the client well-typed values, so one is a bug.
    except (CompanyEnrichError, UsageError, ValueError, OSError) as exc:
        code, message = describe_error(exc)
        out.error(message)
        return code


if __name__ == "__main__":
    sys.exit(main())
