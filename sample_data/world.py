"""The sample province's fixed world: units, agencies, procedures, targets and who handles what.

Reads the reference CSVs (data checked into ``sample_data/reference/``) and builds, for a
profile, the tables to load and the *desk × procedure* combinations a dossier is drawn from:
each procedure is handled at the levels listed in ``procedure_levels.csv``; at the province a
department takes it by field; at a district or commune the unit's one-stop desk takes it.

Profiles:
- ``three_tier``: Bình Phước before 2025, province → 11 districts → 111 communes.
- ``two_tier``: a small province across 1 July 2025 (Resolutions 202 and 203/2025/QH15): from
  1 January 2025 the three-tier province, whose districts, communes and their desks end on
  30 June 2025 (``valid_to``); from 1 July 2025 (``valid_from``) province → 20 new communes, no
  district; communes take the former district procedures (Decree 118/2025). Old desks handle the
  dossiers received before the change, also those finished after it; new desks the rest. Each
  new commune keeps its old district as a hidden *group* for the story only.

Both profiles: some dossiers are received at another unit's desk than the handler's (a commune
desk for its district or a provincial department: :func:`receiving_desks`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sample_data import story

REFERENCE = Path(__file__).resolve().parent / "reference"
PROVINCE = "70"
THREE_TIER_FROM = dt.date(2008, 1, 1)
#: Unit names of towns and wards: more online intake than rural communes.
URBAN_PREFIXES = ("Phường", "Thị trấn", "Thành phố", "Thị xã")
TWO_TIER_FROM = dt.date(2025, 7, 1)
#: The last day of the districts and the old communes in the two-tier profile.
TWO_TIER_END = TWO_TIER_FROM - dt.timedelta(days=1)
#: The two-tier profile starts half a year before the change, so 2025 shows both sides.
TWO_TIER_FIRST_DAY = dt.date(2025, 1, 1)
#: Twenty communes and wards kept in the two-tier profile (unique names, all former districts).
TWO_TIER_COMMUNES: tuple[str, ...] = (
    "25217",
    "25219",
    "25195",
    "25198",
    "25320",
    "25324",
    "25222",
    "25228",
    "25270",
    "25291",
    "25292",
    "25308",
    "25357",
    "25369",
    "25396",
    "25405",
    "25432",
    "25441",
    "25240",
    "25264",
)
#: Which department receives a province-level procedure, by field.
FIELD_AGENCY: dict[str, str] = {
    "Đất đai": "S-TNMT",
    "Môi trường": "S-TNMT",
    "Xây dựng": "S-XD",
    "Đầu tư": "S-KHDT",
    "Kinh doanh": "S-KHDT",
    "Tư pháp": "S-TP",
    "Hộ tịch": "S-TP",
    "Chứng thực": "S-TP",
    "Công thương": "S-CT",
    "Giao thông vận tải": "S-GTVT",
    "Y tế": "S-YT",
    "Giáo dục": "S-GDDT",
    "Lao động - Thương binh và Xã hội": "S-LDTBXH",
    "Nông nghiệp": "S-NNPTNT",
    "Nội vụ": "S-NV",
    "Tài chính": "S-TC",
    "Văn hóa": "S-VHTTDL",
    "Thông tin và Truyền thông": "S-TTTT",
    "Khoa học và Công nghệ": "S-KHCN",
    "An ninh trật tự": "S-CA",
    "Bảo hiểm xã hội": "S-BHXH",
    "Ngoại vụ": "S-VPUB",
}
#: Land registrations go to the land registration office; projects in industrial parks to the
#: industrial-parks board (matched on the procedure name, lower case).
NAME_AGENCY: tuple[tuple[str, str, str], ...] = (
    ("Đất đai", "đăng ký", "S-VPDKDD"),
    ("Đất đai", "giấy chứng nhận", "S-VPDKDD"),
    ("Đất đai", "dữ liệu đất đai", "S-VPDKDD"),
    ("Đầu tư", "khu công nghiệp", "S-BQLKCN"),
    ("Xây dựng", "khu công nghiệp", "S-BQLKCN"),
)


@dataclass(frozen=True)
class World:
    """Reference tables to load and the desk × procedure combinations dossiers come from."""

    profile: str
    first_day: dt.date
    units: pd.DataFrame
    agencies: pd.DataFrame
    procedures: pd.DataFrame
    targets: pd.DataFrame
    combos: pd.DataFrame


def _read(name: str) -> pd.DataFrame:
    """A reference CSV as text columns; empty cells stay empty strings ("any" in targets)."""
    return pd.read_csv(REFERENCE / name, dtype=str, keep_default_na=False, encoding="utf-8")


def province_agency(field: str, name: str) -> str:
    """The department that receives a province-level procedure of ``field`` named ``name``."""
    lower = name.lower()
    for rule_field, word, agency in NAME_AGENCY:
        if field == rule_field and word in lower:
            return agency
    return FIELD_AGENCY[field]


def _procedures() -> pd.DataFrame:
    """procedures.csv as rows of the ``procedures`` table (full-process = online level full)."""
    raw = _read("procedures.csv")
    return pd.DataFrame(
        {
            "code": raw["code"],
            "name": raw["name"],
            "field": raw["field"],
            "online_level": raw["online_level"],
            "full_process_eligible": raw["online_level"] == "full",
            "fee_required": raw["fee_required"].str.lower() == "true",
            "time_limit_days": raw["time_limit_days"].astype(float),
            "time_limit_unit": "working_days",
        }
    )


def _targets() -> pd.DataFrame:
    """targets.csv as rows of the ``targets`` table."""
    out = _read("targets.csv")
    out["year"] = out["year"].astype(int)
    out["value"] = out["value"].astype(float)
    return out


def _two_tier_code(old: str) -> str:
    """The code of the new commune named after old commune ``old``: synthetic (old + 10000),
    outside the range of the statistics office's pre-2025 commune codes, so an old and a new code
    never meet (the real post-2025 codes are not in the reference data)."""
    return str(int(old) + 10_000)


def _new_communes(units: pd.DataFrame) -> pd.DataFrame:
    """The two-tier profile's communes from 1 July 2025: each named after one old commune of
    :data:`TWO_TIER_COMMUNES`, directly under the province, keeping its old district as ``group``."""
    new = units[units["code"].isin(TWO_TIER_COMMUNES)].copy()
    new["successor_of"] = new["code"]
    new["code"] = new["code"].map(_two_tier_code)
    # No thị trấn after 2025: the seat townships became communes (xã).
    new["name"] = new["name"].str.replace("Thị trấn ", "Xã ", regex=False)
    new["parent_code"] = PROVINCE
    new["valid_from"], new["valid_to"] = TWO_TIER_FROM, None
    return new


def _new_desks(new: pd.DataFrame) -> pd.DataFrame:
    """One one-stop desk (agency ``X-<code>``) for each new commune, from 1 July 2025."""
    names = new["name"].map(lambda n: "Bộ phận một cửa UBND " + n[:1].lower() + n[1:])
    return pd.DataFrame(
        {
            "code": "X-" + new["code"],
            "name": names.to_numpy(),
            "unit_code": new["code"].to_numpy(),
            "valid_from": TWO_TIER_FROM,
            "valid_to": None,
        }
    )


def _units(profile: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(units, agencies) of the profile, with their levels and valid_from / valid_to.

    Two tiers: the three-tier province until 30 June 2025 (its districts, communes and their
    desks end that day) and, from 1 July 2025, twenty new communes under the province with desks
    of their own; the province and its departments carry on.
    """
    units = _read("units.csv")
    agencies = _read("agencies.csv")
    units["parent_code"] = units["parent_code"].replace("", None)
    units["lat"], units["lon"] = units["lat"].astype(float), units["lon"].astype(float)
    units["group"] = np.where(units["level"] == "commune", units["parent_code"], units["code"])
    units["successor_of"] = None
    units["valid_from"], units["valid_to"] = THREE_TIER_FROM, None
    agencies["valid_from"], agencies["valid_to"] = THREE_TIER_FROM, None
    if profile == "two_tier":
        lower = units["level"] != "province"
        units.loc[lower, "valid_to"] = TWO_TIER_END
        agencies.loc[agencies["unit_code"] != PROVINCE, "valid_to"] = TWO_TIER_END
        new = _new_communes(units)
        units = pd.concat([units, new], ignore_index=True)
        agencies = pd.concat([agencies, _new_desks(new)], ignore_index=True)
    agencies["level"] = agencies["unit_code"].map(units.set_index("code")["level"])
    return units.reset_index(drop=True), agencies.reset_index(drop=True)


def existing(frame: pd.DataFrame, day: dt.date) -> np.ndarray:
    """Which rows of ``frame`` (units, agencies or combos with valid_from / valid_to) exist on
    ``day``: the sample's own reading of ``data_access.schema.valid_during`` for one day."""
    when = pd.Timestamp(day)
    since = pd.to_datetime(frame["valid_from"])
    until = pd.to_datetime(frame["valid_to"])
    return ((since.isna() | (since <= when)) & (until.isna() | (until >= when))).to_numpy()


def _popularity(procs: pd.DataFrame, rng: np.random.Generator) -> pd.Series:
    """Relative demand of each procedure: its field's, a boost for the well-known ones, noise."""
    field = procs["field"].map(story.FIELD_POPULARITY).fillna(1.0)
    boost = procs["code"].map(story.PROCEDURE_BOOST).fillna(1.0)
    noise = rng.lognormal(0.0, 0.6, len(procs))
    return pd.Series(field.to_numpy() * boost.to_numpy() * noise, index=procs["code"].to_numpy())


def _desk_weights(units: pd.DataFrame, rng: np.random.Generator) -> pd.Series:
    """Relative intake of each district and commune desk; a district's communes share its weight."""
    w = units["group"].map(story.GROUP_VOLUME).fillna(1.0).to_numpy()
    kind = np.where(units["name"].str.startswith(("Phường", "Thị trấn")), 1.6, 1.0)
    noise = rng.lognormal(0.0, 0.25, len(units)) * kind
    communes = units["level"] == "commune"
    share = pd.Series(noise, index=units.index).groupby(units["group"].where(communes, "")).transform("sum")
    w = np.where(communes, w * noise / share.to_numpy(), w)
    return pd.Series(w, index=units["code"].to_numpy())


def _combos(world_units: pd.DataFrame, procs: pd.DataFrame, profile: str, seed: int) -> pd.DataFrame:
    """Every desk × procedure a dossier can be, with its base weight and the story's attributes.

    Weight = the level's share × the desk's share within its level × the procedure's share
    among the level's procedures.
    """
    rng = np.random.default_rng([seed, 1])
    levels = _read("procedure_levels.csv")
    levels = levels[levels["code"].isin(procs["code"])]
    if profile == "two_tier":
        levels["level"] = levels["level"].replace("district", "commune")
        levels = levels.drop_duplicates()
    pop = _popularity(procs, rng)
    desks = _desk_weights(world_units, rng)
    info = procs.set_index("code")
    parts = []
    for level, share in story.LEVEL_SHARE.items():
        codes = levels.loc[levels["level"] == level, "code"].to_numpy()
        at_level = world_units[world_units["level"] == level]
        if len(codes) == 0 or at_level.empty:
            continue
        p = pop[codes].to_numpy() / pop[codes].sum()
        d = desks[at_level["code"]].to_numpy() if level != "province" else np.ones(1)
        d = d / d.sum()
        part = pd.DataFrame(
            {
                "unit_code": np.repeat(at_level["code"].to_numpy(), len(codes)),
                "group": np.repeat(at_level["group"].to_numpy(), len(codes)),
                "level": level,
                "procedure_code": np.tile(codes, len(at_level)),
                "base_weight": share * np.outer(d, p).ravel(),
            }
        )
        if level == "province":
            part["agency_code"] = [province_agency(info.at[c, "field"], info.at[c, "name"]) for c in codes]
        else:
            part["agency_code"] = ("H-" if level == "district" else "X-") + part["unit_code"]
        parts.append(part)
    combos = pd.concat(parts, ignore_index=True)
    for col in ("field", "online_level", "fee_required", "time_limit_days"):
        combos[col] = combos["procedure_code"].map(info[col])
    urban = world_units.set_index("code")["name"].str.startswith(URBAN_PREFIXES)
    combos["online_mult"] = combos["group"].map(story.GROUP_ONLINE).fillna(1.0) * np.where(
        combos["unit_code"].map(urban), 1.15, 1.0
    )
    successor_of = world_units.set_index("code")["successor_of"]
    combos["champion"] = combos["unit_code"].isin(story.ONLINE_CHAMPIONS) | combos["unit_code"].map(
        successor_of
    ).isin(story.ONLINE_CHAMPIONS)
    combos["valid_from"], combos["valid_to"] = None, None
    return combos


def build_world(profile: str, seed: int) -> World:
    """The world of ``profile`` ('three_tier' or 'two_tier') for ``seed``."""
    if profile not in ("three_tier", "two_tier"):
        raise ValueError(f"unknown profile {profile!r}: use three_tier or two_tier")
    units, agencies = _units(profile)
    procs = _procedures()
    if profile == "three_tier":
        combos = _combos(units, procs, profile, seed)
        return World(profile, dt.date(2019, 1, 1), units, agencies, procs, _targets(), combos)
    # Until 30/6/2025 the three-tier province; from 1/7/2025 the new communes, without the
    # procedures of the abolished district tier (the catalogue keeps them: old dossiers use them).
    province = units["level"] == "province"
    old_units = units[province | (units["valid_to"] == TWO_TIER_END)]
    new_units = units[province | (units["valid_from"] == TWO_TIER_FROM)]
    new_procs = procs[~procs["name"].str.contains("cấp huyện")].reset_index(drop=True)
    old = _combos(old_units.reset_index(drop=True), procs, "three_tier", seed).assign(valid_to=TWO_TIER_END)
    new = _combos(new_units.reset_index(drop=True), new_procs, profile, seed).assign(valid_from=TWO_TIER_FROM)
    combos = pd.concat([old, new], ignore_index=True)
    return World(profile, TWO_TIER_FIRST_DAY, units, agencies, procs, _targets(), combos)


#: Shares of dossiers received at another unit's desk than the handler's (docs/rules.md §A):
#: a district's at one of its communes' desks (one-stop liên thông), a department's at any desk of
#: a district or commune (and, from 1 July 2025, any desk in the province: Decree 118/2025).
CROSS_DESK_SHARE: dict[str, float] = {"district": 0.12, "province": 0.06}


def receiving_desks(
    world: World, frame: pd.DataFrame, rng: np.random.Generator, month: dt.date
) -> np.ndarray:
    """The unit whose desk received each dossier of ``frame`` (drawn from ``world.combos``, whose
    ``unit_code`` is the handler's unit): mostly the handler's own, a few another unit's desk that
    exists in ``month``."""
    desks = frame["unit_code"].to_numpy(dtype=object).copy()
    level = frame["level"].to_numpy()
    draw = rng.random(len(frame))
    units = world.units[existing(world.units, month)]
    lower = units.loc[units["level"] != "province", "code"].to_numpy()
    department = (level == "province") & (draw < CROSS_DESK_SHARE["province"])
    if len(lower):
        desks[department] = lower[rng.integers(0, len(lower), int(department.sum()))]
    district = (level == "district") & (draw < CROSS_DESK_SHARE["district"])
    communes = units[units["level"] == "commune"]
    for parent, children in communes.groupby("parent_code")["code"]:
        rows = district & (desks == parent)
        if rows.any():
            desks[rows] = children.to_numpy()[rng.integers(0, len(children), int(rows.sum()))]
    return desks


def combo_probabilities(combos: pd.DataFrame, month: dt.date) -> np.ndarray:
    """Each combination's share of the month's dossiers (growth and champions applied); a
    combination whose desk does not exist in the month has none (changes fall on a month's first
    day: the two-tier profile's 1 July 2025)."""
    w = combos["base_weight"].to_numpy() * existing(combos, month)
    years = (month - dt.date(2019, 1, 1)).days / 365.25
    w[(combos["group"] == story.GROWING_GROUP).to_numpy()] *= 1.0 + story.GROWTH_PER_YEAR * max(years, 0)
    if month >= story.to_date(story.CHAMPIONS_FROM):
        # Lộc Quang and Lộc Phú route nearly everything online: offline-only procedures fade out.
        w[(combos["champion"] & (combos["online_level"] == "none")).to_numpy()] *= 0.05
    return w / w.sum()
