"""Named areas: lists of municipalities (at a stated boundary date) or of prefectures.

An *area* is what NRI's 地域産業集積 figures plot: 北上川流域 (岩手中部・胆江・両磐 and 登米), 北勢地域,
浜松市, 広島県, a 北陸 prefecture, 北陸3県. Areas live in ``hokuriku/codes/data/areas.yml``, which
analysts edit; this module reads and validates it. Each area has

- ``kind``: ``"municipalities"`` (5-digit 全国地方公共団体コード, no check digit) or ``"prefectures"``
  (2-digit JIS X 0401 codes, or ``region:`` naming a region of :mod:`hokuriku.codes.prefectures`);
- ``boundary_date``: the date at which municipal codes are valid (older codes reach it through the
  merger crosswalk, never by listing them here);
- optional ``groups`` (named sub-areas, e.g. 岩手中部 / 胆江 / 両磐) whose union is ``members``;
- optional ``milestones``: ``[{year, label, source}]`` policy events for chart annotations. A
  milestone without a ``source`` is refused: no uncited facts on a slide;
- membership that changes over time: a member may be given as ``{name: …, from: YYYY, until: YYYY}``
  (both optional, inclusive calendar/survey years). Series and composition count a member only in
  the years it belongs (:meth:`Area.is_member`); e.g. NRI's 北上川流域 counts 迫地区 from 2000;
- optional ``nri``: how the NRI report defined the area's figure (figure, definition, years,
  industries, source line), as written in ``../shared/spec/NRI_FIGURES.md``.

Errors name the file, the YAML line and the key path (``areas.hokusei.members[3]``) and say what
was expected (OWID ``countries.json`` validation style).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from hokuriku import paths
from hokuriku.codes import prefectures
from hokuriku.errors import InputError

AREAS_FILE = paths.CODES_DATA / "areas.yml"
KINDS = ("municipalities", "prefectures")
_MUNI = re.compile(r"^\d{5}$")
_PREF = re.compile(r"^\d{2}$")


@dataclass(frozen=True)
class Milestone:
    """A dated policy event to annotate (year, label, citation)."""

    year: int
    label: str
    source: str


@dataclass(frozen=True)
class Area:
    """A named set of municipalities or prefectures."""

    key: str
    name_ja: str
    kind: str
    members: tuple[str, ...]
    name_en: str = ""
    boundary_date: str | None = None
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    member_names: dict[str, str] = field(default_factory=dict)
    milestones: tuple[Milestone, ...] = ()
    note: str = ""
    periods: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)
    """Members that belong only in some years: code → (from, until), inclusive; None = open."""
    nri: dict = field(default_factory=dict)
    """NRI's own definition of the area's figure (keys figure, definition, years, industries, source)."""

    def is_member(self, code: str, year: int) -> bool:
        """Tell whether ``code`` belongs to the area in ``year`` (members without a period always do)."""
        if code not in self.members:
            return False
        start, end = self.periods.get(code, (None, None))
        return (start is None or year >= start) and (end is None or year <= end)

    def members_in(self, year: int) -> tuple[str, ...]:
        """Return the members of ``year``."""
        return tuple(c for c in self.members if self.is_member(c, year))

    def membership_note_ja(self) -> str:
        """Chart note on membership changes (e.g. 「登米市（迫地区）は2000年から合算」); "" if membership is fixed."""
        parts = []
        for code, (start, end) in sorted(self.periods.items()):
            name = self.member_names.get(code, code)
            if start is not None and end is not None:
                parts.append(f"{name}は{start}〜{end}年のみ合算")
            elif start is not None:
                parts.append(f"{name}は{start}年から合算")
            elif end is not None:
                parts.append(f"{name}は{end}年まで合算")
        return "、".join(parts)

    @property
    def pref_codes(self) -> tuple[str, ...]:
        """The prefectures the area touches (two-digit codes, sorted)."""
        return tuple(sorted({m[:2] for m in self.members}))

    @property
    def is_municipal(self) -> bool:
        return self.kind == "municipalities"

    def group_of(self, code: str) -> str | None:
        """Name of the sub-area holding ``code`` (None if the area has no groups)."""
        for name, codes in self.groups.items():
            if code in codes:
                return name
        return None

    def membership(self) -> list[dict]:
        """One record per member: area_id, member code, group and name (for joins)."""
        col = "muni_code" if self.is_municipal else "pref_code"
        return [
            {"area_id": self.key, col: c, "group": self.group_of(c), "member_name": self.member_names.get(c),
             "from_year": self.periods.get(c, (None, None))[0], "until_year": self.periods.get(c, (None, None))[1]}
            for c in self.members
        ]


class _Ctx:
    """Key path → YAML line lookup, for error messages."""

    def __init__(self, file: Path, text: str) -> None:
        self.file = file
        self.lines: dict[tuple, int] = {}
        try:
            node = yaml.compose(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"line {mark.line + 1}" if mark else "unknown line"
            msg = f"{file}: malformed YAML at {where}: {getattr(exc, 'problem', exc)}"
            raise InputError(msg) from exc
        if node is not None:
            self._walk(node, ())

    def _walk(self, node, path: tuple) -> None:
        self.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                self._walk(v, (*path, k.value))
                self.lines.setdefault((*path, k.value), k.start_mark.line + 1)
        elif isinstance(node, yaml.SequenceNode):
            for i, v in enumerate(node.value):
                self._walk(v, (*path, i))

    def fail(self, path: tuple, expected: str, found: object = None) -> None:
        p = path
        while p and p not in self.lines:
            p = p[:-1]
        line = self.lines.get(p, "?")
        dotted = ".".join(f"[{k}]" if isinstance(k, int) else str(k) for k in path).replace(".[", "[")
        msg = f"{self.file.name} line {line} ({dotted}): expected {expected}"
        if found is not None:
            msg += f", found {found!r}"
        raise InputError(msg)


def _period(ctx: _Ctx, where: tuple, spec: dict) -> tuple[str | None, tuple[int | None, int | None]]:
    """``{name, from, until}`` → (name, (from, until)), validated."""
    extra = set(spec) - {"name", "from", "until"}
    if extra:
        ctx.fail(where, "a member mapping with keys name, from, until", sorted(extra))
    years = []
    for key in ("from", "until"):
        v = spec.get(key)
        if v is not None and (not isinstance(v, int) or isinstance(v, bool) or not 1900 <= v <= 2100):
            ctx.fail((*where, key), "a year (integer, e.g. 2000)", v)
        years.append(v)
    if years[0] is not None and years[1] is not None and years[0] > years[1]:
        ctx.fail(where, "from ≤ until", f"{years[0]} > {years[1]}")
    name = spec.get("name")
    return (None if name is None else str(name)), (years[0], years[1])


def _codes(ctx: _Ctx, path: tuple, raw: object, kind: str, known: set[str] | None,
           periods: dict | None = None) -> dict[str, str | None]:
    """Members given as a list of codes or a mapping code → name (or → {name, from, until}); validated."""
    if isinstance(raw, dict):
        items = []
        for k, v in raw.items():
            if isinstance(v, dict):
                name, span = _period(ctx, (*path, str(k)), v)
                if periods is not None and span != (None, None):
                    periods[str(k)] = span
                items.append((str(k), name))
            else:
                items.append((str(k), None if v is None else str(v)))
    elif isinstance(raw, list):
        items = [(str(k), None) for k in raw]
    else:
        ctx.fail(path, "a list of codes or a mapping code: name", raw)
    pattern, what = (_MUNI, "a 5-digit municipal code") if kind == "municipalities" else (_PREF, "a 2-digit code")
    pref_ok = set(prefectures.table()["pref_code"])
    out: dict[str, str | None] = {}
    for i, (code, name) in enumerate(items):
        where = (*path, code) if isinstance(raw, dict) else (*path, i)
        if not pattern.match(code):
            ctx.fail(where, f"{what} as a quoted string (e.g. \"03206\")", code)
        if code[:2] not in pref_ok:
            ctx.fail(where, "a code whose first two digits are a prefecture 01–47", code)
        if known is not None and kind == "municipalities" and code not in known:
            ctx.fail(where, "a municipal code valid at the area's boundary_date", code)
        if code in out:
            ctx.fail(where, "each code once", code)
        out[code] = name
    if not out:
        ctx.fail(path, "at least one member")
    return out


def _area(ctx: _Ctx, key: str, spec: object, known: set[str] | None) -> Area:
    base = ("areas", key)
    if not isinstance(spec, dict):
        ctx.fail(base, "a mapping with name_ja, kind and members", spec)
    for req in ("name_ja", "kind"):
        if req not in spec:
            ctx.fail(base, f"key {req!r}")
    kind = spec["kind"]
    if kind not in KINDS:
        ctx.fail((*base, "kind"), f"one of {KINDS}", kind)
    names: dict[str, str | None] = {}
    groups: dict[str, tuple[str, ...]] = {}
    periods: dict[str, tuple[int | None, int | None]] = {}
    if "region" in spec:
        if kind != "prefectures":
            ctx.fail((*base, "region"), "region only for kind: prefectures", spec["region"])
        try:
            names = dict.fromkeys(prefectures.region(spec["region"]).pref_codes)
        except Exception as exc:  # ParameterError: say where it came from
            ctx.fail((*base, "region"), f"a region name known to hokuriku.codes.prefectures ({exc})", spec["region"])
    elif "groups" in spec:
        if not isinstance(spec["groups"], dict) or not spec["groups"]:
            ctx.fail((*base, "groups"), "a mapping group name: members", spec["groups"])
        for g, raw in spec["groups"].items():
            codes = _codes(ctx, (*base, "groups", g), raw, kind, known, periods)
            for c in codes:
                if c in names:
                    ctx.fail((*base, "groups", g), "each code in one group only", c)
            names.update(codes)
            groups[str(g)] = tuple(codes)
    elif "members" in spec:
        names = _codes(ctx, (*base, "members"), spec["members"], kind, known, periods)
    else:
        ctx.fail(base, "one of 'members', 'groups' or 'region'")
    if kind == "municipalities" and not spec.get("boundary_date"):
        ctx.fail(base, "key 'boundary_date' (the date at which the municipal codes are valid)")
    milestones = []
    for i, m in enumerate(spec.get("milestones") or []):
        where = (*base, "milestones", i)
        if not isinstance(m, dict) or not {"year", "label", "source"} <= set(m):
            ctx.fail(where, "a mapping with year, label and source (cite it, or leave milestones empty)", m)
        if not isinstance(m["year"], int) or not 1868 <= m["year"] <= 2100:
            ctx.fail((*where, "year"), "a calendar year (integer)", m["year"])
        if not str(m["source"]).strip():
            ctx.fail((*where, "source"), "a citation (publisher, title, URL)")
        milestones.append(Milestone(int(m["year"]), str(m["label"]), " ".join(str(m["source"]).split())))
    return Area(
        key=key,
        name_ja=str(spec["name_ja"]),
        name_en=str(spec.get("name_en") or ""),
        kind=kind,
        members=tuple(sorted(names)),
        boundary_date=None if spec.get("boundary_date") is None else str(spec["boundary_date"]),
        groups=groups,
        member_names={c: n for c, n in names.items() if n},
        milestones=tuple(sorted(milestones, key=lambda m: m.year)),
        note=" ".join(str(spec.get("note") or "").split()),
        periods=periods,
        nri=_nri(ctx, base, spec.get("nri")),
    )


NRI_KEYS = ("figure", "definition", "years", "industries", "source", "breaks")


def _nri(ctx: _Ctx, base: tuple, raw: object) -> dict:
    if raw is None:
        return {}
    if not isinstance(raw, dict) or not {"figure", "definition", "source"} <= set(raw):
        ctx.fail((*base, "nri"), "a mapping with figure, definition and source (NRI_FIGURES.md)", raw)
    extra = set(raw) - set(NRI_KEYS)
    if extra:
        ctx.fail((*base, "nri"), f"only the keys {NRI_KEYS}", sorted(extra))
    years = raw.get("years")
    valid = isinstance(years, list) and len(years) == 2 and all(isinstance(y, int) for y in years)
    if years is not None and not valid:
        ctx.fail((*base, "nri", "years"), "[first, last] years", years)
    return {k: (" ".join(str(v).split()) if isinstance(v, str) else v) for k, v in raw.items()}


def load_areas(path: str | Path | None = None, *, known_codes: set[str] | None = None) -> dict[str, Area]:
    """Read and validate an areas file (default: the shipped ``areas.yml``).

    Parameters
    ----------
    path
        YAML file; ``None`` reads ``hokuriku/codes/data/areas.yml``.
    known_codes
        Optional set of municipal codes valid at the boundary date (e.g. from the municipality
        converter); when given, any member not in it is refused as unknown.

    Returns
    -------
    dict
        Area key → :class:`Area`, in file order.
    """
    file = Path(path) if path is not None else AREAS_FILE
    text = file.read_text(encoding="utf-8")
    ctx = _Ctx(file, text)
    data = yaml.safe_load(text)
    if not isinstance(data, dict) or not isinstance(data.get("areas"), dict):
        ctx.fail(("areas",), "a top-level mapping 'areas:' of area key → definition", type(data).__name__)
    out = {}
    for key, spec in data["areas"].items():
        if not re.match(r"^[a-z][a-z0-9_]*$", str(key)):
            ctx.fail(("areas", key), "an area key in lower-case ASCII (letters, digits, _)", key)
        out[str(key)] = _area(ctx, str(key), spec, known_codes)
    return out


def get(key_or_name: str, areas: dict[str, Area] | None = None) -> Area:
    """One area by key (``"hokusei"``) or Japanese name (``"北勢地域"``)."""
    areas = areas if areas is not None else load_areas()
    if key_or_name in areas:
        return areas[key_or_name]
    for a in areas.values():
        if a.name_ja == key_or_name:
            return a
    msg = f"Unknown area {key_or_name!r}; defined: {[f'{k} ({a.name_ja})' for k, a in areas.items()]}"
    raise InputError(msg)
