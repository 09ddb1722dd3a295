"""Every violation the shipped packs report on the SEC Financial Statement Data Sets in
the corpus, classified by the filer errors that explain it, each with its evidence.

    python benchmarks/fsds_findings.py [ZIP...]

A pattern explains a violation only when the filing's own facts make the identity hold
exactly once the pattern is applied (within the same rounding as the rule).
"""

from __future__ import annotations

import itertools
import sys
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

from checker.api import check
from checker.engine.index import FactIndex
from checker.loaders import load_filings
from checker.model import Period, QName

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "fsds"


def _value(index, local, entity, period, unit, dims=()):
    fact = index.get(QName("us-gaap", local), entity, period, unit, dims)
    return getattr(fact, "value", None) if isinstance(getattr(fact, "value", None), Decimal) else None


RELATED = {  # where to look for a reported amount that is exactly the gap
    "CASH.ROLLFORWARD": ("Discontinued", "HeldForSale", "RestrictedCash", "ExchangeRate", "Cash"),
    "BS.ASSETS.CURRENT-NONCURRENT": ("PropertyPlant", "Investment", "Goodwill", "Regulatory", "Assets", "Intangible"),
    "BS.LIABILITIES.CURRENT-NONCURRENT": ("Liabilities", "Debt", "Deferred", "Regulatory"),
    "NI.PARENT-NCI": ("Noncontrolling", "MinorityInterest", "Redeemable", "Preferred", "IncomeLoss", "ProfitLoss"),
    "EQUITY.PARENT-NCI": ("Noncontrolling", "MinorityInterest", "Redeemable", "Preferred", "Equity"),
    "PPE.NET": ("PropertyPlant", "Construction", "Land", "Depreciation", "CapitalLeased", "Nuclear"),
    "AR.NET.DOUBTFUL": ("Receivable", "Allowance"),
    "AR.NET-WITHIN-GROSS": ("Receivable", "Allowance"),
}


def _reported_gap(violation, index, entity, period, unit, gap, tolerance) -> str | None:
    """A related amount the filing reports for the same period and unit that is exactly the gap."""
    words = next((w for prefix, w in RELATED.items() if violation.rule_id.startswith(prefix)), ())
    if not words or gap == 0:
        return None
    used = {u.concept for u in violation.facts}
    candidates = []
    for (concept, _entity, fact_period, fact_unit, dims), fact in index.entries.items():
        if (dims or fact_period != period or fact_unit != unit or str(concept) in used
                or not any(w in concept.local for w in words)):
            continue
        value = getattr(fact, "value", None)
        if isinstance(value, Decimal) and value != 0:
            candidates.append((concept.local, abs(value)))
    candidates = sorted(set(candidates))[:60]
    target = abs(gap)
    for size in (1, 2, 3):  # the gap as one, two or three amounts the filing reports for the period
        for combo in itertools.combinations(candidates, size):
            if abs(sum(v for _, v in combo) - target) <= tolerance * size:
                return " + ".join(f"{name} ({value:,})" for name, value in combo)
    return None


def classify(violation, index) -> str:
    """A plain-words verdict when the filing's own facts show which error it is."""
    entity = next(iter({k[1] for k in index.groups}), None)
    unit = next((k[3] for k in index.groups if str(k[3]) == violation.unit), None)
    period = Period.parse(violation.period)
    left, right = Decimal(violation.left), Decimal(violation.right)
    gap = left - right
    tolerance = Decimal(violation.tolerance) + 1
    if violation.rule_id.startswith("CASH.ROLLFORWARD"):
        fx = _value(index, "EffectOfExchangeRateOnCashAndCashEquivalents", entity, period, unit)
        if fx is not None and abs(gap - fx) <= tolerance:
            return "filer: the change is tagged before the exchange-rate effect with the element that includes it"
    if violation.rule_id == "NI.PARENT-NCI":
        nci = _value(index, "NetIncomeLossAttributableToNoncontrollingInterest", entity, period, unit)
        if nci is not None and abs(gap + 2 * nci) <= tolerance:
            return "filer: noncontrolling interests' share tagged with the opposite sign"
        if nci is not None and abs(left - (right - nci)) <= tolerance and nci != 0:
            return "filer: ProfitLoss tagged with the parent's share (equal to NetIncomeLoss)"
    if violation.rule_id == "BS.ASSETS.CURRENT-NONCURRENT":
        for plant in ("PropertyPlantAndEquipmentNet", "PublicUtilitiesPropertyPlantAndEquipmentNet"):
            ppe = _value(index, plant, entity, period, unit)
            if ppe is not None and abs(gap - ppe) <= tolerance:
                return "filer: AssetsNoncurrent tagged on 'other' noncurrent assets (without PP&E)"
    if violation.rule_id == "PPE.NET":
        accumulated = _value(index, "AccumulatedDepreciationDepletionAndAmortizationPropertyPlantAndEquipment",
                             entity, period, unit)
        if accumulated is not None and accumulated < 0 and abs(gap - 2 * accumulated) <= tolerance:
            return "filer: accumulated depreciation tagged as a negative amount"
    if violation.rule_id == "FX.USD.CONVENIENCE" and "scale error" in violation.explanation:
        return "filer: a scale error in the translated amount (see the explanation)"
    found = _reported_gap(violation, index, entity, period, unit, gap, tolerance)
    if found and " + " not in found:
        return "filer: the difference is exactly one amount the filing reports apart"
    if found:
        # with dozens of candidates, a sum of two or three can match by chance: suggestive only
        return "probably filer: the difference equals two or three amounts reported apart (could be chance)"
    return "unexplained"


def main(paths: list[str]) -> None:
    verdicts: Counter = Counter()
    unexplained = defaultdict(list)
    for path in paths or [str(CORPUS / "quarter-2009q3" / "2009q3.zip"), str(CORPUS / "quarter-2010q2" / "2010q2.zip")]:
        filings = {f.path: f for f in load_filings(path)}
        result = check(list(filings.values()))
        for filing_result in result.filings:
            if not filing_result.violations:
                continue
            index = FactIndex(filings[filing_result.filing].facts)
            for v in filing_result.violations:
                verdict = classify(v, index)
                verdicts[(v.rule_id, verdict)] += 1
                if verdict == "unexplained":
                    unexplained[v.rule_id].append(f"{filing_result.description}: {v.period} {v.explanation[:120]}")
    for (rule, verdict), count in sorted(verdicts.items()):
        print(f"{count:4}  {rule:34} {verdict}")
    for rule, items in unexplained.items():
        print(f"\n{rule}: {len(items)} unexplained, e.g.")
        for item in items[:3]:
            print("   ", item)


if __name__ == "__main__":
    main(sys.argv[1:])
