"""hokuriku: regional-economy analytics for Japanese prefectures and 経済産業局 blocks.

Layers (see ``docs/`` and the style guide):

- :mod:`hokuriku.manifest` resolves raw files declared in ``data/raw/**/MANIFEST.yml``
  (local copy, mirror folder, or verified download) and refuses files whose sha256 differs.
- :mod:`hokuriku.sources` holds one module per official publication, each with a pure
  ``parse()``.
- :mod:`hokuriku.store` builds the tidy parquet tables in ``data/processed``.
- :mod:`hokuriku.indicators`, :mod:`hokuriku.projection`, :mod:`hokuriku.typology` are pure
  functions on tidy frames.
- :mod:`hokuriku.plotting` is the house style.
"""

__version__ = "0.1.0"
