#!/usr/bin/env python3
"""Runs the DfE SSDA903 validator (the `csc-validator-be-903` package,
module `lac_validator`) over one return's folder of CSV files and prints one
JSON object per line for each rule that found errors:

    {"code": "445", "count": 3, "message": "...", "children": ["C000012", ...]}

and, last, {"summary": {...}} with the rules run, skipped and failed.

Usage: dfe_validate.py FOLDER YEAR_ENDS [--prev FOLDER] [--la CODE]

YEAR_ENDS is the year the collection ends (2026 for 2025-26), which is how
the validator reads its `collectionYear`. `--prev` gives last year's return
(the validator's "Prev year" upload), for the rules that compare the two.
`--la` is the council's ONS code (default Wiltshire, E06000054).
Used by tests/dfe_validator.rs; installed by .ci/run into .venv-dfe/.
"""

import argparse
import importlib
import io
import json
import logging
import sys
from contextlib import redirect_stdout
from pathlib import Path


def ruleset_for(year_ends: int) -> str:
    """The validator's rule pack for a collection year: its oldest pack
    (2022-23) for older years, its newest for later ones."""
    packs = sorted(
        p.name
        for p in (Path(importlib.import_module("lac_validator").__file__).parent / "rules").iterdir()
        if p.is_dir() and p.name.startswith("lac")
    )
    wanted = f"lac{year_ends - 1}_{year_ends % 100:02d}"
    if wanted in packs:
        return wanted
    return packs[0] if wanted < packs[0] else packs[-1]


def uploads(folder: Path, description: str):
    files = sorted(folder.glob("*.csv"))
    if not files:
        sys.exit(f"{folder}: no CSV files")
    return [
        {"name": f.name, "file_content": f.read_bytes(), "description": description}
        for f in files
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("year_ends", type=int)
    parser.add_argument("--prev", type=Path)
    parser.add_argument("--la", default="E06000054")
    args = parser.parse_args()

    logging.disable(logging.CRITICAL)
    # The validator prints progress on import and while running: keep stdout
    # for our JSON lines.
    noise = io.StringIO()
    with redirect_stdout(noise):
        from lac_validator import lac_validator

        ruleset = ruleset_for(args.year_ends)
        registry = importlib.import_module(f"lac_validator.rules.{ruleset}").registry
        files = uploads(args.folder, "This year")
        if args.prev:
            files += uploads(args.prev, "Prev year")
        metadata = {"collectionYear": str(args.year_ends), "localAuthority": args.la}
        v = lac_validator.LacValidator(
            metadata=metadata, files=files, registry=registry, selected_rules=None
        )

    for code, rule in sorted(registry.items(), key=lambda kv: str(kv[0])):
        column = f"ERR_{rule.code}"
        children = []
        for table, df in v.ds_results.items():
            if table == "metadata" or column not in df.columns:
                continue
            hits = df[df[column] == True]  # noqa: E712 (pandas)
            children += [str(c) for c in hits["CHILD"].tolist()]
        if children:
            print(
                json.dumps(
                    {
                        "code": str(rule.code),
                        "count": len(children),
                        "message": rule.message,
                        "children": sorted(set(children)),
                    }
                )
            )
    print(
        json.dumps(
            {
                "summary": {
                    "ruleset": ruleset,
                    "rules": len(registry),
                    "done": len(v.dones),
                    "skipped": sorted(map(str, v.skips)),
                    "failed": sorted(map(str, v.fails)),
                }
            }
        )
    )


if __name__ == "__main__":
    main()
