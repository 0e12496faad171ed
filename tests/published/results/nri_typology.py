"""NRI's placements of its own examples on the agglomeration-type map (reference for the proxy).

Source: 野村総合研究所「地域産業集積の類型整理」(report to 経済産業省), as summarised in the project
spec ``../shared/spec/REPRODUCE.md`` §4 (the report itself is not in the data at hand, so no page
number can be given). NRI's classification is qualitative; what is reproduced here is only *where*
NRI put each example, with each example mapped to data as follows:

- 広島県 輸送用機械 → A-1 内発型（大企業牽引型）: area ``hiroshima``, focal industry ``transport_equipment``;
- 富山県 医薬品 → A-2 内発型（特定産業集積型）: area ``toyama``, focal ``chemicals`` (医薬品 is a
  小分類 of 化学工業; no 中分類-level series isolates it);
- 北上川流域 → B 外発型（誘致先行型）: area ``kitakami_basin`` (岩手中部・胆江・両磐 + 登米);
- 北勢地域 → B: area ``hokusei``.
"""

NRI_PLACEMENTS = {
    "hiroshima": ("transport_equipment", "A-1"),
    "toyama": ("chemicals", "A-2"),
    "kitakami_basin": (None, "B"),  # focal industry: the area's largest (panel group) in the end year
    "hokusei": (None, "B"),
}

WINDOW_LONG = (1971, 2012)  # 内閣府「選択する未来」委員会 municipal shipments panel (Kondo, RIETI), 百万円
YEARS_INDUSTRY = tuple(range(2001, 2013))  # 工業統計 市区町村・産業中分類 (Kondo, RIETI)
LQ_YEAR = 2019  # 工業統計 地域別統計表 表3-01 (2020年確報), prefecture × 中分類
