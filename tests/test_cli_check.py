"""``discheck check`` as CI and users run it: exit codes, formats, selection, parameters."""

import json
import re
from importlib import resources

import jsonschema

from .conftest import REPO, run_cli

EXAMPLE = REPO / "examples" / "receivables-20f"
FILING = EXAMPLE / "rx-20241231.xml"
PACK = EXAMPLE / "receivables.yaml"


def broken_filing(tmp_path):
    """The example with net receivables 51,268 instead of 51,168 (both AR.NET and FX.USD break)."""
    path = tmp_path / "broken.xml"
    path.write_text(FILING.read_text().replace(">51168000<", ">51268000<"))
    return path


def result_schema():
    return json.loads(resources.files("checker").joinpath("schemas/result.schema.json").read_text())


def test_clean_filing_exits_0():
    result = run_cli("check", FILING, "--rules", PACK)
    assert result.returncode == 0, result.stderr
    assert "no violations" in result.stdout and "15 bindings evaluated" in result.stdout


def test_violations_exit_1_and_fail_on_sets_the_gate(tmp_path):
    broken = broken_filing(tmp_path)
    assert run_cli("check", broken, "--rules", PACK).returncode == 1
    assert run_cli("check", broken, "--rules", PACK, "--fail-on", "never").returncode == 0
    # only the FX rule (a warning) left: fails at warning, passes at error
    only_fx = ["--select", "FX.USD"]
    assert run_cli("check", broken, "--rules", PACK, *only_fx).returncode == 0
    assert run_cli("check", broken, "--rules", PACK, *only_fx, "--fail-on", "warning").returncode == 1


def test_json_output_validates_against_its_schema(tmp_path):
    out = tmp_path / "report.json"
    result = run_cli("check", broken_filing(tmp_path), FILING, "--rules", PACK, "--format", "json", "--output", out)
    assert result.returncode == 1 and result.stdout == ""
    report = json.loads(out.read_text())
    jsonschema.validate(report, result_schema())
    assert report["summary"]["violations"] == 2 and report["summary"]["filings"] == 2
    net = next(v for v in report["filings"][0]["violations"] if v["rule_id"] == "AR.NET")
    assert (net["left"], net["right"], net["difference"], net["tolerance"]) == \
        ("51268000", "51168000", "100000", "1500")
    assert {f["element_id"] for f in net["facts"]} == {"f1", "f3", "f5"}
    assert all(f["line"] for f in net["facts"])
    coverage = {c["rule_id"]: c for c in report["filings"][1]["coverage"]}
    assert coverage["AR.NET"]["passed"] == 3


def test_parameters_can_be_overridden(tmp_path):
    result = run_cli("check", FILING, "--rules", PACK, "--param", "rate=7.30", "--format", "json")
    report = json.loads(result.stdout)
    assert report["parameters"] == {"receivables-20f.rate": "7.30"}
    fx = [v for v in report["filings"][0]["violations"] if v["rule_id"] == "FX.USD"]
    assert fx, "a rate of 7.30 instead of 7.2993 moves the larger translations beyond rounding"
    unknown = run_cli("check", FILING, "--rules", PACK, "--param", "rat=7.30")
    assert unknown.returncode == 2 and "no rule pack declares a parameter 'rat'" in unknown.stderr
    bad = run_cli("check", FILING, "--rules", PACK, "--param", "rate=seven")
    assert bad.returncode == 2 and "not a number" in bad.stderr


def test_select_and_ignore_by_id_glob_and_tag(tmp_path):
    def rules_run(*args):
        report = json.loads(run_cli("check", FILING, "--rules", PACK, "--format", "json", *args).stdout)
        return [r["id"] for r in report["rules"]]

    assert rules_run("--select", "AR.*") == ["AR.NET", "AR.ALLOWANCE.ROLLFORWARD"]
    assert rules_run("--select", "fx") == ["FX.USD"]
    assert rules_run("--ignore", "receivables") == ["FX.USD"]
    nothing = run_cli("check", FILING, "--rules", PACK, "--select", "NOPE")
    assert nothing.returncode == 2 and "matches no rule" in nothing.stderr


def test_text_has_no_colour_when_not_a_terminal_or_with_no_color(tmp_path):
    from checker.formatters import text
    from checker.api import check
    import io

    result = check(str(broken_filing(tmp_path)), rules=[str(PACK)])
    plain = io.StringIO()
    text.write(result, plain)
    assert "\x1b[" not in plain.getvalue()
    coloured = io.StringIO()
    text.write(result, coloured, colour=True)
    assert "\x1b[31merror\x1b[0m" in coloured.getvalue()

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    import os
    os.environ["NO_COLOR"] = "1"
    try:
        assert not text.use_colour(Terminal())
    finally:
        del os.environ["NO_COLOR"]
    assert text.use_colour(Terminal()) or os.environ.get("TERM") == "dumb"


def test_input_errors_exit_2_without_a_traceback(tmp_path):
    bad_pack = tmp_path / "bad.yaml"
    bad_pack.write_text("pack: x\nrules:\n  - id: A\n    title: t\n    assert: A == \n")
    result = run_cli("check", FILING, "--rules", bad_pack)
    assert result.returncode == 2 and re.search(rf"{bad_pack}:5:\d+: expected a number", result.stderr)
    empty = tmp_path / "empty.xml"
    empty.write_bytes(b"")
    result = run_cli("check", empty, "--rules", PACK)
    assert result.returncode == 2 and f"{empty}: is empty" in result.stderr
    for result in (run_cli("check", FILING, "--format", "yaml"), run_cli("check")):
        assert result.returncode == 2 and "Traceback" not in result.stderr


def test_shipped_rules_run_when_none_are_given():
    result = run_cli("check", FILING, "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert "AR.NET.CREDIT-LOSS" in [r["id"] for r in report["rules"]]


def test_python_api():
    import checker

    result = checker.check(str(FILING), rules=[str(PACK)])
    assert result.violations == [] and len(result.filings) == 1
    assert {c.rule_id for c in result.coverage()} == {"AR.NET", "AR.ALLOWANCE.ROLLFORWARD", "FX.USD"}


def test_a_rule_that_binds_nowhere_is_named_with_what_was_meant(tmp_path):
    pack = tmp_path / "typo.yaml"
    pack.write_text("pack: typo\nprefix: us-gaap\nrules:\n"
                    "  - id: TYPO\n    title: net\n    assert: AccountsRecievableNetCurrent == "
                    "AccountsReceivableGrossCurrent - AccountsReceivableAllowanceForCreditLossCurrent\n"
                    "  - id: CASE\n    title: case\n    assert: accountsReceivableGrossCurrent >= 0\n"
                    "  - id: PREFIX\n    title: prefix\n    assert: us_gaap:AccountsReceivableGrossCurrent >= 0\n")
    result = run_cli("check", FILING, "--rules", pack)
    assert result.returncode == 0, result.stderr
    assert ("TYPO: us-gaap:AccountsRecievableNetCurrent is not reported; did you mean "
            "us-gaap:AccountsReceivableNetCurrent?") in result.stdout
    assert "CASE: us-gaap:accountsReceivableGrossCurrent is not reported; did you mean" in result.stdout
    assert "PREFIX: us_gaap:AccountsReceivableGrossCurrent is not reported; did you mean" in result.stdout
    # a standard element the filing does not report is not "meant" to be a reported neighbour
    elsewhere = tmp_path / "elsewhere.yaml"
    elsewhere.write_text("pack: e\nprefix: us-gaap\nrules:\n  - id: GROSS\n    title: gross\n"
                         "    assert: AccountsReceivableGrossNoncurrent >= 0\n")
    quiet = run_cli("check", FILING, "--rules", elsewhere)
    assert quiet.returncode == 0 and "did you mean" not in quiet.stdout
    gate = run_cli("check", FILING, "--rules", pack, "--fail-on-unbound", "--format", "json")
    assert gate.returncode == 1 and "3 rule(s) bound nowhere" in gate.stderr
    report = json.loads(gate.stdout)
    jsonschema.validate(report, result_schema())
    assert [u["rule_id"] for u in report["unbound"]] == ["TYPO", "CASE", "PREFIX"]
    sound = run_cli("check", FILING, "--rules", PACK, "--fail-on-unbound")
    assert sound.returncode == 0 and "evaluated in no filing" not in sound.stdout


def test_discheck_alone_prints_help_and_mistyped_choices_get_a_did_you_mean():
    alone = run_cli()
    assert alone.returncode == 0 and "usage: discheck" in alone.stdout and "check" in alone.stdout
    typo = run_cli("chek", FILING)
    assert typo.returncode == 2 and "did you mean 'check'?" in typo.stderr
    fmt = run_cli("check", FILING, "--format", "sairf")
    assert fmt.returncode == 2 and "did you mean 'sarif'?" in fmt.stderr


def test_any_github_actions_value_chooses_the_github_format():
    import os
    import subprocess
    import sys
    moved = subprocess.run([sys.executable, "-m", "checker", "check", str(FILING), "--rules", str(PACK)],
                           capture_output=True, text=True, env={**os.environ, "GITHUB_ACTIONS": "1"}, cwd=REPO)
    assert moved.returncode == 0 and moved.stdout.startswith("discheck: 0 new violation(s)")


def test_a_quarter_of_clean_filings_is_one_line_and_the_coverage_lists_what_bound():
    from .conftest import corpus_path
    result = run_cli("check", corpus_path("fsds", "quarter-2010q2", "2010q2.zip"), timeout=120)
    assert result.returncode == 1, result.stderr
    assert result.stdout.count("  no violations\n") < 20  # only filings with a note of their own are listed
    clean = int(result.stdout.split(" more filings with no violations")[0].rsplit("\n", 1)[-1])
    assert clean > 300
    assert "more rules found nothing to bind to" in result.stdout or "more rule found" in result.stdout


def test_an_amount_with_five_decimals_is_shown_with_them():
    from decimal import Decimal

    from checker.engine.wording import fmt
    assert fmt(Decimal("5.00001")) == "5.00001" and fmt(Decimal("-0")) == "0"
    assert fmt(Decimal("51268000") / Decimal("7.2993")) == "7,023,687.2029"


def test_rules_explain_shows_what_decides_where_a_rule_binds(tmp_path):
    fx = run_cli("rules", "explain", "FX.USD.CONVENIENCE")
    assert fx.returncode == 0
    assert "rate:      inferred from the filing's pairs" in fx.stdout
    assert "only for:  20-F, 20-F/A, 40-F, 40-F/A, 6-K, 6-K/A (dei:DocumentType)" in fx.stdout
    pack = tmp_path / "p.yaml"
    pack.write_text("pack: p\nprefix: us-gaap\nparameters: {rate: 7.3, unused: 1}\nrules:\n"
                    "  - id: FX\n    title: t\n    translation: {from: CNY, to: USD, rate: $rate}\n"
                    "  - id: NET\n    title: t\n    assert: A == B - C\n    when: {holds: [B > 0]}\n")
    stated = run_cli("rules", "explain", "FX", "--rules", pack)
    assert "rate:      $rate" in stated.stdout and "parameters: $rate = 7.3" in stated.stdout
    assert "unused" not in stated.stdout
    net = run_cli("rules", "explain", "NET", "--rules", pack)
    assert "only where: B > 0 holds" in net.stdout and "parameters" not in net.stdout


def test_rules_explain_in_a_filing_says_where_the_rule_bound_and_why_not_elsewhere(tmp_path):
    example = REPO / "examples" / "receivables-20f"
    filing, shipped_example = example / "rx-20241231.xml", example / "receivables.yaml"
    bound = run_cli("rules", "explain", "AR.NET", str(filing), "-r", shipped_example)
    assert bound.returncode == 0
    assert "(27 facts): 3 passed, 0 failed, 0 not evaluated, 0 errors" in bound.stdout
    assert ("passed         2024-12-31 iso4217:CNY: AccountsReceivableNetCurrent = 51,168,000, "
            "AccountsReceivableGrossCurrent = 94,052,000") in bound.stdout

    pack = tmp_path / "p.yaml"
    pack.write_text("pack: p\nprefix: us-gaap\nrules:\n"
                    "  - id: NET\n    title: t\n    assert: AccountsReceivableNetCurrent == "
                    "AccountsReceivableGrossCurrent - AllowanceX\n"
                    "  - id: TENK\n    title: t\n    assert: AccountsReceivableNetCurrent > 0\n"
                    "    when: {document_type: [10-K]}\n"
                    "  - id: BIG\n    title: t\n    assert: AccountsReceivableNetCurrent > 0\n"
                    "    when: {holds: [AccountsReceivableNetCurrent > 10000000]}\n"
                    "  - id: SMALL\n    title: t\n    assert: AccountsReceivableNetCurrent < 10000000\n")
    missing = run_cli("rules", "explain", "NET", str(filing), "-r", pack).stdout
    assert missing.count("AllowanceX is not reported there") == 3 and "0 passed, 0 failed, 3 not evaluated" in missing
    other_form = run_cli("rules", "explain", "TENK", str(filing), "-r", pack).stdout
    assert "(whole filing): dei:DocumentType is 20-F, not 10-K" in other_form
    held = run_cli("rules", "explain", "BIG", str(filing), "-r", pack).stdout
    assert "2 passed" in held and \
        "2024-12-31 iso4217:USD: when: AccountsReceivableNetCurrent > 10000000 (7,010,000 > 10,000,000) does not hold" \
        in held
    failed = run_cli("rules", "explain", "SMALL", str(filing), "-r", pack).stdout
    lines = [line for line in failed.splitlines() if line.startswith("  failed")]
    assert len(lines) == 2 and "2023-12-31 iso4217:CNY: warning: 73,496,000 ≥ 10,000,000 (off by 63,496,000" in lines[0]
    assert "[sign: holds with the sign of" in lines[0]   # what explains the break, as check attributes it
    assert failed.index("  failed") < failed.index("  passed")   # the breaks come first

    typo = run_cli("rules", "explain", "SMAL", str(filing), "-r", pack)
    assert typo.returncode == 2 and "did you mean 'SMALL'?" in typo.stderr


def test_every_argument_of_every_command_has_help_text():
    import argparse

    from checker.cli import build_parser

    missing = []

    def walk(parser, path):
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, [*path, name])
            elif action.help is None:
                missing.append(" ".join([*path, *(action.option_strings or [action.dest])]))

    walk(build_parser(), ["discheck"])
    assert missing == []
