"""``discheck facts`` output: the facts table as CSV or JSON (see ``checker.facttable``)."""

from __future__ import annotations

import csv
import json
from typing import IO, Iterable

from ..facttable import COLUMNS, fact_rows
from ..model import Fact


def write_csv(facts: Iterable[Fact], out: IO[str]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows([row[column] for column in COLUMNS] for row in fact_rows(facts))


def write_json(facts: Iterable[Fact], out: IO[str], documents: list[str] | None = None) -> None:
    rows = fact_rows(facts)
    out.write("{\n")
    out.write(f'  "documents": {json.dumps(documents or [])},\n')
    out.write('  "facts": [')
    # one row per line: diff-friendly, and the table loader finds each row's line
    out.write(",".join("\n    " + json.dumps(row, ensure_ascii=False) for row in rows))
    out.write("\n  ]\n}\n")

