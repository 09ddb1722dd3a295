"""How often would a reported line "explain" a gap by chance?

    python benchmarks/attribution_chance.py [CORPUS] [--draws N] [--seed S]

Every failed binding of the corpus (the shipped packs, --calc and --rollforwards on the
filings; the shipped packs on the FSDS quarters) is attributed as the product does it.
Then its gap is replaced by random amounts of the same size (the real gap times 10^u,
u uniform in [-0.3, 0.3], so between half and twice the gap, in whole rounding units
of the binding's finest fact) and the same search for a reported line is run against each. The share of
random gaps that some line "closes" is the chance rate; the share of real gaps closed is
printed beside it. A line that closes a gap by chance would make a real arithmetic error
look like a tagging choice, so the first figure must be small beside the second.

Sign and scale are not drawn at random: they test the binding's own terms (gap = 2 ×
a term, or a term × 999...), not a search over the filing's other facts.
"""

from __future__ import annotations

import os
import random
import sys
from dataclasses import replace
from decimal import Decimal

from checker.api import check
from checker.engine import attribution
from checker.engine.intervals import Interval, half_width
from checker.errors import CheckerError
from checker.loaders import load_filings

sys.path.insert(0, os.path.dirname(__file__))
from attribution_survey import filings  # noqa: E402

captured: list = []


class _Capturing(attribution.Attributor):
    def attribute(self, failed):
        found = super().attribute(failed)
        if failed.closes is not None:
            captured.append((self, failed, found))
        return found


def _faked(failed, gap: Decimal):
    """The same binding, with ``gap`` between its sides instead of the real one."""
    shift = failed.gap - gap

    def closes(amount):
        return failed.closes(amount + Interval.exact(shift))

    return replace(failed, gap=gap, closes=closes)


def main(args: list[str]) -> int:
    draws = int(args[args.index("--draws") + 1]) if "--draws" in args else 20
    rng = random.Random(int(args[args.index("--seed") + 1]) if "--seed" in args else 20261202)
    positional = [a for i, a in enumerate(args) if not a.startswith("-") and (i == 0 or not args[i - 1].startswith("-"))]
    corpus = positional[0] if positional else os.path.join(os.path.dirname(__file__), "..", "..", "shared", "corpus")
    attribution.Attributor = _Capturing  # the engine builds its attributor from the module
    import checker.engine as engine
    engine.Attributor = _Capturing
    for _, path, linkbases in filings(corpus):
        try:
            check(load_filings(path), calc="round" if linkbases else None, rollforwards=linkbases)
        except CheckerError:
            continue
    real = sum(1 for _, _, found in captured if found.kind == "reported-line")
    trials = explained = 0
    by_evidence: dict = {}
    for attributor, failed, _ in captured:
        # a gap is a whole number of the finest rounding unit among the binding's facts
        unit = max(min(2 * half_width(fact.decimals) for _, fact in failed.used), Decimal(1))
        for _ in range(draws):
            size = abs(failed.gap) * Decimal(10 ** rng.uniform(-0.3, 0.3))
            gap = (size / unit).to_integral_value() * unit * (1 if failed.gap > 0 else -1)
            if gap == 0:
                continue
            trials += 1
            found = attributor._line(_faked(failed, gap))
            if found is not None:
                explained += 1
                by_evidence[found.evidence] = by_evidence.get(found.evidence, 0) + 1
    print(f"{len(captured)} failed bindings where a line could close the gap; "
          f"{real} closed by a reported line ({real / max(len(captured), 1):.1%})")
    print(f"{trials} random gaps of the same size: {explained} closed by some line "
          f"({explained / max(trials, 1):.2%}); by evidence: {by_evidence}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
