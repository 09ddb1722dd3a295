"""The JSON report: ``CheckResult.to_dict()``, whose layout checker/schemas/result.schema.json documents."""

from __future__ import annotations

import json
from typing import IO

from ..results import CheckResult


def write(result: CheckResult, out: IO[str]) -> None:
    if len(result.filings) <= _PRETTY_FILINGS:
        json.dump(result.to_dict(), out, indent=2, ensure_ascii=False)
    else:
        # a batch report of thousands of filings: indented at the top, then one line per filing,
        # each encoded (by the C encoder: indenting is pure Python) and written in turn, so the
        # whole report never sits in memory as one tree
        head = json.dumps(result.to_dict(filings=False), indent=2, ensure_ascii=False)
        out.write(head[:-2] + ',\n  "filings": [\n')
        last = len(result.filings) - 1
        for index, filing in enumerate(result.filings):
            out.write("    " + json.dumps(filing.to_dict(), ensure_ascii=False) + (",\n" if index < last else "\n"))
        out.write("  ]\n}")
    out.write("\n")


_PRETTY_FILINGS = 100
