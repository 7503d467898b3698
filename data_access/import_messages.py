"""The lines an import prints, Vietnamese first (English with ``--lang en``).

A failed import lists each rejected row with its file, line, column and reason, then the reasons
with their counts, then hints when the cause is plain (dates written dd/mm/yyyy, invisible
characters in codes, letters lost to an ANSI save, a move that needs ``--allow-moves``).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from data_access.import_problems import where
from i18n.catalogue import t

if TYPE_CHECKING:
    from data_access.importer import ImportResult
    from data_access.validate import Rejection

_NOUNS = ("units", "agencies", "procedures", "dossiers", "feedback", "targets", "portal_scores")
_DDMM = re.compile(r"\d{1,2}/\d{1,2}/\d{2,4}")
_QUOTED = re.compile(r"'[^']*'")


def _number(n: int, lang: str) -> str:
    """1.234 in Vietnamese, 1,234 in English."""
    text = f"{n:,}"
    return text.replace(",", ".") if lang == "vi" else text


def _noun(table: str, n: int, lang: str) -> str:
    one, many = t(f"imp_noun_{table}", lang).split("|")
    return f"{_number(n, lang)} {one if n == 1 else many}"


def _reason_label(r: Rejection, lang: str) -> str:
    """The reason without the row's own values (each quoted value as '…'), to count alike rows."""
    return _QUOTED.sub("…", r.text(lang))


def _summary(rejections: list[Rejection], lang: str) -> list[str]:
    counts = Counter((r.file, r.column or "—", _reason_label(r, lang)) for r in rejections)
    lines = [t("imp_summary", lang)]
    for (file, column, reason), n in counts.most_common():
        lines.append(t("imp_summary_line", lang, n=_number(n, lang), file=file, column=column, reason=reason))
    return lines


def _hints(rejections: list[Rejection], lang: str) -> list[str]:
    ddmm = [r.value for r in rejections if _DDMM.search(r.value or "")]
    kinds = Counter(r.kind for r in rejections)
    hints = []
    if ddmm:
        hints.append(t("imp_hint_ddmm", lang, n=len(ddmm), example=ddmm[0]))
    if kinds["imp_invisible"]:
        hints.append(t("imp_hint_invisible", lang, n=kinds["imp_invisible"]))
    if kinds["imp_ansi"]:
        hints.append(t("imp_hint_ansi", lang, n=kinds["imp_ansi"]))
    if kinds["imp_agency_move"] or kinds["imp_level_change"]:
        hints.append(t("imp_hint_moves", lang))
    return [t("imp_hints", lang), *hints] if hints else []


def _skipped(skipped: dict[str, int], lang: str) -> list[str]:
    if not skipped:
        return []
    detail = ", ".join(
        t(f"imp_skipped_{code}", lang, n=_number(n, lang)) for code, n in sorted(skipped.items())
    )
    return [t("imp_skipped", lang, n=_number(sum(skipped.values()), lang), detail=detail)]


def outcome_lines(result: ImportResult, lang: str, max_listed: int) -> list[str]:
    """Every line of ``result`` for the command line."""
    if result.fatal:
        text = result.fatal if lang == "en" or not result.fatal_vi else result.fatal_vi
        return [t("imp_error", lang, text=text), t("imp_nothing", lang)]
    if result.rejections:
        shown = result.rejections[:max_listed]
        lines = [f"{where(r.file, r.line, r.column, lang)}: {r.text(lang)}" for r in shown]
        if len(result.rejections) > max_listed:
            lines.append(t("imp_more", lang, n=_number(len(result.rejections) - max_listed, lang)))
        n = result.rejected
        closing = t("imp_rejected", lang, n=_number(n, lang), rows="row" if n == 1 else "rows")
        return [*lines, *_summary(result.rejections, lang), *_hints(result.rejections, lang), closing]
    parts = ", ".join(_noun(table, n, lang) for table, n in result.loaded.items() if table in _NOUNS)
    lines = [t("imp_loaded", lang, parts=parts), *_skipped(result.skipped, lang)]
    if "dossiers" in result.loaded:
        counts = {k: _number(getattr(result, k), lang) for k in ("new", "changed", "unchanged")}
        lines.insert(1, t("imp_dossier_counts", lang, **counts))
    if result.moved_agencies:
        moves = ", ".join(f"{m.agency_code} {m.old_unit} → {m.new_unit}" for m in result.moved_agencies)
        lines.append(t("imp_moved", lang, moves=moves, n=_number(result.reattributed, lang)))
    return lines
