"""工業統計調査 地域別統計表 表3-01: prefecture × 産業中分類 (従業者4人以上の事業所).

Publisher and table
    経済産業省「工業統計調査」地域別統計表 表3-01「都道府県別・産業中分類別の事業所数、従業者数、
    現金給与総額、原材料使用額等、製造品出荷額等、付加価値額」 (従業者4人以上の事業所), read from
    e-Stat through its API and reshaped by a GitHub author (SarthakDT/japan-manufacturing-analysis):
    a **derived layout**, numbers unchanged. Vintages are reference years (``layouts/kogyo_tokei/
    vintages.csv``): ``"2016"`` = 2017年工業統計調査 (平成29年確報, statsDataId 0003325921) and ``"2019"``
    = 2020年工業統計調査 (2020年確報, statsDataId 0003448119).

Units
    Money in **百万円** (``*_jpy_million``); establishments (事業所); employees (従業者数, 人).
    付加価値額 is 粗付加価値額 for establishments of 4–29 persons, as in the publication.

Layout quirks
    - One row per prefecture × JSIC Rev.13 中分類 (47 × 24 = 1,128 rows); no 製造業計 and no 全国 row
      (the author dropped them): summing industries falls short of the national control total by
      the suppressed cells.
    - Each measure has a flag column: ``ok`` / ``suppressed`` (X 秘匿) / ``absent_from_source``
      (2019) or ``nil_or_na`` (2016) = no establishment. Flagged cells are blank; they become NaN
      with ``<measure>_note`` = ``suppressed`` or ``nil`` (``layouts/kogyo_tokei/flags.csv``).
    - Prefecture names are short (富山, 石川); they must match the JIS code.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from hokuriku import manifest
from hokuriku.codes import industries, prefectures
from hokuriku.errors import LayoutError, RawDataError
from hokuriku.sources import _parse

SOURCE = "kogyo_tokei"
DEFAULT_VINTAGE = "2019"
ENCODING = "utf-8"
N_ROWS = 47 * 24
JSIC_REVISION = "13"


def _vintages() -> pd.DataFrame:
    return _parse.load_layout(SOURCE, "vintages").set_index("vintage")


@_parse.contained
def parse(path: Path, *, vintage: str = DEFAULT_VINTAGE) -> pd.DataFrame:
    """Parse one ``manufacturing_<year>_table3-01.csv`` into the tidy ``pref_industry`` table."""
    path = Path(path)
    vintage = str(vintage)
    vintages = _vintages()
    if vintage not in vintages.index:
        raise LayoutError(path, f"a vintage listed in layouts/{SOURCE}/vintages.csv", found=vintage)
    ref_year = int(vintages.at[vintage, "reference_year"])
    cols = _parse.load_layout(SOURCE, "columns")
    flags = _parse.load_layout(SOURCE, "flags")
    flags = dict(zip(flags.loc[flags["vintage"] == vintage, "flag"], flags.loc[flags["vintage"] == vintage, "reason"],
                     strict=True))
    # Load inputs.
    measures = cols[cols["kind"] == "measure"]
    header, body = _parse.read_csv_table(path, ENCODING, [*cols["raw"], *measures["flag"]])
    raw = pd.DataFrame(body, columns=header, dtype="object")
    line = pd.Series(range(2, len(raw) + 2), index=raw.index)
    # Process data.
    out = pd.DataFrame({c["column"]: raw[c["raw"]].map(_parse.nfkc) for _, c in cols[cols["kind"] == "key"].iterrows()})
    if set(out["year"]) != {str(ref_year)}:
        raise RawDataError(path, f"year {ref_year} on every row (vintages.csv)", found=sorted(set(out["year"])),
                           column="year")
    out["year"] = ref_year
    for i, (code, short) in enumerate(zip(out["pref_code"].to_numpy(dtype=object),
                                          out["pref_name_short"].to_numpy(dtype=object), strict=True)):
        if not (len(code) == 2 and code.isdigit() and 1 <= int(code) <= 47) or prefectures.short_name(code) != short:
            raise RawDataError(path, "prefecture_code 01–47 matching prefecture_name", found=f"{code} {short}",
                               row=i + 2, column="prefecture_code")
    out["pref_name_ja"] = out["pref_code"].map(prefectures.name_ja)
    out["jsic_revision"] = JSIC_REVISION
    out["industry_key"] = industries.map_names(out["industry_name_ja"], JSIC_REVISION, context=str(path))
    expected_codes = out["industry_key"].map(industries.rev13_code)
    if (expected_codes != out["industry_code_jsic"]).any():
        i = int((expected_codes != out["industry_code_jsic"]).to_numpy().argmax())
        raise RawDataError(path, f"industry_code {expected_codes.iloc[i]} for {out['industry_name_ja'].iloc[i]}",
                           found=out["industry_code_jsic"].iloc[i], row=i + 2, column="industry_code")
    specs = [m for _, m in measures.iterrows()]
    parsed = _numbers(raw, [m["raw"] for m in specs], path)
    for m in specs:
        out[m["column"]], out[f"{m['column']}_note"] = _measure(raw, m, flags, path, line, parsed.get(m["raw"]))
    if out.duplicated(["pref_code", "industry_key"]).any():
        raise RawDataError(path, "one row per prefecture and industry", found="duplicates")
    return out.drop(columns="pref_name_short")


def _numbers(raw: pd.DataFrame, names: list[str], path: Path) -> dict[str, tuple[pd.Series, pd.Series]]:
    """``to_numeric`` of every measure column in one call (cells parse independently), by raw name; empty
    when some cell is refused: :func:`_measure` then parses column by column and names the cell."""
    n = len(raw)
    cells = pd.Series(np.concatenate([raw[c].to_numpy(dtype=object) for c in names]) if names else [],
                      dtype=object)
    try:
        values, reasons = _parse.to_numeric(cells, file=path, column=", ".join(names))
    except RawDataError:
        return {}
    values, reasons = values.to_numpy(), reasons.to_numpy()
    return {c: (pd.Series(values[k * n:(k + 1) * n], index=raw.index, copy=False),
                pd.Series(reasons[k * n:(k + 1) * n], index=raw.index, dtype="object", name="value_note", copy=False))
            for k, c in enumerate(names)}


def _measure(raw: pd.DataFrame, m: pd.Series, flags: dict, path: Path, line: pd.Series,
             parsed: tuple[pd.Series, pd.Series] | None = None) -> tuple[pd.Series, pd.Series]:
    flag = raw[m["flag"]]
    unknown = ~flag.isin(list(flags))
    if unknown.any():
        i = unknown.to_numpy().argmax()
        raise RawDataError(path, f"a flag in {sorted(flags)} (layouts/{SOURCE}/flags.csv)", found=flag.iloc[i],
                           row=int(line.iloc[i]), column=m["flag"])
    values, reasons = parsed or _parse.to_numeric(raw[m["raw"]], file=path, column=m["raw"], row_numbers=line)
    flagged = flag != "ok"
    clash = (flagged & values.notna()) | (~flagged & values.isna())
    if clash.any():
        i = clash.to_numpy().argmax()
        raise RawDataError(path, f"a number when {m['flag']} is ok and a blank otherwise",
                           found=f"{raw[m['raw']].iloc[i]!r} with flag {flag.iloc[i]}", row=int(line.iloc[i]),
                           column=m["raw"])
    notes = pd.Series([flags[f] or None for f in flag.to_numpy(dtype=object)], index=flag.index, dtype="object")
    return values, notes


def validate(df: pd.DataFrame) -> None:
    """The full table has every prefecture × industry once (47 × 24)."""
    if len(df) != N_ROWS:
        raise RawDataError(SOURCE, f"{N_ROWS} prefecture × industry rows (47 × 24)", found=len(df))


def load(vintage: str = DEFAULT_VINTAGE) -> pd.DataFrame:
    """The ``pref_industry`` table of a vintage (reference year), read through the manifest and validated."""
    vintage = str(vintage)
    df = parse(manifest.path(SOURCE, vintage, _vintages().at[vintage, "filename"]), vintage=vintage)
    validate(df)
    return df


TABLES = _parse.covered_tables(SOURCE, {"pref_industry": lambda vintage: load(vintage)})
