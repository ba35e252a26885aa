"""`companyenrich-export`: the command line over `CompanyEnrich.exports`.

Every command is one `_add_*` function that adds its subparser and sets
`handler`; `main()` builds the client, runs the handler and turns the
client's typed errors into one line on stderr and a documented exit code.
Adding a command means writing one more `_add_*` and listing it in `COMMANDS`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
from collections.abc import Callable, Sequence
from enum import IntEnum
from pathlib import Path
from typing import Any, NoReturn
from uuid import UUID

from ._base_client import DEFAULT_BASE_URL
from ._cli_output import (
    byte_progress,
    created_to_json,
    dump_json,
    format_job,
    format_jobs_table,
    human_size,
    job_progress,
    job_to_json,
)
from ._client import API_KEY_ENV, BASE_URL_ENV, CompanyEnrich
from ._exceptions import (
    APIConnectionError,
    APIStatusError,
    CompanyEnrichError,
    ExportFailedError,
    InternalServerError,
    ResponseValidationError,
    WaitTimeoutError,
)
from ._exports import DEFAULT_WAIT_TIMEOUT
from ._files import resolve_destination
from ._models import ExportJob, JobStatus, coerce_job_id
from ._timing import PollSchedule
from ._version import __version__
from .filters import SimilarFilter

__all__ = ["COMMANDS", "ExitCode", "build_parser", "main"]

PROG = "companyenrich-export"
_MIN_SECRET_LENGTH = 4


class ExitCode(IntEnum):
    """What the process exit status means; also listed in `--help`."""

    OK = 0
    LOCAL_ERROR = 1
    """The results could not be written (permissions, disk full)."""
    USAGE = 2
    """Bad arguments, an invalid job id or no API key: nothing was sent."""
    API_ERROR = 3
    """The API refused or could not be reached, or answered off-contract."""
    EXPORT_FAILED = 4
    """The export job ended `failed`."""
    WAIT_TIMEOUT = 5
    """The job did not finish before the wait deadline."""
    INTERRUPTED = 130
    """Ctrl-C (128 + SIGINT, as shells report it)."""


EPILOG = f"""\
environment:
  {API_KEY_ENV}   API key, used when --api-key is not given
  {BASE_URL_ENV}  API base URL, used when --base-url is not given

exit codes:
  {ExitCode.OK:<4} success
  {ExitCode.LOCAL_ERROR:<4} the file could not be written (permissions, disk full)
  {ExitCode.USAGE:<4} usage error: bad arguments, invalid job id, no API key (nothing was sent)
  {ExitCode.API_ERROR:<4} API error: an error status (401, 404, 429, 5xx...), no connection,
       or a response that breaks the API contract
  {ExitCode.EXPORT_FAILED:<4} the export job failed
  {ExitCode.WAIT_TIMEOUT:<4} the job did not finish within the wait --timeout
  {ExitCode.INTERRUPTED:<4} interrupted (Ctrl-C); a partial download is removed

Errors are reported as one line on stderr, beginning with "error:".
"""

Handler = Callable[[argparse.Namespace, CompanyEnrich], ExitCode]


def _wrapped(text: str) -> str:
    # Raw formatting keeps the epilog's table; descriptions are wrapped here instead.
    return textwrap.fill(text, width=78)


class UsageError(Exception):
    """Raised instead of argparse's print-usage-and-exit, so main() can return 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line, like every other error, with the way to the full usage.
        raise UsageError(f"{message} (see '{self.prog} --help')")


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
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds: {text!r}")
    return value


def _json_object(text: str) -> dict[str, Any]:
    """A JSON object given inline or as @FILE (shells make long JSON awkward)."""
    source = "argument"
    if text.startswith("@"):
        source = text[1:]
        try:
            text = Path(source).read_text(encoding="utf-8")
        except OSError as exc:
            raise argparse.ArgumentTypeError(f"cannot read {source}: {exc.strerror}") from None
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not valid JSON in {source}: {exc}") from None
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError(f"must be a JSON object, got {type(value).__name__}")
    return value


def _count(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None


# --- the parser -------------------------------------------------------------------


def _connection_options(parser: argparse.ArgumentParser, *, top_level: bool) -> None:
    """--api-key, --base-url, --request-timeout: accepted before or after the command.

    On subcommands they default to SUPPRESS, so that leaving them out there
    does not overwrite a value given before the command.
    """
    default = None if top_level else argparse.SUPPRESS
    group = parser.add_argument_group("connection options")
    group.add_argument(
        "--api-key",
        metavar="KEY",
        help=f"API key (default: ${API_KEY_ENV}); prefer the variable: "
        "command lines are visible to other users of the machine",
        default=default,
    )
    group.add_argument(
        "--base-url",
        metavar="URL",
        help=f"API base URL (default: ${BASE_URL_ENV}, else {DEFAULT_BASE_URL})",
        default=default,
    )
    # Before the command, plain --timeout is the request timeout too; after
    # `wait`/`download` it is their wait deadline (see those commands).
    flags = ("--timeout", "--request-timeout") if top_level else ("--request-timeout",)
    note = (
        "; after the command, write --request-timeout (there --timeout is the wait deadline)"
        if top_level
        else ""
    )
    group.add_argument(
        *flags,
        dest="request_timeout",
        type=_seconds,
        metavar="SECONDS",
        help=f"timeout of each HTTP request (default: 30, 10 to connect){note}",
        default=default,
    )


def _wait_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("waiting")
    group.add_argument(
        "--timeout",
        "--wait-timeout",
        dest="wait_timeout",
        type=_seconds,
        default=DEFAULT_WAIT_TIMEOUT,
        metavar="SECONDS",
        help="give up (exit 5) if the job has not finished after this long "
        f"(default: {DEFAULT_WAIT_TIMEOUT:g})",
    )
    group.add_argument(
        "--poll-interval",
        type=_seconds,
        metavar="SECONDS",
        help="check the job every SECONDS (default: after 1 s, then 10%% of the "
        "time waited so far, at most every 30 s)",
    )


def _subcommand(
    commands: argparse._SubParsersAction[_Parser], name: str, *, summary: str, description: str
) -> argparse.ArgumentParser:
    """A command's parser, with the shared epilog (environment and exit codes)."""
    return commands.add_parser(
        name,
        help=summary,
        description=_wrapped(description),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def _add_get(commands: argparse._SubParsersAction[_Parser]) -> argparse.ArgumentParser:
    parser = _subcommand(
        commands,
        "get",
        summary="show an export job",
        description="Show an export job's status, progress and results link (a free call).",
    )
    parser.add_argument("job_id", type=_job_id, metavar="JOB_ID", help="the export job's id")
    parser.add_argument(
        "--json",
        action="store_true",
        help="print the job as JSON (the API's field names, ISO 8601 times, full results link)",
    )
    parser.set_defaults(handler=_run_get)
    return parser


def _add_wait(commands: argparse._SubParsersAction[_Parser]) -> argparse.ArgumentParser:
    parser = _subcommand(
        commands,
        "wait",
        summary="wait for an export job to finish, showing its progress",
        description=(
            "Poll an export job until it completes, with a progress bar on a "
            "terminal and one line per change otherwise. Exits 4 if the job fails and "
            "5 if it is still running at the deadline."
        ),
    )
    parser.add_argument("job_id", type=_job_id, metavar="JOB_ID", help="the export job's id")
    _wait_options(parser)
    parser.set_defaults(handler=_run_wait)
    return parser


def _add_download(commands: argparse._SubParsersAction[_Parser]) -> argparse.ArgumentParser:
    parser = _subcommand(
        commands,
        "download",
        summary="wait for an export job if needed, then download its results",
        description=(
            "Wait for an export job (as `wait` does), then download its results "
            "file. The file appears only once complete: an interrupted or failed download "
            "leaves nothing behind, and an existing file is replaced only on success."
        ),
    )
    parser.add_argument("job_id", type=_job_id, metavar="JOB_ID", help="the export job's id")
    parser.add_argument(
        "dest",
        type=Path,
        metavar="DEST",
        help="file to write, or an existing folder to put the file in "
        "(named after the results link)",
    )
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
        help="a company search filter as a JSON object, or @FILE holding one, e.g. "
        '\'{"countries": ["DE"], "semanticQuery": "B2B SaaS"}\'',
    )
    query.add_argument(
        "--similar",
        type=_json_object,
        metavar="JSON",
        help='a similar-companies filter as a JSON object or @FILE, e.g. \'{"domains": '
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
        "--json", action="store_true", help="print the created job as JSON instead of its id"
    )
    follow.add_argument(
        "--wait", action="store_true", help="then wait for the job, showing its progress"
    )
    follow.add_argument(
        "--download",
        type=Path,
        metavar="DEST",
        help="then wait for the job and download its results to DEST (file or folder)",
    )
    _wait_options(parser)
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
    parser.add_argument(
        "--status",
        choices=[status.value for status in JobStatus],
        help="only jobs in this status",
    )
    parser.add_argument(
        "--limit",
        type=_count,
        default=20,
        metavar="N",
        help="show at most N jobs (default: 20; 0 for all of them)",
    )
    parser.add_argument("--json", action="store_true", help="print the jobs as a JSON array")
    parser.set_defaults(handler=_run_list)
    return parser


AddCommand = Callable[["argparse._SubParsersAction[_Parser]"], argparse.ArgumentParser]
COMMANDS: tuple[AddCommand, ...] = (_add_create, _add_get, _add_wait, _add_download, _add_list)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description=_wrapped("Follow and download CompanyEnrich company exports."),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _connection_options(parser, top_level=True)
    commands = parser.add_subparsers(
        title="commands",
        dest="command",
        metavar="COMMAND",
        required=True,
        help=f"one of these; '{PROG} COMMAND --help' shows its options",
    )
    for add in COMMANDS:
        _connection_options(add(commands), top_level=False)
    return parser


# --- the commands -----------------------------------------------------------------


def _interactive() -> bool:
    # A dumb terminal cannot redraw a bar in place: give it the log lines.
    return sys.stdout.isatty() and os.environ.get("TERM") != "dumb"


def _run_get(args: argparse.Namespace, client: CompanyEnrich) -> ExitCode:
    job = client.exports.get(args.job_id)
    print(dump_json(job) if args.json else format_job(job))
    return ExitCode.OK


def _wait_with_progress(args: argparse.Namespace, client: CompanyEnrich) -> ExportJob:
    poll = None if args.poll_interval is None else PollSchedule.fixed(args.poll_interval)
    with job_progress(sys.stdout, interactive=_interactive()) as progress:
        return client.exports.wait(
            args.job_id, timeout=args.wait_timeout, on_progress=progress, poll_interval=poll
        )


def _run_wait(args: argparse.Namespace, client: CompanyEnrich) -> ExitCode:
    job = _wait_with_progress(args, client)
    print(f"Export {job.job_id} completed: {job.exported_count:,} companies exported.")
    return ExitCode.OK


def _run_download(args: argparse.Namespace, client: CompanyEnrich) -> ExitCode:
    # Check the destination before waiting: a typo should not cost a 20-minute wait.
    resolve_destination(args.dest, results_url="", fallback=f"{args.job_id}.csv")
    return _download_with_progress(args, client, args.dest)


def _download_with_progress(
    args: argparse.Namespace, client: CompanyEnrich, dest: Path
) -> ExitCode:
    job = _wait_with_progress(args, client)
    with byte_progress(sys.stdout, interactive=_interactive()) as progress:
        path = client.exports.download(job, dest, on_progress=progress)
    size = path.stat().st_size
    print(
        f"Saved {path.resolve()} ({human_size(size)}, {job.exported_count:,} companies "
        f"from export {job.job_id})."
    )
    return ExitCode.OK


def _run_create(args: argparse.Namespace, client: CompanyEnrich) -> ExitCode:
    if args.download is not None:
        # Before spending credits: the results must have somewhere to go.
        resolve_destination(args.download, results_url="", fallback="export.csv")
    similar: SimilarFilter | None = (
        {"domains": args.similar_to} if args.similar_to else args.similar
    )
    created = client.exports.create(
        count=args.count,
        search=args.search,
        similar=similar,
        webhook_url=args.webhook_url,
        allow_unknown_filters=args.allow_unknown_filters,
    )
    if args.json:
        print(json.dumps(created_to_json(created), indent=2))
        return ExitCode.OK
    # The id alone on the first line: `JOB=$(companyenrich-export create ... | head -1)`.
    print(created.job_id, flush=True)
    if not (args.wait or args.download):
        return ExitCode.OK
    args.job_id = created.job_id
    print(
        f"Export of {created.requested_count:,} of {created.total_matching:,} matching "
        f"companies started (about {created.estimated_credits:,} credits).",
        flush=True,
    )
    if args.download is not None:
        return _download_with_progress(args, client, args.download)
    return _run_wait(args, client)


def _run_list(args: argparse.Namespace, client: CompanyEnrich) -> ExitCode:
    if args.limit < 0:
        raise ValueError(f"--limit must be 0 or more, got {args.limit}")
    jobs = []
    for job in client.exports.list(status=args.status):
        jobs.append(job)
        if len(jobs) == args.limit:
            break  # pages are fetched lazily: stop asking once there are enough
    if args.json:
        print(json.dumps([job_to_json(job) for job in jobs], indent=2))
    elif jobs:
        format_jobs_table(jobs, sys.stdout, interactive=_interactive())
    else:
        print("No export jobs" + (f" in status {args.status}." if args.status else "."))
    return ExitCode.OK


# --- errors -----------------------------------------------------------------------


def _origin(error: APIConnectionError) -> str:
    # Scheme, host and port only: a results link's query is a credential.
    url = error.request.url
    return f"{url.scheme}://{url.netloc.decode('ascii', 'replace')}"


def _timeout_message(error: WaitTimeoutError) -> str:
    job = error.job
    if job is None:
        return error.message
    # The job goes on server-side; say where it was and how to keep following it.
    return (
        f"Export job {job.job_id} did not finish within {error.timeout:g} s (last seen "
        f"{job.status.value}, {job.exported_count:,}/{job.requested_count:,} exported); "
        f"it keeps running: '{PROG} wait {job.job_id}' follows it again"
    )


def describe_error(error: BaseException) -> tuple[ExitCode, str]:
    """The exit code and the one-line message for an error a command raised."""
    if isinstance(error, ExportFailedError):
        return ExitCode.EXPORT_FAILED, error.message
    if isinstance(error, WaitTimeoutError):
        return ExitCode.WAIT_TIMEOUT, _timeout_message(error)
    if isinstance(error, APIStatusError):
        message = error.message
        # A server fault is one to report to the vendor, and they will want the trace id.
        if isinstance(error, InternalServerError) and error.request_id:
            message += f" (request id {error.request_id})"
        return ExitCode.API_ERROR, message
    if isinstance(error, APIConnectionError):
        return ExitCode.API_ERROR, f"{error.message} ({_origin(error)})"
    if isinstance(error, ResponseValidationError):
        return ExitCode.API_ERROR, f"unexpected response from the API: {error.message}"
    if isinstance(error, CompanyEnrichError):
        return ExitCode.API_ERROR, error.message
    if isinstance(error, ValueError):
        # The client validates arguments before sending anything.
        return ExitCode.USAGE, str(error)
    if isinstance(error, OSError):
        where = f": {error.filename}" if error.filename else ""
        return ExitCode.LOCAL_ERROR, f"{error.strerror or error}{where}"
    raise error


def _report(message: str, secrets: Sequence[str] = ()) -> None:
    line = " ".join(message.split())
    # Belt and braces: no message is built from headers, but a key must never
    # reach a terminal or a CI log even if a server echoed it back.
    for secret in secrets:
        # Too short to be a real key, and replacing it would garble the message.
        if len(secret) >= _MIN_SECRET_LENGTH:
            line = line.replace(secret, "[redacted]")
    print(f"error: {line}", file=sys.stderr, flush=True)


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


# --- entry point ------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI with `argv` (default: sys.argv[1:]) and return the exit code."""
    try:
        return int(_main(argv))
    except KeyboardInterrupt:
        # The client's own cleanup (partial file, connections) has run by now.
        if sys.stderr.isatty():
            print(file=sys.stderr)  # past the "^C" the terminal echoed
        _report("interrupted")
        return int(ExitCode.INTERRUPTED)


def _main(argv: Sequence[str] | None) -> ExitCode | int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        # A key typed where a job id belongs would be quoted back: hide it.
        _report(str(exc), secrets=_keys_in(sys.argv[1:] if argv is None else argv))
        return ExitCode.USAGE
    except SystemExit as exc:  # --help and --version print, then "exit"
        return exc.code if isinstance(exc.code, int) else ExitCode.OK

    key = args.api_key if args.api_key is not None else os.environ.get(API_KEY_ENV)
    if not key:
        _report(f"no API key: pass --api-key KEY or set {API_KEY_ENV}")
        return ExitCode.USAGE
    handler: Handler = args.handler
    try:
        with CompanyEnrich(
            api_key=key, base_url=args.base_url, timeout=args.request_timeout
        ) as client:
            return handler(args, client)
    except BrokenPipeError:
        # The reader went away (`| head`): nobody is left to tell. Point stdout
        # at nothing so the interpreter's final flush does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return ExitCode.LOCAL_ERROR
    # Not TypeError: the parser hands the client well-typed values, so one is a bug.
    except (CompanyEnrichError, ValueError, OSError) as exc:
        code, message = describe_error(exc)
        _report(message, secrets=(key,))
        return code


if __name__ == "__main__":
    sys.exit(main())
