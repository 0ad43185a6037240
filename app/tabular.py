"""CSV as spreadsheets read it: a header, then one line per row, produced row by row so a long
list is sent while it is being written."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[str]:
    """The header line, then one line per row; None becomes an empty cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in _chain(header, rows):
        writer.writerow(["" if value is None else value for value in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def _chain(header: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[Sequence[object]]:
    yield header
    yield from rows


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    return "".join(csv_lines(header, rows))


def joined(values: Iterable[object]) -> str:
    """Several values in one cell, as spreadsheets split them: separated by "; "."""
    return "; ".join(str(v) for v in values)
