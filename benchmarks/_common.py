"""What every benchmark shares: sizes, tables, the server process, child processes."""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx

REPO_ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")


@dataclass(frozen=True)
class Config:
    """How big to make the runs: `smoke` is tiny, to prove the code still runs."""

    smoke: bool = False
    # Smoke: the benchmark modules whose child has already run as a process.
    _spawned: set[str] = field(default_factory=set, compare=False, repr=False)
    # Smoke: the one fake server every section uses, open until `close()`.
    _server: list[Served] = field(default_factory=list, compare=False, repr=False)
    _closing: contextlib.ExitStack = field(
        default_factory=contextlib.ExitStack, compare=False, repr=False
    )

    def pick(self, full: T, smoke: T) -> T:
        return smoke if self.smoke else full

    def run_child(self, module: str, *args: str) -> dict[str, Any]:
        """`run_child`; a smoke run starts only a module's first child as a process.

        One process per module still proves its command line and the JSON it
        hands back; the others run the same `child()` in this process, as
        each fresh interpreter would cost a second of imports for a figure
        that means nothing at smoke sizes.
        """
        if not self.smoke or module not in self._spawned:
            self._spawned.add(module)
            return run_child(module, *args)
        return _run_child_here(module, *args)

    def fake_server(self) -> contextlib.AbstractContextManager[Served]:
        """`fake_server()`; a smoke run starts one, for every section, at its first use.

        A server process costs a second of imports, and at smoke sizes no
        section's figures are disturbed by the jobs another one left behind.
        """
        if not self.smoke:
            return fake_server()
        if not self._server:
            self._server.append(self._closing.enter_context(fake_server()))
        return contextlib.nullcontext(self._server[0])

    def close(self) -> None:
        """Stops what the sections shared (the smoke run's server)."""
        self._closing.close()


@dataclass(frozen=True)
class Row:
    """One line of a table: a figure, its baseline, their ratio and the target."""

    figure: str
    measured: str
    baseline: str
    ratio: str
    target: str = "-"
    met: bool | None = None  # None: informational, no target


@dataclass
class Section:
    number: int
    title: str
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, row: Row) -> None:
        self.rows.append(row)

    def note(self, text: str) -> None:
        self.notes.append(text)


TABLE_HEADER = "| figure | measured | baseline | ratio | target | met? |"


def render(section: Section) -> str:
    lines = [f"## {section.number}. {section.title}", "", TABLE_HEADER, "|---|---|---|---|---|---|"]
    for row in section.rows:
        met = "-" if row.met is None else "yes" if row.met else "**no**"
        cells = (row.figure, row.measured, row.baseline, row.ratio, row.target, met)
        lines.append("| " + " | ".join(cells) + " |")
    if section.notes:
        lines.append("")
        lines.extend(f"- {note}" for note in section.notes)
    return "\n".join(lines) + "\n"


def machine() -> list[str]:
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return [
        f"- machine: {os.cpu_count()} logical CPUs, {platform.machine()}, {platform.platform()}",
        f"- Python {platform.python_version()} ({platform.python_implementation()}), "
        f"httpx {httpx.__version__}",
        f"- load average when started (1, 5, 15 min): {load}",
    ]


# --- numbers -----------------------------------------------------------------------


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def ratio(value: float, baseline: float) -> str:
    if baseline == 0:
        return "n/a"
    return f"{value / baseline:.3f}" if 0.5 <= value / baseline <= 2 else f"{value / baseline:.2f}"


def us(seconds: float) -> str:
    return f"{seconds * 1e6:,.0f} µs"


def secs(seconds: float) -> str:
    return f"{seconds:,.2f} s" if seconds < 100 else f"{seconds:,.0f} s"


def mb(value: float) -> str:
    return f"{value:,.1f} MB"


def _status_mb(field: str) -> float | None:
    """A `VmRSS:`-style line of /proc/self/status, in MiB (None off Linux)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def peak_rss_mb() -> float:
    """This process's peak resident set size, in MiB (since `reset_peak_rss()` on Linux)."""
    peak = _status_mb("VmHWM")
    if peak is not None:
        return peak
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return maxrss / 1024 if sys.platform != "darwin" else maxrss / (1024 * 1024)


def rss_mb() -> float:
    """This process's resident set size now, in MiB (the peak where that is all we have)."""
    current = _status_mb("VmRSS")
    return current if current is not None else peak_rss_mb()


def reset_peak_rss() -> None:
    """Make the peak start again from now (Linux: clear_refs 5), so growth is measured."""
    with contextlib.suppress(OSError), open("/proc/self/clear_refs", "w") as clear_refs:
        clear_refs.write("5")


def os_threads() -> int:
    """Threads of this process as the kernel counts them (Python's count elsewhere)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Threads:"):
                    return int(line.split()[1])
    except OSError:
        pass
    import threading

    return threading.active_count()


def interleaved(
    variants: dict[str, Callable[[], None]], *, rounds: int, batch: int
) -> dict[str, list[float]]:
    """Per-call seconds, each round's median, for each variant.

    Every round runs each variant `batch` times, in an order rotated from
    round to round, so slow spells of a noisy machine fall on all alike.
    """
    names = list(variants)
    per_round: dict[str, list[float]] = {name: [] for name in names}
    for number in range(rounds):
        shift = number % len(names)
        for name in names[shift:] + names[:shift]:
            call = variants[name]
            times: list[float] = []
            for _ in range(batch):
                started = time.perf_counter()
                call()
                times.append(time.perf_counter() - started)
            per_round[name].append(median(times))
    return per_round


def paired_ratio(per_round: dict[str, list[float]], name: str, baseline: str) -> float:
    """Median over rounds of (variant / baseline) within the same round."""
    return median([a / b for a, b in zip(per_round[name], per_round[baseline], strict=True)])


# --- processes ---------------------------------------------------------------------


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO_ROOT), *filter(None, [env.get("PYTHONPATH")])])
    return env


def run_child(module: str, *args: str, timeout: float = 600.0) -> dict[str, Any]:
    """Run `python -m benchmarks.<module> child ARGS` and return the JSON it prints last."""
    completed = subprocess.run(
        [sys.executable, "-m", f"benchmarks.{module}", "child", *args],
        cwd=REPO_ROOT,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(
            f"benchmark child {module} {' '.join(args)} failed ({completed.returncode}):\n"
            f"{completed.stderr[-3000:]}"
        )
    return _last_json(completed.stdout)


def _run_child_here(module: str, *args: str) -> dict[str, Any]:
    """What `run_child` returns, from the module's `child()` called in this process."""
    child: Callable[[Sequence[str]], int] = importlib.import_module(f"benchmarks.{module}").child
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        status = child(list(args))
    if status != 0:
        raise RuntimeError(f"benchmark child {module} {' '.join(args)} returned {status}")
    return _last_json(output.getvalue())


def _last_json(stdout: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(stdout.strip().splitlines()[-1])
    return result


def print_result(result: dict[str, Any]) -> None:
    """What a child process hands back: one JSON line on stdout."""
    print(json.dumps(result), flush=True)


@dataclass(frozen=True)
class Served:
    base_url: str
    api_key: str

    def add_jobs(self, jobs: list[dict[str, Any]]) -> list[tuple[str, float]]:
        """Add jobs to the served fake now: (job id, monotonic instant it completes) each."""
        from ._server import JOBS_ROUTE

        response = httpx.post(self.base_url + JOBS_ROUTE, json={"jobs": jobs}, timeout=60.0)
        response.raise_for_status()
        return [(job["job_id"], float(job["done_at"])) for job in response.json()["jobs"]]


@contextmanager
def fake_server() -> Iterator[Served]:
    """The fake CompanyEnrich API in a process of its own (see `_server.py`)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "benchmarks._server"],
        cwd=REPO_ROOT,
        env=child_env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdin is not None
    assert process.stdout is not None
    try:
        line = process.stdout.readline()
        if not line:
            raise RuntimeError("the benchmark's fake server did not start")
        info = json.loads(line)
        yield Served(base_url=info["base_url"], api_key=info["api_key"])
    finally:
        process.stdin.close()  # the server stops when its stdin closes
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
