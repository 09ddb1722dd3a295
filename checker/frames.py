"""Facts, violations, problems and coverage as pandas DataFrames, for notebooks.

Analysts and auditors look at tables; these build them from the plain results (nothing is
recomputed). pandas is an optional extra (``pip install 'discheck[pandas]'``): it is imported
only here, when a frame is asked for.

Amounts come twice: ``value`` as a float for sorting, plotting and arithmetic at a glance,
and ``value_exact`` as the ``Decimal`` the checker computed with (a float cannot hold every
reported amount exactly, and the checker's verdicts never depend on one).
"""

from __future__ import annotations

import math
import os
from decimal import Decimal
from typing import TYPE_CHECKING, Iterable

from .model import Fact, decimals_text, dimensions_text

if TYPE_CHECKING:  # pragma: no cover
    import pandas

    from .loaders import Filing
    from .results import CheckResult

__all__ = ["facts_frame", "violations_frame", "problems_frame", "coverage_frame"]


def _pandas():
    try:
        import pandas
    except ImportError:
        raise ImportError("DataFrames need pandas: pip install 'discheck[pandas]'") from None
    return pandas


def _float(value: Decimal | str | None) -> float:
    if isinstance(value, Decimal):
        return float(value)
    if value:
        try:
            return float(Decimal(value))
        except ArithmeticError:
            return math.nan
    return math.nan


def _exact(text: str) -> Decimal | None:
    try:
        return Decimal(text) if text else None
    except ArithmeticError:
        return None


def facts_frame(filing: Filing | str | os.PathLike | Iterable[Fact]) -> pandas.DataFrame:
    """One row per fact: concept, value (float; NaN for nil and text facts), value_exact
    (Decimal) or text, unit, period with its start and end dates, decimals, dimensions,
    entity, nil, the element id and where the fact sits (file:line:column)."""
    pd = _pandas()
    if isinstance(filing, (str, os.PathLike)):
        from .loaders import load_filing
        filing = load_filing(filing)
    facts = filing.facts if hasattr(filing, "facts") else list(filing)
    rows = []
    for fact in facts:
        numeric = isinstance(fact.value, Decimal)
        period = str(fact.period)
        start, _, end = period.rpartition("..") if ".." in period else ("", "", period)
        rows.append({
            "concept": str(fact.concept),
            "value": _float(fact.value) if numeric else math.nan,
            "value_exact": fact.value if numeric else None,
            "text": fact.value if isinstance(fact.value, str) else None,
            "unit": str(fact.unit) if fact.unit else "",
            "period": period,
            "start": start or None, "end": end if end != "forever" else None,  # the dates as written
            "decimals": decimals_text(fact.decimals),
            "dimensions": dimensions_text(fact.dimensions),
            "entity": str(fact.entity),
            "nil": fact.is_nil,
            "id": fact.element_id or "",
            "source": str(fact.source),
        })
    frame = pd.DataFrame(rows, columns=["concept", "value", "value_exact", "text", "unit", "period", "start",
                                        "end", "decimals", "dimensions", "entity", "nil", "id", "source"])
    for column in ("start", "end"):
        frame[column] = pd.to_datetime(frame[column], format="ISO8601")
    return frame


def violations_frame(result: CheckResult) -> pandas.DataFrame:
    """One row per violation, in each filing's reading order: where (filing, concept and
    context), the rule, the severity after attribution (and the rule's own), the arithmetic
    as floats and exactly, what explains the break, the facts used, and whether a baseline
    accepted it."""
    pd = _pandas()
    rows = []
    for filing in result.filings:
        for v in result.reading_order(filing):
            why = v.attribution
            rows.append({
                "filing": v.filing, "rule_id": v.rule_id, "severity": v.severity,
                "rule_severity": v.rule_severity or v.severity, "title": v.title,
                "concept": v.concept, "entity": v.entity, "period": v.period, "unit": v.unit,
                "dimensions": v.dimensions,
                "left": _float(v.left), "right": _float(v.right), "difference": _float(v.difference),
                "tolerance": _float(v.tolerance), "difference_exact": _exact(v.difference),
                "explanation": v.explanation, "attribution": why.kind if why else "",
                "attribution_text": why.text if why else "",
                "facts": "; ".join(f"{use.concept} {use.value}" + (f" ({use.file}:{use.line})" if use.line else "")
                                   for use in v.facts if not use.absent),
                "baselined": v.baselined,
            })
    return pd.DataFrame(rows, columns=["filing", "rule_id", "severity", "rule_severity", "title", "concept",
                                       "entity", "period", "unit", "dimensions", "left", "right", "difference",
                                       "tolerance", "difference_exact", "explanation", "attribution",
                                       "attribution_text", "facts", "baselined"])


def problems_frame(result: CheckResult) -> pandas.DataFrame:
    """One row per problem of the filings (input warnings, inconsistent duplicates, ...)."""
    pd = _pandas()
    rows = [{"filing": p.filing, "kind": p.kind, "severity": p.severity, "rule_id": p.rule_id or "",
             "message": p.message} for p in result.problems]
    return pd.DataFrame(rows, columns=["filing", "kind", "severity", "rule_id", "message"])


def coverage_frame(result: CheckResult) -> pandas.DataFrame:
    """Per filing and rule: bindings passed, failed, not evaluated and in error."""
    pd = _pandas()
    rows = [{"filing": f.filing, "rule_id": c.rule_id, "passed": c.passed, "failed": c.failed,
             "not_evaluated": c.not_evaluated, "errors": c.errors} for f in result.filings for c in f.coverage]
    return pd.DataFrame(rows, columns=["filing", "rule_id", "passed", "failed", "not_evaluated", "errors"])
