"""Markdown for a pull-request comment: a summary table, then the violations.

Text from a filing is escaped so it cannot break the table or inject markup.
"""

from __future__ import annotations

import html
import re
from typing import IO

from ..results import CheckResult
from . import printable

ICONS = {"error": "🔴", "warning": "🟠", "info": "🔵"}
_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def md(text: str) -> str:
    """Escape text placed mid-line in Markdown (tables included): HTML-escaped, line breaks
    folded, and the marks that start emphasis, code, links or cells backslashed."""
    return _SPECIAL.sub(r"\\\1", html.escape(printable(" ".join(str(text).split())), quote=False))


def write(result: CheckResult, out: IO[str]) -> None:
    counts = result.counts()
    new = result.new_violations
    verdict = "✅ no new violations" if not new and not result.problems else \
        f"❌ {len(new)} new violation{'s' if len(new) != 1 else ''}"
    out.write(f"## discheck: {verdict}\n\n")
    out.write("| filing | facts | errors | warnings | info | accepted | passed | not evaluated |\n")
    out.write("|---|---:|---:|---:|---:|---:|---:|---:|\n")
    for filing in result.filings:
        by = {"error": 0, "warning": 0, "info": 0}
        for item in [*(v for v in filing.violations if not v.baselined), *filing.problems]:
            by[item.severity] += 1
        accepted = sum(v.baselined for v in filing.violations)
        passed = sum(c.passed for c in filing.coverage)
        not_evaluated = sum(c.not_evaluated for c in filing.coverage)
        out.write(f"| {md(filing.filing)} | {filing.fact_count} | {by['error']} | {by['warning']} | {by['info']} "
                  f"| {accepted} | {passed} | {not_evaluated} |\n")
    out.write(f"\n{counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} info; "
              f"{len(result.rules)} rules.\n")
    for filing in result.filings:
        items = [v for v in result.reading_order(filing) if not v.baselined]
        if not items and not filing.problems:
            continue
        out.write(f"\n### {md(filing.filing)}\n")
        for problem in filing.problems:
            out.write(f"\n- {ICONS[problem.severity]} **{md(problem.kind)}**: {md(problem.message)}\n")
        for v in items:
            context = " · ".join(md(x) for x in (v.period, v.unit, v.dimensions) if x)
            out.write(f"\n- {ICONS[v.severity]} **{md(v.rule_id)}** {md(v.title)} — {context}  \n"
                      f"  {md(v.explanation)}\n")
            if v.attribution is not None:
                lowered = f" ({md(v.rule_severity)} rule, reported as {md(v.severity)})" if v.rule_severity else ""
                out.write(f"  *{md(v.attribution.heading)}*: {md(v.attribution.text)}{lowered}\n")
            out.write("  <details><summary>facts</summary>\n\n")
            out.write("  | term | value | decimals | source |\n  |---|---:|---:|---|\n")
            for use in v.facts:
                source = "absent, counted as 0" if use.absent else md(use.source) + \
                    (f" \\#{md(use.element_id)}" if use.element_id else "")
                out.write(f"  | {md(use.term)} | {md(use.value)} | {md(use.decimals)} | {source} |\n")
            out.write("\n  </details>\n")
    if result.stale_baseline:
        out.write(f"\n{len(result.stale_baseline)} baseline entr{'y' if len(result.stale_baseline) == 1 else 'ies'} "
                  f"no longer match a violation (fixed or changed): update the baseline.\n")
