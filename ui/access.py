"""Optional sign-in and who may see which drill-down lists.

Off by default (``IOC_AUTH_REQUIRED=false``): the wall and anyone with the URL see everything.
When on, the ranking and my-unit screens ask for sign-in through Streamlit's ``st.login`` (an
OIDC provider configured in ``.streamlit/secrets.toml`` ``[auth]``). Rankings stay visible to
every signed-in user (they are public within the province); the drill-down lists of a unit
(what pulls it down) are shown only to a user whose email the ``[access]`` table maps to that
unit or to a unit above it::

    [access]
    "chair@binhphuoc.gov.vn" = "692"     # Lộc Ninh district: itself, its communes, their desks
    "director.stnmt@binhphuoc.gov.vn" = "S-TNMT"   # an agency code: that agency only
    "ioc@binhphuoc.gov.vn" = "70"        # the province: every unit

An agency sits below the unit whose desk it is (``agencies.unit_code``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import streamlit as st

import settings
from i18n.catalogue import t
from ui.markup import tmd

_TRUE = ("1", "true", "yes", "on")


@dataclass(frozen=True)
class Viewer:
    """Who is looking: ``restricted`` is False when sign-in is off (everything visible)."""

    email: str | None = None
    unit_code: str | None = None
    restricted: bool = False


def auth_required() -> bool:
    """The IOC_AUTH_REQUIRED setting."""
    return str(settings.get("IOC_AUTH_REQUIRED")).strip().lower() in _TRUE


def unit_mapping() -> dict[str, str]:
    """The ``[access]`` table of the secrets: lower-case email → unit or agency code."""
    try:
        table = st.secrets.get("access", {})
    except Exception:  # no secrets file at all: nobody is mapped
        return {}
    if not isinstance(table, Mapping):
        return {}
    return {str(email).strip().lower(): str(code).strip() for email, code in table.items()}


def _signed_in_email() -> str | None:
    if not st.user.get("is_logged_in", False):
        return None
    return str(st.user.get("email") or "").strip().lower() or None


def lineage(code: str, parents: Mapping[str, str | None]) -> list[str]:
    """``code`` and every unit above it, nearest first (guarded against a cycle in bad data)."""
    chain: list[str] = []
    current: str | None = code
    while current and current not in chain:
        chain.append(current)
        current = parents.get(current)
    return chain


def may_drill(viewer: Viewer, code: str, parents: Mapping[str, str | None]) -> bool:
    """True when ``viewer`` may see the drill-down lists of unit or agency ``code``."""
    if not viewer.restricted:
        return True
    return viewer.unit_code is not None and viewer.unit_code in lineage(code, parents)


def _sign_in_prompt(lang: str) -> None:
    st.info(t("acc_sign_in_needed", lang))
    if st.button(t("acc_sign_in", lang), key="acc_sign_in", type="primary"):
        try:
            st.login()
        except Exception as exc:  # no [auth] section, Authlib missing, provider unreachable
            st.error(tmd("acc_login_failed", lang, reason=str(exc).splitlines()[0][:200]))


def _signed_in_panel(viewer: Viewer, lang: str) -> None:
    unit = viewer.unit_code or t("acc_no_unit", lang)
    st.sidebar.caption(tmd("acc_signed_in_as", lang, email=viewer.email, unit=unit))
    if st.sidebar.button(t("acc_sign_out", lang), key="acc_sign_out"):
        st.logout()


def gate(lang: str) -> Viewer | None:
    """The viewer of this run; None (after showing a sign-in prompt) when sign-in is required and
    nobody is signed in, in which case the page shows nothing else."""
    if not auth_required():
        return Viewer()
    email = _signed_in_email()
    if email is None:
        _sign_in_prompt(lang)
        return None
    viewer = Viewer(email=email, unit_code=unit_mapping().get(email), restricted=True)
    _signed_in_panel(viewer, lang)
    return viewer
