"""Per-rule cases, one YAML file per rule: passing and failing fact sets (see tests/rule_cases).

Adding a case is adding data: each case's facts are a facts table, checked against
a pack holding just that rule; the outcome counts must match exactly.
"""

from pathlib import Path

import pytest
import yaml

from checker.api import check
from checker.loaders.table import load_csv
from checker.loaders import Filing

CASES_DIR = Path(__file__).parent / "rule_cases"


def _cases():
    for path in sorted(CASES_DIR.glob("*.yaml")):
        spec = yaml.safe_load(path.read_text())
        for case in spec["cases"]:
            yield pytest.param(path, spec, case, id=f"{path.stem}: {case['name']}")


@pytest.mark.parametrize("path,spec,case", list(_cases()))
def test_rule_case(tmp_path, path, spec, case):
    pack = {"pack": path.stem, "rules": [spec["rule"]]}
    if "parameters" in spec:
        pack["parameters"] = spec["parameters"]
    pack_path = tmp_path / "pack.yaml"
    pack_path.write_text(yaml.safe_dump(pack, allow_unicode=True, sort_keys=False))
    facts = load_csv(case["facts"].encode(), f"{path.name}:{case['name']}")
    result = check(Filing("case", "table", facts, ["case"]), rules=[str(pack_path)])
    coverage, = result.coverage()
    expected = {"passed": 0, "failed": 0, "not_evaluated": 0, "errors": 0, **case["expect"]}
    got = {k: getattr(coverage, k) for k in expected}
    assert got == expected
    assert len(result.violations) == expected["failed"]
    if "violations" in case:
        assert [v.period for v in result.violations] == case["violations"]
    if "explanation" in case:
        assert result.violations[0].explanation == case["explanation"]
    if "problems" in case:
        assert [p.kind for p in result.problems] == case["problems"]
    for violation in result.violations:
        assert violation.facts and all(f.absent or f.line for f in violation.facts)
