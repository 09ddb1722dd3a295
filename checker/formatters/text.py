"""Human-readable report, grouped by filing and rule; colour only on a terminal without NO_COLOR."""

from __future__ import annotations

import os
from collections import defaultdict
from typing import IO

from ..results import SEVERITY_ORDER, CheckResult, Violation
from . import grouped, printable

COLLAPSE_CLEAN = 20  # more filings than this: the ones without findings are counted, not listed
_COLOURS = {"error": "31", "warning": "33", "info": "36", "dim": "2", "bold": "1", "ok": "32"}


def use_colour(stream: IO[str]) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    return hasattr(stream, "isatty") and stream.isatty() and os.environ.get("TERM") != "dumb"


class _Paint:
    def __init__(self, enabled: bool):
        self.enabled = enabled

    def __call__(self, text: str, style: str) -> str:
        return f"\x1b[{_COLOURS[style]}m{text}\x1b[0m" if self.enabled else text


def _why(violation: Violation, paint: _Paint) -> str:
    """The attribution line: what explains the break, and the severity it moved the rule to."""
    attribution = violation.attribution
    lowered = f" [{violation.rule_severity} rule, reported as {violation.severity}]" if violation.rule_severity else ""
    return paint(attribution.heading, "bold") + f": {printable(attribution.text)}{lowered}"


def _unbound(result: CheckResult, out: IO[str]) -> None:
    """Rules evaluated nowhere whose missing concept is near one the filings report: a typo,
    named with what was probably meant. (The others, IFRS rules on a US GAAP filing say, are
    counted under the coverage table; JSON lists them all.)"""
    likely = [u for u in result.unbound if u.nearest]
    if not likely:
        return
    out.write(f"\nRules evaluated in no filing, probably misspelled ({len(likely)}):\n")
    for unbound in likely:
        for concept, nearest in unbound.nearest:
            out.write(f"  {printable(unbound.rule_id)}: {printable(concept)} is not reported; did you mean "
                      f"{printable(nearest)}?\n")


def write(result: CheckResult, out: IO[str], colour: bool | None = None) -> None:
    """Every string that may come from a filing or a pack goes through ``printable``: a
    newline in an element id must not start a line of its own in a CI log."""
    paint = _Paint(use_colour(out) if colour is None else colour)
    p = printable
    # a data set quarter is hundreds of filings: the clean ones are one line, not one each
    collapse = len(result.filings) > COLLAPSE_CLEAN
    clean = 0
    for filing in result.filings:
        if collapse and not filing.violations and not filing.problems and not filing.notes:
            clean += 1
            continue
        described = f"{p(filing.description)}, " if filing.description else ""
        out.write(paint(p(filing.filing), "bold") + f"  ({described}{filing.kind}, {filing.fact_count} facts)\n")
        for note in filing.notes:
            out.write(f"  note: {p(note)}\n")
        for problem in filing.problems:
            out.write(f"  {paint(problem.severity, problem.severity)} {problem.kind}: {p(problem.message)}\n")
            for use in problem.facts:
                out.write(paint(p(f"      {use.concept} = {grouped(use)} at {use.source}"
                                  + (f" #{use.element_id}" if use.element_id else "")), "dim") + "\n")
        by_rule: dict[str, list[Violation]] = defaultdict(list)
        for violation in result.reading_order(filing):
            by_rule[violation.rule_id].append(violation)
        for rule_id, violations in by_rule.items():
            first = violations[0]
            worst = max((v.severity for v in violations), key=SEVERITY_ORDER.__getitem__)
            count = f" ({len(violations)} violations)" if len(violations) > 1 else ""
            out.write(f"  {paint(worst, worst)} {paint(p(rule_id), 'bold')}  {p(first.title)}{count}\n")
            for violation in violations:
                context = "  ".join(x for x in (violation.period, violation.unit, violation.dimensions) if x)
                accepted = paint("  (accepted in the baseline)", "dim") if violation.baselined else ""
                out.write(f"    {p(context)}{accepted}\n")
                out.write(f"      {p(violation.explanation)}\n")
                if violation.message != violation.explanation:
                    out.write(f"      {p(violation.message)}\n")
                if violation.attribution is not None:
                    out.write(f"      {_why(violation, paint)}\n")
                for use in violation.facts:
                    where = "absent, counted as 0" if use.absent else \
                        f"{use.source}" + (f" #{use.element_id}" if use.element_id else "")
                    decimals = f" (decimals {use.decimals})" if use.decimals else ""
                    label = f"  \"{use.label}\"" if use.label else ""
                    out.write(paint(p(f"        {use.term}: {grouped(use)}{decimals}  {where}{label}"), "dim") + "\n")
        if not filing.violations and not filing.problems:
            out.write("  " + paint("no violations", "ok") + "\n")
    if clean:
        out.write(paint(f"{clean} more filing{'s' if clean != 1 else ''} with no violations", "ok") + "\n")
    out.write("\nCoverage (bindings per rule)\n")
    coverage = result.coverage()
    bound = [c for c in coverage if c.passed or c.failed or c.not_evaluated or c.errors]
    width = max([len(c.rule_id) for c in bound] + [4])
    out.write(f"  {'rule':<{width}}  {'passed':>6}  {'failed':>6}  {'not evaluated':>13}  {'error':>5}\n")
    for cov in bound:
        out.write(f"  {p(cov.rule_id):<{width}}  {cov.passed:>6}  {cov.failed:>6}  {cov.not_evaluated:>13}  "
                  f"{cov.errors:>5}\n")
    if len(bound) < len(coverage):
        out.write(f"  ({len(coverage) - len(bound)} more rule{'s' if len(coverage) - len(bound) != 1 else ''} "
                  f"found nothing to bind to)\n")
    _unbound(result, out)
    for entry in result.stale_baseline:
        where = f" in {entry.filing}" if entry.filing else ""
        out.write(paint(printable(f"stale baseline entry{where}: {entry.rule_id} {entry.concept} {entry.period} "
                                  f"{entry.unit} {entry.dimensions}".rstrip()) + " matches no violation any more",
                        "dim") + "\n")
    counts = result.counts()
    total = len(result.new_violations)
    parts = [f"{n} {s}{'s' if n != 1 else ''}" for s, n in counts.items() if n]
    summary = f"{total} violation{'s' if total != 1 else ''}"
    if len(result.violations) > total:
        summary += f" (+{len(result.violations) - total} accepted in the baseline)"
    if result.problems:
        summary += f" and {len(result.problems)} problem{'s' if len(result.problems) != 1 else ''}"
    summary += f" ({', '.join(parts)})" if parts else ""
    evaluated = sum(c.evaluated for c in coverage)
    rules = len(result.rules)
    out.write(f"\n{summary} in {len(result.filings)} filing{'s' if len(result.filings) != 1 else ''}; "
              f"{rules} rule{'s' if rules != 1 else ''}, {evaluated} binding{'s' if evaluated != 1 else ''} "
              f"evaluated\n")
