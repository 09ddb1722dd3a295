"""Rendered tables against the XBRL: every numeric cell of a filing's R pages must be a
fact the filing reports, as displayed (scale, sign and the digits shown applied).

A cell the XBRL does not support is a renderer or a copy that disagrees with the filing,
or a cell the R-page reader placed wrongly: either way a reader of the page is misled,
so each is a finding naming page, row and column.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

from ..loaders import Filing
from ..model import Fact
from ..results import Problem
from .wording import fact_use, fmt


@dataclass(frozen=True)
class RenderedComparison:
    cells: int           # numeric cells on the pages
    placed: int          # of which read as facts
    equal: int           # of which the XBRL reports, as displayed
    problems: tuple[Problem, ...]

    @property
    def note(self) -> str:
        return (f"rendered: {self.cells:,} numeric cells on the R pages, {self.placed:,} placed as facts, "
                f"{self.equal:,} equal to the XBRL's facts as displayed"
                + (f", {self.placed - self.equal:,} not" if self.placed != self.equal else ""))


def shows(cell: Fact, fact: Fact) -> bool:
    """Whether ``fact`` displays as ``cell`` shows it (rounded to the digits the cell shows)."""
    if not isinstance(fact.value, Decimal) or not isinstance(cell.value, Decimal):
        return False
    if fact.value == cell.value:
        return True
    places = Decimal(1).scaleb(-int(cell.decimals)) if isinstance(cell.decimals, int) else None
    if places is None:
        return False
    return any(fact.value.quantize(places, rounding=mode) == cell.value for mode in (ROUND_HALF_UP, ROUND_HALF_EVEN))


def compare_rendered(xbrl: Filing, rendered: Filing) -> RenderedComparison:
    """Every numeric cell the R pages show against the XBRL fact of the same concept,
    period, unit and dimensions (the entity is the filing's one)."""
    index: dict[tuple, list[Fact]] = {}
    for fact in xbrl.facts:
        if fact.unit is not None:
            index.setdefault((fact.concept, fact.period, fact.unit, fact.dimensions), []).append(fact)
    equal, problems = 0, []
    for cell in rendered.facts:
        found = index.get((cell.concept, cell.period, cell.unit, cell.dimensions), [])
        if any(shows(cell, fact) for fact in found):
            equal += 1
            continue
        where = f"{cell.source.file} {cell.source.place}"
        if found:
            reported = ", ".join(f"{fmt(fact.value)} ({fact.source})" for fact in found)
            message = f"{where} shows {fmt(cell.value)} for {cell.concept}; the XBRL reports {reported}"
        else:
            message = (f"{where} shows {fmt(cell.value)} for {cell.concept} at {cell.period}"
                       + (f" ({'; '.join(f'{a}={m}' for a, m in cell.dimensions)})" if cell.dimensions else "")
                       + f" in {cell.unit}; the XBRL reports no such fact")
        problems.append(Problem("rendered-mismatch", message, xbrl.path, None, "error",
                                (fact_use("page", cell), *(fact_use("xbrl", f) for f in found))))
    return RenderedComparison(rendered.numeric_cells, len(rendered.facts), equal, tuple(problems))
