"""Which workbook a function was given, and last period's: the one way in for every
function that reads the plan (a path, a :class:`~ipxl.xlsx.model.Workbook` read
already, or an :class:`ipxl.Plan`), and the one rule for finding last period's file."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from .. import defaults as D
from .background import in_background
from .model import Settings, Source, Workbook
from .package import PackageInfo
from .reader import gc_paused, read_workbook


def previous_path(settings: Settings, given: str | Path | None = None) -> Path | None:
    """Last period's file: ``given`` when given, else the one Settings' ``Previous
    workbook`` names when something is there (a folder there is returned, for the
    reader to report), else None."""
    if given is not None:
        return Path(given)
    path = settings.previous_workbook
    return path if path is not None and path.exists() else None


def as_workbook(
    source: Source,
    sheets: Iterable[str] | None = None,
    *,
    columns: Mapping[str, Iterable[str]] | None = None,
) -> Workbook:
    """The workbook ``source`` stands for, in the one way every function that reads
    the plan takes it: a :class:`Workbook` as it is, an :class:`ipxl.Plan`'s workbook
    (anything holding a ``workbook``), or read from a path (``sheets`` and ``columns``
    only, when given)."""
    if isinstance(source, str | Path):
        return read_workbook(source, sheets, columns=columns)
    return source if isinstance(source, Workbook) else source.workbook


def previous_for(
    current: Workbook,
    previous: Source | None = None,
    sheets: Iterable[str] = D.PREVIOUS_SHEETS,
    columns: Mapping[str, Iterable[str]] | None = None,
) -> Workbook | None:
    """Last period's workbook for ``current``: ``previous`` when given (a Workbook or a
    path), else the file Settings' ``Previous workbook`` names when it exists
    (:func:`previous_path`), else None. A file is read for ``sheets`` only, and of
    those for ``columns`` only when given."""
    if previous is not None and not isinstance(previous, str | Path):
        return as_workbook(previous)
    path = previous_path(current.settings, previous)
    return None if path is None else read_workbook(path, sheets, columns=columns)


def as_pair(
    source: Source,
    previous: Source | None = None,
    sheets: Iterable[str] | None = None,
    *,
    columns: Mapping[str, Iterable[str]] | None = None,
    previous_sheets: Iterable[str] = D.PREVIOUS_SHEETS,
    previous_columns: Mapping[str, Iterable[str]] | None = None,
) -> tuple[Workbook, Workbook | None]:
    """The workbook ``source`` stands for (see :func:`as_workbook`) and last period's:
    ``previous`` when given, else an :class:`ipxl.Plan`'s own, else the file Settings
    name (a path is read with its previous on a thread of its own, see
    :func:`read_with_previous`)."""
    if not isinstance(source, str | Path):
        wb = as_workbook(source)
        if previous is None and not isinstance(source, Workbook):
            previous = getattr(source, "previous", None)  # a Plan's last period
        return wb, previous_for(wb, previous, previous_sheets, previous_columns)
    return read_with_previous(
        source,
        sheets,
        columns=columns,
        previous=previous,
        previous_sheets=previous_sheets,
        previous_columns=previous_columns,
    )


def read_with_previous(
    path: str | Path,
    sheets: Iterable[str] | None = None,
    *,
    columns: Mapping[str, Iterable[str]] | None = None,
    checked: PackageInfo | None = None,
    previous: Source | None = None,
    previous_sheets: Iterable[str] = D.PREVIOUS_SHEETS,
    previous_columns: Mapping[str, Iterable[str]] | None = None,
) -> tuple[Workbook, Workbook | None]:
    """The workbook at ``path`` (read as :func:`read_workbook` reads it) and last
    period's: ``previous`` when given (a Workbook, returned as it is, or a path), else
    the file its Settings name (:func:`previous_path`), else None; that one is read
    for ``previous_sheets`` and ``previous_columns``.

    Last period's file is read on a thread of its own from the moment the current
    Settings are known: the Rust parse and the inflating of its parts run while this
    thread turns the current cells into columns, so the pair costs about a third less
    than two reads in turn on a machine with two cores. Where no thread can start
    (Pyodide) it is read afterwards. A failure of the current workbook is raised
    first, as if the two were read in turn.
    """
    if previous is not None and not isinstance(previous, str | Path):
        return read_workbook(path, sheets, columns=columns, checked=checked), as_workbook(previous)
    pending: list[Callable[[], Workbook]] = []

    def start(settings: Settings) -> None:
        other = previous_path(settings, previous)
        if other is not None:
            pending.append(in_background(lambda: read_workbook(other, previous_sheets, columns=previous_columns)))

    with gc_paused():  # for both threads: the collector's state is the process's
        try:
            wb = read_workbook(path, sheets, columns=columns, checked=checked, on_settings=start)
        except Exception:
            for result in pending:  # no read left running; its own failure comes second
                with contextlib.suppress(Exception):
                    result()
            raise
        return wb, (pending[0]() if pending else None)
