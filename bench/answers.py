"""Every public read answer of one code version, kept to compare with another's (issue 21's proof).

    python -m bench.answers --code DIR --database URL --out FILE [--sample | --import FOLDER]
    python -m bench.answers compare A B

The first form asks the code checked out in ``DIR`` (a worktree of any commit) every public read
the screens, exports and command line make (:mod:`bench.answer_calls`: ``data_access.queries``,
drilldown, trends, desks, wall, quality, due soon, outlook, Biểu 06, the metric tables built on
them and two of ui's cached readers) over four moments × four levels × four periods (the moment's
day, its month, its quarter, everything from 2019 to it). It runs in a child process whose
``sys.path`` starts with ``DIR``, so two versions never mix. ``--sample`` first builds the
embedded sample at ``URL`` with that code's own generator (today fixed at :data:`TODAY`);
``--import`` drops and recreates the PostgreSQL database of ``URL`` and loads ``FOLDER`` with that
code's ``cli.py import``. Each answer is canonicalised (:func:`canonical`: columns sorted, numbers
as float64, text as str, times as naive datetime64, rows sorted) and pickled into one bundle.
``compare`` says equal or different per answer, with the first differing cell, and exits 1 when
any differs or is only on one side.

Shims for signatures that moved between versions (in :mod:`bench.answer_calls`): ``Period`` from
``timebase.period`` or, before issue 21 item 2, ``metrics.period``; a function a version lacks is
left out of its bundle (compare lists it as "only in A/B"); ``ui.ranking_data._level_metrics``
gets the score rules only where it takes them; ``database_meta`` leaves out ``generated_at``,
``sample_version`` and ``last_import_at``, which differ between any two builds. An answer that
raises is kept as its error's text, so the other side must fail alike.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import pickle
import subprocess
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

TODAY = dt.date(2026, 11, 30)


def canonical(value: Any) -> Any:
    """``value`` in a form two versions can be compared in (frames: sorted columns and rows,
    numbers float64, text str, times naive datetime64[ns]; tuples as lists; numpy scalars as Python)."""
    if isinstance(value, pd.DataFrame):
        return _canonical_frame(value)
    if isinstance(value, pd.Series):
        return _canonical_frame(value.to_frame(name=value.name or "value"))
    if isinstance(value, (list, tuple)):
        return [canonical(v) for v in value]
    if isinstance(value, dict):
        return {str(k): canonical(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (np.generic,)):
        return value.item()
    return value


def _canonical_frame(frame: pd.DataFrame) -> pd.DataFrame:
    named = any(n is not None for n in frame.index.names)  # a named index is part of the answer
    frame, out = frame.reset_index(drop=not named), {}
    for name in sorted(frame.columns, key=str):
        col = frame[name]
        if pd.api.types.is_datetime64_any_dtype(col):
            col = pd.to_datetime(col)
            col = col.dt.tz_convert(None) if col.dt.tz is not None else col
            out[str(name)] = col.astype("datetime64[ns]")
        elif pd.api.types.is_bool_dtype(col) or pd.api.types.is_numeric_dtype(col):
            out[str(name)] = pd.to_numeric(col).astype("float64")
        elif col.map(lambda v: v is None or isinstance(v, (int, float, Decimal, np.number))).all():
            out[str(name)] = pd.to_numeric(col).astype("float64")  # Decimals and numbers read as objects
        else:  # text (a code "070" stays text), dates, anything else: as str
            out[str(name)] = col.map(lambda v: None if v is None or v is pd.NA or v != v else str(v))
    result = pd.DataFrame(out, index=range(len(frame)))
    keys = sorted(result.columns, key=lambda c: (_is_number_or_time(result[c]), c))
    return (
        result.sort_values(keys, kind="mergesort", na_position="last").reset_index(drop=True)
        if keys
        else result
    )


def _is_number_or_time(col: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(col) or pd.api.types.is_datetime64_any_dtype(col)


def difference(a: Any, b: Any, where: str = "") -> str | None:
    """None when ``a`` equals ``b`` (numbers within 1e-9 relative), else the first difference."""
    if isinstance(a, pd.DataFrame) and isinstance(b, pd.DataFrame):
        return _frame_difference(a, b, where)
    if type(a) is not type(b) and not (isinstance(a, (int, float)) and isinstance(b, (int, float))):
        return f"{where}: {type(a).__name__} {a!r:.80} vs {type(b).__name__} {b!r:.80}"
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{where}: {len(a)} items vs {len(b)}"
        return next(
            (
                d
                for i, (x, y) in enumerate(zip(a, b, strict=True))
                if (d := difference(x, y, f"{where}[{i}]"))
            ),
            None,
        )
    if isinstance(a, dict):
        if a.keys() != b.keys():
            only_a, only_b = sorted(a.keys() - b.keys()), sorted(b.keys() - a.keys())
            return f"{where}: keys only in A {only_a}, only in B {only_b}"
        return next((d for k in a if (d := difference(a[k], b[k], f"{where}[{k}]"))), None)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return None if np.isclose(a, b, rtol=1e-9, atol=1e-9, equal_nan=True) else f"{where}: {a!r} vs {b!r}"
    return None if a == b else f"{where}: {a!r:.80} vs {b!r:.80}"


def _frame_difference(a: pd.DataFrame, b: pd.DataFrame, where: str) -> str | None:
    if list(a.columns) != list(b.columns):
        only_a, only_b = sorted(set(a.columns) - set(b.columns)), sorted(set(b.columns) - set(a.columns))
        return f"{where}: columns only in A {only_a}, only in B {only_b}"
    if len(a) != len(b):
        return f"{where}: {len(a)} rows vs {len(b)}"
    for c in a.columns:
        x, y = a[c], b[c]
        if x.dtype == "float64" and y.dtype == "float64":
            same = np.isclose(x, y, rtol=1e-9, atol=1e-9, equal_nan=True)
        else:
            same = (x == y).to_numpy() | (x.isna() & y.isna()).to_numpy()
        if not same.all():
            i = int(np.argmin(same))
            keys = {k: a.at[i, k] for k in a.columns if not _is_number_or_time(a[k]) and k != c}
            return f"{where}: row {i} {keys} column {c!r}: {canonical(x.iat[i])!r} vs {canonical(y.iat[i])!r}"
    return None


def compare(path_a: Path, path_b: Path, out: Callable[[str], None] = print) -> dict[str, int]:
    """Print equal/different per answer of two bundles; the counts."""
    a, b = (pickle.loads(Path(p).read_bytes()) for p in (path_a, path_b))
    counts = {"equal": 0, "different": 0, "only in A": 0, "only in B": 0}
    for name in sorted(a["answers"].keys() | b["answers"].keys()):
        if name not in b["answers"] or name not in a["answers"]:
            side = "only in A" if name in a["answers"] else "only in B"
            counts[side] += 1
            out(f"{side:9}  {name}")
            continue
        diff = difference(a["answers"][name], b["answers"][name])
        counts["different" if diff else "equal"] += 1
        out(f"different  {name}{diff}" if diff else f"equal      {name}")
    out(f"A {a['meta']}\nB {b['meta']}\n" + ", ".join(f"{n} {k}" for k, n in counts.items()))
    return counts


def child(code: str, url: str, out: str, sample: bool) -> None:
    """Runs inside the child process (``sys.path`` starts with the checkout)."""
    assert (
        Path(importlib.import_module("data_access").__file__).resolve().is_relative_to(Path(code).resolve())
    )
    if sample:
        from sample_data.generate import build_sample

        print(build_sample(url, today=TODAY), file=sys.stderr)
    from data_access.engine import make_engine

    spec = importlib.util.spec_from_file_location("answer_calls", Path(__file__).with_name("answer_calls.py"))
    calls = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(calls)
    engine, answers, started = make_engine(url), {}, time.perf_counter()
    spent: dict[str, float] = {}
    for name, thunk in calls.calls(engine, url):
        begun = time.perf_counter()
        try:
            answers[name] = canonical(thunk())
        except Exception as exc:  # an error is an answer too: the other side must fail alike
            answers[name] = f"error: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
        family = name.split("|")[0]
        spent[family] = spent.get(family, 0.0) + time.perf_counter() - begun
    commit = subprocess.run(
        ["git", "-C", code, "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    meta = {"code": code, "commit": commit.stdout.strip(), "database": url.split("@")[-1]}
    meta |= {"answers": len(answers), "seconds": round(time.perf_counter() - started, 1)}
    print(sorted(((round(v, 1), k) for k, v in spent.items()), reverse=True), file=sys.stderr)
    Path(out).write_bytes(pickle.dumps({"meta": meta, "answers": answers}))
    print(meta, file=sys.stderr)


def _fresh_import(code: Path, url: str, folder: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = make_url(url).database
    admin = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))  # a name of the caller's
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    cmd = [sys.executable, "cli.py", "import", folder, "--database", url]
    subprocess.run(cmd, cwd=code, check=True, stdout=subprocess.DEVNULL)


def main() -> None:
    """``--code DIR …`` (collect, in a child) or ``compare A B``."""
    if sys.argv[1:2] == ["compare"]:
        counts = compare(Path(sys.argv[2]), Path(sys.argv[3]))
        sys.exit(1 if counts["different"] or counts["only in A"] or counts["only in B"] else 0)
    parser = argparse.ArgumentParser(prog="python -m bench.answers")
    parser.add_argument("--code", required=True, help="a checkout of the version to ask")
    parser.add_argument("--database", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--sample", action="store_true", help="build the embedded sample first")
    parser.add_argument(
        "--import", dest="folder", help="fresh PostgreSQL database, then cli.py import FOLDER"
    )
    args = parser.parse_args()
    code = Path(args.code).resolve()
    if args.folder:
        _fresh_import(code, args.database, str(Path(args.folder).resolve()))
    run = (
        "import importlib.util, sys; "
        "spec = importlib.util.spec_from_file_location('answers_tool', sys.argv[1]); "
        "tool = importlib.util.module_from_spec(spec); spec.loader.exec_module(tool); "
        "tool.child(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5] == '1')"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "IOC_NOW", "IOC_DATABASE_URL")}
    out = str(Path(args.out).resolve())
    argv = [sys.executable, "-c", run, __file__, str(code), args.database, out, "1" if args.sample else "0"]
    sys.exit(subprocess.run(argv, cwd=code, env=env, check=False).returncode)


if __name__ == "__main__":
    main()
