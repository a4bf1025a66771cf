"""A figure table as the page, the CSV export and the printed report all show it."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

Cell = str | int | float


@dataclass(frozen=True)
class Table:
    """Named columns and rows of plain values; `total` is an optional last line."""

    slug: str
    title: str
    columns: tuple[str, ...]
    rows: list[tuple[Cell, ...]]
    note: str = ""
    total: tuple[Cell, ...] | None = None
    empty: str = "Nothing in this period."

    def column(self, name: str) -> list[Cell]:
        """One column's values, without the total."""
        index = self.columns.index(name)
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
        widths = [max(len(line[i]) for line in cells) for i in range(len(self.columns))]
        # Words read from the left, numbers line up on the right.
        left = [i == 0 or any(_is_text(row[i]) for row in self.rows) for i in range(len(widths))]
        rendered = [
            "  ".join(
                c.ljust(w) if left[i] else c.rjust(w)
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


def _is_text(cell: Cell) -> bool:
    return isinstance(cell, str) and cell != "-"
