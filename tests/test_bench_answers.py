"""bench.answers cannot say "equal" of answers that differ: canonicalisation and compare on tiny bundles."""

from __future__ import annotations

import pickle
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pandas as pd

from bench.answers import canonical, compare, difference

ROOT = Path(__file__).resolve().parent.parent


def _old_answer() -> tuple[pd.DataFrame, bool]:
    # What an old version returned: int counters, rows in code order, a Decimal from a driver.
    frame = pd.DataFrame(
        {"unit_code": ["070", "071", "072"], "received": [5, 3, 0], "days": [Decimal("2.5"), None, 1]}
    )
    return frame, False


def _new_answer(received_071: float = 3.0) -> tuple[pd.DataFrame, bool]:
    # The same figures another way: float counters, other column and row order, a fresh index.
    frame = pd.DataFrame(
        {"days": [1.0, 2.5, None], "received": [0.0, 5.0, received_071], "unit_code": ["072", "070", "071"]},
        index=[7, 8, 9],
    )
    return frame, False


def _bundle(path: Path, answers: dict[str, object]) -> Path:
    canon = {name: canonical(value) for name, value in answers.items()}
    path.write_bytes(pickle.dumps({"meta": {"commit": path.stem}, "answers": canon}))
    return path


def test_canonical_frames_ignore_order_and_dtype_but_keep_codes_as_text() -> None:
    old, new = canonical(_old_answer()), canonical(_new_answer())
    assert difference(old, new) is None
    frame = old[0]
    assert list(frame.columns) == ["days", "received", "unit_code"]
    assert frame["unit_code"].tolist() == ["070", "071", "072"]  # "070" is not the number 70
    assert frame["received"].dtype == "float64" and frame["days"].dtype == "float64"


def test_a_changed_cell_is_different_and_named(tmp_path: Path) -> None:
    a = _bundle(tmp_path / "a.pkl", {"q|x": _old_answer(), "n": 4, "only_a": 1})
    b = _bundle(tmp_path / "b.pkl", {"q|x": _new_answer(received_071=4.0), "n": 4, "only_b": 1})
    lines: list[str] = []
    counts = compare(a, b, lines.append)
    # q|x differs (received of 071: 3 vs 4); n is equal; one answer on each side only.
    assert counts == {"equal": 1, "different": 1, "only in A": 1, "only in B": 1}
    line = next(s for s in lines if s.startswith("different"))
    assert "q|x" in line and "'unit_code': '071'" in line and "'received'" in line and "3.0 vs 4.0" in line


def test_equal_bundles_and_the_command_exit_code(tmp_path: Path) -> None:
    a = _bundle(tmp_path / "a.pkl", {"q|x": _old_answer(), "meta": {"b": 1, "a": "x"}})
    b = _bundle(tmp_path / "b.pkl", {"q|x": _new_answer(), "meta": {"a": "x", "b": 1.0}})
    c = _bundle(tmp_path / "c.pkl", {"q|x": _new_answer(), "meta": {"a": "y", "b": 1.0}})
    run = [sys.executable, "-m", "bench.answers", "compare"]
    same = subprocess.run([*run, str(a), str(b)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert same.returncode == 0 and "2 equal, 0 different" in same.stdout
    other = subprocess.run([*run, str(a), str(c)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert other.returncode == 1 and "different  meta[a]: 'x' vs 'y'" in other.stdout


def test_column_and_row_count_changes_are_differences() -> None:
    old = canonical(_old_answer()[0])
    assert "only in B ['extra']" in difference(old, canonical(_old_answer()[0].assign(extra=1)))
    assert "3 rows vs 2" in difference(old, canonical(_old_answer()[0].head(2)))
    assert difference(1.0, 1.0 + 1e-12) is None and difference(1.0, 1.001) is not None
