"""Every violation the shipped packs report over the corpus, counted by attribution.

    python benchmarks/attribution_survey.py [CORPUS] [--list KIND...]

Each filing of the corpus (sec-filings, sec-inline-10k, sec-samples-synthetic,
more-filings) is checked with the shipped packs plus its own calculation linkbase
(``--calc``) and presentation roll-forwards (``--rollforwards``); each FSDS data set with
the shipped packs. Prints the counts by source and attribution, then every violation of
the kinds given with ``--list`` (default: arithmetic), with its arithmetic and its
attribution, for a verdict by hand.
"""

from __future__ import annotations

import glob
import os
import sys
import time
from collections import Counter

from checker.api import check
from checker.errors import CheckerError
from checker.loaders import load_filings

SOURCES = ("sec-filings/*", "sec-inline-10k/*", "sec-samples-synthetic/*", "more-filings/*")
DATA_SETS = ("fsds/quarter-2009q3/2009q3.zip", "fsds/quarter-2010q2/2010q2.zip", "fsds/aapl-10k-2024-fsds",
             "fsds/daily-20250701/20250701.zip")


def filings(corpus: str) -> list[tuple[str, str, bool]]:
    """(group, path, with linkbase checks) for every filing and data set of the corpus."""
    found = []
    for pattern in SOURCES:
        for path in sorted(glob.glob(os.path.join(corpus, pattern))):
            if os.path.isdir(path):
                found.append((pattern.split("/")[0], path, True))
    for data_set in DATA_SETS:
        path = os.path.join(corpus, data_set)
        if os.path.exists(path):
            found.append(("fsds", path, False))
    return found


def main(args: list[str]) -> int:
    listing = set(args[args.index("--list") + 1:]) if "--list" in args else {"arithmetic"}
    positional = [a for a in args[:args.index("--list")] if not a.startswith("-")] if "--list" in args \
        else [a for a in args if not a.startswith("-")]
    corpus = positional[0] if positional else os.path.join(os.path.dirname(__file__), "..", "..", "shared", "corpus")
    counts: Counter = Counter()
    by_rule: Counter = Counter()
    listed = []
    for group, path, linkbases in filings(corpus):
        start = time.perf_counter()
        try:
            loaded = load_filings(path)
            result = check(loaded, calc="round" if linkbases else None, rollforwards=linkbases)
        except CheckerError as exc:
            print(f"{os.path.relpath(path, corpus):60} refused: {exc}")
            continue
        seconds = time.perf_counter() - start
        here = Counter(v.attribution.kind for v in result.violations)
        print(f"{os.path.relpath(path, corpus):60} {len(result.violations):5} violations {seconds:6.1f}s  "
              + ", ".join(f"{kind} {n}" for kind, n in sorted(here.items())))
        for v in result.violations:
            source = "calc" if v.rule_id == "CALC" else "rollforward" if v.rule_id == "ROLLFORWARD" else "packs"
            counts[(group, source, v.attribution.kind)] += 1
            by_rule[(v.rule_id, v.attribution.kind)] += 1
            if v.attribution.kind in listing:
                listed.append((os.path.relpath(v.filing, corpus), v))
    print("\nby source and attribution")
    for (group, source, kind), n in sorted(counts.items()):
        print(f"  {group:22} {source:12} {kind:14} {n:5}")
    print(f"  {'all':22} {'':12} {'':14} {sum(counts.values()):5}")
    totals = Counter()
    for (_, _, kind), n in counts.items():
        totals[kind] += n
    print("  " + ", ".join(f"{kind} {n}" for kind, n in sorted(totals.items())))
    print("\nby rule and attribution")
    for (rule, kind), n in sorted(by_rule.items()):
        print(f"  {rule:40} {kind:14} {n:5}")
    print(f"\n{len(listed)} violations attributed {', '.join(sorted(listing))}")
    for where, v in listed:
        context = "  ".join(x for x in (v.period, v.unit, v.dimensions) if x)
        print(f"\n{where}  {v.rule_id}  {v.severity}  {context}\n  {v.title}\n  {v.explanation}\n"
              f"  {v.attribution.heading}: {v.attribution.text}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
