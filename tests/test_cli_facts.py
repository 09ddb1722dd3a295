"""``discheck facts``: the table it writes is the table the loader reads."""

import csv
import io
import json

from checker.loaders import load_filing

from .conftest import FIXTURES, run_cli


def _key(fact):
    return (fact.concept, fact.entity, fact.period, fact.unit, fact.dimensions, fact.value, fact.decimals)


def test_csv_columns_and_units():
    result = run_cli("facts", FIXTURES / "small-instance.xml")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0])[:8] == ["concept", "value", "unit", "period", "decimals", "dimensions", "entity", "nil"]
    assert all(row["unit"] for row in rows if row["concept"] != "dei:DocumentPeriodEndDate")
    text, = [row for row in rows if row["concept"] == "dei:DocumentPeriodEndDate"]
    assert text["unit"] == "" and text["source"].endswith("small-instance.xml:44")


def test_csv_and_json_round_trip(tmp_path):
    for source in (FIXTURES / "small-instance.xml", FIXTURES / "inline-set", FIXTURES / "report.json"):
        original = load_filing(str(source)).facts
        for fmt in ("csv", "json"):
            out = tmp_path / f"facts.{fmt}"
            result = run_cli("facts", source, "--format", fmt, "--output", out)
            assert result.returncode == 0, result.stderr
            again = load_filing(str(out)).facts
            assert [_key(f) for f in again] == [_key(f) for f in original], (source, fmt)


def test_json_output_lists_documents_and_facts():
    result = run_cli("facts", FIXTURES / "inline-set", "--format", "json")
    document = json.loads(result.stdout)
    assert [d.rsplit("/", 1)[-1] for d in document["documents"]] == ["main.htm", "second.htm"]
    assert {row["concept"] for row in document["facts"]} >= {"us-gaap:Cash", "dei:DocumentType"}


def test_facts_of_several_filings_make_one_table():
    from .conftest import REPO
    seed = REPO / "examples" / "receivables-20f" / "rx-20241231.xml"
    inline = REPO / "tests" / "fixtures" / "inline-set"
    both = run_cli("facts", seed, inline)
    assert both.returncode == 0, both.stderr
    rows = both.stdout.splitlines()
    assert rows[0].startswith("concept,value") and rows.count(rows[0]) == 1
    assert len(rows) - 1 == (len(run_cli("facts", seed).stdout.splitlines()) - 1) + \
        (len(run_cli("facts", inline).stdout.splitlines()) - 1)
