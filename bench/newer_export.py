"""``python -m bench.newer_export SOURCE DEST [--changed 10000] [--new 1200]``: a newer export of
the same dossiers, for timing a re-import (issue "Real data in", item 5).

Copies the folder SOURCE (an exchange-format export, e.g. from ``bench.province``) to DEST, with
``digitized`` flipped on ``--changed`` random dossiers and ``--new`` copies of random dossiers
under new codes appended: re-imported over SOURCE, it must count exactly that many changed and
new dossiers and the rest unchanged. Every other file and value is copied byte for byte.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd


def newer_export(
    source: Path, dest: Path, changed: int = 10_000, new: int = 1_200, seed: int = 11
) -> dict[str, int]:
    """Write the newer export to ``dest``; returns the counts a re-import should print."""
    dest.mkdir(parents=True, exist_ok=True)
    for path in source.iterdir():
        if path.is_file() and path.name != "dossiers.csv":
            shutil.copyfile(path, dest / path.name)
    frame = pd.read_csv(source / "dossiers.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    rng = np.random.default_rng(seed)
    flipped = rng.choice(len(frame), size=changed, replace=False)
    column = frame.columns.get_loc("digitized")
    was = frame.iloc[flipped, column]
    frame.iloc[flipped, column] = np.where(was == "1", "0", "1")
    copies = frame.iloc[rng.choice(len(frame), size=new, replace=False)].copy()
    copies["dossier_code"] = [f"NEW-{i:07d}" for i in range(new)]
    out = pd.concat([frame, copies], ignore_index=True)
    out.to_csv(dest / "dossiers.csv", index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    return {"dossiers": len(out), "new": new, "changed": changed, "unchanged": len(frame) - changed}


def main(argv: list[str] | None = None) -> int:
    """Command line: write the folder, print the expected counts as JSON."""
    parser = argparse.ArgumentParser(prog="python -m bench.newer_export", description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("dest", type=Path)
    parser.add_argument("--changed", type=int, default=10_000)
    parser.add_argument("--new", type=int, default=1_200)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    print(json.dumps(newer_export(args.source, args.dest, args.changed, args.new, args.seed)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
