"""Every violation the shipped packs report on the SEC Financial Statement Data Sets in
the corpus: the product's own attribution (sign, scale, a reported line of the filer's
statements, or arithmetic), and for each one it calls arithmetic, the verdict examined
here with the filing's own facts and pre.txt, each with its evidence.

    python benchmarks/fsds_findings.py [--list] [ZIP...]

The patterns below go further than the product may (sums of two or three lines, word
lists per rule): they are for a verdict by hand, not claims a user sees. A pattern
explains a violation only when the filing's own facts make the identity hold exactly
once the pattern is applied (within the same rounding as the rule).
"""

from __future__ import annotations

import csv
import io
import itertools
import sys
import zipfile
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

from checker.api import check
from checker.engine.index import FactIndex
from checker.loaders import load_filings
from checker.model import Period, QName, dimensions_text

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "fsds"


def _presented(zip_path: str) -> dict[str, set[str]]:
    """Per submission, the tags the filer put on its face statements (pre.txt, stmt BS/IS/CF/EQ):
    a gap made of such lines is the filer's own layout, not a coincidence of note amounts."""
    lines: dict[str, set[str]] = defaultdict(set)
    folder = Path(zip_path)
    if folder.is_dir():
        if not (folder / "pre.txt").is_file():
            return lines
        raw = open(folder / "pre.txt", "rb")
    else:
        with zipfile.ZipFile(zip_path) as archive:
            if "pre.txt" not in archive.namelist():
                return lines
            raw = io.BytesIO(archive.read("pre.txt"))
    with raw:
        for row in csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8", errors="replace"), delimiter="\t",
                                  quoting=csv.QUOTE_NONE):
            if row["stmt"] in ("BS", "IS", "CF", "EQ"):
                lines[row["adsh"]].add(row["tag"])
    return lines


def _value(index, local, entity, period, unit, dims=()):
    fact = index.get(QName("us-gaap", local), entity, period, unit, dims)
    return getattr(fact, "value", None) if isinstance(getattr(fact, "value", None), Decimal) else None


RELATED = {  # where to look for a reported amount that is exactly the gap
    "CASH.ROLLFORWARD": ("Discontinued", "HeldForSale", "RestrictedCash", "ExchangeRate", "DisposalGroup",
                         "CashAndCashEquivalents", "CashBalance", "CashEquivalents", "Consolidation"),
    "BS.ASSETS.CURRENT-NONCURRENT": ("PropertyPlant", "Investment", "Goodwill", "Regulatory", "Assets", "Intangible",
                                     "Securities"),
    "BS.LIABILITIES.CURRENT-NONCURRENT": ("Liabilities", "Debt", "Deferred", "Regulatory"),
    "NI.PARENT-NCI": ("Noncontrolling", "MinorityInterest", "Redeemable", "Preferred", "IncomeLoss", "ProfitLoss"),
    "EQUITY.PARENT-NCI": ("Noncontrolling", "MinorityInterest", "Redeemable", "Preferred", "Equity"),
    "PPE.NET": ("PropertyPlant", "Construction", "Land", "Depreciation", "CapitalLeased", "Nuclear"),
    "AR.NET.DOUBTFUL": ("Receivable", "Allowance"),
    "AR.NET-WITHIN-GROSS": ("Receivable", "Allowance"),
}


def _reported_gap(violation, index, entity, period, unit, gap, tolerance) -> tuple | None:
    """One, two or three related amounts the filing reports for the same period, unit and
    dimensions that make up the gap exactly, as (local name, value) pairs."""
    words = next((w for prefix, w in RELATED.items() if violation.rule_id.startswith(prefix)), ())
    if not words or gap == 0:
        return None
    used = {u.concept for u in violation.facts}
    periods = {period}
    if violation.rule_id.startswith("CASH.ROLLFORWARD") and period.is_duration:
        # a balance apart at either end (e.g. cash held for sale at the opening)
        periods |= {Period.instant(period.start), Period.instant(period.end)}
    candidates = []
    for (concept, _entity, fact_period, fact_unit, dims), fact in index.entries.items():
        if (dimensions_text(dims) != violation.dimensions or fact_period not in periods or fact_unit != unit
                or str(concept) in used
                or not any(w.lower() in concept.local.lower() for w in words)):
            continue
        if violation.rule_id.startswith("BS.") and concept.local.endswith("Current"):
            continue  # the current side is reported: what a noncurrent subtotal leaves out is noncurrent
        value = getattr(fact, "value", None)
        if isinstance(value, Decimal) and value != 0:
            candidates.append((concept.local, value))
    candidates = sorted(set(candidates))[:60]
    target = abs(gap)
    for size in (1, 2, 3):  # the gap as one, two or three amounts the filing reports for the period
        best = None
        for combo in itertools.combinations(candidates, size):
            signed, unsigned = sum(v for _, v in combo), sum(abs(v) for _, v in combo)
            # as reported, or sign-blind (filers' sign conventions for deductions vary)
            miss = min(abs(abs(signed) - target), abs(unsigned - target))
            if miss <= tolerance * size and (best is None or miss < best[0]):
                best = (miss, combo)
        if best:
            return best[1]
    return None


def _balance_change_gap(violation, index, period, unit, gap, tolerance) -> str | None:
    """A cash balance the filing reports apart whose change over the period is exactly the gap:
    the standard element carries one component (or excludes held-for-sale cash) while the
    change covers the whole."""
    if not violation.rule_id.startswith("CASH.ROLLFORWARD") or not period.is_duration:
        return None
    used = {u.concept for u in violation.facts}
    opening, closing = Period.instant(period.start), Period.instant(period.end)
    for (concept, entity, fact_period, fact_unit, dims), fact in index.entries.items():
        if (fact_period != closing or fact_unit != unit or str(concept) in used or "Cash" not in concept.local
                or dimensions_text(dims) != violation.dimensions):
            continue
        before = index.get(concept, entity, opening, unit, dims)
        values = (getattr(before, "value", None), getattr(fact, "value", None))
        if all(isinstance(v, Decimal) for v in values) and abs(abs(values[0] - values[1]) - abs(gap)) <= tolerance:
            return f"{concept.local} ({values[0]:,} -> {values[1]:,})"
    return None


def _other_total_rolls(violation, index, period, unit, tolerance) -> str | None:
    """Another cash balance the filing reports (often an extension element for cash including
    discontinued operations) that the same change carries from opening to closing: the change
    is for that total, and the standard balance element was used for a part of it."""
    if not violation.rule_id.startswith("CASH.ROLLFORWARD") or not period.is_duration:
        return None
    change = next((Decimal(u.value) for u in violation.facts if "IncreaseDecrease" in u.concept), None)
    if change is None:
        return None
    opening, closing = Period.instant(period.start), Period.instant(period.end)
    balances = {opening: [], closing: []}
    for (concept, _entity, fact_period, fact_unit, dims), fact in index.entries.items():
        value = getattr(fact, "value", None)
        if (fact_period in balances and fact_unit == unit and "Cash" in concept.local
                and dimensions_text(dims) == violation.dimensions and isinstance(value, Decimal)):
            balances[fact_period].append((concept.local, value))
    for (first, before), (last, after) in itertools.product(balances[opening], balances[closing]):
        if not (first == last == "CashAndCashEquivalentsAtCarryingValue") and abs(before + change - after) <= tolerance:
            return f"{first} {before:,} + {change:,} = {last} {after:,}"
    return None


# Verdicts reached by reading the submission's num.txt and pre.txt (the filer's own lines and
# labels), for the violations no pattern above explains; the arithmetic is the filing's own.
_ENTERGY_SIGNS = ("filer: credit balances tagged negative",
                  "LiabilitiesAndStockholdersEquity -36,616,818k against Assets 36,616,818k; LiabilitiesCurrent, "
                  "AccountsPayableCurrent, StockholdersEquity, MinorityInterest all negative (both periods); "
                  "the next filing (0000065984-10-000092) tags them positive and these rules pass on it")
_ENTERGY_RECEIVABLES = ("filer: 'gross' tagged on customer receivables, 'net' on the total that adds other "
                        "receivables and accrued unbilled revenues",
                        "734,204 - 25,610 + OtherReceivables 206,627 + AccruedUnbilledRevenues 282,914 = 1,198,135 "
                        "(and likewise to the unit at 2009-06-30, 2009-12-31, 2010-03-31)")
BY_HAND: dict[tuple[str, str], tuple[str, str]] = {
    ("0001047469-09-007370", "NI.PARENT-NCI"): (
        "filer: net income by tracking-stock group tagged inconsistently",
        "Liberty Capital ProfitLoss -197 vs NetIncomeLoss -135 + NCI 4; Liberty Entertainment ProfitLoss 5,566 = "
        "98 + 5,402 (Old Liberty Capital, tagged under NetIncomeLoss only) + 66: 66M sits in different groups; "
        "the consolidated figures agree (5,603 = 5,582 + 21)"),
    ("0000930413-09-003976", "EQUITY.PARENT-NCI"): (
        "filer: 'Total Capitalization' tagged as total equity",
        "7,771 + NCI 11 + subsidiary's preferred 80 + LongTermDebtNoncurrent 8,005 = 15,867; "
        "2009-06-30: 8,389 + 10 + 80 + 7,805 = 16,284"),
    ("0000065984-09-000179", "EQUITY.PARENT-NCI"): (
        "filer: the total-equity element sits on the AOCI line with its sign flipped",
        "StockholdersEquityIncludingPortion... -112,698k against AOCI 112,698k (2009-06-30: -10,614k against "
        "10,614k); the 'TOTAL' line is an extension, StockholderEquityIncluding... -8,060,592k = -7,966,592k - 94,000k"),
    ("0000950123-10-043401", "EQUITY.PARENT-NCI"): (
        "filer: the tagged total equity does not fit the balance sheet",
        "Liabilities 3,288.8 + parent 6,912.9 + NCI 707.9 = 10,909.6 = Assets, so total equity is 7,620.8, "
        "not the 7,895.1 tagged"),
    ("0000950123-10-044487", "EQUITY.PARENT-NCI"): (
        "filer: the tagged total equity does not fit the balance sheet",
        "Liabilities 505,816 + parent 33,121 + NCI 377 = 539,314 = Assets, so total equity is 33,498, "
        "not the 33,528 tagged"),
    ("0000065984-09-000179", "BS.BALANCES"): _ENTERGY_SIGNS,
    ("0000065984-09-000179", "SIGN.LIABILITIES-CURRENT"): _ENTERGY_SIGNS,
    ("0000065984-09-000179", "SIGN.ACCOUNTS-PAYABLE-CURRENT"): _ENTERGY_SIGNS,
    ("0000065984-09-000179", "AR.NET.DOUBTFUL"): _ENTERGY_RECEIVABLES,
    ("0000065984-09-000179", "AR.NET-WITHIN-GROSS"): _ENTERGY_RECEIVABLES,
    ("0000065984-10-000092", "AR.NET.DOUBTFUL"): _ENTERGY_RECEIVABLES,
    ("0000065984-10-000092", "AR.NET-WITHIN-GROSS"): _ENTERGY_RECEIVABLES,
    ("0001004155-10-000033", "AR.NET-WITHIN-GROSS"): (
        "filer: 'gross' tagged on one component ('Gas, unbilled and other receivables')",
        "458 + EnergyMarketingReceivables 326 - 20 = 764 total; 362 + 615 - 14 = 963; 417 + 563 - 21 = 959"),
    ("0000950123-10-045289", "SHARES.OUTSTANDING-WITHIN-ISSUED"): (
        "filer: each share count tagged at both dates",
        "the filer's line reads '248,545,188 and 254,109,047 shares issued and outstanding for 2010 and 2009, "
        "respectively'; the XBRL gives both dates issued 248,545,188 and outstanding 254,109,047"),
}


def classify(violation, index, presented: set[str] = frozenset()) -> tuple[str, str]:
    """A plain-words verdict when the filing's own facts show which error it is, and the evidence."""
    entity = next(iter({k[1] for k in index.entries}), None)
    unit = next((k[3] for k in index.entries if str(k[3]) == violation.unit), None)
    period = Period.parse(violation.period)
    left, right = Decimal(violation.left), Decimal(violation.right)
    gap = left - right
    tolerance = Decimal(violation.tolerance) + 1
    if violation.rule_id.startswith("CASH.ROLLFORWARD"):
        fx = _value(index, "EffectOfExchangeRateOnCashAndCashEquivalents", entity, period, unit)
        if fx is not None and abs(gap - fx) <= tolerance:
            return ("filer: the change is tagged before the exchange-rate effect with the element that includes it",
                    f"EffectOfExchangeRateOnCashAndCashEquivalents {fx:,}")
    if violation.rule_id == "NI.PARENT-NCI":
        nci = _value(index, "NetIncomeLossAttributableToNoncontrollingInterest", entity, period, unit)
        if nci is not None and abs(gap + 2 * nci) <= tolerance:
            return ("filer: noncontrolling interests' share tagged with the opposite sign",
                    f"NetIncomeLossAttributableToNoncontrollingInterest {nci:,}")
        if nci is not None and abs(left - (right - nci)) <= tolerance and nci != 0:
            return ("filer: ProfitLoss tagged with the parent's share (equal to NetIncomeLoss)",
                    f"ProfitLoss {left:,} = NetIncomeLoss")
    if violation.rule_id == "BS.ASSETS.CURRENT-NONCURRENT":
        for plant in ("PropertyPlantAndEquipmentNet", "PublicUtilitiesPropertyPlantAndEquipmentNet"):
            ppe = _value(index, plant, entity, period, unit)
            if ppe is not None and abs(gap - ppe) <= tolerance:
                return "filer: AssetsNoncurrent tagged on 'other' noncurrent assets (without PP&E)", f"{plant} {ppe:,}"
    if violation.rule_id == "PPE.NET":
        accumulated = _value(index, "AccumulatedDepreciationDepletionAndAmortizationPropertyPlantAndEquipment",
                             entity, period, unit)
        if accumulated is not None and accumulated < 0 and abs(gap - 2 * accumulated) <= tolerance:
            return "filer: accumulated depreciation tagged as a negative amount", f"accumulated {accumulated:,}"
    if violation.rule_id == "FX.USD.CONVENIENCE" and "scale error" in violation.explanation:
        return "filer: a scale error in the translated amount (see the explanation)", ""
    rolled = _other_total_rolls(violation, index, period, unit, tolerance)
    if rolled:
        return "filer: the change rolls another cash total the filing reports (the standard balance is a part)", rolled
    changed = _balance_change_gap(violation, index, period, unit, gap, tolerance)
    if changed:
        return "filer: the difference is the change in a cash balance the filing reports apart", changed
    found = _reported_gap(violation, index, entity, period, unit, gap, tolerance)
    evidence = " + ".join(f"{name} ({value:,})" for name, value in found or ())
    if found and len(found) == 1:
        return "filer: the difference is exactly one amount the filing reports apart", evidence
    if found and all(name in presented for name, _ in found):
        return "filer: the difference is exactly lines of the filer's own statements left out of the total", evidence
    if found:
        # with dozens of candidates, a sum of two or three can match by chance: suggestive only
        return "probably filer: the difference equals two or three amounts reported apart (could be chance)", evidence
    hand = BY_HAND.get((violation.filing.rsplit("!", 1)[-1], violation.rule_id))
    if hand:
        return "examined by hand: " + hand[0], hand[1]
    return "unexplained", ""


def main(args: list[str]) -> None:
    """The product's attribution of every violation; for those it calls arithmetic (no sign,
    scale or reported line of the filing closes the gap), the verdict examined here."""
    listing = "--list" in args
    paths = [a for a in args if a != "--list"]
    attributed: Counter = Counter()
    verdicts: Counter = Counter()
    unexplained = defaultdict(list)
    for path in paths or [str(CORPUS / "quarter-2009q3" / "2009q3.zip"), str(CORPUS / "quarter-2010q2" / "2010q2.zip")]:
        filings = {f.path: f for f in load_filings(path)}
        presented = _presented(path)
        result = check(list(filings.values()))
        for filing_result in result.filings:
            if not filing_result.violations:
                continue
            index = FactIndex(filings[filing_result.filing].facts)
            if listing:
                print(f"\n{filing_result.description}")
            for v in filing_result.violations:
                attributed[(v.rule_id, v.attribution.kind)] += 1
                where = f" [{v.dimensions}]" if v.dimensions else ""
                if v.attribution.kind != "arithmetic":
                    if listing:
                        print(f"  {v.rule_id} {v.period}{where}: {v.explanation}\n    -> {v.severity}, "
                              f"{v.attribution.heading}: {v.attribution.text}")
                    continue
                adsh = filing_result.filing.rsplit("!", 1)[-1]
                verdict, evidence = classify(v, index, presented.get(adsh, set()))
                verdicts[(v.rule_id, verdict)] += 1
                if listing:
                    print(f"  {v.rule_id} {v.period}{where}: {v.explanation}\n    -> {v.severity}, arithmetic; "
                          f"examined: {verdict}" + (f": {evidence}" if evidence else ""))
                if verdict == "unexplained":
                    unexplained[v.rule_id].append(f"{filing_result.description}: {v.period} {v.explanation[:120]}")
    print("\nthe product's attribution")
    for (rule, kind), count in sorted(attributed.items()):
        print(f"{count:4}  {rule:34} {kind}")
    print(f"{sum(attributed.values()):4}  violations in all")
    print("\nthe ones attributed arithmetic, examined")
    for (rule, verdict), count in sorted(verdicts.items()):
        print(f"{count:4}  {rule:34} {verdict}")
    for rule, items in unexplained.items():
        print(f"\n{rule}: {len(items)} unexplained")
        for item in items:
            print("   ", item)


if __name__ == "__main__":
    main(sys.argv[1:])
