"""Financial Statement Data Sets read one submission at a time: the same facts whether the
tables are sorted by adsh or not, a submission named as the reports name it, and in batch
a damaged submission reported on its own while the others are checked."""

from __future__ import annotations

import json
import random
import zipfile

from checker.loaders import load_filing, load_filings
from checker.loaders.fsds import index_fsds, iter_fsds

from .conftest import corpus_path, run_cli

SUB = "adsh\tcik\tname\tform\tperiod\n"
NUM = "adsh\ttag\tversion\tddate\tqtrs\tuom\tsegments\tcoreg\tvalue\tfootnote\n"
PRE = "adsh\treport\tline\tstmt\tinpth\trfile\ttag\tversion\tplabel\tnegating\n"
PACK = "pack: bs\nprefix: us-gaap\nrules:\n  - id: BS\n    title: balances\n    assert: Assets == LiabilitiesAndStockholdersEquity\n"


def _submission(adsh: str, assets: int, equity: int, uom: str = "USD") -> list[str]:
    rows = []
    for ddate in ("20231231", "20241231"):
        rows.append(f"{adsh}\tAssets\tus-gaap/2024\t{ddate}\t0\t{uom}\t\t\t{assets}.0000\t")
        rows.append(f"{adsh}\tLiabilitiesAndStockholdersEquity\tus-gaap/2024\t{ddate}\t0\t{uom}\t\t\t{equity}.0000\t")
        rows.append(f"{adsh}\tCash\tus-gaap/2024\t{ddate}\t0\t{uom}\tSegment=East;\t\t{assets // 10}.0000\t")
    return rows


def write_quarter(folder, shuffle: bool = False, damaged: bool = False):
    """Three submissions: one that balances, one that does not, one with a bad unit when ``damaged``."""
    folder.mkdir(parents=True, exist_ok=True)
    subs = [("0000000001-24-000001", "1", "GOOD CO", "10-K"), ("0000000002-24-000002", "2", "BROKEN CO", "10-K"),
            ("0000000003-24-000003", "3", "DAMAGED CO", "10-Q")]
    (folder / "sub.txt").write_text(SUB + "".join(f"{a}\t{c}\t{n}\t{f}\t20241231\n" for a, c, n, f in subs))
    rows = _submission(subs[0][0], 1000001, 1000001) + _submission(subs[1][0], 1000001, 1200001) + \
        _submission(subs[2][0], 500001, 500001, "USD/" if damaged else "USD")
    pre = [f"{a}\t2\t{i}\tBS\t0\tH\t{t}\tus-gaap/2024\tlabel\t0" for a, *_ in subs
           for i, t in enumerate(("Assets", "LiabilitiesAndStockholdersEquity", "Cash"))]
    if shuffle:
        random.Random(7).shuffle(rows)
        random.Random(8).shuffle(pre)
    (folder / "num.txt").write_text(NUM + "\n".join(rows) + "\n")
    (folder / "pre.txt").write_text(PRE + "\n".join(pre) + "\n")
    return folder


def _facts(filing):
    return sorted((str(f.concept), str(f.period), str(f.unit), str(f.value), f.decimals, str(f.dimensions))
                  for f in filing.facts)


def test_sorted_and_unsorted_tables_give_the_same_submissions(tmp_path):
    ordered = load_filings(write_quarter(tmp_path / "sorted"))
    shuffled = load_filings(write_quarter(tmp_path / "shuffled", shuffle=True))
    assert [f.path.rsplit("/", 1)[1] for f in ordered] == [f.path.rsplit("/", 1)[1] for f in shuffled]
    for a, b in zip(ordered, shuffled, strict=True):
        assert _facts(a) == _facts(b) and a.statements == b.statements and a.description == b.description
    index = index_fsds(str(tmp_path / "shuffled"))
    assert [s.rows for s in index.slices] == [6, 6, 6]
    assert max(s.runs for s in index.slices) > 1     # scattered rows: several runs, all found
    assert all(s.runs == 1 for s in index_fsds(str(tmp_path / "sorted")).slices)


def test_a_zipped_quarter_is_read_by_offset_and_its_temporary_copy_removed(tmp_path):
    folder = write_quarter(tmp_path / "q")
    archive = tmp_path / "2024q4.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for name in ("sub.txt", "num.txt", "pre.txt"):
            out.write(folder / name, name)
    submissions = iter_fsds(str(archive))
    first = next(submissions)     # one at a time: the rest are not read yet
    assert first.path == f"{archive}!0000000001-24-000001" and len(first.facts) == 7
    index = index_fsds(str(archive))
    temporary = index.tables.temporary
    assert temporary and (tmp_path / temporary).exists()
    index.close()
    assert not (tmp_path / temporary).exists()
    rest = list(submissions)
    assert [f.description for f in rest] == ["BROKEN CO 10-K (0000000002-24-000002)",
                                             "DAMAGED CO 10-Q (0000000003-24-000003)"]


def test_one_submission_is_named_as_the_reports_name_it(tmp_path):
    folder = write_quarter(tmp_path / "q")
    archive = tmp_path / "2024q4.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for name in ("sub.txt", "num.txt"):
            out.write(folder / name, name)
    pack = tmp_path / "bs.yaml"
    pack.write_text(PACK)
    named = f"{archive}!0000000002-24-000002"
    result = run_cli("check", named, "-r", pack, "-f", "json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert [f["filing"] for f in report["filings"]] == [named] and report["summary"]["violations"] == 2
    assert load_filing(str(folder / "0000000001-24-000001")).description == "GOOD CO 10-K (0000000001-24-000001)"
    missing = run_cli("check", f"{archive}!0000000009-24-000009", "-r", pack)
    assert missing.returncode == 2 and "holds no submission '0000000009-24-000009'" in missing.stderr
    batch = run_cli("batch", named, "-r", pack, "-f", "json", "--no-progress")
    assert batch.returncode == 1 and [f["filing"] for f in json.loads(batch.stdout)["filings"]] == [named]


def test_in_batch_a_damaged_submission_is_its_own_problem_and_the_others_are_checked(tmp_path):
    write_quarter(tmp_path / "filings" / "q", damaged=True)
    pack = tmp_path / "bs.yaml"
    pack.write_text(PACK)
    result = run_cli("batch", tmp_path / "filings", "-r", pack, "-f", "json", "--no-progress", "-j", "1")
    assert result.returncode == 1
    filings = json.loads(result.stdout)["filings"]
    assert [f["filing"].rsplit("/", 1)[1] for f in filings] == ["0000000001-24-000001", "0000000002-24-000002",
                                                                 "0000000003-24-000003"]
    assert [len(f["violations"]) for f in filings] == [0, 2, 0]
    damaged = filings[2]
    assert damaged["kind"] == "unreadable" and "num.txt:" in damaged["problems"][0]["message"] \
        and "USD/" in damaged["problems"][0]["message"]


def test_batch_over_real_quarters_equals_check_and_any_job_count(tmp_path):
    quarter = corpus_path("fsds", "quarter-2010q2", "2010q2.zip")
    checked = run_cli("check", quarter, "-f", "json", "--fail-on", "never", timeout=300)
    one = run_cli("batch", quarter, "-f", "json", "--fail-on", "never", "-j", "1", "--no-progress", timeout=300)
    two = run_cli("batch", quarter, "-f", "json", "--fail-on", "never", "-j", "2", "--no-progress", timeout=300)
    assert one.stdout == two.stdout
    a, b = json.loads(checked.stdout), json.loads(one.stdout)
    assert len(b["filings"]) == 522 and a["filings"] == b["filings"] and a["summary"] == b["summary"]


def test_crlf_tables_without_a_final_newline_read_alike(tmp_path):
    plain = load_filings(write_quarter(tmp_path / "plain"))
    windows = write_quarter(tmp_path / "windows")
    for name in ("sub.txt", "num.txt", "pre.txt"):
        text = (windows / name).read_text().replace("\n", "\r\n").rstrip("\r\n")
        (windows / name).write_bytes(text.encode())
    for a, b in zip(plain, load_filings(windows), strict=True):
        assert _facts(a) == _facts(b) and a.statements == b.statements and len(b.facts) == 7


def test_facts_built_as_plain_tuples_line_up_with_the_fact_fields(tmp_path):
    """The instance and data-set readers build facts with tuple.__new__ (their hot loops): each
    field must hold what its name says, and ``source`` must name the row or element."""
    from checker.model import Fact

    from .conftest import FIXTURES

    quarter = load_filings(str(write_quarter(tmp_path / "q")))[0]
    instance = load_filing(FIXTURES / "small-instance.xml")
    for fact in quarter.facts[:-1] + instance.facts:   # the last of a submission is its form, as dei:DocumentType
        assert len(fact) == len(Fact._fields)
        assert isinstance(fact.file, str) and fact.file and isinstance(fact.line, int)
        assert fact.column is None and fact.place is None and isinstance(fact.context_id, str)
        assert isinstance(fact.tuple_path, tuple) and fact.decimals is None or isinstance(fact.decimals, (int, float))
        assert str(fact.source).startswith(fact.file) and f":{fact.line}" in str(fact.source)
    assert {f.element_id for f in quarter.facts} == {"0000000001-24-000001"}
    assert all(f.context_id for f in instance.facts) and quarter.facts[0].file.endswith("num.txt")
