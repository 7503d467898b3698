"""Command line of the IOC dashboard: sample, import, report.

    python cli.py sample [--database URL] [--seed N] [--scale X] [--profile three_tier|two_tier]
    python cli.py import DIR --database URL [--lang vi|en] [--allow-moves] [--quiet]
    python cli.py report --database URL --level district --start 2026-10-01 --end 2026-10-31
                         [--as-of 2026-10-31T23:59:59] [--format json|csv]
    python cli.py simulate [--database URL] [--minutes 10] [--interval 5] [--seed 2026] [--rate 1]
    python cli.py check [--database URL]
    python cli.py export --chart ranking --level district --period 2026-10 --format pdf --out DIR
                         [--metric NAME] [--unit CODE] [--database URL] [--lang vi|en]
    python cli.py refresh [--database URL] [--rebuild] [--recompute-months N]
    python cli.py form 06 --period 2026-Q3 [--by unit|field] [--level district] --format xlsx|pdf --out DIR
    python cli.py briefing [--period yesterday|week|month] --out DIR [--mail]
    python cli.py due-soon [--database URL] [--as-of T] [--days N] [--level L] [--unit CODE]
                           [--limit N] [--format json|csv]
    python cli.py watch [--database URL] [--rules FILE] [--interval 300] [--once] [--status]

Every command prints a clear message and exits non-zero on bad input; none prints a traceback
for a problem the user can fix. One handler (:func:`main`) catches what a command did not: it
prints the error's first line with any password hidden and exits 2.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable, Sequence
from typing import TextIO

import settings

#: ``scheme://user:password@`` in any text, also when the password holds an unescaped ``@ : /``
#: (the URL cannot be parsed then): everything up to the last ``@`` of the word is the password.
_URL_PASSWORD = re.compile(r"(?P<head>\b[A-Za-z][\w+.-]*://[^:/@\s'\"]*:)[^\s'\"]*@")
#: Passwords shorter than this are only hidden inside URLs (hiding "x" everywhere garbles text).
_MIN_LITERAL = 4


def hide_passwords(text: str, urls: Sequence[str | None] = ()) -> str:
    """``text`` with the password of every URL in it, and of ``urls`` wherever it appears,
    replaced by ``***``.
    """
    from urllib.parse import quote

    from sqlalchemy.engine import make_url

    for url in urls:
        try:
            password = make_url(url).password if url else None
        except Exception:  # unparsable: the pattern below still hides it inside the URL
            password = None
        if password and len(password) >= _MIN_LITERAL:
            for form in {password, quote(password, safe="")}:
                text = text.replace(form, "***")
    return _URL_PASSWORD.sub(lambda m: f"{m['head']}***@", text)


def _database_urls(args: argparse.Namespace) -> list[str]:
    """The URLs a command may read: the one given and the configured one."""
    return [u for u in (getattr(args, "database", None), str(settings.get("IOC_DATABASE_URL"))) if u]


def _unreadable_url(args: argparse.Namespace) -> str | None:
    """Why the command's database URL cannot be parsed, or None when it can."""
    from sqlalchemy.engine import make_url

    if not hasattr(args, "database"):
        return None
    url = args.database or settings.database_url()
    try:
        make_url(url)
    except Exception as exc:
        return (
            f"the database URL {url} cannot be read ({_first_line(exc)}); write @ : / in the user "
            "name or password as %40 %3A %2F"
        )
    return None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _cmd_sample(args: argparse.Namespace) -> int:
    from sample_data.generate import build_sample

    url = args.database or settings.database_url()
    summary = build_sample(
        url,
        seed=args.seed,
        scale=args.scale,
        profile=args.profile,
        progress=lambda done, msg: print(f"[{done:5.0%}] {msg}", file=sys.stderr),
    )
    print(summary)
    return 0


class ProgressBar:
    """``rows written / total, rate, ETA`` on one line of ``stream``, redrawn in place (a carriage return) at
    most every ``every`` seconds; silent when the stream is not a terminal (a log file, a pipe,
    cron) or with ``quiet``.
    """

    def __init__(self, stream: TextIO, *, quiet: bool = False, every: float = 0.2, width: int = 24) -> None:
        """A bar drawn on ``stream``."""
        self.stream, self.every, self.width = stream, every, width
        self.active = not quiet and stream.isatty()
        self.started = self.drawn = time.monotonic()
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        """Show ``done`` of ``total`` (the last call, done == total, is always drawn)."""
        now = time.monotonic()
        if done == 0:  # the writing starts (the reading and checking before it is not the rate)
            self.started = now
        if not self.active or (now - self.drawn < self.every and done < total):
            return
        self.drawn, elapsed = now, max(now - self.started, 1e-9)
        rate = done / elapsed
        eta = (total - done) / rate if rate > 0 else 0.0
        filled = int(self.width * done / total) if total else self.width
        bar = "█" * filled + "·" * (self.width - filled)
        line = f"\r{bar} {done:,}/{total:,} dossiers  {rate:,.0f}/s  ETA {eta:4.0f} s "
        self.stream.write(line)
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        """End the bar's line (if one was drawn), so the next output starts on a new line."""
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()


def _cmd_import(args: argparse.Namespace) -> int:
    from data_access.queries import import_folder

    bar = ProgressBar(sys.stderr, quiet=args.quiet)
    try:
        result = import_folder(args.dir, args.database, allow_moves=args.allow_moves, progress=bar)
    finally:
        bar.close()
    failed = bool(result.rejected or result.fatal)
    for line in result.messages(args.lang):
        print(line, file=sys.stderr if failed else sys.stdout)
    return 1 if failed else 0


def _cmd_report(args: argparse.Namespace) -> int:
    from report import ReportError, run_report

    try:
        print(run_report(args.database, args.level, args.start, args.end, args.as_of, args.format))
    except ReportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from exports.command import run_export

    return run_export(args)


def _cmd_form(args: argparse.Namespace) -> int:
    from exports.form_command import run_form

    return run_form(args)


def _cmd_briefing(args: argparse.Namespace) -> int:
    from exports.briefing_command import run_briefing

    return run_briefing(args)


def _cmd_check(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from data_access.queries import EXCLUDING, make_engine, quality_counts, table_total
    from i18n.catalogue import t
    from timebase.period import local_now

    try:
        engine = make_engine(args.database or settings.database_url())
        counts, total = quality_counts(engine, local_now()), table_total(engine)
    except (SQLAlchemyError, FileNotFoundError) as exc:
        print(
            f"error: cannot read the database: {hide_passwords(_first_line(exc), _database_urls(args))}",
            file=sys.stderr,
        )
        return 2
    for row in counts.itertuples():
        kind = "excluded" if row.reason in EXCLUDING else "noted"
        print(f"{row.reason}\t{row.unit_code}\t{row.rows}\t{kind}\t{t('reason_' + row.reason, 'en')}")
    failed = int(counts["rows"].sum()) if len(counts) else 0
    print(f"checked {total} dossiers: {failed} problem(s)" + ("" if failed else ", all checks pass"))
    return 1 if failed else 0


def _cmd_simulate(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from sample_data.simulate import CannotSimulate, simulate

    try:
        url = args.database or settings.database_url()
        totals = simulate(url, args.minutes, args.interval, args.seed, args.rate, args.force)
    except (CannotSimulate, SQLAlchemyError) as exc:
        print(f"error: {hide_passwords(_first_line(exc), _database_urls(args))}", file=sys.stderr)
        return 2
    print(totals)
    return 0


def _cmd_refresh(args: argparse.Namespace) -> int:
    from data_access.queries import (
        SUMMARY_TABLES,
        create_indexes,
        gather_statistics,
        make_engine,
        rebuild_summaries,
        recompute_summary_months,
        refresh_summaries,
        vacuum_summaries,
    )
    from timebase.period import last_months, local_now

    url = args.database or settings.database_url()
    started = time.perf_counter()
    try:
        engine = make_engine(url, read_only=False)
        with engine.begin() as conn:
            create_indexes(conn)  # indexes added by a newer version (e.g. ix_dossiers_open_now)
            if args.rebuild:
                done = f"rebuilt from {rebuild_summaries(conn):,} dossiers"
            else:
                done = refresh_summaries(conn)
            if args.recompute_months > 0:
                recent = last_months(local_now(), args.recompute_months)
                months = [p.start.year * 100 + p.start.month for p in recent]
                read = recompute_summary_months(conn, months)
                done += f"; recomputed {len(months)} months from {read:,} dossiers"
        if done.startswith("rebuilt"):
            vacuum_summaries(engine)
        gather_statistics(engine, SUMMARY_TABLES)  # fast from the first query (lesson 11)
        engine.dispose()
    except Exception as exc:  # a clear line, never a traceback (bad URL, unreachable server…)
        reason = hide_passwords(_first_line(exc), _database_urls(args))
        print(f"error: cannot refresh the summaries: {reason}", file=sys.stderr)
        return 2
    print(f"summaries: {done} in {time.perf_counter() - started:.2f} s")
    return 0


def _cmd_due_soon(args: argparse.Namespace) -> int:
    """Open dossiers due soon by unit, agency and procedure (docs/command-line.md "due-soon")."""
    import datetime as dt
    import io
    import json

    from data_access.queries import (
        DueSoonTimes,
        due_soon_dossiers,
        due_soon_total,
        levels_present,
        make_engine,
    )
    from exports.cells import neutral_frame
    from metrics.due_soon import due_soon_window
    from timebase.period import local_now

    try:
        frozen = args.as_of or str(settings.get("IOC_NOW"))
        as_of = dt.datetime.fromisoformat(frozen) if frozen else local_now()
    except ValueError:
        print(
            f"error: --as-of must be an ISO time like 2026-11-20T10:00, not {args.as_of[:40]!r}",
            file=sys.stderr,
        )
        return 2
    days = args.days if args.days is not None else int(settings.get("IOC_DUE_SOON_DAYS"))
    engine = make_engine(args.database or settings.database_url())
    levels = [*levels_present(engine), "agency"]
    if args.level not in levels:
        print(f"error: --level must be one of {', '.join(levels)}, not {args.level[:40]!r}", file=sys.stderr)
        return 2
    window = due_soon_window(as_of, days)
    times = DueSoonTimes(as_of, window.until, window.apology_from, window.apology_before)
    frame, cut = due_soon_dossiers(engine, times, args.level, args.unit, args.limit)
    total, apology = due_soon_total(engine, times, args.level, args.unit)
    engine.dispose()
    frame = frame.rename(columns={"due_soon": "count"})
    frame["earliest_due_at"] = frame["earliest_due_at"].map(lambda v: v.isoformat(timespec="minutes"))
    if cut:
        print(f"note: only the first {args.limit} groups are listed (--limit)", file=sys.stderr)
    if args.format == "csv":
        buf = io.StringIO()
        neutral_frame(frame).to_csv(buf, index=False)  # no cell starts a formula
        print(buf.getvalue(), end="")
        return 0
    head = {
        "as_of": as_of.isoformat(timespec="minutes"),
        "days": window.days,
        "last_day": window.last_day.isoformat(),
        "apology_day": window.apology_day.isoformat(),
        "level": args.level,
        "total": total,
        "apology_last_day": apology,
        "cut": cut,
    }
    print(json.dumps({**head, "rows": frame.to_dict(orient="records")}, ensure_ascii=False, indent=2))
    return 0


def _days_argument(text: str) -> int:
    """``--days``: a whole number of working days, 1–10 (the setting's bounds)."""
    setting = settings.SETTINGS["IOC_DUE_SOON_DAYS"]
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not (setting.low or 1) <= value <= (setting.high or value):
        raise argparse.ArgumentTypeError(f"must be {setting.low}–{setting.high}, not {value}")
    return value


def _add_due_soon(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("due-soon", help="open dossiers due soon, by unit, agency and procedure (counts only)")
    p.add_argument("--database", default=None, help="SQLAlchemy URL (default: configured one)")
    p.add_argument(
        "--as-of", dest="as_of", default=None, help="ISO time judged at (default: now, or IOC_NOW)"
    )
    p.add_argument(
        "--days", type=_days_argument, default=None,
        help="working days counted from today, today first when it is one (default IOC_DUE_SOON_DAYS)",
    )  # fmt: skip
    p.add_argument("--level", default="province", help="province, district, commune, … or agency")
    p.add_argument("--unit", default=None, help="only this unit (with everything below it) or agency")
    p.add_argument("--limit", type=int, default=500, help="at most this many rows (said when cut)")
    p.add_argument("--format", choices=["json", "csv"], default="json")
    p.set_defaults(func=_cmd_due_soon)


def _cmd_watch(args: argparse.Namespace) -> int:
    """Alerts: evaluate the rules once or every ``--interval`` seconds, or list what is pending."""
    from alerts.watch import run_once, watch_forever
    from data_access.queries import active_alerts, ensure_alert_tables, make_engine, pending_alerts
    from metrics.alerts import AlertRuleError, read_rules
    from timebase.period import configured_now

    engine = make_engine(args.database or settings.database_url(), read_only=False)
    if args.status:
        ensure_alert_tables(engine)
        for row in active_alerts(engine).itertuples():
            print(f"active\t{row.rule}\t{row.unit_code}\tsince {row.since:%Y-%m-%dT%H:%M}")
        waiting = pending_alerts(engine)
        for row in waiting.itertuples():
            error = row.error or ""
            print(
                f"pending\t{row.id}\t{row.rule}\t{row.unit_code}\t{row.kind}\t{row.channel}\t"
                f"attempts {row.attempts}\tnext {row.next_try_at:%Y-%m-%dT%H:%M}\t{error}"
            )
        print(f"{len(waiting)} message(s) pending")
        return 0
    path = args.rules or str(settings.get("IOC_ALERT_RULES"))
    if not path:
        print("error: no alert rules: give --rules FILE or set IOC_ALERT_RULES", file=sys.stderr)
        return 2
    try:
        rules = read_rules(path)
    except AlertRuleError as exc:
        print(f"error: alert rules {path}: {exc}", file=sys.stderr)
        return 2

    clock = configured_now

    if args.once:
        done = run_once(engine, rules, clock())
        print(f"started {done.started}, ended {done.ended}, sent {done.sent}, failed {done.failed}")
        return 0
    urls = _database_urls(args)
    watch_forever(
        engine, rules, args.interval, clock, lambda line: print(hide_passwords(line, urls), flush=True)
    )
    return 0


def _add_watch(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("watch", help="alerts: evaluate the rules, e-mail and post what starts and ends")
    p.add_argument("--database", default=None, help="SQLAlchemy URL (default: configured one)")
    p.add_argument("--rules", default=None, help="rules CSV (default IOC_ALERT_RULES)")
    p.add_argument("--interval", type=float, default=300.0, help="seconds between two evaluations")
    p.add_argument("--once", action="store_true", help="evaluate and deliver once, then exit (for a timer)")
    p.add_argument(
        "--status", action="store_true", help="list the active alerts and the undelivered messages"
    )
    p.set_defaults(func=_cmd_watch)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with one sub-command per task."""
    parser = argparse.ArgumentParser(prog="cli.py", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("sample", help="build the sample province database")
    p.add_argument("--database", help="target URL (default: the embedded sample file)")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--scale", type=float, default=1.0, help="dossier volume multiplier (1 ≈ 300k)")
    p.add_argument("--profile", choices=["three_tier", "two_tier"], default="three_tier")
    p.set_defaults(func=_cmd_sample)

    p = sub.add_parser("import", help="load an exchange-format folder into a database")
    p.add_argument("dir", help="folder with units.csv, agencies.csv, procedures.csv, dossiers.csv")
    p.add_argument("--database", required=True, help="target SQLAlchemy URL")
    p.add_argument("--lang", choices=["vi", "en"], default="vi", help="language of the messages")
    p.add_argument(
        "--allow-moves", dest="allow_moves", action="store_true",
        help="accept a unit's level change under children and an agency with dossiers moving unit",
    )  # fmt: skip
    p.add_argument("--quiet", action="store_true", help="no progress bar (none is drawn off a terminal)")
    p.set_defaults(func=_cmd_import)

    p = sub.add_parser("report", help="print the metrics of every unit of a level")
    p.add_argument("--database", default=None, help="SQLAlchemy URL (default: configured one)")
    p.add_argument("--level", default="district", help="district, commune, … or agency")
    p.add_argument("--start", required=True, help="first day, YYYY-MM-DD")
    p.add_argument("--end", required=True, help="last day, YYYY-MM-DD (inclusive)")
    p.add_argument("--as-of", dest="as_of", default=None, help="ISO time the figures are taken at")
    p.add_argument("--format", choices=["json", "csv"], default="json")
    p.set_defaults(func=_cmd_report)

    p = sub.add_parser("simulate", help="feed the sample database with live dossiers (wall demo)")
    p.add_argument("--database", default=None, help="SQLAlchemy URL (default: configured one)")
    p.add_argument("--minutes", type=float, default=10.0, help="stop after this long (Ctrl-C stops too)")
    p.add_argument("--interval", type=float, default=5.0, help="seconds between two ticks")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--rate", type=float, default=1.0, help="activity multiplier (1 ≈ 3 new dossiers a tick)")
    p.add_argument("--force", action="store_true", help="write even if the database is not sample data")
    p.set_defaults(func=_cmd_simulate)

    p = sub.add_parser("check", help="data-quality report; exits 1 when any check fails")
    p.add_argument("--database", default=None, help="SQLAlchemy URL (default: configured one)")
    p.set_defaults(func=_cmd_check)

    p = sub.add_parser("export", help="write a press chart (PNG, SVG, PDF) and its data (CSV, XLSX)")
    from exports.options import add_arguments

    add_arguments(p)
    p.set_defaults(func=_cmd_export)

    p = sub.add_parser("form", help="write an official report form (06: Biểu 06/VPCP/KSTT) as XLSX or PDF")
    from exports.form_command import add_arguments as add_form_arguments

    add_form_arguments(p)
    p.set_defaults(func=_cmd_form)

    p = sub.add_parser("briefing", help="write the morning briefing (A4 PDF) and, with --mail, send it")
    from exports.briefing_command import add_arguments as add_briefing_arguments

    add_briefing_arguments(p)
    p.set_defaults(func=_cmd_briefing)

    p = sub.add_parser("refresh", help="bring the summary tables up to date (absorb the change log)")
    p.add_argument("--database", default=None, help="SQLAlchemy URL (default: configured one)")
    p.add_argument("--rebuild", action="store_true", help="recompute every summary from the dossiers")
    p.add_argument(
        "--recompute-months", dest="recompute_months", type=int, default=0,
        help="also recompute the last N months from the dossiers (nightly safety net)",
    )  # fmt: skip
    p.set_defaults(func=_cmd_refresh)

    _add_due_soon(sub)
    _add_watch(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code. A bad database URL, or any error a command
    did not handle, is one line on standard error with passwords hidden, and exit status 2.
    """
    args = build_parser().parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    urls = _database_urls(args)
    for problem in settings.problems():
        print(f"warning: {problem.message()}", file=sys.stderr)
    unreadable = _unreadable_url(args)
    if unreadable is not None:
        print(f"error: {hide_passwords(unreadable, urls)}", file=sys.stderr)
        return 2
    try:
        return func(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the shared handler: never a traceback, never a password
        print(f"error: {hide_passwords(_first_line(exc), urls)}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
