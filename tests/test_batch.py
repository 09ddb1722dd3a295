"""discheck batch: discovery, keeping going, the same report whatever the engine or job
count, and resuming from --results."""

from __future__ import annotations

import json
import shutil
import zipfile

import pytest

from checker.batch import discover

from .conftest import REPO, run_cli

FIXTURES = REPO / "tests" / "fixtures"
RX_INSTANCE = REPO / "examples" / "receivables-20f" / "rx-20241231.xml"
RX_PACK = str(REPO / "examples" / "receivables-20f" / "receivables.yaml")


@pytest.fixture
def tree(tmp_path):
    """filings/ as an auditor's download folder: a folder per filing, a filing zip, a zip
    of linkbases only, a stray table, a page that is not a filing, a broken instance."""
    root = tmp_path / "filings"
    (root / "a" / "rx").mkdir(parents=True)
    shutil.copy(RX_INSTANCE, root / "a" / "rx" / "rx-20241231.xml")
    shutil.copytree(FIXTURES / "rpages" / "receivables-20f", root / "a" / "rx-rpages")
    shutil.copytree(FIXTURES / "inline-set", root / "b" / "inline")
    with zipfile.ZipFile(root / "b" / "small.zip", "w") as archive:
        archive.write(FIXTURES / "small-instance.xml", "small-instance.xml")
    with zipfile.ZipFile(root / "b" / "linkbases.zip", "w") as archive:
        archive.writestr("x_cal.xml", '<linkbase xmlns="http://www.xbrl.org/2003/linkbase"/>')
    shutil.copy(FIXTURES / "facts-table.csv", root / "b" / "stray.csv")
    (root / "b" / "about.html").write_text("<html><body>notes</body></html>")
    (root / "c").mkdir()
    (root / "c" / "broken.xml").write_text('<xbrl xmlns="http://www.xbrl.org/2003/instance"><context id="c1">')
    return root


def test_discovery_finds_filings_as_edgar_lays_them_out(tree):
    found = discover([str(tree)])
    units = sorted(p.replace(str(tree), "") for p in found.units)
    assert units == ["/a/rx", "/a/rx-rpages", "/b/inline", "/b/small.zip", "/c/broken.xml"] or \
        units == ["/a/rx", "/a/rx-rpages", "/b/inline", "/b/small.zip", "/c"]
    skipped = {p.replace(str(tree), ""): why for p, why in found.skipped}
    assert "no filing document" in skipped["/b/linkbases.zip"]
    assert "/b/stray.csv" in skipped and "/b/about.html" in skipped


def test_an_unreadable_filing_is_reported_and_the_batch_goes_on(tree):
    run = run_cli("batch", str(tree), "-r", RX_PACK, "-f", "json", "-j", "1", "-v")
    report = json.loads(run.stdout)
    unreadable = [f for f in report["filings"] if f["kind"] == "unreadable"]
    assert len(unreadable) == 1 and unreadable[0]["problems"][0]["kind"] == "input"
    assert "broken" in unreadable[0]["problems"][0]["message"]
    assert {f["kind"] for f in report["filings"]} >= {"instance", "r-pages", "inline"}
    assert run.returncode == 1          # an unreadable filing is an error of the run
    assert "skipped" in run.stderr and "no filing document" in run.stderr
    assert "Traceback" not in run.stderr


def test_nothing_readable_exits_2(tmp_path):
    (tmp_path / "x.xml").write_text("<nope/>")
    run = run_cli("batch", str(tmp_path / "x.xml"))
    assert run.returncode == 2 and "no filing could be read" in run.stderr


def test_no_filing_found_exits_2(tmp_path):
    run = run_cli("batch", str(tmp_path))
    assert run.returncode == 2 and "no filing found" in run.stderr


def _report(tree, *extra):
    run = run_cli("batch", str(tree), "-r", RX_PACK, "-f", "json", "--no-progress", *extra, timeout=180)
    assert run.returncode in (0, 1), run.stderr
    return json.loads(run.stdout), run.stderr


def test_the_report_is_the_same_whatever_the_job_count_or_engine(tree):
    one, _ = _report(tree, "-j", "1")
    two, _ = _report(tree, "-j", "2")
    assert one == two
    pytest.importorskip("distributed", reason="the dask extra is not installed (pip install '.[dask]')")
    dask, _ = _report(tree, "--engine", "dask", "-j", "2")
    assert dask == one


def test_batch_agrees_with_check_filing_by_filing(tree):
    batch, _ = _report(tree, "-j", "1")
    run = run_cli("check", str(tree / "a" / "rx"), str(tree / "a" / "rx-rpages"), "-r", RX_PACK, "-f", "json")
    check = json.loads(run.stdout)
    by_filing = {f["filing"]: f for f in batch["filings"]}
    for filing in check["filings"]:
        assert by_filing[filing["filing"]]["violations"] == filing["violations"]
        assert by_filing[filing["filing"]]["coverage"] == filing["coverage"]


def test_results_resume_and_a_changed_filing_is_checked_again(tree, tmp_path):
    results = tmp_path / "results"
    first, err = _report(tree, "-j", "1", "--results", str(results))
    assert "0 from --results" in err and len(list(results.glob("*.json"))) == 5
    again, err = _report(tree, "-j", "1", "--results", str(results))
    assert again == first and "5 from --results" in err
    page = tree / "a" / "rx-rpages" / "R4.htm"
    page.write_text(page.read_text(encoding="utf-8").replace("51,168", "51,268"), encoding="utf-8")
    changed, err = _report(tree, "-j", "1", "--results", str(results))
    assert "4 from --results" in err
    assert any(v["rule_id"] == "AR.NET" for f in changed["filings"] for v in f["violations"])
