"""Report assembly: functions that combine processed store tables into the tables of a report.

One module per report topic; each has a ``build(region, ...)`` that the matching notebook calls
(the notebook itself holds no logic, STYLE.md B4) and pure assembly functions that take tidy
frames and are unit-tested with inline frames:

- :mod:`hokuriku.analysis.overview` — 北陸地域の経済指標（総括） (notebook ``10_regional_share``)
- :mod:`hokuriku.analysis.structure` — 経済活動別の産業構造 (notebook ``20_economic_structure``)
- :mod:`hokuriku.analysis.manufacturing` — 製造品出荷額等 (notebook ``30_manufacturing``)
- :mod:`hokuriku.analysis.population` — population history, projection, what-if (``40_population``)
- :mod:`hokuriku.analysis.agglomeration` — NRI 地域産業集積の類型 (``50_agglomeration``)
- :mod:`hokuriku.analysis.cluster` — クラスター計画の指標 (``60_cluster_kpi``)

Submodules are not imported here, so ``import hokuriku.analysis`` stays cheap; import the topic
module you need (``from hokuriku.analysis import overview``).
"""
