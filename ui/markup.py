"""Text from the URL or the data, made safe to show in an element that interprets Markdown.

``st.markdown``, ``st.title``, ``st.subheader``, ``st.caption``, ``st.warning``/``info``/``error``/
``success``, ``st.metric`` labels and every ``help=`` tooltip render Markdown (links, images,
LaTeX, ``:red[…]`` directives) — so a unit named ``[Đăng nhập lại](http://evil.example)`` would be
a link on the wall, and ``![x](http://host/track.png)`` an image the browser fetches. Every string
a screen interpolates from a URL parameter, a database row or an exception goes through
:func:`md` (or :func:`tmd`, the catalogue with its values escaped) on its way to such an element;
raw HTML (``unsafe_allow_html``) takes :func:`html_text`. ``st.text``, dataframes, selectbox
options and chart tooltips show plain text and need neither.
"""

from __future__ import annotations

import html
import re
import unicodedata

from i18n.catalogue import t

#: Every ASCII punctuation mark CommonMark, GFM (autolinks: ``:``, ``.``, ``@``), Streamlit's
#: directives (``:red[…]``), LaTeX (``$``) and tables (``|``) give a meaning to; CommonMark reads
#: a backslash before any ASCII punctuation as that character, literally.
_MD_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|~:$@])")
#: Markup characters as HTML entities: Markdown decodes them back to the character, and no
#: ``<img``, ``<script`` or ``&`` entity trick survives into an element that allows HTML.
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def printable(value: object) -> str:
    """``value`` as one line: control, format (bidi overrides, zero-width) and unassigned
    characters shown as ``\\uXXXX``, line breaks as spaces; letters of any script kept."""
    out = []
    for char in str(value):
        if char in "\r\n\t":
            out.append(" ")
        elif unicodedata.category(char)[0] == "C":
            out.append(f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}")
        else:
            out.append(char)
    return "".join(out)


def md(value: object) -> str:
    """``value`` as literal text inside Markdown: shown exactly, never a link, image or format."""
    text = printable(value)
    text = "".join(_ENTITIES.get(char, char) for char in text)
    # The entities' own '&' and ';' are left alone: escape the text around them only.
    parts = re.split(r"(&amp;|&lt;|&gt;)", text)
    return "".join(p if p in _ENTITIES.values() else _MD_PUNCTUATION.sub(r"\\\1", p) for p in parts)


def html_text(value: object) -> str:
    """``value`` as literal text inside raw HTML (an element or an attribute)."""
    return html.escape(printable(value), quote=True)


def tmd(key: str, lang: str = "vi", **values: object) -> str:
    """The catalogue text for ``key`` with every value escaped by :func:`md` (the template's own
    Markdown, such as ``**bold**``, still applies)."""
    return t(key, lang, **{name: md(value) for name, value in values.items()})
