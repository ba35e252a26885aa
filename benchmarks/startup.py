"""5. Import and CLI start-up, versus `python -c "import httpx"`.

Each command is a fresh interpreter, timed from the outside (wall clock
around `subprocess.run`), the commands interleaved in rotated order. All
of them read bytecode from one private cache folder, filled by a warm-up
run: as after `pip install`, which compiles. (This environment sets
PYTHONDONTWRITEBYTECODE, and the package is installed in editable mode,
so without the cache the wrapper would be compiled from source on every
run while httpx would not.)

In this virtual environment `import httpx` also imports click, rich and
pygments: httpx loads its own command line when click is installed, and
the dev tools install it. A user's install has no click, so the last rows
repeat the measurement with click hidden (`sys.modules["click"] = None`),
which is the start-up users see.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ._common import REPO_ROOT, Config, Row, Section, child_env, median, ratio

TARGET = 1.5
HIDE_CLICK = "import sys; sys.modules['click'] = None; "


def _cli() -> list[str]:
    script = Path(sys.executable).with_name("companyenrich-export")
    if script.exists():
        return [str(script), "--help"]
    return [sys.executable, "-m", "companyenrich_export", "--help"]


def _commands() -> dict[str, list[str]]:
    python = sys.executable
    return {
        "python": [python, "-c", "pass"],
        "httpx": [python, "-c", "import httpx"],
        "wrapper": [python, "-c", "import companyenrich_export"],
        "cli": _cli(),
        "httpx, no click": [python, "-c", HIDE_CLICK + "import httpx"],
        "wrapper, no click": [python, "-c", HIDE_CLICK + "import companyenrich_export"],
        "rich imported?": [
            python,
            "-c",
            HIDE_CLICK + "import companyenrich_export; print('rich' in sys.modules)",
        ],
    }


def _run(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    completed = subprocess.run(
        command, env=env, cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    return time.perf_counter() - started, completed.stdout.strip()


def run(config: Config) -> Section:
    runs = config.pick(21, 1)
    cache = Path(tempfile.mkdtemp(prefix="companyenrich-pycache-"))
    env = child_env()
    # Smoke: the interpreter's own caches, as they are; an empty private cache
    # would have the first run compile the standard library, seconds of CPU.
    if not config.smoke:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(cache)
    commands = _commands()
    timed = {name: command for name, command in commands.items() if name != "rich imported?"}
    times: dict[str, list[float]] = {name: [] for name in timed}
    try:
        for command in commands.values() if not config.smoke else ():
            _run(command, env)  # warm-up: fills the bytecode cache
        names = list(timed)
        for number in range(runs):
            shift = number % len(names)
            for name in names[shift:] + names[:shift]:
                times[name].append(_run(timed[name], env)[0])
        rich_loaded = _run(commands["rich imported?"], env)[1] == "True"
    finally:
        shutil.rmtree(cache, ignore_errors=True)

    t = {name: median(values) for name, values in times.items()}
    section = Section(5, "Import and CLI start-up")

    def ms(seconds: float) -> str:
        return f"{seconds * 1000:,.0f} ms"

    section.add(
        Row(
            '`python -c "import companyenrich_export"`',
            ms(t["wrapper"]),
            f'`python -c "import httpx"`: {ms(t["httpx"])}',
            ratio(t["wrapper"], t["httpx"]),
            f"≤ {TARGET:g}",
            t["wrapper"] <= TARGET * t["httpx"],
        )
    )
    section.add(
        Row(
            "`companyenrich-export --help`",
            ms(t["cli"]),
            f"import httpx: {ms(t['httpx'])}",
            ratio(t["cli"], t["httpx"]),
        )
    )
    section.add(
        Row(
            "import, without click (as a user's install)",
            ms(t["wrapper, no click"]),
            f"import httpx, without click: {ms(t['httpx, no click'])}",
            ratio(t["wrapper, no click"], t["httpx, no click"]),
            f"≤ {TARGET:g}",
            t["wrapper, no click"] <= TARGET * t["httpx, no click"],
        )
    )
    above_wrapper = t["wrapper, no click"] - t["python"]
    above_httpx = t["httpx, no click"] - t["python"]
    section.add(
        Row(
            "same, above the bare interpreter's start",
            ms(above_wrapper),
            f"httpx: {ms(above_httpx)} (`python -c pass`: {ms(t['python'])})",
            ratio(above_wrapper, above_httpx),
        )
    )
    section.add(
        Row(
            "terminal library (rich) imported by `import companyenrich_export`",
            "yes" if rich_loaded else "no",
            "-",
            "-",
            "no (lazy)",
            not rich_loaded,
        )
    )
    section.note(
        f"Median of {runs} runs of each command, interleaved; every run is a new "
        f"process timed from outside. Python {sys.version.split()[0]} at {sys.executable}."
    )
    section.note(
        "In this environment `import httpx` also loads click, rich and pygments (httpx's "
        "own CLI, present because the dev tools install click), which makes it a slow "
        "baseline; the rows without click are the start-up a user's install sees."
    )
    if os.environ.get("PYTHONDONTWRITEBYTECODE") and not config.smoke:
        section.note(
            "PYTHONDONTWRITEBYTECODE is set here; the runs used a private bytecode cache "
            "(PYTHONPYCACHEPREFIX) filled by a warm-up run, as an installed package has."
        )
    return section
