"""Baseline files: violations a team has accepted, so that only new ones fail the gate.

Entries are matched by each violation's key (rule id, concept and context aspects),
never by line numbers, so a baseline survives edits that move facts around.
"""

from __future__ import annotations

import json
import os

from .errors import CheckerError
from .results import BaselineEntry, CheckResult

FORMAT_VERSION = 1
_FIELDS = ("key", "rule_id", "concept", "entity", "period", "unit", "dimensions")


def write_baseline(result: CheckResult, path: str) -> list[BaselineEntry]:
    entries = sorted({v.key: BaselineEntry.of(v) for v in result.violations}.values(),
                     key=lambda e: (e.filing, e.rule_id, e.concept, e.period, e.unit, e.dimensions, e.entity))
    document = {"discheck_baseline": FORMAT_VERSION, "entries": [e.to_dict() for e in entries]}
    temporary = f"{path}.tmp"
    try:
        with open(temporary, "w", encoding="utf-8") as out:
            json.dump(document, out, indent=2, ensure_ascii=False)
            out.write("\n")
        os.replace(temporary, path)
    except OSError as exc:
        raise CheckerError(f"cannot be written ({exc.strerror})", path) from None
    return entries


def read_baseline(path: str) -> list[BaselineEntry]:
    try:
        with open(path, encoding="utf-8") as stream:
            document = json.load(stream)
    except OSError as exc:
        raise CheckerError(f"cannot be read ({exc.strerror})", path) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        where = f"{path}:{exc.lineno}:{exc.colno}" if isinstance(exc, json.JSONDecodeError) else path
        raise CheckerError(f"is not a discheck baseline (invalid JSON: {exc})", where) from None
    if not isinstance(document, dict) or document.get("discheck_baseline") != FORMAT_VERSION \
            or not isinstance(document.get("entries"), list):
        raise CheckerError(f"is not a discheck baseline (expected {{\"discheck_baseline\": {FORMAT_VERSION}, "
                           f"\"entries\": [...]}})", path)
    entries = []
    for index, raw in enumerate(document["entries"]):
        if not isinstance(raw, dict) or any(not isinstance(raw.get(f), str) for f in _FIELDS):
            raise CheckerError(f"entries[{index}] needs the string fields {', '.join(_FIELDS)}", path)
        filing = raw.get("filing", "")
        if not isinstance(filing, str):
            raise CheckerError(f"entries[{index}].filing must be a string", path)
        entries.append(BaselineEntry(*(raw[f] for f in _FIELDS), filing=filing))
    return entries
