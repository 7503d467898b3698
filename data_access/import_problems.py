"""What stops an import before its rows can be judged, in Vietnamese and English.

An :class:`ImportFatal` carries a key of the import catalogue (``i18n/text_import.py``) with its
parameters and, where one is known, the file, line and column it concerns, so the command line
prints it in either language and the tests assert the place without parsing sentences.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from i18n.catalogue import TEXT, t


def where(file: str, line: int, column: str, lang: str) -> str:
    """``file, dòng 5, cột name`` (or ``file, line 5, column name``); parts that are unknown left out."""
    parts = [file] if file else []
    if line:
        parts.append(t("imp_line", lang, line=line))
    if column:
        parts.append(t("imp_column", lang, column=column))
    return ", ".join(parts)


class Both(NamedTuple):
    """A parameter of a fatal problem that is itself text, in both languages."""

    vi: str
    en: str


class ImportFatal(Exception):
    """A problem that stops the import before rows can be judged (nothing is loaded)."""

    def __init__(self, key: str, *, file: str = "", line: int = 0, column: str = "", **params: Any) -> None:
        """``key`` names the catalogue text (or is a plain English sentence); ``params`` fill it;
        file/line/column locate it.
        """
        self.key, self.params = key, params
        self.file, self.line, self.column = file, line, column
        #: The line's text before the problem, for the reader to name the column it falls in.
        self.prefix: str | None = None
        super().__init__(self.text("en"))

    def text(self, lang: str = "vi") -> str:
        """The sentence in ``lang``, led by its place when one is known."""
        params = {k: v.en if lang == "en" else v.vi for k, v in self.params.items() if isinstance(v, Both)}
        params = {"file": self.file, **self.params, **params}
        body = t(self.key, lang, **params) if self.key in TEXT else self.key  # a plain sentence
        place = where(self.file, self.line, self.column, lang) if self.line or self.column else ""
        return f"{place}: {body}" if place else body
