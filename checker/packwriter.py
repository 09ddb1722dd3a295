"""Writing rule packs: ``rules from-calc`` turns a calculation linkbase into YAML rules."""

from __future__ import annotations

import json
import os
import re

from .linkbases import Summation
from .loaders import Filing


def _scalar(text: str) -> str:
    """A YAML scalar that reads back as exactly ``text`` (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def calculation_pack_yaml(filing: Filing, summations: list[Summation], mode: str, partial: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", os.path.basename(os.path.normpath(filing.path))).strip("-.") or "filing"
    description = f"The summations of the calculation linkbase of {filing.path}, written by discheck rules from-calc."
    lines = [f"pack: calc-{stem}", f"description: {_scalar(description)}", "rules:"]
    for number, summation in enumerate(summations, start=1):
        network = summation.role.rstrip("/").rsplit("/", 1)[-1] or "network"
        title = f"{summation.total} adds up ({network})"
        lines += [
            f"  - id: CALC.{number:03d}.{summation.total.local}",
            f"    title: {_scalar(title)}",
            "    tags: [calculation]",
            "    calculation:",
            f"      mode: {mode}",
            f"      partial: {partial}",
            f"      role: {_scalar(summation.role)}",
            f"      total: {summation.total}",
            "      items:",
        ]
        for concept, weight in summation.items:
            lines.append(f"        - {{concept: {concept}, weight: {weight.normalize():f}}}")
    return "\n".join(lines) + "\n"
