"""Unknown notebook parameters are errors: the message lists the declared names and the closest match.

``--param targt_tfr=1.6`` must stop the run instead of silently running the defaults.
:func:`check_known` is used by :func:`hokuriku.reporting.notebooks.validate_parameters` (one notebook)
and by the ``reports`` command (several notebooks: a name must be declared by at least one of them).
"""

from __future__ import annotations

import difflib

from hokuriku.errors import ParameterError


def closest(name: str, declared) -> str | None:
    """The declared name most similar to ``name`` (difflib ratio ≥ 0.6), or None."""
    found = difflib.get_close_matches(str(name), sorted(declared), n=1, cutoff=0.6)
    return found[0] if found else None


def check_known(params, declared, *, where: str) -> None:
    """Raise :class:`ParameterError` for the first name of ``params`` not in ``declared``.

    The message names ``where`` (notebook or notebooks), the unknown name, the closest declared
    name and the full declared list.
    """
    unknown = [k for k in params if k not in declared]
    if not unknown:
        return
    hints = [f"{key!r} → {near!r}" for key in unknown if (near := closest(key, declared))]
    did_you_mean = f"; did you mean {', '.join(hints)}?" if hints else ""
    msg = f"{where}: unknown parameter(s) {unknown}{did_you_mean} Declared parameters: {sorted(declared)}"
    raise ParameterError(msg)
