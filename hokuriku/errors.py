"""Exceptions with messages that name the file, sheet, row or column and what was expected.

Style (OWID / osmnx): ``msg = ...; raise SomeError(msg)``; each message says what was expected
and what was found, so an analyst facing a new release knows what changed.
"""

from __future__ import annotations

from pathlib import Path


class HokurikuError(Exception):
    """Base class of every error raised by the package."""


class RawDataError(HokurikuError):
    """A raw file does not look like the publication's layout, or holds an unreadable value."""

    def __init__(
        self,
        file: str | Path,
        expected: str,
        *,
        found: object = None,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.file = str(file)
        self.sheet = sheet
        self.row = row
        self.column = column
        self.expected = expected
        self.found = found
        where = [f"file {Path(self.file).name!s}"]
        if sheet is not None:
            where.append(f"sheet {sheet!r}")
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        msg = f"{', '.join(where)}: expected {expected}"
        if found is not None:
            msg += f", found {found!r}"
        super().__init__(msg)


class LayoutError(RawDataError):
    """The header or sheet layout changed (e.g. a new release renamed or moved a column)."""


class EncodingError(RawDataError):
    """The bytes are not in the encoding the publisher uses for this file."""


class ChecksumError(HokurikuError):
    """A raw file's sha256 or size differs from its manifest entry: it is refused, never parsed."""


class MissingRawDataError(HokurikuError):
    """One or more raw files could not be found locally, in the mirror, or downloaded."""

    def __init__(self, missing: list[tuple[str, str, str | None]]) -> None:
        self.missing = missing
        lines = [
            "Raw data files are missing (no local copy in data/raw, not found in the mirror "
            "folder named by HOKURIKU_MIRROR, and downloading is off or failed):"
        ]
        for where, name, url in missing:
            lines.append(f"  - {where}/{name}  <- {url or 'no official download URL: obtain it by hand'}")
        lines.append(
            "Set HOKURIKU_MIRROR to a folder holding these files (e.g. ../shared/datasets), "
            "copy them into data/raw/<source>/<vintage>/, or run `python -m hokuriku fetch` online."
        )
        super().__init__("\n".join(lines))


class SetupError(HokurikuError):
    """The environment is not set up (mirror folder missing, dependency absent): says what to do."""


class ParameterError(HokurikuError, ValueError):
    """A notebook or API parameter is unknown, ill-typed or out of range."""


class InputError(HokurikuError, ValueError):
    """Analyst-supplied input (rates, firm tables, areas) is invalid."""


class NotebookError(HokurikuError):
    """A notebook failed while running: the message names the notebook, region, cell and error."""
