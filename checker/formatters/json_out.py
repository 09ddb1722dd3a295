"""The JSON report: ``CheckResult.to_dict()``, whose layout checker/schemas/result.schema.json documents."""

from __future__ import annotations

import json
from typing import IO

from ..results import CheckResult


def write(result: CheckResult, out: IO[str]) -> None:
    json.dump(result.to_dict(), out, indent=2, ensure_ascii=False)
    out.write("\n")
