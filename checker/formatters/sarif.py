"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

One reportingDescriptor per rule, one result per violation or problem, located at the
first fact's line in the filing (for inline XBRL, the line in the .htm), with the other
facts as related locations. ``partialFingerprints`` come from the violation's key (rule,
concept, context aspects), so they stay the same from run to run while lines move.
"""

from __future__ import annotations

import json
from typing import IO
from urllib.parse import quote

from .. import __version__
from ..results import CheckResult, FactUse, Problem, Violation
from . import relative_path

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
PROBLEM_RULES = {
    "inconsistent-duplicates": ("discheck.inconsistent-duplicates",
                                "A fact is reported twice for one context with values that rounding cannot reconcile"),
    "division-by-zero": ("discheck.division-by-zero", "A rule divided by a reported zero"),
    "calculation-linkbase": ("discheck.calculation-linkbase",
                             "The filer's calculation linkbase contradicts its own schema (weights, types)"),
    "no-decimals": ("discheck.no-decimals", "Amounts without decimals are taken as exact: rounding cannot be allowed for"),
    "rendered-mismatch": ("discheck.rendered-mismatch",
                          "A number the SEC viewer's R pages display is not the XBRL fact's, as displayed"),
    "input": ("discheck.input", "The filing could not be read, or only in part"),
    "internal-error": ("discheck.internal-error", "discheck failed on this filing (a bug: please report it)"),
}


def _location(use: FactUse | None, filing: str, message: str | None = None) -> dict:
    file = use.file if use is not None and use.file else filing
    physical: dict = {"artifactLocation": {"uri": quote(relative_path(file))}}
    if use is not None and use.line and "!" not in file:
        physical["region"] = {"startLine": use.line, **({"startColumn": use.column} if use.column else {})}
    location: dict = {"physicalLocation": physical}
    if message:
        location["message"] = {"text": message}
    return location


def _fact_text(use: FactUse) -> str:
    if use.absent:
        return f"{use.term}: absent, counted as 0"
    element = f" (#{use.element_id})" if use.element_id else ""
    return f"{use.term} = {use.value}{element}"


def _locations(item: Violation | Problem) -> tuple[list, list]:
    located = [u for u in item.facts if not u.absent]
    primary = located[0] if located else None
    related = [dict(_location(u, item.filing, _fact_text(u)), id=i)
               for i, u in enumerate(located[1:], start=1)]
    return [_location(primary, item.filing, _fact_text(primary) if primary else None)], related


def _descriptor(rule) -> dict:
    text = rule.expression or {"translation": "convenience translation: every amount in the target currency "
                                              "equals the source amount divided by the rate",
                               "exists": "if the first concept is reported, the others must be"}.get(rule.kind, "")
    refs = "\n".join(f"- {r}" for r in rule.references)
    help_markdown = f"**{rule.title}**\n\n`{text}`" + (f"\n\nReferences:\n{refs}" if refs else "") + \
        f"\n\nDefined at {rule.location}."
    return {
        "id": rule.id,
        "name": rule.id.replace(".", "_").replace("-", "_"),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": f"{rule.title}: {text}" if text else rule.title},
        "help": {"text": f"{rule.title}. {text}".strip(), "markdown": help_markdown},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": list(rule.tags), "pack": rule.pack, "precision": "very-high"},
    }


def to_sarif(result: CheckResult) -> dict:
    descriptors = [_descriptor(rule) for rule in result.rules]
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    results = []
    for violation in result.violations:
        locations, related = _locations(violation)
        why = violation.attribution
        entry = {
            "ruleId": violation.rule_id,
            "ruleIndex": index[violation.rule_id],
            "level": LEVELS[violation.severity],
            "message": {"text": f"{violation.title}: {violation.explanation}"
                        + (f" — {violation.message}" if violation.message != violation.explanation else "")
                        + (f" ({why.heading}: {why.text})" if why is not None else "")},
            "locations": locations,
            "partialFingerprints": {"discheckViolationKey/v1": violation.key},
            "properties": {"filing": violation.filing, "entity": violation.entity, "period": violation.period,
                           "unit": violation.unit, "dimensions": violation.dimensions, "left": violation.left,
                           "right": violation.right, "difference": violation.difference,
                           "tolerance": violation.tolerance,
                           "attribution": why.kind if why is not None else "",
                           "ruleSeverity": violation.rule_severity or violation.severity},
        }
        if related:
            entry["relatedLocations"] = related
        if violation.baselined:
            entry["baselineState"] = "unchanged"
            entry["suppressions"] = [{"kind": "external", "justification": "accepted in the baseline"}]
        results.append(entry)
    for problem in result.problems:
        rule_id, description = PROBLEM_RULES.get(problem.kind, (f"discheck.{problem.kind}", problem.kind))
        if rule_id not in index:
            index[rule_id] = len(descriptors)
            descriptors.append({"id": rule_id, "shortDescription": {"text": description},
                                "defaultConfiguration": {"level": "error"}})
        locations, related = _locations(problem)
        entry = {"ruleId": rule_id, "ruleIndex": index[rule_id], "level": LEVELS[problem.severity],
                 "message": {"text": problem.message}, "locations": locations,
                 "partialFingerprints": {"discheckProblem/v1": _problem_key(problem)}}
        if related:
            entry["relatedLocations"] = related
        results.append(entry)
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "discheck", "semanticVersion": __version__, "version": __version__,
                                "rules": descriptors}},
            "results": results,
            "columnKind": "unicodeCodePoints",
        }],
    }


def _problem_key(problem: Problem) -> str:
    import hashlib
    parts = [problem.kind, problem.rule_id or ""] + [f"{u.concept}|{u.period}|{u.unit}|{u.dimensions}"
                                                     for u in problem.facts]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def write(result: CheckResult, out: IO[str]) -> None:
    json.dump(to_sarif(result), out, indent=2, ensure_ascii=False)
    out.write("\n")
