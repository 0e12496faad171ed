"""国土地理院「全国都道府県市区町村別面積調」: area (km²) of 全国, prefectures, 郡 and municipalities.

Publisher and table
-------------------
国土交通省国土地理院, 全国都道府県市区町村別面積調 (quarterly, 1月1日・4月1日・7月1日・10月1日現在),
the CSV that lists ten reference dates side by side (this copy: 令和6年1月1日 … 令和8年4月1日,
"R06.01.01_浜松市区再編以降"). Units: km², published to two decimals (小数第三位を四捨五入, so a
prefecture need not equal the sum of its municipalities).

Layout quirks
-------------
- Four preamble lines, then the header row (found by its first label 標準地域コード). Each date has
  a value column ``令和8年4月1日(km2)`` and a note column ``令和8年4月1日備考``
  (layouts/gsi_menseki/columns.csv).
- 標準地域コード lost its leading zero (``1000`` = 北海道): codes are re-padded to 5 digits. Rows
  without a code are 全国 (``全国面積``), the 市部/郡部 split of each prefecture (``pref_part``) and
  所属未定地 such as lakes and reclaimed land (``unassigned``); 郡・支庁 subtotals have a code and no
  municipality (``gun``); designated-city wards are printed ``(札幌市)中央区`` (``ward``).
- 備考 ``（参考値）`` marks areas that contain an undetermined boundary (境界未定部): the figure is a
  convenience estimate → ``is_reference_value``. Other 備考 text is kept in ``note_ja``.
- Mojibake: this copy was converted from CP932 to UTF-8 upstream and the three NEC special
  characters ①, ② and ㎢ lost their lead byte (U+FFFD + ASCII). They occur only in the preamble and
  the header, and are repaired from layouts/gsi_menseki/repairs.csv. Raw invalid UTF-8 bytes are
  tolerated in the same place only. A U+FFFD or invalid byte in any data row is refused
  (:class:`~hokuriku.errors.RawDataError` / :class:`~hokuriku.errors.EncodingError`), so no
  numeric cell can be lost silently.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from hokuriku import manifest
from hokuriku.codes import prefectures
from hokuriku.errors import EncodingError, LayoutError, RawDataError
from hokuriku.sources import _parse

SOURCE = "gsi_menseki"
DEFAULT_VINTAGE = "2026-04-01"
FILE = "area_municipalities_raw.csv"
HEADER_ANCHOR = "標準地域コード"
NATIONAL_LABEL = "全国面積"
REFERENCE_MARK = "参考値"
PREFECTURE_SUM_TOLERANCE_KM2 = 47 * 0.005
"""|全国 − Σ 47 prefectures| allowed: each prefecture is rounded to 0.01 km² (error ≤ 0.005)."""


def _decode(path: Path) -> str:
    """Strict UTF-8, except invalid bytes in the preamble and header line (see module docstring)."""
    try:
        return _parse.read_text(path, "utf-8")
    except EncodingError as exc:
        data = _parse.read_bytes(path)
        start = data.find(HEADER_ANCHOR.encode("utf-8"))
        end = data.find(b"\n", start) + 1 if start >= 0 else -1
        if start < 0 or end <= 0 or not _valid_utf8(data[end:]):
            raise exc from None
        return data[:end].decode("utf-8", errors="replace") + data[end:].decode("utf-8")


def _valid_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _repairs() -> list[tuple[str, str]]:
    """(mojibake, replacement) pairs of layouts/gsi_menseki/repairs.csv, escapes decoded."""
    fixes = _parse.load_layout(SOURCE, "repairs")
    return [(found.encode().decode("unicode_escape"), replacement)
            for found, replacement in zip(fixes["found"], fixes["replacement"], strict=True)]


def _repair(text: str, fixes: list[tuple[str, str]] | None = None) -> str:
    for found, replacement in _repairs() if fixes is None else fixes:
        text = text.replace(found, replacement)
    return text


def _level(code: str, gun: str, muni: str) -> str:
    if code == NATIONAL_LABEL:
        return "national"
    if not code:
        return "unassigned" if muni else "pref_part"
    if code.endswith("000"):
        return "prefecture"
    if not muni:
        return "gun"
    return "ward" if muni.startswith("(") else "municipality"


@_parse.contained
def parse(path: Path, *, vintage: str = DEFAULT_VINTAGE) -> pd.DataFrame:
    """Parse the 面積調 CSV into one row per area × reference date.

    Returns
    -------
    DataFrame with ``ref_date`` (datetime64), ``area_code`` (5-digit string; None for rows without
    a code), ``pref_code`` ("00" for 全国), ``area_level``, ``pref_name_ja``, ``gun_name_ja``,
    ``muni_name_ja``, ``area_name_ja``, ``area_km2``, ``is_reference_value``, ``note_ja``,
    ``value_note``.
    """
    path = Path(path)
    rows = _parse.csv_rows(_decode(path), file=path)
    fixes = _repairs()  # read the layout once, not once per cell
    h = _parse.find_row(rows, lambda r: bool(r) and _repair(r[0], fixes).strip() == HEADER_ANCHOR, file=path,
                        what=f"header row starting with {HEADER_ANCHOR!r}")
    header = [_repair(c, fixes).strip() for c in rows[h]]
    layout = _parse.load_layout(SOURCE, "columns").set_index("role")["pattern"]
    fixed = {}
    for role in ("area_code", "pref_name_ja", "gun_name_ja", "muni_name_ja"):
        hits = [j for j, c in enumerate(header) if re.match(layout[role], c)]
        if not hits:
            raise LayoutError(path, f"a column matching {layout[role]!r} ({role})", found=header[:6], row=h + 1,
                              column=layout[role].strip("^$"))
        fixed[role] = hits[0]
    dates = []
    for j, label in enumerate(header):
        if m := re.match(layout["area_km2"], label):
            note = header[j + 1] if j + 1 < len(header) else ""
            n = re.match(layout["note_ja"], note)
            if not n or n["date"] != m["date"]:
                raise LayoutError(path, f"note column {m['date']}備考 right after {label!r}", found=note, row=h + 1)
            y, mo, d = _parse.parse_era_date(m["date"]) or (None, None, None)
            if d is None:
                raise LayoutError(path, "a full 和暦 date in the header", found=label, row=h + 1)
            dates.append((j, pd.Timestamp(y, mo, d)))
    if not dates:
        raise LayoutError(path, f"date columns matching {layout['area_km2']!r}", found=header[4:8], row=h + 1)
    known = set(fixed.values()) | {j for j, _ in dates} | {j + 1 for j, _ in dates}
    unknown = [(j, c) for j, c in enumerate(header) if j not in known and c]
    if unknown:  # e.g. a renamed date header: its column would otherwise be dropped silently
        j, label = unknown[0]
        raise LayoutError(path, f"a header of layouts/{SOURCE}/columns.csv (fixed column, date(km2) or date備考)",
                          found=label, row=h + 1, column=f"#{j + 1}")
    newest = max(d for _, d in dates)
    if str(vintage) != f"{newest:%Y-%m-%d}":
        raise LayoutError(path, f"the vintage's reference date {vintage} as the newest date column",
                          found=f"{newest:%Y-%m-%d}", row=h + 1)
    body = [(i, r) for i, r in enumerate(rows[h + 1:], start=h + 2) if any(c.strip() for c in r)]
    for i, r in body:
        if len(r) != len(header):
            raise RawDataError(path, f"{len(header)} cells (truncated file?)", found=len(r), row=i)
        if "\ufffd" not in "".join(r):
            continue
        for j, cell in enumerate(r):
            if "\ufffd" in cell:
                raise RawDataError(path, "a readable cell (U+FFFD left by a bad encoding conversion)", found=cell,
                                   row=i, column=header[j])
    code = [r[fixed["area_code"]].strip() for _, r in body]
    pref = [r[fixed["pref_name_ja"]].strip() for _, r in body]
    gun = [r[fixed["gun_name_ja"]].strip() for _, r in body]
    muni = [r[fixed["muni_name_ja"]].strip() for _, r in body]
    level = [_level(c, g, m) for c, g, m in zip(code, gun, muni, strict=True)]
    names = [("全国" if lv == "national" else m or g or p) for lv, p, g, m in zip(level, pref, gun, muni, strict=True)]
    padded = [None if lv in ("national", "pref_part", "unassigned") else c.zfill(5) for lv, c in zip(level, code,
                                                                                                     strict=True)]
    pref_codes = [prefectures.NATIONAL_CODE if lv == "national" else
                  (c[:2] if c else prefectures.code_of(re.sub(r"\(.*\)$", "", p)))
                  for lv, c, p in zip(level, padded, pref, strict=True)]
    # The area columns are built once and repeated for every date; only the dated columns are built per date.
    areas = pd.DataFrame({
        "area_code": pd.Series(padded, dtype="object"), "pref_code": pref_codes, "area_level": level,
        "pref_name_ja": [None if lv == "national" else p for lv, p in zip(level, pref, strict=True)],
        "gun_name_ja": [g or None for g in gun], "muni_name_ja": [m or None for m in muni], "area_name_ja": names,
    })
    # Every date column parsed in one call (a refusal names the first refused cell of the first such
    # column, as column by column); rows date by date, each with every area.
    n, k = len(body), len(dates)
    grid = np.empty((n, k), dtype=object)
    grid[:] = [[r[j] for j, _ in dates] for _, r in body] or np.empty((0, k), dtype=object)
    values, reasons = _parse.to_numeric_grid(grid, file=path, columns=[header[j] for j, _ in dates],
                                             row_numbers=[i for i, _ in body])
    notes = [r[j + 1].strip() or None for j, _ in dates for _, r in body]
    each_row, each_date = np.tile(np.arange(n), k), np.repeat(np.arange(k), n)
    dated = pd.DataFrame({
        "ref_date": pd.Series([d for _, d in dates]).take(each_date).reset_index(drop=True),
        "area_km2": values.reshape(-1),
        "is_reference_value": np.fromiter((t is not None and REFERENCE_MARK in t for t in notes), dtype=bool,
                                          count=n * k),
        "note_ja": pd.Series(notes, dtype="object"), "value_note": pd.Series(reasons.reshape(-1), dtype="object"),
    })
    repeated = areas.iloc[each_row].reset_index(drop=True)
    return pd.concat([dated[["ref_date"]], repeated, dated.drop(columns="ref_date")], axis=1)


def validate(df: pd.DataFrame) -> pd.DataFrame:
    """47 prefectures and one 全国 row per date; Σ prefectures = 全国 within rounding.

    Checked for every date at once with integer date codes; when a date fails or comes within 1e-6 km²
    of the tolerance (where summation order could matter) the per-date check below decides and names it.
    """
    if _sums_hold(df):
        return df
    for ref_date, part in df.groupby("ref_date"):
        pref = part[part["area_level"] == "prefecture"]
        national = part.loc[part["area_level"] == "national", "area_km2"]
        if len(pref) != 47 or len(national) != 1:
            raise RawDataError(f"{SOURCE}/{FILE}", "47 prefectures and one 全国 row per date",
                               found=f"{ref_date:%Y-%m-%d}: {len(pref)} / {len(national)}")
        gap = abs(pref["area_km2"].sum() - national.iloc[0])
        if not gap <= PREFECTURE_SUM_TOLERANCE_KM2:
            raise RawDataError(f"{SOURCE}/{FILE}", f"Σ prefectures = 全国 ± {PREFECTURE_SUM_TOLERANCE_KM2} km²",
                               found=f"{ref_date:%Y-%m-%d}: gap {gap:.2f}")
    return df


def _sums_hold(df: pd.DataFrame) -> bool:
    """Return True when every date clearly passes :func:`validate` (counts exact, gap well inside tolerance)."""
    date, dates = pd.factorize(df["ref_date"])
    if (date < 0).any() or not len(dates):
        return False
    level = df["area_level"].to_numpy(dtype=object, na_value=None)
    pref, national = level == "prefecture", level == "national"
    km2 = df["area_km2"].to_numpy(dtype="float64", na_value=np.nan)
    k = len(dates)
    if (np.bincount(date[pref], minlength=k) != 47).any() or (np.bincount(date[national], minlength=k) != 1).any():
        return False
    sums = np.bincount(date[pref], weights=np.nan_to_num(km2[pref], nan=0.0), minlength=k)
    total = np.full(k, np.nan)
    total[date[national]] = km2[national]
    gap = np.abs(sums - total)
    return bool((gap <= PREFECTURE_SUM_TOLERANCE_KM2 - 1e-6).all())


def load(vintage: str = DEFAULT_VINTAGE) -> pd.DataFrame:
    """Areas of every level and reference date of a 面積調 vintage, validated."""
    return validate(parse(manifest.path(SOURCE, vintage, FILE), vintage=vintage))


TABLES = _parse.covered_tables(SOURCE, {"area": load})
