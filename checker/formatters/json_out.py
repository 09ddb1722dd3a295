"""The JSON report: ``CheckResult.to_dict()``, whose layout checker/schemas/result.schema.json documents."""

from __future__ import annotations

import json
from typing import IO

from ..results import CheckResult


def write(result: CheckResult, out: IO[str]) -> None:
    document = result.to_dict()
    if len(document["filings"]) <= _PRETTY_FILINGS:
        json.dump(document, out, indent=2, ensure_ascii=False)
    else:
        # a batch report of thousands of filings: indented at the top, one line per filing, so
        # that the C encoder writes it (indenting is pure Python, three times slower)
        filings = document.pop("filings")
        head = json.dumps(document, indent=2, ensure_ascii=False)
        out.write(head[:-2] + ',\n  "filings": [\n')
        for index, filing in enumerate(filings):
            out.write("    " + json.dumps(filing, ensure_ascii=False) + (",\n" if index + 1 < len(filings) else "\n"))
        out.write("  ]\n}")
    out.write("\n")


_PRETTY_FILINGS = 100
