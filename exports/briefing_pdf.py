"""The morning briefing as one A4 (portrait) PDF: the press charts placed as vl-convert drew them
and the small tables drawn as text, through ``exports.pdf_pages`` (offline, font embedded).

Page 1: the title, the date, the period and the data's date, the sample label; the headline
figures against their targets; the five units and agencies pulling the on-time rate down.
Page 2: the 12-month on-time trend; the overdue list. Page 3: the ranking of the level below the
province (scaled to fit one page, 111 communes included).
"""

from __future__ import annotations

from exports.briefing import Briefing
from exports.pdf_pages import A4_LONG, A4_SHORT, Page, to_pdf, wrap
from exports.render import to_svg
from exports.style import HIGHLIGHT, MUTED, SAMPLE
from i18n.catalogue import t
from i18n.format import fmt_date, fmt_datetime, fmt_int, fmt_pct

W, H, MARGIN = A4_SHORT, A4_LONG, 28.0
INNER = W - 2 * MARGIN
SIZE = 7.5


def period_words(b: Briefing) -> str:
    """'ngày 22/11/2026', or 'từ 16/11/2026 đến 22/11/2026'."""
    p = b.period
    if p.start == p.end:
        return t("brief_yesterday", b.lang, date=fmt_date(p.start))
    return t("brief_days", b.lang, start=fmt_date(p.start), end=fmt_date(p.end))


def _page() -> Page:
    return Page(width=W, height=H)


def _heading(page: Page, y: float, text: str) -> float:
    page.text(MARGIN, y, text, 11, bold=True)
    return y + 8


def _table(page: Page, y: float, widths: list[float], head: list[str], rows: list[list[str]]) -> float:
    """A plain table from ``y``: bold heading row, one line a row (text cut to its column,
    numbers right-aligned); returns the y under it.
    """
    xs = [MARGIN + sum(widths[:i]) for i in range(len(widths) + 1)]

    def line(cells: list[str], top: float, bold: bool) -> float:
        for i, cell in enumerate(cells):
            fill = "#eef2f7" if bold else "none"
            page.box(xs[i], top, widths[i], 14, fill)
            right = (i > 0 and cell[:1].isdigit()) or cell.endswith("%")
            x = xs[i + 1] - 3 if right else xs[i] + 3
            text = wrap(cell, widths[i] - 6, SIZE, bold)[0]
            page.text(x, top + 10, text, SIZE, bold=bold, anchor="end" if right else "start")
        return top + 14

    y = line(head, y, True)
    for row in rows:
        y = line(row, y, False)
    return y


def _first(b: Briefing, page: Page) -> None:
    lang = b.lang
    page.text(MARGIN, 46, t("brief_title", lang), 18, bold=True, color=HIGHLIGHT)
    page.text(W - MARGIN, 46, t("brief_made", lang, date=fmt_date(b.made_on)), 10, anchor="end")
    page.text(MARGIN, 64, t("brief_subtitle", lang, province=b.province_name), 11, bold=True)
    facts = f"{t('brief_period', lang, period=period_words(b))} · "
    facts += t("brief_data_until", lang, time=fmt_datetime(b.data_until))
    page.text(MARGIN, 80, facts, 9, color=MUTED)
    y = 92.0
    if b.sample_line:
        page.text(MARGIN, y, b.sample_line, 9, bold=True, color=SAMPLE)
        y += 8
    y += page.embed(to_svg(b.headline).decode("utf-8"), MARGIN, y, INNER, 430) + 12
    y = _heading(page, y + 6, t("brief_pulling", lang))
    if b.pulling.empty:
        page.text(MARGIN, y + 12, t("brief_none_late", lang), SIZE + 1)
        return
    rows = [
        [
            str(r.name),
            str(r.what),
            fmt_int(r.shortfall, lang),
            fmt_pct(r.share, lang=lang),
            fmt_pct(r.rate, lang=lang),
        ]
        for r in b.pulling.itertuples()
    ]
    head = [t(k, lang) for k in ("brief_col_unit", "brief_col_kind", "brief_col_late", "brief_col_share")]
    y = _table(page, y, [215, 110, 70, 70, INNER - 465], [*head, t("brief_col_rate", lang)], rows)
    page.lines(MARGIN, y + 12, wrap(t("brief_pulling_note", lang), INNER, SIZE), SIZE, color=MUTED)


def _second(b: Briefing, page: Page) -> None:
    lang = b.lang
    y = MARGIN + page.embed(to_svg(b.trend).decode("utf-8"), MARGIN, MARGIN, INNER, 400) + 18
    y = _heading(page, y, t("brief_overdue", lang))
    if b.overdue.empty:
        page.text(MARGIN, y + 12, t("brief_overdue_none", lang), SIZE + 1)
        return
    rows = [
        [
            str(r.unit_name),
            str(r.agency_name),
            str(r.procedure_name),
            fmt_int(r.overdue, lang),
            fmt_date(r.oldest_due_at),
        ]
        for r in b.overdue.itertuples()
    ]
    head = [t(f"brief_col_{k}", lang) for k in ("place", "agency", "procedure", "count", "due")]
    y = _table(page, y, [95, 130, INNER - 335, 50, 60], head, rows)
    if b.overdue_cut:
        page.text(MARGIN, y + 12, t("brief_overdue_cut", lang, n=len(b.overdue)), SIZE, color=MUTED)


def pages(b: Briefing) -> list[Page]:
    """The briefing's pages, numbered at the foot."""
    out = [_page(), _page(), _page()]
    _first(b, out[0])
    _second(b, out[1])
    out[2].embed(to_svg(b.ranking).decode("utf-8"), MARGIN, MARGIN, INNER, H - 2 * MARGIN - 10)
    for n, page in enumerate(out, start=1):
        foot = t("brief_page", b.lang, date=fmt_date(b.made_on), page=n, pages=len(out))
        page.text(W / 2, H - 14, foot, 7, anchor="middle", color=MUTED)
    return out


def to_briefing_pdf(b: Briefing) -> bytes:
    """The briefing as one A4 PDF."""
    return to_pdf(pages(b))
