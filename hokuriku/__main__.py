"""``python -m hokuriku``: see :mod:`hokuriku.cli`."""

import sys

from hokuriku.cli import main

sys.exit(main())
