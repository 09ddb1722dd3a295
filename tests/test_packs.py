"""Rule packs: a valid pack loads; every kind of mistake names file:line:column."""

import json
import textwrap
from decimal import Decimal

import pytest

from checker.errors import RulePackError
from checker.packs import load_pack, load_packs

from .conftest import REPO, run_cli

VALID = """\
pack: receivables
prefix: us-gaap
parameters: {rate: 7.2993}
defaults: {severity: warning}
rules:
  - id: AR.NET
    title: Net equals gross less allowance
    assert: AccountsReceivableNetCurrent == AccountsReceivableGrossCurrent - AccountsReceivableAllowanceForCreditLossCurrent
    tags: [receivables]
    references: [ASC 326-20-45-1, {standard: ASC 310, guidance: receivables}]
    message: "net {left} but gross less allowance {right} at {period}"
  - id: FX.USD
    title: US$ at the rate
    translation: {from: CNY, to: USD, rate: $rate}
    tolerance: {relative: 0.001}
"""


def write(tmp_path, text, name="pack.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return str(path)


def test_a_valid_pack(tmp_path):
    pack = load_pack(write(tmp_path, VALID))
    assert pack.parameters == {"rate": Decimal("7.2993")}  # read from the text, never through a float
    net, fx = pack.rules
    assert net.severity == "warning" and net.kind == "assert" and net.tags == ("receivables",)
    assert net.references == ("ASC 326-20-45-1", "ASC 310 — receivables")
    assert (net.location.line, net.location.column) == (6, 5)
    assert fx.kind == "translation" and fx.tolerance.kind == "relative"


def error_of(tmp_path, text) -> str:
    path = write(tmp_path, text)
    with pytest.raises(RulePackError) as info:
        load_pack(path)
    return str(info.value).replace(path, "P")


MISTAKES = [
    ("yaml syntax", VALID.replace("  - id: FX.USD", "  - id: FX.USD\n   bad: [unclosed"), "P:1", "YAML syntax"),
    ("unknown key", VALID.replace("    tags: [receivables]", "    tgas: [receivables]"), "P:9:5",
     "unknown key 'tgas' (did you mean 'tags'?)"),
    ("wrong type", VALID.replace("tags: [receivables]", "tags: receivables"), "P:9:11", "must be an array"),
    ("bad severity", VALID.replace("{severity: warning}", "{severity: fatal}"), "P:4:22", "is not one of"),
    ("bad expression", VALID.replace("AccountsReceivableNetCurrent ==", "AccountsReceivableNetCurrent ="),
     "P:8:42", "write =="),
    ("unknown function", VALID.replace("== AccountsReceivableGrossCurrent", "== total(AccountsReceivableGrossCurrent)"),
     "P:8:45", "unknown function 'total'"),
    ("unknown parameter", VALID.replace("rate: $rate}", "rate: $rat}"), "P:14:45", "unknown parameter $rat"),
    ("two forms", VALID.replace("    tolerance: {relative: 0.001}", "    assert: A == B"), "P:12:5",
     "exactly one of assert, translation, exists"),
    ("no form", VALID.replace("    translation: {from: CNY, to: USD, rate: $rate}\n", ""), "P:12:5",
     "exactly one of"),
    ("duplicate id", VALID.replace("id: FX.USD", "id: AR.NET"), "P:12:5", "used twice"),
    ("duplicate key", VALID.replace("    tags: [receivables]", "    tags: [receivables]\n    tags: [x]"), "P:10:5",
     "appears twice"),
    ("message field", VALID.replace("at {period}", "at {when}"), "P:11:", "unknown field {when}"),
    ("missing title", VALID.replace("    title: US$ at the rate\n", ""), "P:12:5", "lacks 'title'"),
    ("not a mapping", "- just\n- a list\n", "P:1:1", "is a mapping"),
]


@pytest.mark.parametrize("name,text,where,message", MISTAKES, ids=[m[0] for m in MISTAKES])
def test_mistakes_name_file_line_and_column(tmp_path, name, text, where, message):
    error = error_of(tmp_path, text)
    assert error.startswith(where), error
    assert message in error, error


def test_a_mistake_inside_a_folded_expression_points_into_the_block(tmp_path):
    text = VALID.replace(
        "    assert: AccountsReceivableNetCurrent == AccountsReceivableGrossCurrent - AccountsReceivableAllowanceForCreditLossCurrent",
        "    assert: >\n      AccountsReceivableNetCurrent\n        == AccountsReceivableGrossCurrent\n"
        "         - Allowance@yesterday")
    assert error_of(tmp_path, text).startswith("P:11:22: unknown qualifier @yesterday")


def test_every_mistake_in_a_pack_is_listed(tmp_path):
    text = VALID.replace("    tags: [receivables]", "    tgas: [receivables]").replace("rate: $rate}", "rate: $rat}")
    lines = error_of(tmp_path, text).splitlines()
    assert [line.split(": ", 1)[0] for line in lines] == ["P:9:5", "P:14:45"]


def test_an_id_two_packs_share_is_named_by_each_pack(tmp_path):
    first = write(tmp_path, VALID, "a.yaml")
    second = write(tmp_path, VALID.replace("pack: receivables", "pack: other"), "b.yaml")
    packs = load_packs([first, second])
    assert [r.id for p in packs for r in p.rules if r.id.endswith("AR.NET")] == ["receivables:AR.NET", "other:AR.NET"]
    same_name = write(tmp_path, VALID, "c.yaml")
    with pytest.raises(RulePackError, match="pack name 'receivables' is also the name of"):
        load_packs([first, same_name])


def test_the_example_pack_runs_beside_the_shipped_ones_and_answers_to_its_bare_ids():
    example = REPO / "examples" / "receivables-20f"
    both = run_cli("check", example / "rx-20241231.xml", "--rules", "shipped", "--rules", example / "receivables.yaml",
                   "--format", "json")
    assert both.returncode == 0, both.stderr
    ids = {c["rule_id"] for c in json.loads(both.stdout)["filings"][0]["coverage"]}
    assert {"us-gaap-core:AR.ALLOWANCE.ROLLFORWARD", "receivables-20f:AR.ALLOWANCE.ROLLFORWARD", "AR.NET",
            "BS.BALANCES"} <= ids
    selected = run_cli("check", example / "rx-20241231.xml", "--rules", "shipped", "--rules",
                       example / "receivables.yaml", "--select", "AR.ALLOWANCE.ROLLFORWARD", "--format", "json")
    assert {c["rule_id"] for c in json.loads(selected.stdout)["filings"][0]["coverage"]} == \
        {"us-gaap-core:AR.ALLOWANCE.ROLLFORWARD", "receivables-20f:AR.ALLOWANCE.ROLLFORWARD"}


def test_empty_pack(tmp_path):
    assert "is empty" in error_of(tmp_path, "")


def test_rules_validate_command(tmp_path):
    good = write(tmp_path, VALID, "good.yaml")
    ok = run_cli("rules", "validate", good)
    assert ok.returncode == 0 and "1 pack, 2 rules: valid" in ok.stdout
    bad = write(tmp_path, VALID.replace("tags: [receivables]", "tgas: [receivables]"), "bad.yaml")
    result = run_cli("rules", "validate", bad)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"{bad}:9:5: unknown key 'tgas'" in result.stderr


def test_rules_list_and_explain(tmp_path):
    pack = write(tmp_path, VALID)
    listing = run_cli("rules", "list", "--rules", pack)
    assert "AR.NET" in listing.stdout and "FX.USD" in listing.stdout
    explained = run_cli("rules", "explain", "AR.NET", "--rules", pack)
    assert explained.returncode == 0
    assert "binds on:  every context where AccountsReceivableNetCurrent or" in explained.stdout
    missing = run_cli("rules", "explain", "NOPE", "--rules", pack)
    assert missing.returncode == 2 and "no rule has the id 'NOPE'" in missing.stderr


def test_the_shipped_packs_are_valid():
    result = run_cli("rules", "validate", REPO / "rules")
    assert result.returncode == 0, result.stderr


def test_yaml_is_loaded_safely(tmp_path):
    text = VALID.replace("pack: receivables", "pack: !!python/object/apply:os.system ['echo pwned']")
    assert "YAML syntax" in error_of(tmp_path, text) or "could not determine a constructor" in error_of(tmp_path, text)


def test_a_pack_that_met_the_schema_once_is_not_validated_again(tmp_path, monkeypatch):
    """The marker is keyed by the pack's bytes (and the schema's): a pack changed by one
    character is validated afresh, a broken pack never gets one, no cache dir means none."""
    import checker.packs as packs

    monkeypatch.setenv("DISCHECK_CACHE_DIR", str(tmp_path / "cache"))
    validations = []
    real = packs._schema_problems
    monkeypatch.setattr(packs, "_schema_problems", lambda *a: validations.append(1) or real(*a))
    path = write(tmp_path, VALID)
    load_pack(path)
    load_pack(path)
    assert len(validations) == 1 and len(list((tmp_path / "cache" / "valid-packs").iterdir())) == 1
    write(tmp_path, VALID.replace("tags: [receivables]", "tgas: [receivables]"))
    for _ in range(2):
        with pytest.raises(RulePackError, match="unknown key 'tgas'"):
            load_pack(path)
    assert len(validations) == 3 and len(list((tmp_path / "cache" / "valid-packs").iterdir())) == 1
    monkeypatch.setenv("DISCHECK_CACHE_DIR", "")
    write(tmp_path, VALID)
    load_pack(path)
    load_pack(path)
    assert len(validations) == 5


def test_an_unwritable_cache_only_means_validating_again(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("DISCHECK_CACHE_DIR", str(blocker / "cache"))
    assert load_pack(write(tmp_path, VALID)).name == "receivables"
    monkeypatch.setattr("pathlib.Path.is_file", lambda self: (_ for _ in ()).throw(PermissionError(13, "denied")))
    assert load_pack(write(tmp_path, VALID)).name == "receivables"   # a cache it may not read: none
