"""``python cli.py briefing``: the morning briefing as an A4 PDF, and with ``--mail`` sent to the
configured recipients (docs/reports.md; a systemd timer or cron runs it at 07:00).

The PDF is written first, so a failed send loses nothing: the send's reason is printed and the
command exits 1. Bad input or an unreadable database: one line, exit 2; no traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

import settings
from timebase.period import configured_now


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``briefing`` sub-command's options."""
    parser.add_argument(
        "--period", default="month", choices=("yesterday", "week", "month"),
        help="yesterday, the 7 days to yesterday, or this month to yesterday (default)",
    )  # fmt: skip
    parser.add_argument("--out", default=".", help="folder to write the PDF into (created if missing)")
    parser.add_argument(
        "--mail", action="store_true", help="also send it (IOC_SMTP_* and IOC_MAIL_* settings)"
    )
    parser.add_argument("--database", default=None, help="SQLAlchemy URL (default: the configured one)")
    parser.add_argument("--lang", default="vi", choices=("vi", "en"))


def _mail(briefing: object, pdf: bytes, path: Path, lang: str) -> int:
    from exports.briefing import Briefing, headline_rate
    from exports.briefing_pdf import period_words
    from exports.mail import MailError, configured, message, send
    from i18n.catalogue import t
    from i18n.format import fmt_date, fmt_datetime, fmt_pct

    assert isinstance(briefing, Briefing)
    conf = configured()
    if not conf.complete:
        print(f"error: {t('brief_mail_unset', lang)}", file=sys.stderr)
        return 2
    date, rate = fmt_date(briefing.made_on), fmt_pct(headline_rate(briefing), lang=lang)
    words = {"date": date, "rate": rate, "province": briefing.province_name}
    subject = t("brief_mail_subject", lang, **words)
    body = t(
        "brief_mail_body", lang, **words, period=period_words(briefing),
        until=fmt_datetime(briefing.data_until), sample=(briefing.sample_line or "") + "\n",
    )  # fmt: skip
    try:
        send(conf, message(conf, subject, body, pdf, path.name))
    except MailError as exc:
        print(f"error: {t('brief_mail_failed', lang, reason=exc)} ({path} was written)", file=sys.stderr)
        return 1
    print(t("brief_mail_sent", lang, n=len(conf.recipients)))
    return 0


def run_briefing(args: argparse.Namespace) -> int:
    """Write the PDF (and send it); 0 on success, 1 when the mail failed, 2 on bad input."""
    from data_access.queries import make_engine
    from exports.briefing import build_briefing
    from exports.briefing_pdf import to_briefing_pdf

    try:
        engine = make_engine(args.database or settings.database_url())
        try:
            limits = {
                "min_cell": int(settings.get("IOC_MIN_CELL")),
                "min_dossiers": int(settings.get("IOC_MIN_DOSSIERS")),
            }
            briefing = build_briefing(engine, args.period, configured_now(), args.lang, **limits)
        finally:
            engine.dispose()
    except (FileNotFoundError, SQLAlchemyError) as exc:
        reason = str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__
        print(f"error: cannot read the database: {reason}", file=sys.stderr)
        return 2
    pdf = to_briefing_pdf(briefing)
    path = Path(args.out) / f"{briefing.file_stem}.pdf"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pdf)
    except OSError as exc:
        print(f"error: cannot write to {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(path)
    return _mail(briefing, pdf, path, args.lang) if args.mail else 0
