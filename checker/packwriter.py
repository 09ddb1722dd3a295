"""Writing rule packs: ``rules from-calc`` turns a calculation linkbase into YAML rules."""

from __future__ import annotations

import os
import re

from .linkbases import Summation
from .loaders import Filing


def calculation_pack_yaml(filing: Filing, summations: list[Summation], mode: str, partial: str) -> str:
    """The pack as data, written by YAML's own serializer: a concept or role from the filing
    (a crafted locator href) is always one quoted scalar, never a line of YAML of its own."""
    import yaml

    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", os.path.basename(os.path.normpath(filing.path))).strip("-.") or "filing"
    rules = []
    for number, summation in enumerate(summations, start=1):
        network = summation.role.rstrip("/").rsplit("/", 1)[-1] or "network"
        local = re.sub(r"[^A-Za-z0-9_.-]+", "-", summation.total.local).strip("-.") or "total"
        rules.append({
            "id": f"CALC.{number:03d}.{local}",
            "title": f"{summation.total} adds up ({network})",
            "tags": ["calculation"],
            "calculation": {
                "mode": mode, "partial": partial, "role": summation.role, "total": str(summation.total),
                "items": [{"concept": str(concept), "weight": _number(weight)} for concept, weight in summation.items],
            },
        })
    pack = {"pack": f"calc-{stem}",
            "description": f"The summations of the calculation linkbase of {filing.path}, written by discheck "
                           f"rules from-calc.",
            "rules": rules}
    return yaml.safe_dump(pack, sort_keys=False, allow_unicode=True, width=120, default_flow_style=None)


def _number(weight) -> int | float:
    """A weight as YAML writes numbers: whole weights as integers, others exactly as floats print."""
    return int(weight) if weight == weight.to_integral_value() else float(weight)
