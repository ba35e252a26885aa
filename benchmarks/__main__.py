"""`python -m benchmarks [--smoke] [--only NAME ...]` (`make bench`): every benchmark, as tables."""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from collections.abc import Sequence

from ._common import Config, machine, render

BENCHMARKS = {
    "overhead": "benchmarks.overhead",
    "fanout": "benchmarks.fanout",
    "polling": "benchmarks.polling",
    "download": "benchmarks.download",
    "startup": "benchmarks.startup",
    "rows": "benchmarks.rows",
    "resume": "benchmarks.resume",
    "many_jobs": "benchmarks.many_jobs",
    "frames": "benchmarks.frames",
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="What the client adds on top of httpx, as ratios against baselines "
        "run side by side. Prints Markdown tables.",
    )
    parser.add_argument(
        "--smoke", action="store_true", help="tiny sizes: proves the benchmarks run, in seconds"
    )
    parser.add_argument(
        "--only",
        nargs="+",
        choices=list(BENCHMARKS),
        metavar="NAME",
        help=f"run only these ({', '.join(BENCHMARKS)})",
    )
    args = parser.parse_args(argv)
    config = Config(smoke=args.smoke)
    names = args.only or list(BENCHMARKS)

    print(
        "# companyenrich-export benchmarks"
        + (" (smoke: tiny sizes, figures meaningless)" if config.smoke else "")
    )
    print()
    print("\n".join(machine()))
    print()
    started = time.monotonic()
    try:
        for name in names:
            module = importlib.import_module(BENCHMARKS[name])
            section_started = time.monotonic()
            section = module.run(config)
            print(render(section))
            seconds = time.monotonic() - section_started
            print(f"({name}: {seconds:.1f} s)", file=sys.stderr, flush=True)
            sys.stdout.flush()
    finally:
        config.close()
    print(f"Total time: {time.monotonic() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
