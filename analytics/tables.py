"""A figure table as the page, the CSV export and the printed report all show it."""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass

Cell = str | int | float


@dataclass(frozen=True)
class Table:
    """Named columns and rows of plain values; `total` is an optional last line.

    `columns` are shown in the reader's language; `keys`, when given, are the same columns'
    English names, which charts look columns up by whatever language the table is in.
    """

    slug: str
    title: str
    columns: tuple[str, ...]
    rows: list[tuple[Cell, ...]]
    note: str = ""
    total: tuple[Cell, ...] | None = None
    empty: str = "Nothing in this period."
    keys: tuple[str, ...] = ()

    def column(self, name: str) -> list[Cell]:
        """One column's values, without the total; `name` as in `keys` (else `columns`)."""
        index = (self.keys or self.columns).index(name)
        return [row[index] for row in self.rows]

    def csv(self) -> str:
        """The table as CSV (header line, rows, total), what the export link downloads."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.columns)
        writer.writerows([show(c) for c in row] for row in self.rows)
        if self.total is not None:
            writer.writerow([show(c) for c in self.total])
        return out.getvalue()

    def text(self) -> str:
        """The table as aligned plain text for the terminal."""
        lines = [self.columns, *self.rows] + ([self.total] if self.total is not None else [])
        cells = [[show(c) for c in line] for line in lines]
        widths = [max(_width(line[i]) for line in cells) for i in range(len(self.columns))]
        # Words read from the left, numbers line up on the right.
        left = [i == 0 or any(_is_text(row[i]) for row in self.rows) for i in range(len(widths))]
        rendered = [
            "  ".join(
                c + " " * (w - _width(c)) if left[i] else " " * (w - _width(c)) + c
                for i, (c, w) in enumerate(zip(line, widths, strict=True))
            ).rstrip()
            for line in cells
        ]
        body = rendered if self.rows else [rendered[0], self.empty]
        return "\n".join([self.title, *body])


def show(cell: Cell) -> str:
    """A cell as people read it: whole numbers without '.0', others with one decimal."""
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else f"{cell:.1f}"
    return str(cell)


def _width(text: str) -> int:
    """Columns `text` takes in a terminal: Hangul and other wide letters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _is_text(cell: Cell) -> bool:
    return isinstance(cell, str) and cell != "-"
