"""How tables look in the rendered reports: Japanese headers, thousands separators, no index or dtypes.

A notebook ends a cell with a DataFrame (or Series) to show it. Left to pandas, the HTML report then
prints the row index numbers, the machine column names (``population_persons``) and, for a
Series, ``Name: …, dtype: float64``. :func:`install` (called by
:func:`hokuriku.plotting.style.use_house_style` inside a kernel) registers :func:`to_html` as the
HTML formatter of DataFrames and Series, so every table in every report is shown the same way
without code in the notebooks:

- machine column names → Japanese (:data:`hokuriku.reporting.labels.COLUMN_LABELS_JA`);
  helper columns holding English keys (:data:`HIDDEN_COLUMNS`) are not shown (the CSV keeps them);
- a meaningful (named) index becomes ordinary columns; a plain 0…n−1 index is not shown;
- numbers with thousands separators, floats with one decimal unless all are whole; years, codes
  and ranks as they are;
- at most :data:`MAX_ROWS` rows, with a line saying how many there are (the CSV has them all).
"""

from __future__ import annotations

import html
import math
import numbers

import pandas as pd

from hokuriku.reporting.labels import COLUMN_LABELS_JA

MAX_ROWS = 60
HIDDEN_COLUMNS = frozenset({"industry_key", "unit_code", "area_kind", "age3", "pair", "status", "source"})
"""Columns that repeat, as English keys, what a Japanese column beside them says."""
_PLAIN_SUFFIXES = ("年", "年度", "期首", "期末", "順位", "コード", "code", "year", "rank")
INDEX_LABELS = {"scenario": "シナリオ", "year": "年", "area_code": "地域コード", "item": "項目"}


def _label(name: object) -> str:
    if isinstance(name, tuple):
        return " ".join(_label(n) for n in name if str(n))
    text = str(name)
    return COLUMN_LABELS_JA.get(text, INDEX_LABELS.get(text, text))


def _plain(name: str) -> bool:
    return name.endswith(_PLAIN_SUFFIXES) or "コード" in name or "順位" in name


def frame_for_display(obj: pd.DataFrame | pd.Series) -> pd.DataFrame:
    """The table as the report shows it (strings): Japanese headers, formatted numbers, no plain index."""
    df = obj.to_frame() if isinstance(obj, pd.Series) else obj
    if isinstance(obj, pd.Series) and (obj.name is None or str(obj.name) in ("0", "")):
        df.columns = ["値"]
    named = any(n is not None for n in df.index.names)
    if not named and not isinstance(df.index, pd.RangeIndex):  # e.g. a transposed table: rows are items
        df = df.copy()
        df.index = pd.Index([_label(i) for i in df.index], name="項目")
        named = True
    df = df.reset_index() if named else df
    if isinstance(df.columns, pd.MultiIndex):
        df.columns = [_label(c) for c in df.columns]
    df = df[[c for c in df.columns if str(c) not in HIDDEN_COLUMNS]]
    out = pd.DataFrame({_label(c): _column(df[c], _label(c)) for c in df.columns}, index=range(len(df)))
    if out.columns.duplicated().any():
        out.columns = [f"{c}（{i}）" if dup else c for i, (c, dup) in
                       enumerate(zip(out.columns, out.columns.duplicated(), strict=True))]
    return out


def _column(series: pd.Series, name: str) -> list[str]:
    values = series.tolist()
    if _plain(name) or not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
        return [_text(v, plain=True) for v in values]
    finite = [float(v) for v in values if isinstance(v, numbers.Number) and not _missing(v)]
    digits = 0 if all(v.is_integer() for v in finite) else 1
    if digits and finite and max(abs(v) for v in finite) < 0.1:
        digits = 4
    return [_text(v, digits=digits) for v in values]


def _missing(v: object) -> bool:
    try:
        return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))
    except TypeError:  # pragma: no cover - exotic scalars
        return False


def _text(v: object, *, plain: bool = False, digits: int = 0) -> str:
    if _missing(v):
        return ""
    if isinstance(v, bool):
        return "はい" if v else "いいえ"
    if plain:
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v)
    if isinstance(v, numbers.Number):
        from hokuriku.plotting.formats import fmt_number  # noqa: PLC0415

        return fmt_number(float(v), digits, negative="−")
    return str(v)


def to_html(obj: pd.DataFrame | pd.Series) -> str:
    """HTML of a table as the report shows it (see the module docstring)."""
    shown = frame_for_display(obj)
    more = len(shown) - MAX_ROWS
    shown = shown.head(MAX_ROWS)
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in shown.columns)
    rows = []
    for row in shown.itertuples(index=False):
        cells = []
        for v in row:
            num = bool(v) and v.replace(",", "").replace(".", "").lstrip("−").isdigit()
            style = ' style="text-align: right"' if num else ""
            cells.append(f"<td{style}>{html.escape(v)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    note = f"<p>（先頭{MAX_ROWS}行を表示。全{MAX_ROWS + more:,}行はCSVにあります）</p>" if more > 0 else ""
    return (f'<table class="dataframe hokuriku-table"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>{note}")


def to_text(obj: pd.DataFrame | pd.Series) -> str:
    """Plain-text rendering (no index, Japanese headers) for consoles and the notebook's text/plain."""
    return frame_for_display(obj).head(MAX_ROWS).to_string(index=False)


def install(shell=None) -> bool:
    """Register :func:`to_html` / :func:`to_text` for DataFrames and Series in the IPython shell.

    Returns False outside IPython (nothing to do).
    """
    if shell is None:
        try:
            from IPython import get_ipython  # noqa: PLC0415
        except ImportError:  # pragma: no cover - IPython comes with jupyterlab
            return False
        shell = get_ipython()
    if shell is None:
        return False
    formatters = shell.display_formatter.formatters
    for kind in (pd.DataFrame, pd.Series):
        formatters["text/html"].for_type(kind, to_html)
        formatters["text/plain"].for_type(kind, lambda obj, p, cycle: p.text(to_text(obj)))
    return True
