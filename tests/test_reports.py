"""Reports for CI gates, reviewers and auditors: SARIF, JUnit, GitHub, Markdown, HTML, baselines."""

import io
import json
import os
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from .browser import dump_dom, screenshot
from .conftest import CORPUS, REPO, corpus_path, run_cli

EXAMPLE = REPO / "examples" / "receivables-20f"
FILING = EXAMPLE / "rx-20241231.xml"
PACK = EXAMPLE / "receivables.yaml"
SARIF_SCHEMA = CORPUS.parent / "schemas" / "sarif-schema-2.1.0.json"


def broken(tmp_path, replace=((">51168000<", ">51268000<"),), name="broken.xml") -> Path:
    text = FILING.read_text()
    for old, new in replace:
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text)
    return path


def sarif_schema() -> dict:
    if not SARIF_SCHEMA.exists():
        pytest.skip(f"the SARIF schema is not at {SARIF_SCHEMA} (it comes with ../shared)")
    return json.loads(SARIF_SCHEMA.read_text())


def run_json(*args, cwd=None) -> dict:
    result = run_cli("check", *args, cwd=cwd)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def test_sarif_of_a_real_filing_validates_and_points_at_lines(tmp_path):
    filing = corpus_path("sec-filings", "urg-10k-2020")
    out = tmp_path / "urg.sarif"
    result = run_cli("check", filing, "--format", "sarif", "--output", out)
    # the two cash roll-forward breaks hold with the change's sign reversed: tagging findings, warnings
    assert result.returncode == 0, result.stderr
    sarif = json.loads(out.read_text())
    jsonschema.Draft7Validator(sarif_schema()).validate(sarif)
    run, = sarif["runs"]
    assert len(run["results"]) == 2 and {r["ruleId"] for r in run["results"]} == {"CASH.ROLLFORWARD"}
    assert {(r["level"], r["properties"]["attribution"], r["properties"]["ruleSeverity"]) for r in run["results"]} \
        == {("warning", "sign", "error")}
    assert "tagging (sign): holds with the sign of" in run["results"][0]["message"]["text"]
    ids = [d["id"] for d in run["tool"]["driver"]["rules"]]
    assert "CASH.ROLLFORWARD" in ids and len(ids) == len(set(ids))
    location = run["results"][0]["locations"][0]["physicalLocation"]
    uri = location["artifactLocation"]["uri"]
    assert not uri.startswith("/") and uri.endswith("urg_10k_htm.xml")
    line = location["region"]["startLine"]
    text = (Path.cwd() / uri).read_text().splitlines() if (Path.cwd() / uri).exists() else \
        (filing / "urg_10k_htm.xml").read_text().splitlines()
    assert "CashCashEquivalentsRestrictedCashAndRestrictedCashEquivalents" in text[line - 1]


def test_sarif_fingerprints_survive_moved_lines(tmp_path):
    first = json.loads(run_cli("check", broken(tmp_path), "-r", PACK, "-f", "sarif").stdout)
    moved = broken(tmp_path, ((">51168000<", ">51268000<"), ("<xbrli:xbrl", "\n\n\n<xbrli:xbrl")), "moved.xml")
    second = json.loads(run_cli("check", moved, "-r", PACK, "-f", "sarif").stdout)

    def prints(sarif):
        return sorted(r["partialFingerprints"]["discheckViolationKey/v1"] for r in sarif["runs"][0]["results"])

    def lines(sarif):
        return sorted(r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in sarif["runs"][0]["results"])

    assert prints(first) == prints(second) and len(prints(first)) == 2
    assert [line + 3 for line in lines(first)] == lines(second)


def test_junit_reads_back(tmp_path):
    out = tmp_path / "report.xml"
    run_cli("check", broken(tmp_path), FILING, "-r", PACK, "--select", "AR.*", "-f", "junit", "-o", out)
    suites = ET.parse(out).getroot()
    assert suites.tag == "testsuites" and suites.get("tests") == "4" and suites.get("failures") == "1"
    first, second = suites.findall("testsuite")
    cases = {case.get("name").split(":")[0]: case for case in first.findall("testcase")}
    failure = cases["AR.NET"].find("failure")
    assert failure is not None and failure.get("message") == "1 violation"
    assert "51,268,000 ≠ 94,052,000 − 42,884,000" in failure.text
    assert cases["AR.ALLOWANCE.ROLLFORWARD"].find("failure") is None
    assert second.get("failures") == "0"


def test_junit_skips_a_rule_evaluated_nowhere(tmp_path):
    pack = tmp_path / "pack.yaml"
    pack.write_text("pack: p\nrules:\n  - id: NOTHING\n    title: never bound\n    assert: Goodwill >= 0\n")
    out = tmp_path / "report.xml"
    run_cli("check", FILING, "-r", pack, "-f", "junit", "-o", out)
    case = ET.parse(out).getroot().find("testsuite/testcase")
    assert case.find("skipped") is not None


def test_github_annotations_and_their_escaping(tmp_path):
    pack = tmp_path / "pack.yaml"
    pack.write_text(PACK.read_text().replace("title: Receivables, net, equal gross receivables less the allowance",
                                             "title: \"Net: 50%, gross\"")
                    .replace("tags: [receivables]\n", "tags: [receivables]\n    message: \"line one\\nline two\"\n", 1))
    result = run_cli("check", broken(tmp_path), "-r", pack, "-f", "github")
    error, = [line for line in result.stdout.splitlines() if line.startswith("::error ")]
    assert re.match(r"::error file=[^,]*broken\.xml,line=26,title=AR\.NET%3A Net%3A 50%25%2C gross", error)
    assert "\n" not in error and "::51,268,000 ≠" in error


def test_github_is_the_default_under_github_actions(tmp_path):
    env = dict(os.environ, GITHUB_ACTIONS="true")
    import subprocess
    import sys
    result = subprocess.run([sys.executable, "-m", "checker", "check", str(broken(tmp_path)), "-r", str(PACK)],
                            capture_output=True, text=True, env=env, cwd=REPO)
    assert result.stdout.startswith("::error file=")


def test_markdown_escapes_filing_text(tmp_path):
    table = tmp_path / "facts.csv"
    table.write_text(
        "concept,value,unit,period,decimals,dimensions\n"
        'us-gaap:Assets,10,iso4217:USD,2024-12-31,0,"ex:LoanAxis=""a|b <img src=x onerror=alert(1)> *bold*"""\n'
        'us-gaap:LiabilitiesAndStockholdersEquity,12,iso4217:USD,2024-12-31,0,'
        '"ex:LoanAxis=""a|b <img src=x onerror=alert(1)> *bold*"""\n')
    pack = tmp_path / "pack.yaml"
    pack.write_text("pack: p\nrules:\n  - id: BS\n    title: balances\n    assert: Assets == LiabilitiesAndStockholdersEquity\n")
    text = run_cli("check", table, "-r", pack, "-f", "markdown").stdout
    assert "<img" not in text and "&lt;img" in text
    assert "a\\|b" in text and "\\*bold\\*" in text


def test_several_reports_from_one_run(tmp_path):
    result = run_cli("check", broken(tmp_path), "-r", PACK, "-f", "sarif", "-o", tmp_path / "a.sarif",
                     "-f", "junit", "-o", tmp_path / "a.xml", "-f", "text")
    assert result.returncode == 1 and "AR.NET" in result.stdout
    assert json.loads((tmp_path / "a.sarif").read_text())["version"] == "2.1.0"
    assert ET.parse(tmp_path / "a.xml").getroot().tag == "testsuites"
    clash = run_cli("check", FILING, "-r", PACK, "-f", "json", "-f", "text")
    assert clash.returncode == 2 and "only one report can go to standard output" in clash.stderr


def test_the_baseline_cycle(tmp_path):
    baseline = tmp_path / "baseline.json"
    today = broken(tmp_path)
    wrote = run_cli("check", today, "-r", PACK, "--write-baseline", baseline)
    assert wrote.returncode == 0 and "wrote 2 accepted violation(s)" in wrote.stderr
    assert len(json.loads(baseline.read_text())["entries"]) == 2

    clean = run_cli("check", today, "-r", PACK, "--baseline", baseline, "-f", "json")
    assert clean.returncode == 0
    report = json.loads(clean.stdout)
    assert report["summary"]["baselined"] == 2 and report["summary"]["by_severity"]["error"] == 0

    # a new break elsewhere: only it fails the gate; the moved lines do not matter
    tomorrow = broken(tmp_path, ((">51168000<", ">51268000<"), (">12857000<", ">12957000<"),
                                 ("<xbrli:xbrl", "\n\n<xbrli:xbrl")), "tomorrow.xml")
    gate = run_cli("check", tomorrow, "-r", PACK, "--baseline", baseline, "-f", "json")
    assert gate.returncode == 1
    new = [v for f in json.loads(gate.stdout)["filings"] for v in f["violations"] if not v["baselined"]]
    assert {(v["rule_id"], v["period"]) for v in new} == {("AR.ALLOWANCE.ROLLFORWARD", "2024-01-01..2024-12-31"),
                                                          ("FX.USD", "2024-01-01..2024-12-31")}

    # another filing checked alone: the entries accepted in broken.xml are not its business
    other = run_cli("check", FILING, "-r", PACK, "--baseline", baseline)
    assert other.returncode == 0 and "stale baseline entry" not in other.stdout

    # the original break fixed in the same file: its entries are stale, and say where they were accepted
    today.write_text(FILING.read_text())
    fixed = run_cli("check", today, "-r", PACK, "--baseline", baseline)
    assert fixed.returncode == 0 and fixed.stdout.count(f"stale baseline entry in {today}") == 2

    # a baseline from before entries named their filing: judged by the whole run, as it was
    legacy = json.loads(baseline.read_text())
    for entry in legacy["entries"]:
        del entry["filing"]
    baseline.write_text(json.dumps(legacy))
    old = run_cli("check", FILING, "-r", PACK, "--baseline", baseline)
    assert old.returncode == 0 and old.stdout.count("stale baseline entry:") == 2


def test_a_bad_baseline_is_an_input_error(tmp_path):
    bad = tmp_path / "baseline.json"
    bad.write_text('{"entries": 3}')
    result = run_cli("check", FILING, "-r", PACK, "--baseline", bad)
    assert result.returncode == 2 and "is not a discheck baseline" in result.stderr


XSS = "<script>document.documentElement.setAttribute('data-pwned','1')</script>"


def hostile_filing(tmp_path) -> Path:
    """A facts table whose typed member, element id and file name all carry markup."""
    folder = tmp_path / "<i>evil"
    folder.mkdir()
    table = folder / "facts.csv"
    member = XSS.replace('"', '""') + "<img src=x onerror=\"document.documentElement.setAttribute('data-img','1')\">"
    member = member.replace('"', '""')
    table.write_text("concept,value,unit,period,decimals,dimensions,id\n"
                     f'us-gaap:Assets,10,iso4217:USD,2024-12-31,0,"ex:LoanAxis=""{member}""","x""><script>alert(1)</script>"\n'
                     f'us-gaap:LiabilitiesAndStockholdersEquity,12,iso4217:USD,2024-12-31,0,"ex:LoanAxis=""{member}""",y\n')
    return table


def test_html_report_is_self_contained_and_escapes_filing_text(tmp_path):
    pack = tmp_path / "pack.yaml"
    pack.write_text("pack: p\nrules:\n  - id: BS\n    title: balances\n    assert: Assets == LiabilitiesAndStockholdersEquity\n")
    out = tmp_path / "report.html"
    result = run_cli("check", hostile_filing(tmp_path), "-r", pack, "-f", "html", "-o", out)
    assert result.returncode == 1, result.stderr
    page = out.read_text()
    assert page.count("<script") == 1 and "&lt;script&gt;" in page
    # nothing is loaded from anywhere: no external resource, no stylesheet link
    assert not re.search(r"""<[^>]+\ssrc\s*=""", page) and "<link" not in page  # loads nothing
    # the only hrefs are links to the filing's own facts, relative: navigation, never a fetch
    hrefs = re.findall(r'<([a-z]+)[^>]*\shref\s*=\s*"([^"]*)"', page)
    assert all(tag == "a" and "#" in href and not re.match(r"[a-z]+:|//", href) for tag, href in hrefs), hrefs
    assert "Content-Security-Policy" in page


def test_html_report_in_a_browser_runs_no_filing_script(tmp_path):
    pack = tmp_path / "pack.yaml"
    pack.write_text("pack: p\nrules:\n  - id: BS\n    title: balances\n    assert: Assets == LiabilitiesAndStockholdersEquity\n")
    out = tmp_path / "report.html"
    run_cli("check", hostile_filing(tmp_path), "-r", pack, "-f", "html", "-o", out)
    dom = dump_dom(out.as_uri())
    assert "data-pwned" not in dom.split("<body", 1)[0] and 'data-pwned="1"' not in dom
    assert 'data-img="1"' not in dom
    assert dom.count("<script") == 1
    assert "&lt;script&gt;document.documentElement.setAttribute" in dom   # shown as text
    assert '<span id="shown">1</span>' in dom   # our own filter script did run


def test_html_filters_by_rule_and_severity(tmp_path):
    out = tmp_path / "report.html"
    run_cli("check", broken(tmp_path), "-r", PACK, "-f", "html", "-o", out)
    by_rule = dump_dom(out.as_uri() + "#rule=FX.USD")
    assert re.search(r'<article class="violation error"[^>]*data-rule="AR.NET" hidden', by_rule)
    assert re.search(r'<article class="violation warning"[^>]*data-rule="FX.USD">', by_rule)
    by_severity = dump_dom(out.as_uri() + "#severity=error")
    assert re.search(r'data-rule="FX.USD" hidden', by_severity)
    assert '<span id="shown">1</span>' in by_severity


def test_html_report_screenshot(tmp_path):
    out = tmp_path / "report.html"
    run_cli("check", broken(tmp_path), "-r", PACK, "-f", "html", "-o", out)
    png = tmp_path / "report.png"
    screenshot(out.as_uri(), str(png))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000


def test_a_markdown_report_fits_one_pull_request_comment():
    import io

    from checker.api import check
    from checker.formatters.markdown import COMMENT_LIMIT, write
    from checker.loaders import load_filings
    result = check(load_filings(str(corpus_path("fsds", "quarter-2010q2", "2010q2.zip"))))
    everything, fitted = io.StringIO(), io.StringIO()
    write(result, everything, limit=10**9)
    write(result, fitted)
    assert len(everything.getvalue()) > COMMENT_LIMIT  # 160 violations with their facts do not fit
    text = fitted.getvalue()
    assert len(text) <= COMMENT_LIMIT and "more finding(s) left out to fit one comment" in text
    shown = text.count("\n- ")
    left = int(text.split("… ")[1].split(" more")[0])
    assert shown + left == len(result.violations) + len(result.problems)


def test_junit_fails_only_what_fails_the_run(tmp_path):
    from xml.etree import ElementTree
    broken = tmp_path / "broken.xml"
    broken.write_text(FILING.read_text().replace(">51168000<", ">51268000<"))  # AR.NET error, FX.USD warning
    for fail_on, failures in (("error", 1), ("warning", 2), ("never", 0)):
        result = run_cli("check", broken, "--rules", PACK, "-f", "junit", "--fail-on", fail_on)
        suites = ElementTree.fromstring(result.stdout.encode())
        assert suites.get("failures") == str(failures), fail_on
        if fail_on == "error":
            assert "1 violation(s) below --fail-on error" in result.stdout


def test_inline_facts_are_located_by_line_and_column_in_every_format(tmp_path):
    """Inline documents from the filing tools are a few long lines: the column tells facts apart."""
    folder = REPO / "tests" / "fixtures" / "inline-set"
    line = (folder / "main.htm").read_text().splitlines()[28]
    column = line.index("<ix:nonFraction") + 1
    assert 'id="cash"' in line[column - 1:column + 200]
    pack = tmp_path / "cash.yaml"
    pack.write_text("pack: cash\nprefix: us-gaap\nrules:\n  - id: CASH.BIG\n    title: t\n"
                    "    assert: Cash >= 2000000000\n")
    text = run_cli("check", folder, "--rules", pack)
    assert f"main.htm:29:{column} #cash" in text.stdout
    sarif = json.loads(run_cli("check", folder, "--rules", pack, "-f", "sarif").stdout)
    regions = [r["locations"][0]["physicalLocation"]["region"] for r in sarif["runs"][0]["results"]]
    assert {"startLine": 29, "startColumn": column} in regions
    github = run_cli("check", folder, "--rules", pack, "-f", "github").stdout
    assert f"line=29,col={column}" in github
    report = json.loads(run_cli("check", folder, "--rules", pack, "-f", "json").stdout)
    facts = [f for v in report["filings"][0]["violations"] for f in v["facts"] if f["element_id"] == "cash"]
    assert [(f["line"], f["column"]) for f in facts] == [(29, column)]
    out = tmp_path / "out" / "report.html"
    out.parent.mkdir()
    assert run_cli("check", folder, "--rules", pack, "-f", "html", "-o", out).returncode == 1
    relative = os.path.relpath(folder / "main.htm", out.parent).replace(os.sep, "/")
    assert f'<a href="{relative}#cash">' in out.read_text()


def test_html_groups_values_shows_each_concept_once_and_hides_filings_a_filter_empties(tmp_path):
    out = tmp_path / "report.html"
    clean = tmp_path / "clean.xml"
    clean.write_text(FILING.read_text())
    run_cli("check", broken(tmp_path), clean, "-r", PACK, "-f", "html", "-o", out)
    page = out.read_text()
    assert '<td class="num">51,268,000</td>' in page and '<td class="num">51268000</td>' not in page
    row = re.search(r'<td class="fact" title="us-gaap:AccountsReceivableNetCurrent">[^\n]*</td>', page).group(0)
    assert row.count("AccountsReceivableNetCurrent") == 2  # the title, and the term once
    filtered = dump_dom(out.as_uri() + "#severity=error")
    sections = re.findall(r"<section class=\"filing\"( hidden(?:=\"\")?)?>\s*<h3 title=\"([^\"]*)\"", filtered)
    assert [(bool(hidden), name.endswith("clean.xml")) for hidden, name in sections] == [(False, False), (True, True)]
    unfiltered = dump_dom(out.as_uri())
    assert "<section class=\"filing\" hidden" not in unfiltered


def test_every_problem_kind_the_schema_names_has_a_sarif_rule():
    from checker.formatters.sarif import PROBLEM_RULES, write
    from checker.results import CheckResult, FilingResult, Problem

    schema = json.loads((REPO / "checker" / "schemas" / "result.schema.json").read_text())
    kinds = schema["$defs"]["problem"]["properties"]["kind"]["enum"]
    assert set(kinds) == set(PROBLEM_RULES)
    problems = tuple(Problem(kind, f"a {kind} problem", "f.xml", None, "warning") for kind in kinds)
    out = io.StringIO()
    write(CheckResult((FilingResult("f.xml", "instance", ("f.xml",), 0, (), problems, ()),), ()), out)
    assert [r["ruleId"] for r in json.loads(out.getvalue())["runs"][0]["results"]] == [PROBLEM_RULES[k][0] for k in kinds]
    from checker.formatters import FORMATS, writer
    result = CheckResult((FilingResult("f.xml", "instance", ("f.xml",), 0, (), problems, ()),), ())
    for name in FORMATS:   # every format takes every kind of problem
        text = io.StringIO()
        writer(name)(result, text)
        assert "a rendered-mismatch problem" in text.getvalue() or name == "junit"


def test_fact_values_are_grouped_as_the_arithmetic_in_the_reports_people_read(tmp_path):
    from checker.formatters import grouped
    from checker.results import FactUse

    assert grouped(FactUse("Assets", "us-gaap:Assets", "315332000", unit="iso4217:USD")) == "315,332,000"
    assert grouped(FactUse("EPS", "us-gaap:EPS", "-1.25", unit="iso4217:USD/xbrli:shares")) == "-1.25"
    assert grouped(FactUse("CIK", "dei:EntityCentralIndexKey", "0001318605")) == "0001318605"   # text stays
    text = run_cli("check", broken(tmp_path), "-r", PACK).stdout
    assert "AccountsReceivableNetCurrent: 51,268,000 (decimals -3)" in text
    markdown = run_cli("check", broken(tmp_path), "-r", PACK, "-f", "markdown").stdout
    assert "| 51,268,000 |" in markdown
