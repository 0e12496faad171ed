"""House style and slide-ready charts: the only place that knows about fonts, colours and sizes.

Call :func:`use_house_style` once per notebook, then use :mod:`~hokuriku.plotting.charts`
(functions returning ``(fig, ax)``) and :mod:`~hokuriku.plotting.formats` (Japanese number formats).
"""

from hokuriku.plotting import charts, formats, style
from hokuriku.plotting.style import use_house_style

__all__ = ["charts", "formats", "style", "use_house_style"]
