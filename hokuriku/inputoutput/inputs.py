"""Reading the processed tables the model needs and assembling a :class:`RegionalModel` (the I/O layer).

Tables (``data/processed``, via :func:`hokuriku.store.table`):

- ``io_mic_2015/transactions`` — 総務省 平成27年（2015年）産業連関表 37部門 (百万円);
- ``kenmin_keizai_activity/gdp_by_activity`` FY2015 — 内閣府 県民経済計算 経済活動別県内総生産（名目）;
- ``kogyo_tokei/pref_industry`` 2016 — 経済産業省 工業統計調査 表3-01 製造品出荷額等・従業者数 by 中分類;
- ``ssdse_a/items`` 2019 edition — 経済センサス‐基礎調査2014 従業者数 by 産業大分類 and 国勢調査2015
  第1次産業就業者数, summed over the prefecture's municipalities.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from hokuriku import manifest, store
from hokuriku.codes import prefectures
from hokuriku.inputoutput import regional, table

IO_VINTAGE = "2015"
GDP_VINTAGE = "2022"
GDP_FISCAL_YEAR = 2015
KOGYO_VINTAGE = "2016"
SSDSE_EDITION = "2019"
VINTAGES = {"io_mic_2015": IO_VINTAGE, "kenmin_keizai_activity": GDP_VINTAGE, "kogyo_tokei": KOGYO_VINTAGE,
            "ssdse_a": SSDSE_EDITION}
PAIRS = [("io_mic_2015", IO_VINTAGE), ("kenmin_keizai_activity", GDP_VINTAGE), ("kogyo_tokei", KOGYO_VINTAGE),
         ("ssdse_a", SSDSE_EDITION)]


def source_note() -> str:
    """The ``(出所)`` line of the model's outputs, from the manifests of the tables used."""
    return manifest.source_note(PAIRS)


@lru_cache(maxsize=1)
def national() -> table.IOTable:
    """The 2015 national 37-sector table."""
    return table.from_long(store.table("io_mic_2015", "transactions", IO_VINTAGE), "value_jpy_million", unit="百万円")


@lru_cache(maxsize=1)
def prefecture_outputs() -> pd.DataFrame:
    """Estimated output by 37 sectors for all 47 prefectures (:func:`regional.regional_output`)."""
    t = national()
    gdp = store.table("kenmin_keizai_activity", "gdp_by_activity", GDP_VINTAGE)
    gdp = gdp[gdp["fiscal_year"] == GDP_FISCAL_YEAR]
    ship = store.table("kogyo_tokei", "pref_industry", KOGYO_VINTAGE)
    return regional.regional_output(gdp, ship, codes=t.codes, x_nat=t.x, gva_nat=table.gva_ratio(t) * t.x)


@lru_cache(maxsize=1)
def prefecture_employment() -> pd.DataFrame:
    """Employment by SSDSE item code per prefecture (persons), wide: pref_code × item_code."""
    items = store.table("ssdse_a", "items", SSDSE_EDITION)
    codes = set()
    for expr in regional.crosswalk("employment")["items"]:
        codes |= {c for _, c in regional._terms(expr)}
    sub = items[items["item_code"].isin(codes)]
    return sub.groupby(["pref_code", "item_code"])["value"].sum(min_count=1).unstack()


@lru_cache(maxsize=1)
def kogyo_employees() -> pd.DataFrame:
    """工業統計 従業者数 by prefecture × 37-sector manufacturing row (suppressed cells as 0)."""
    ship = store.table("kogyo_tokei", "pref_industry", KOGYO_VINTAGE)
    jsic = regional.crosswalk("jsic_sector").set_index("jsic_code")["sector_code"]
    return (ship.assign(sector_code=ship["industry_code_jsic"].map(jsic))
            .groupby(["pref_code", "sector_code"])["employees"].sum().unstack(fill_value=0))


def build_model(region: object, method: str = regional.DEFAULT_METHOD,
                delta: float = regional.DEFAULT_DELTA) -> regional.RegionalModel:
    """The regional model of a region (prefecture, 北陸3県, a 経済産業局 block …)."""
    reg = prefectures.region(region)
    t = national()
    out = prefecture_outputs()
    wide = out.pivot(index="pref_code", columns="sector_code", values="output_jpy_million")[list(t.codes)]
    xr = wide.loc[list(reg.pref_codes)].sum().to_numpy()
    xn = wide.sum().to_numpy()
    a = table.input_coefficients(t)
    m = table.import_coefficients(t)
    d = (1 - m)[:, None] * a
    rpc = regional.regional_coefficients(d, xr, xn, method, delta)
    s = (1 - m) * np.minimum(regional.slq(xr, xn), 1.0)
    cons = t.final_col("民間消費支出")
    emp = prefecture_employment().loc[list(reg.pref_codes)].sum()
    kog = kogyo_employees().reindex(list(reg.pref_codes)).sum()
    jobs = regional.jobs_per_million(emp, pd.Series(xr, index=list(t.codes)), kog)
    with np.errstate(divide="ignore", invalid="ignore"):
        comp = np.where(t.x > 0, t.va_row("雇用者所得") / t.x, 0.0)
    return regional.RegionalModel(
        region_key=reg.key, region_name_ja=reg.name_ja, pref_codes=reg.pref_codes, codes=t.codes, names=t.names,
        method=method, delta=delta, x_region=xr, x_nation=xn, slq=regional.slq(xr, xn), rpc=rpc,
        inverse=np.linalg.inv(np.eye(t.n) - rpc), supply_share=s, gva_ratio=table.gva_ratio(t),
        compensation_ratio=comp, consumption_shares=cons / cons.sum(), jobs_per_million=jobs.to_numpy(),
        national_inverse=table.leontief_inverse(a, m))
