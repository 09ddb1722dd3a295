"""Compare the facts of an inline XBRL document with those of its extracted instance.

    python benchmarks/compare_forms.py INLINE INSTANCE

Prints how many facts agree one for one on (concept, entity, period, dimensions,
unit, value, decimals), numeric and non-numeric separately, and every difference.
"""

from __future__ import annotations

import sys
from collections import Counter

from checker.loaders import load_filing


def key(fact):
    return (fact.concept, fact.entity, fact.period, fact.dimensions, fact.unit, fact.value, fact.decimals)


def compare(inline_path: str, instance_path: str, show: int = 15) -> bool:
    a, b = load_filing(inline_path).facts, load_filing(instance_path).facts
    ok = True
    for label, pick in (("numeric", lambda f: f.is_numeric), ("non-numeric", lambda f: not f.is_numeric)):
        ca = Counter(key(f) for f in a if pick(f))
        cb = Counter(key(f) for f in b if pick(f))
        only_a, only_b = ca - cb, cb - ca
        same = sum((ca & cb).values())
        print(f"{label:12} inline {sum(ca.values()):5}  instance {sum(cb.values()):5}  "
              f"identical {same:5}  only-inline {sum(only_a.values()):4}  only-instance {sum(only_b.values()):4}")
        for k in list(only_a)[:show]:
            print("   only inline:  ", str(k[0]), k[2], str(k[5])[:80].replace("\n", " "))
        for k in list(only_b)[:show]:
            print("   only instance:", str(k[0]), k[2], str(k[5])[:80].replace("\n", " "))
        if label == "numeric" and (only_a or only_b):
            ok = False
    return ok


if __name__ == "__main__":
    sys.exit(0 if compare(sys.argv[1], sys.argv[2]) else 1)
