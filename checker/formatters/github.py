"""GitHub Actions workflow commands: one annotation per violation and problem.

``::error file=F,line=L,title=T::message``. Values are escaped as the Actions toolkit
escapes them, so text from a filing cannot start a command of its own.
"""

from __future__ import annotations

from typing import IO

from ..results import CheckResult, FactUse
from . import relative_path

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _where(facts: tuple[FactUse, ...], filing: str) -> str:
    located = next((u for u in facts if not u.absent and u.file), None)
    file = relative_path(located.file if located else filing)
    parts = [f"file={_property(file)}"]
    if located and located.line and "!" not in located.file:
        parts.append(f"line={located.line}")
        if located.column:
            parts.append(f"col={located.column}")
    return ",".join(parts)


def write(result: CheckResult, out: IO[str]) -> None:
    for violation in result.new_violations:
        title = _property(f"{violation.rule_id}: {violation.title}")
        context = "  ".join(x for x in (violation.period, violation.unit, violation.dimensions) if x)
        why = f" ({violation.attribution.heading}: {violation.attribution.text})" if violation.attribution else ""
        out.write(f"::{LEVELS[violation.severity]} {_where(violation.facts, violation.filing)},title={title}::"
                  f"{_data(f'{violation.explanation}{why} [{context}]')}\n")
    for problem in result.problems:
        out.write(f"::{LEVELS[problem.severity]} {_where(problem.facts, problem.filing)},"
                  f"title={_property('discheck: ' + problem.kind)}::{_data(problem.message)}\n")
    counts = result.counts()
    baselined = len(result.violations) - len(result.new_violations)
    out.write(f"discheck: {len(result.new_violations)} new violation(s) ({counts['error']} error, "
              f"{counts['warning']} warning, {counts['info']} info), {baselined} accepted in the baseline, "
              f"{len(result.filings)} filing(s)\n")
