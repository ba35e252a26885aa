"""The `companyenrich-export` command's entry point, kept outside the package on purpose.

Importing `companyenrich_export` (httpx, the generated client, the CLI) takes
a noticeable fraction of a second; a Ctrl-C in that time would otherwise end
the process with a traceback, killed by the signal. Here nothing is imported
before the `try`, so Ctrl-C at any moment of the command's life is one line
and exit 130. A SIGINT inherited as ignored (`cmd &` in a script, `nohup`)
stays ignored: Python then raises no KeyboardInterrupt at all.
"""

import sys

_INTERRUPTED = 130


def main() -> int:
    # httpx imports its own command line (click, rich, pygments: a quarter of a
    # second, a third of this command's start) whenever click and rich are
    # installed, as they are beside Airflow, schemathesis or typer. This
    # process never calls it; a None in sys.modules makes that import fail
    # fast, and httpx then skips it.
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
    try:
        from companyenrich_export._cli._main import main as run

        return run()
    except KeyboardInterrupt:
        # Before the CLI's own handling was in place, or after it was done.
        sys.stderr.write("error: interrupted\n")
        return _INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
