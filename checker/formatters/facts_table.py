"""``discheck facts`` output: the facts table as CSV or JSON (see ``checker.facttable``)."""

from __future__ import annotations

import csv
import json
from typing import IO, Iterable

from ..facttable import COLUMNS, fact_to_row
from ..model import Fact


def write_csv(facts: Iterable[Fact], out: IO[str]) -> None:
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for fact in facts:
        writer.writerow(fact_to_row(fact))


def write_json(facts: Iterable[Fact], out: IO[str], documents: list[str] | None = None) -> None:
    rows = [fact_to_row(fact) for fact in facts]
    out.write("{\n")
    out.write(f'  "documents": {json.dumps(documents or [])},\n')
    out.write('  "facts": [')
    # one row per line: diff-friendly, and the table loader finds each row's line
    out.write(",".join("\n    " + json.dumps(row, ensure_ascii=False) for row in rows))
    out.write("\n  ]\n}\n")

