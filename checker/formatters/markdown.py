"""Markdown for a pull-request comment: a summary table, then the violations.

Text from a filing is escaped so it cannot break the table or inject markup.
"""

from __future__ import annotations

import html
import re
from typing import IO

from ..results import CheckResult
from . import grouped, printable

ICONS = {"error": "🔴", "warning": "🟠", "info": "🔵"}
_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def md(text: str) -> str:
    """Escape text placed mid-line in Markdown (tables included): HTML-escaped, line breaks
    folded, and the marks that start emphasis, code, links or cells backslashed."""
    return _SPECIAL.sub(r"\\\1", html.escape(printable(" ".join(str(text).split())), quote=False))


COMMENT_LIMIT = 65_536  # characters GitHub accepts in one pull-request comment


def _violation(v) -> str:
    context = " · ".join(md(x) for x in (v.period, v.unit, v.dimensions) if x)
    parts = [f"\n- {ICONS[v.severity]} **{md(v.rule_id)}** {md(v.title)} — {context}  \n  {md(v.explanation)}\n"]
    if v.attribution is not None:
        lowered = f" ({md(v.rule_severity)} rule, reported as {md(v.severity)})" if v.rule_severity else ""
        parts.append(f"  *{md(v.attribution.heading)}*: {md(v.attribution.text)}{lowered}\n")
    parts.append("  <details><summary>facts</summary>\n\n  | term | value | decimals | source |\n  |---|---:|---:|---|\n")
    for use in v.facts:
        source = "absent, counted as 0" if use.absent else md(use.source) + \
            (f" \\#{md(use.element_id)}" if use.element_id else "")
        parts.append(f"  | {md(use.term)} | {md(grouped(use))} | {md(use.decimals)} | {source} |\n")
    parts.append("\n  </details>\n")
    return "".join(parts)


def write(result: CheckResult, out: IO[str], limit: int = COMMENT_LIMIT) -> None:
    """The whole report, or as much as fits in one comment (``limit`` characters), with a
    line saying how many violations were left out and how to see them all."""
    counts = result.counts()
    new = result.new_violations
    verdict = "✅ no new violations" if not new and not result.problems else \
        f"❌ {len(new)} new violation{'s' if len(new) != 1 else ''}"
    head = [f"## discheck: {verdict}\n\n",
            "| filing | facts | errors | warnings | info | accepted | passed | not evaluated |\n",
            "|---|---:|---:|---:|---:|---:|---:|---:|\n"]
    for filing in result.filings:
        by = {"error": 0, "warning": 0, "info": 0}
        for item in [*(v for v in filing.violations if not v.baselined), *filing.problems]:
            by[item.severity] += 1
        accepted = sum(v.baselined for v in filing.violations)
        passed = sum(c.passed for c in filing.coverage)
        not_evaluated = sum(c.not_evaluated for c in filing.coverage)
        head.append(f"| {md(filing.filing)} | {filing.fact_count} | {by['error']} | {by['warning']} | {by['info']} "
                    f"| {accepted} | {passed} | {not_evaluated} |\n")
    rules = len(result.rules)
    head.append(f"\n{counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} info; "
                f"{rules} rule{'s' if rules != 1 else ''}.\n")
    tail = ""
    if result.stale_baseline:
        tail = (f"\n{len(result.stale_baseline)} baseline entr{'y' if len(result.stale_baseline) == 1 else 'ies'} "
                f"no longer match a violation (fixed or changed): update the baseline.\n")
    budget = limit - sum(map(len, head)) - len(tail) - 300  # room for the line that says what was left out
    body, left_out = [], 0
    for filing in result.filings:
        items = [v for v in result.reading_order(filing) if not v.baselined]
        if not items and not filing.problems:
            continue
        blocks = [f"\n### {md(filing.filing)}\n"]
        blocks += [f"\n- {ICONS[p.severity]} **{md(p.kind)}**: {md(p.message)}\n" for p in filing.problems]
        blocks += [_violation(v) for v in items]
        for index, block in enumerate(blocks):
            if left_out or len(block) > budget:
                left_out += 1 if index else 0
                continue
            body.append(block)
            budget -= len(block)
    out.write("".join(head) + "".join(body))
    if left_out:
        out.write(f"\n… {left_out} more finding(s) left out to fit one comment ({limit:,} characters): the full "
                  f"report is in the text, JSON or HTML format (e.g. `discheck check … -f html -o report.html` as a "
                  f"workflow artifact).\n")
    out.write(tail)
