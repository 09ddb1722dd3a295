"""JUnit XML, as GitLab and the common GitHub test-report actions read it.

One test suite per filing and one test case per rule in it: a failure lists the rule's
violations, an error its division-by-zero outcomes, and a rule that was evaluated
nowhere in the filing is skipped. Violations accepted in a baseline do not fail.
"""

from __future__ import annotations

import re
from typing import IO
from xml.etree import ElementTree as ET

from ..results import SEVERITY_ORDER, CheckResult
from . import grouped, printable


def _lines(violations) -> str:
    out = []
    for v in violations:
        context = "  ".join(x for x in (v.period, v.unit, v.dimensions) if x)
        out.append(f"{context}\n  {v.explanation}")
        if v.attribution is not None:
            out.append(f"  {v.attribution.heading}: {v.attribution.text}")
        for use in v.facts:
            where = "absent, counted as 0" if use.absent else use.source
            out.append(f"    {use.term} = {grouped(use)}  {where}")
    return "\n".join(out)


def to_junit(result: CheckResult, fail_on: str = "warning") -> ET.Element:
    """``fail_on``: the least severity that fails the run (the command's ``--fail-on``);
    violations below it are listed as the test case's output, not as a failure."""
    threshold = SEVERITY_ORDER.get(fail_on, len(SEVERITY_ORDER))  # "never": nothing fails
    suites = ET.Element("testsuites", name="discheck")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for filing in result.filings:
        suite = ET.SubElement(suites, "testsuite", name=filing.filing)
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        for coverage in filing.coverage:
            counts["tests"] += 1
            case = ET.SubElement(suite, "testcase", classname=filing.filing,
                                 name=f"{coverage.rule_id}: {coverage.title}", file=filing.filing)
            violations = [v for v in result.reading_order(filing) if v.rule_id == coverage.rule_id]
            failing = [v for v in violations if not v.baselined and SEVERITY_ORDER[v.severity] >= threshold]
            below = [v for v in violations if not v.baselined and SEVERITY_ORDER[v.severity] < threshold]
            problems = [p for p in filing.problems if p.rule_id == coverage.rule_id and p.severity == "error"]
            cautions = [p for p in filing.problems if p.rule_id == coverage.rule_id and p.severity != "error"]
            if failing:
                counts["failures"] += 1
                failure = ET.SubElement(case, "failure", type=coverage.severity,
                                        message=f"{len(failing)} violation{'s' if len(failing) != 1 else ''}")
                failure.text = _lines(failing)
            elif problems:
                counts["errors"] += 1
                error = ET.SubElement(case, "error", type=problems[0].kind, message=problems[0].message)
                error.text = "\n".join(p.message for p in problems)
            elif coverage.evaluated == 0:
                counts["skipped"] += 1
                ET.SubElement(case, "skipped", message=f"not evaluated: the filing reports no binding for this "
                                                       f"rule ({coverage.not_evaluated} incomplete)")
            accepted = [v for v in violations if v.baselined]
            out = [f"passed {coverage.passed}, failed {coverage.failed}, not evaluated "
                   f"{coverage.not_evaluated}, errors {coverage.errors}"]
            if accepted:
                out.append(f"{len(accepted)} violation(s) accepted in the baseline:\n{_lines(accepted)}")
            if below:
                out.append(f"{len(below)} violation(s) below --fail-on {fail_on}:\n{_lines(below)}")
            out.extend(f"{p.severity}: {p.message}" for p in cautions)
            ET.SubElement(case, "system-out").text = "\n".join(out)
        for problem in (p for p in filing.problems if p.rule_id is None):
            counts["tests"] += 1
            counts["failures"] += 1
            case = ET.SubElement(suite, "testcase", classname=filing.filing, name=f"discheck: {problem.kind}",
                                 file=filing.filing)
            ET.SubElement(case, "failure", type=problem.kind, message=problem.message).text = "\n".join(
                f"{u.concept} = {u.value}  {u.source}" for u in problem.facts)
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
    for key, value in totals.items():
        suites.set(key, str(value))
    return suites


# what XML 1.0 cannot hold at all (a CSV or JSON input can carry it): shown as an escape
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(tree: ET.Element) -> None:
    for element in tree.iter():
        if element.text and _NOT_XML.search(element.text):
            element.text = printable(element.text)
        for key, value in element.attrib.items():
            if _NOT_XML.search(value):
                element.set(key, printable(value))


def write(result: CheckResult, out: IO[str], fail_on: str = "warning") -> None:
    tree = to_junit(result, fail_on)
    _xml_safe(tree)
    ET.indent(tree)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(tree, encoding="unicode"))
    out.write("\n")
