"""Copy openapi.yaml into the package as JSON, or check that the copy is up to date.

    python scripts/ship_spec.py          # write companyenrich_export/contract/openapi.json
    python scripts/ship_spec.py --check  # exit 1 if the copy differs from openapi.yaml

The shipped check (`companyenrich-export check`) validates answers against
this copy: JSON, so that an installed package needs no YAML parser, and a
file inside the package, so that the wheel and an editable install find it
the same way (importlib.resources).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi.yaml"
TARGET = ROOT / "wrapper" / "companyenrich_export" / "contract" / "openapi.json"


def rendered() -> str:
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    return json.dumps(spec, indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    parser.add_argument("--target", type=Path, default=TARGET, help="where the copy lives")
    args = parser.parse_args(argv)
    target: Path = args.target
    fresh = rendered()
    if args.check:
        current = target.read_text(encoding="utf-8") if target.is_file() else None
        if current != fresh:
            print(
                f"{target.name} is out of date with openapi.yaml: run `make generate` "
                "and commit the result; never edit it by hand.",
                file=sys.stderr,
            )
            return 1
        print(f"{target.name}: up to date with openapi.yaml")
        return 0
    target.write_text(fresh, encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
