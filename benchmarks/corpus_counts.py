"""Numeric and total fact counts for every instance and inline document in the corpus.

    python benchmarks/corpus_counts.py [CORPUS]

Each document is loaded on its own (the folder/zip packages too), timing each load.
"""

from __future__ import annotations

import glob
import os
import sys
import time

from checker.errors import CheckerError
from checker.loaders import load_filing


def documents(corpus: str) -> list[str]:
    found = []
    for pattern in ("sec-filings/*/*.xml", "sec-filings/*/*.htm", "sec-filings/*/*.xml.zip",
                    "sec-samples-synthetic/*/*_htm.xml", "sec-samples-synthetic/*/*.zip",
                    "sec-inline-10k/*/*.html"):
        for path in sorted(glob.glob(os.path.join(corpus, pattern))):
            name = os.path.basename(path)
            if any(name.endswith(s) for s in ("_cal.xml", "_pre.xml", "_lab.xml", "_def.xml",
                                              "_lab.xml.zip", "_pre.xml.zip", ".xsd.xml")) \
                    or name in ("FilingSummary.xml",) or name.startswith("R") and name[1:2].isdigit() \
                    or name.endswith("-xbrl.zip"):
                continue
            found.append(path)
    return found


def main(corpus: str) -> int:
    failures = 0
    for path in documents(corpus):
        start = time.perf_counter()
        try:
            filing = load_filing(path)
        except CheckerError as exc:
            print(f"{os.path.relpath(path, corpus):75} ERROR {exc}")
            failures += 1
            continue
        seconds = time.perf_counter() - start
        numeric = sum(1 for f in filing.facts if f.is_numeric)
        print(f"{os.path.relpath(path, corpus):75} {filing.kind:8} numeric {numeric:5} "
              f"all {len(filing.facts):5} linkbases {len(filing.linkbases)} {seconds:6.2f}s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "../shared/corpus"))
