"""Hostile and broken inputs: one clear line naming the file, exit 2, no traceback, fast."""

import json

import pytest

from .conftest import REPO, run_cli

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<xbrl xmlns="http://www.xbrl.org/2003/instance">&lol9;</xbrl>
"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE x [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<xbrl xmlns="http://www.xbrl.org/2003/instance"><a contextRef="c">&xxe;</a></xbrl>
"""
PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE x [ <!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote; ]>
<xbrl xmlns="http://www.xbrl.org/2003/instance"/>
"""
SMALL = (REPO / "tests" / "fixtures" / "small-instance.xml").read_bytes()

CASES = {
    "bomb.xml": (BOMB, "declares XML entities"),
    "xxe.xml": (XXE, "declares XML entities"),
    "parameter-entity.xml": (PARAMETER_ENTITY, "declares XML entities"),
    "truncated.xml": (SMALL[: len(SMALL) // 2], "truncated"),
    "cut-at-tag.xml": (SMALL[: SMALL.index(b"</us-gaap:Revenues>") + 19], "truncated"),
    "empty.xml": (b"", "is empty"),
    "blank.htm": (b"   \n\n", "is empty"),
    "page.htm": (b"<!DOCTYPE html>\n<html><body><p>Annual report</p></body></html>\n",
                 "HTML page without inline XBRL"),
    "notes.txt": (b"REVENUE INFORMATION (Tables)\n|12 Months Ended\n", "holds no XBRL facts"),
    "binary.xml": (bytes(range(256)) * 4, "holds no XBRL facts"),
    "deep.xml": (b'<xbrl xmlns="http://www.xbrl.org/2003/instance">' + b"<a>" * 300 + b"</a>" * 300 +
                 b"</xbrl>", "deeper than 256"),
    "linkbase.xml": (b'<link:linkbase xmlns:link="http://www.xbrl.org/2003/linkbase"/>', "not a report"),
    "broken.json": (b'{"documentInfo": {', "is not valid JSON"),
    "bad-table.csv": (b"name,amount\nx,1\n", "lacks the column"),
    "bad-zip.zip": (b"PK\x03\x04 not really a zip", "not a readable zip"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_gets_one_clear_message(tmp_path, name):
    data, expected = CASES[name]
    path = tmp_path / name
    path.write_bytes(data)
    result = run_cli("facts", path, timeout=10)
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert str(path) in lines[0] and expected in lines[0]


def test_the_seed_text_page_is_said_to_hold_no_facts():
    from .conftest import corpus_path
    seed = corpus_path().parent / "seeds" / "000_50c006de11299bd5.txt"
    if not seed.exists():
        pytest.skip(f"{seed} is absent")
    result = run_cli("facts", seed, timeout=10)
    assert result.returncode == 2 and "holds no XBRL facts" in result.stderr


def test_the_depth_limit_can_be_raised(tmp_path):
    path = tmp_path / "deep.xml"
    path.write_bytes(CASES["deep.xml"][0])
    result = run_cli("facts", path, "--max-xml-depth", "400")
    assert result.returncode == 0, result.stderr


def test_the_size_limit_can_be_lowered(tmp_path):
    path = tmp_path / "small.xml"
    path.write_bytes(SMALL)
    result = run_cli("facts", path, "--max-xml-bytes", "100")
    assert result.returncode == 2 and "over the limit of 100" in result.stderr


def test_a_missing_file_and_an_unknown_option(tmp_path):
    missing = run_cli("facts", tmp_path / "nope.xml")
    assert missing.returncode == 2 and "does not exist" in missing.stderr
    unknown = run_cli("facts", "--colour", "x")
    assert unknown.returncode == 2 and "Traceback" not in unknown.stderr


def test_user_files_are_never_modified(tmp_path):
    path = tmp_path / "filing.xml"
    path.write_bytes(SMALL)
    before = path.stat().st_mtime_ns, path.read_bytes()
    assert run_cli("facts", path).returncode == 0
    assert (path.stat().st_mtime_ns, path.read_bytes()) == before


def test_an_internal_error_exits_3_with_one_line_never_1(monkeypatch, capsys):
    """A bug of ours must not read as "violations found" (exit 1) in a CI gate."""
    from checker import api, cli

    def broken(*args, **kwargs):
        raise KeyError("bug")

    monkeypatch.setattr(api, "check", broken)
    filing = str(REPO / "examples" / "receivables-20f" / "rx-20241231.xml")
    assert cli.main(["check", filing]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error: KeyError" in err and "Traceback" not in err
    assert cli.main(["check", filing, "--debug"]) == 3
    assert "Traceback" in capsys.readouterr().err


def test_a_closed_pipe_keeps_the_gate_answer(tmp_path):
    """`discheck check broken.xml | head`: the reader leaves early, the exit code still says violations."""
    import subprocess
    import sys

    example = REPO / "examples" / "receivables-20f"
    broken = tmp_path / "broken.xml"
    broken.write_text((example / "rx-20241231.xml").read_text().replace(">51168000<", ">51268000<"))
    process = subprocess.Popen([sys.executable, "-m", "checker", "check", str(broken), "--rules",
                                str(example / "receivables.yaml")], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, cwd=REPO)
    process.stdout.close()  # before anything is written
    _, err = process.communicate(timeout=60)
    assert process.returncode == 1, err
    assert b"Traceback" not in err


SEED = (REPO / "examples" / "receivables-20f" / "rx-20241231.xml").read_text()
SEED_PACK = REPO / "examples" / "receivables-20f" / "receivables.yaml"
NET = 'id="f5" contextRef="I2024" unitRef="CNY" decimals="-3">51168000<'
MUTATIONS = {  # extreme values anywhere an instance can put them: each read exactly or refused in one line
    "nan": ((NET, NET.replace(">51168000<", ">NaN<")), "is not a number"),
    "huge-exponent": ((NET, NET.replace(">51168000<", ">1e999999999<")), "beyond the magnitudes"),
    "tiny-exponent": ((NET, NET.replace(">51168000<", ">1e-999999999<")), "beyond the magnitudes"),
    "45-digits": ((NET, NET.replace(">51168000<", ">51168000.000000000000000000000000000000000001<")),
                  "more than 40 significant digits"),
    "decimals-huge": ((NET, NET.replace('decimals="-3"', 'decimals="-99999999999"')), "beyond ±1000"),
    "decimals-2e6": ((NET, NET.replace('decimals="-3"', 'decimals="2000000"')), "beyond ±1000"),
    "precision-huge": ((NET, NET.replace('decimals="-3"', 'precision="99999999999"')), "between 0 and 1000"),
    "date-9999": (("<xbrli:instant>2024-12-31<", "<xbrli:instant>9999-12-31<"), "beyond the dates"),
    "backwards": (("<xbrli:startDate>2024-01-01<", "<xbrli:startDate>2025-06-01<"), "before it starts"),
    "duplicate-context": (('<xbrli:context id="I2021">', '<xbrli:context id="I2024"><xbrli:entity><xbrli:identifier '
                           'scheme="x">1</xbrli:identifier></xbrli:entity><xbrli:period><xbrli:instant>2001-01-01'
                           '</xbrli:instant></xbrli:period></xbrli:context><xbrli:context id="I2021">'),
                          "defines context 'I2024' a second time, differently"),
    "empty-measure": (("<xbrli:measure>iso4217:USD</xbrli:measure>", "<xbrli:measure> </xbrli:measure>"),
                      "has an empty measure"),
}


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_extreme_values_are_refused_in_one_line_naming_the_file(tmp_path, name):
    (old, new), expected = MUTATIONS[name]
    assert old in SEED
    path = tmp_path / f"{name}.xml"
    path.write_text(SEED.replace(old, new, 1))
    result = run_cli("check", path, "--rules", SEED_PACK, timeout=20)
    assert result.returncode == 2, result.stderr
    line, = result.stderr.strip().splitlines()
    assert str(path) in line and expected in line and "Traceback" not in result.stderr


def test_a_39_digit_amount_is_read_exactly_and_its_break_explained(tmp_path):
    path = tmp_path / "digits.xml"
    path.write_text(SEED.replace(NET, NET.replace(">51168000<", ">51268000.00000000000000000000000000001<")))
    result = run_cli("check", path, "--rules", SEED_PACK)
    assert result.returncode == 1, result.stderr
    assert "51,268,000 ≠ 94,052,000 − 42,884,000 = 51,168,000" in result.stdout


def test_a_utf16_instance_is_read(tmp_path):
    path = tmp_path / "utf16.xml"
    path.write_bytes(SEED.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16"))
    result = run_cli("check", path, "--rules", SEED_PACK)
    assert result.returncode == 0, result.stderr
    assert "15 bindings evaluated" in result.stdout


def test_entities_declared_after_a_long_comment_are_refused():
    from checker.errors import InputError
    from checker.loaders.xmlsafe import parse_bytes

    data = (b'<?xml version="1.0"?>\n<!-- ' + b"x" * 70000 + b' -->\n<!DOCTYPE x [<!ENTITY a "aaaa">]>\n'
            b'<link:linkbase xmlns:link="http://www.xbrl.org/2003/linkbase">&a;</link:linkbase>\n')
    with pytest.raises(InputError, match="declares XML entities"):
        parse_bytes(data, "late.xml")


@pytest.mark.parametrize("table, expected", [
    ("concept,value,unit,period,decimals\nus-gaap:Assets,1e999999999,iso4217:USD,2024-12-31,0\n",
     "beyond the magnitudes"),
    ("concept,value,unit,period,decimals\nus-gaap:Assets,5,iso4217:USD,2024-12-31,99999999\n", "within ±1000"),
    ("concept,value,unit,period,decimals\nus-gaap:Assets,5,iso4217:USD,9999-12-31,0\n", "beyond the dates"),
])
def test_extreme_values_in_a_facts_table_are_refused(tmp_path, table, expected):
    path = tmp_path / "facts.csv"
    path.write_text(table)
    result = run_cli("check", path, timeout=20)
    assert result.returncode == 2, result.stderr
    line, = result.stderr.strip().splitlines()
    assert str(path) in line and expected in line


def test_an_inline_scale_beyond_reason_is_refused(tmp_path):
    page = (REPO / "tests" / "fixtures" / "inline-set").glob("*.htm")
    first = sorted(page)[0]
    text = first.read_text()
    assert 'scale="' in text
    import re
    mutated = re.sub(r'scale="-?\d+"', 'scale="999999"', text, count=1)
    path = tmp_path / first.name
    path.write_text(mutated)
    result = run_cli("facts", path, timeout=20)
    assert result.returncode == 2, result.stderr
    line, = result.stderr.strip().splitlines()
    assert "scale='999999'" in line and "between -100 and 100" in line


@pytest.mark.parametrize("assertion, expected", [
    ("Assets == 1e999999999", "beyond the magnitudes"),
    ("Assets == round(Liabilities, 999999999)", "whole number of digits within ±1000"),
    ("Assets == round(Liabilities, 1.5)", "whole number of digits"),
])
def test_extreme_numbers_in_a_rule_pack_fail_validation(tmp_path, assertion, expected):
    pack = tmp_path / "pack.yaml"
    pack.write_text(f"pack: p\nprefix: us-gaap\nrules:\n  - id: R\n    title: t\n    assert: {assertion}\n")
    result = run_cli("rules", "validate", pack)
    assert result.returncode == 2 and expected in result.stderr and "Traceback" not in result.stderr


def test_an_extreme_param_is_refused():
    result = run_cli("check", REPO / "examples" / "receivables-20f" / "rx-20241231.xml", "--rules", SEED_PACK,
                     "--param", "rate=1e999999")
    assert result.returncode == 2 and "beyond the magnitudes" in result.stderr


YAML_HEAD = "pack: p\nprefix: us-gaap\nrules:\n"


@pytest.mark.parametrize("text, expected", [
    ("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
     "c: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n" + YAML_HEAD, "alias"),
    ("pack: &p\n  x: *p\n", "alias"),
    ("pack: " + "[" * 10000 + "]" * 10000 + "\n", "nests deeper than 32 levels"),
    (YAML_HEAD.replace("rules:\n", "parameters: {rate: " + "9" * 5000 + "}\nrules:\n"), "cannot be read"),
    (YAML_HEAD + "  - id: R\n    title: t\n    assert: Assets == " + "(" * 300 + "B" + ")" * 300 + "\n",
     "nests more than 64 levels"),
    (YAML_HEAD + "  - id: R\n    title: t\n    assert: Assets == " + "-" * 3000 + "B\n", "nests more than 64 levels"),
    (YAML_HEAD + "  - id: R\n    title: t\n    assert: Assets == " + " + ".join(["B"] * 3000) + "\n",
     "more than 400 levels deep"),
    (YAML_HEAD + "  - id: R\n    title: t\n    assert: Ass\u0435ts == Liabilities\n", "CYRILLIC SMALL LETTER IE"),
    (YAML_HEAD + "  - id: R\n    title: t\n    assert: Assets == \uff11\uff12\n", "FULLWIDTH DIGIT ONE"),
])
def test_hostile_rule_packs_fail_validation_in_one_line(tmp_path, text, expected):
    pack = tmp_path / "pack.yaml"
    pack.write_text(text)
    result = run_cli("rules", "validate", pack, timeout=20)
    assert result.returncode == 2, result.stderr
    assert expected in result.stderr and str(pack) in result.stderr and "Traceback" not in result.stderr


def _zip(tmp_path, members, name="package.zip"):
    import zipfile
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in members:
            archive.writestr(member, data)
    return path


def test_a_zip_with_corrupt_deflate_data_or_a_member_twice_is_refused(tmp_path):
    import warnings
    path = _zip(tmp_path, [("rx/rx-20241231.xml", SEED * 5)])
    raw = bytearray(path.read_bytes())
    start = raw.index(b"rx/rx-20241231.xml") + len("rx/rx-20241231.xml") + 10
    raw[start:start + 40] = bytes(40)  # damage the compressed stream, not the headers
    path.write_bytes(bytes(raw))
    result = run_cli("check", path, timeout=20)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert str(path) in result.stderr
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate it is asked to write
        twice = _zip(tmp_path, [("a.xml", SEED), ("a.xml", SEED)], "twice.zip")
    result = run_cli("check", twice, timeout=20)
    assert result.returncode == 2 and "holds the member 'a.xml' twice" in result.stderr


FSDS_SUB = ("adsh\tcik\tname\tform\tperiod\tfy\tfp\tfiled\n"
            "0000000001-24-000001\t1\tACME CORP\t10-K\t20241231\t2024\tFY\t20250301\n")
FSDS_NUM = ("adsh\ttag\tversion\tcoreg\tddate\tqtrs\tuom\tvalue\tfootnote\n"
            "0000000001-24-000001\tAssets\tus-gaap/2024\t\t20241231\t0\tUSD\t1000\t\n")


@pytest.mark.parametrize("sub, num, expected", [
    (FSDS_SUB, FSDS_NUM.replace("\tUSD\t", "\tUSD/\t"), "is not a measure or a ratio"),
    (FSDS_SUB, FSDS_NUM.replace("\t0\tUSD", "\t1000000000000\tUSD"), "between 0 and 400"),
    (FSDS_SUB, FSDS_NUM.replace("1000\t\n", "1000\n").replace("\tUSD\t1000", "\tUSD"), "fewer fields"),
    (FSDS_SUB.replace("20241231\t2024", "2024123x\t2024"), FSDS_NUM, "unreadable period"),
    (FSDS_SUB.replace("0000000001-24-000001", "0000000002-24-000001"), FSDS_NUM, "which sub.txt does not list"),
])
def test_damaged_data_set_tables_are_refused_naming_the_line(tmp_path, sub, num, expected):
    path = _zip(tmp_path, [("sub.txt", sub), ("num.txt", num), ("tag.txt", "tag\tversion\n")], "2024q4.zip")
    result = run_cli("check", path, timeout=20)
    assert result.returncode == 2, result.stderr
    line, = result.stderr.strip().splitlines()
    assert expected in line and "2024q4.zip!" in line


def test_a_data_set_table_over_the_byte_limit_is_refused(tmp_path):
    path = _zip(tmp_path, [("sub.txt", FSDS_SUB), ("num.txt", FSDS_NUM * 50), ("tag.txt", "tag\tversion\n")],
                "2024q4.zip")
    result = run_cli("check", path, "--max-xml-bytes", "2000", timeout=20)
    assert result.returncode == 2 and "num.txt: is over the limit of 2,000 bytes" in result.stderr


@pytest.mark.parametrize("dimensions, expected", [
    ({"concept": ["us-gaap:Assets"]}, "concept that is not a string"),
    ({"concept": "us-gaap:Assets", "entity": 7}, "entity that is not a string"),
    ({"concept": "us-gaap:Assets", "unit": ""}, "empty unit"),
    ({"concept": "us-gaap:Assets", "period": "9999-12-31T24:00:00"}, "unreadable period"),
    ({"concept": "us-gaap:Assets", "us-gaap:Axis": {"x": 1}}, "not a string"),
])
def test_xbrl_json_fields_of_the_wrong_type_are_refused(tmp_path, dimensions, expected):
    import json
    base = {"entity": "cik:1", "period": "2024-12-31T00:00:00", "unit": "iso4217:USD"}
    document = {"documentInfo": {"documentType": "https://xbrl.org/2021/xbrl-json",
                                 "namespaces": {"us-gaap": "http://fasb.org/us-gaap/2024", "cik": "http://cik",
                                                "iso4217": "http://www.xbrl.org/2003/iso4217"}},
                "facts": {"f1": {"value": "5", "dimensions": {**base, **dimensions}}}}
    path = tmp_path / "report.json"
    path.write_text(json.dumps(document))
    result = run_cli("check", path, timeout=20)
    assert result.returncode == 2, result.stderr
    line, = result.stderr.strip().splitlines()
    assert expected in line and str(path) in line


def _injected(tmp_path):
    """The seed with net receivables moved (so AR.NET reports) and a fact id that carries a
    newline, a GitHub workflow command and a C1 control sequence."""
    path = tmp_path / "injected.xml"
    path.write_text(SEED.replace('id="f5"', 'id="f5&#10;::error file=x::pwned&#x9b;31m&#x2028;"')
                    .replace(">51168000<", ">51268000<"))
    return path


@pytest.mark.parametrize("fmt", ["text", "markdown", "junit", "github"])
def test_text_from_a_filing_cannot_start_a_line_or_a_workflow_command(tmp_path, fmt):
    result = run_cli("check", _injected(tmp_path), "--rules", SEED_PACK, "--format", fmt)
    assert result.returncode == 1, result.stderr
    assert fmt not in ("text", "markdown") or "pwned" in result.stdout  # the formats that show element ids
    assert not any(line.lstrip().startswith("::error file=x") for line in result.stdout.splitlines())
    assert "\x9b" not in result.stdout and "\u2028" not in result.stdout


def test_junit_stays_well_formed_with_control_characters_from_a_table(tmp_path):
    from xml.etree import ElementTree
    table = tmp_path / "facts.csv"
    member = "srt:SegmentsAxis=ex:Re\x0bgion"  # a member name XML 1.0 could never carry, from a CSV
    table.write_text("concept,value,unit,period,decimals,dimensions\n"
                     f"us-gaap:AccountsReceivableNetCurrent,5,iso4217:USD,2024-12-31,0,{member}\n"
                     f"us-gaap:AccountsReceivableGrossCurrent,9,iso4217:USD,2024-12-31,0,{member}\n"
                     f"us-gaap:AccountsReceivableAllowanceForCreditLossCurrent,1,iso4217:USD,2024-12-31,0,{member}\n")
    result = run_cli("check", table, "--rules", SEED_PACK, "--format", "junit")
    assert result.returncode == 1, result.stderr
    ElementTree.fromstring(result.stdout.encode())
    assert "ex:Re\\x0bgion" in result.stdout


def test_a_console_that_is_not_utf8_gets_escapes_not_a_crash(tmp_path):
    import os
    import subprocess
    import sys
    moved = tmp_path / "moved.xml"
    moved.write_text(SEED.replace(">51168000<", ">51268000<"))
    result = subprocess.run([sys.executable, "-m", "checker", "check", str(moved), "--rules", str(SEED_PACK)],
                            capture_output=True, env={**os.environ, "PYTHONIOENCODING": "latin-1"}, cwd=REPO)
    assert result.returncode == 1, result.stderr
    assert b"51,268,000 \\u2260 94,052,000" in result.stdout


def test_a_report_is_never_written_over_an_input(tmp_path):
    filing = tmp_path / "filing.xml"
    filing.write_text(SEED)
    before = filing.read_bytes()
    for args in (["check", filing, "--rules", SEED_PACK, "-o", filing],
                 ["check", filing, "--rules", SEED_PACK, "-f", "json", "-o", tmp_path / "ok.json", "-f", "sarif",
                  "-o", filing],
                 ["check", tmp_path, "--rules", SEED_PACK, "-o", filing],
                 ["facts", filing, "-o", filing]):
        result = run_cli(*args)
        assert result.returncode == 2 and "is an input of this run" in result.stderr, (args, result.stderr)
        assert filing.read_bytes() == before
    pack = tmp_path / "pack.yaml"
    pack.write_bytes(SEED_PACK.read_bytes())
    result = run_cli("check", filing, "--rules", pack, "--write-baseline", pack)
    assert result.returncode == 2 and pack.read_bytes() == SEED_PACK.read_bytes()


def test_rules_from_calc_writes_a_crafted_href_as_one_quoted_value(tmp_path):
    import yaml
    folder = tmp_path / "crafted"
    folder.mkdir()
    (folder / "x.xml").write_text(SEED)
    evil = "Assets&#10;  - id: INJECTED&#10;    title: x&#10;    assert: Assets == 0"
    (folder / "x_cal.xml").write_text(
        '<link:linkbase xmlns:link="http://www.xbrl.org/2003/linkbase" xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<link:calculationLink xlink:type="extended" xlink:role="http://example.com/role/BS">'
        f'<link:loc xlink:type="locator" xlink:label="t" xlink:href="us-gaap.xsd#us-gaap_{evil}"/>'
        '<link:loc xlink:type="locator" xlink:label="i" xlink:href="us-gaap.xsd#us-gaap_Liabilities"/>'
        '<link:calculationArc xlink:type="arc" xlink:arcrole="http://www.xbrl.org/2003/arcrole/summation-item" '
        'xlink:from="t" xlink:to="i" weight="1"/></link:calculationLink></link:linkbase>\n')
    result = run_cli("rules", "from-calc", folder)
    assert result.returncode == 0, result.stderr
    pack = yaml.safe_load(result.stdout)
    assert [rule["id"] for rule in pack["rules"]] == ["CALC.001.Assets---id-INJECTED-title-x-assert-Assets-0"]
    assert "\n" in pack["rules"][0]["calculation"]["total"]


def test_depth_limits_are_said_as_they_are(tmp_path):
    deep = tmp_path / "deep.xml"
    deep.write_bytes(b'<xbrl xmlns="http://www.xbrl.org/2003/instance">' + b"<a>" * 3000 + b"</a>" * 3000 + b"</xbrl>")
    raised = run_cli("facts", deep, "--max-xml-depth", "2048")
    assert raised.returncode == 2 and "deeper than 2048 levels" in raised.stderr and "raise" not in raised.stderr
    beyond = run_cli("facts", deep, "--max-xml-depth", "5000")
    assert beyond.returncode == 2 and "over 2048" in beyond.stderr and "Traceback" not in beyond.stderr


def test_a_facts_table_with_a_long_text_field_is_read(tmp_path):
    table = tmp_path / "facts.csv"
    table.write_text("concept,value,unit,period\nus-gaap:Assets,5,iso4217:USD,2024-12-31\n"
                     "dei:EntityRegistrantName," + "x" * 200_000 + ",,2024-12-31\n")
    result = run_cli("facts", table, "--format", "json")
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["facts"][1]["value"]) == 200_000


def test_a_zip_bomb_of_tiny_elements_is_refused_before_it_is_read(tmp_path):
    path = _zip(tmp_path, [("rx.xml", SEED.replace("</xbrli:xbrl>", "<x/>" * 3_000_000 + "</xbrli:xbrl>"))],
                "bomb.zip")
    result = run_cli("check", path, timeout=20)
    assert result.returncode == 2 and "a zip bomb? refusing it" in result.stderr, result.stderr


def test_a_package_of_twenty_thousand_members_is_read(tmp_path):
    members = [("rx/rx-20241231.xml", SEED)] + [(f"rx/junk{i}.xml", "<a/>") for i in range(20_000)]
    result = run_cli("check", _zip(tmp_path, members), "--rules", SEED_PACK, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "15 bindings evaluated" in result.stdout


def test_a_file_whose_name_holds_an_exclamation_mark_is_a_file(tmp_path):
    folder = tmp_path / "filing"
    folder.mkdir()
    (folder / "r!x.xml").write_text(SEED)
    (folder / "r!x_pre.xml").write_text((REPO / "examples" / "receivables-20f" / "rx-20241231_pre.xml").read_text())
    for target in (folder, folder / "r!x.xml"):
        result = run_cli("check", target, "--rules", SEED_PACK, "--rollforwards", "--format", "json")
        assert result.returncode == 0, result.stderr
        coverage = {c["rule_id"]: c for c in json.loads(result.stdout)["filings"][0]["coverage"]}
        assert coverage["ROLLFORWARD"]["passed"] > 0  # the presentation linkbase beside it was found


@pytest.mark.parametrize("rate, expected", [("0", "is 0"), ("-7.3", "is -7.3"), ("1/0", "divides by zero")])
def test_a_translation_rate_that_is_not_positive_is_a_pack_error(tmp_path, rate, expected):
    pack = tmp_path / "fx.yaml"
    pack.write_text(f"pack: fx\nprefix: us-gaap\nrules:\n  - id: FX\n    title: t\n"
                    f"    translation: {{from: CNY, to: USD, rate: {rate}}}\n")
    validated = run_cli("rules", "validate", pack)  # a constant rate is known before any filing is read
    assert validated.returncode == 2 and f"{pack}:6:" in validated.stderr and expected in validated.stderr
    result = run_cli("check", REPO / "examples" / "receivables-20f" / "rx-20241231.xml", "--rules", pack)
    assert result.returncode == 2, result.stderr
    line, = result.stderr.strip().splitlines()
    assert f"{pack}:6:" in line and expected in line


def test_a_rate_parameter_overridden_to_zero_is_refused_at_the_rule():
    result = run_cli("check", REPO / "examples" / "receivables-20f" / "rx-20241231.xml", "--rules", SEED_PACK,
                     "--param", "rate=0")
    assert result.returncode == 2, result.stderr
    line, = result.stderr.strip().splitlines()
    assert "receivables.yaml:" in line and "the translation rate is 0: a rate must be a positive number" in line


def test_a_tiny_rate_gives_huge_amounts_worded_not_a_crash(tmp_path):
    pack = tmp_path / "fx.yaml"
    pack.write_text("pack: fx\nprefix: us-gaap\nrules:\n  - id: FX\n    title: t\n"
                    "    translation: {from: CNY, to: USD, rate: 1e-99}\n")
    result = run_cli("check", REPO / "examples" / "receivables-20f" / "rx-20241231.xml", "--rules", pack)
    assert result.returncode == 1, result.stderr
    assert "÷ 0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001" \
        in result.stdout


def test_a_long_comment_before_the_root_neither_hides_the_filing_nor_an_entity(tmp_path):
    comment = "<!-- " + "x" * 70_000 + " -->\n"
    long = tmp_path / "long.xml"
    long.write_text(SEED.replace("<xbrli:xbrl", comment + "<xbrli:xbrl", 1))
    result = run_cli("check", long, "--rules", SEED_PACK)
    assert result.returncode == 0 and "15 bindings evaluated" in result.stdout, result.stderr
    late = tmp_path / "late.xml"
    late.write_text(SEED.replace("<xbrli:xbrl", comment + '<!DOCTYPE x [<!ENTITY a "b">]>\n<xbrli:xbrl', 1))
    refused = run_cli("check", late, "--rules", SEED_PACK)
    assert refused.returncode == 2 and "declares XML entities" in refused.stderr


def test_a_folder_of_filing_folders_says_how_to_name_them(tmp_path):
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "x.xml").write_text(SEED)
    result = run_cli("check", tmp_path)
    assert result.returncode == 2
    assert f"its 2 subfolders may hold filings: check them all with discheck batch {tmp_path}, or name them, " \
        "e.g. discheck check" in result.stderr
    both = run_cli("check", tmp_path / "a", tmp_path / "b", "--rules", SEED_PACK)
    assert both.returncode == 0 and "in 2 filings" in both.stdout


def _many_facts(kind: str, facts: int) -> str:
    contexts = ('<xbrli:context id="c"><xbrli:entity><xbrli:identifier scheme="http://www.sec.gov/CIK">1'
                '</xbrli:identifier></xbrli:entity><xbrli:period><xbrli:instant>2024-12-31</xbrli:instant>'
                '</xbrli:period></xbrli:context><xbrli:unit id="u"><xbrli:measure>iso4217:USD</xbrli:measure>'
                '</xbrli:unit>')
    names = ('xmlns:xbrli="http://www.xbrl.org/2003/instance" xmlns:iso4217="http://www.xbrl.org/2003/iso4217" '
             'xmlns:us-gaap="http://fasb.org/us-gaap/2024"')
    if kind == "instance":
        return (f'<?xml version="1.0"?>\n<xbrli:xbrl {names}>{contexts}\n' + "".join(
            f'<us-gaap:C{i} contextRef="c" unitRef="u" decimals="0">{i}</us-gaap:C{i}>\n' for i in range(facts))
            + "</xbrli:xbrl>\n")
    return (f'<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml" '
            f'xmlns:ix="http://www.xbrl.org/2013/inlineXBRL" {names}><body><div style="display:none"><ix:header>'
            f'<ix:resources>{contexts}</ix:resources></ix:header></div>\n' + "".join(
                f'<p><ix:nonFraction name="us-gaap:C{i}" contextRef="c" unitRef="u" decimals="0">{i}'
                f'</ix:nonFraction></p>\n' for i in range(facts)) + "</body></html>\n")


@pytest.mark.parametrize("kind, suffix", [("instance", ".xml"), ("inline", ".htm")])
def test_a_filing_of_more_facts_than_the_ceiling_is_refused_and_the_ceiling_can_be_raised(tmp_path, kind, suffix):
    """The byte limit alone does not bound memory (a dense 1 GiB instance is ten million facts):
    a ceiling on facts does, while the file streams, and it can be raised."""
    path = tmp_path / f"many{suffix}"
    path.write_text(_many_facts(kind, 9000))
    refused = run_cli("facts", path, "--max-facts", "5000", timeout=60)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    line, = refused.stderr.strip().splitlines()
    assert f"many{suffix}: holds more than 5,000 facts (raise the limit with --max-facts)" in line
    raised = run_cli("facts", path, "--max-facts", "9000", timeout=60)
    assert raised.returncode == 0 and raised.stdout.count("\n") == 9001
    assert "--max-facts N" in run_cli("check", "--help").stdout


def test_a_data_set_submission_over_the_fact_ceiling_is_refused_by_name(tmp_path):
    path = _zip(tmp_path, [("sub.txt", FSDS_SUB), ("num.txt", FSDS_NUM + FSDS_NUM.split("\n", 1)[1]),
                           ("tag.txt", "tag\tversion\n")], "2024q4.zip")
    result = run_cli("check", path, "--max-facts", "2", timeout=20)
    assert result.returncode == 2   # two rows, and the form as dei:DocumentType
    assert "2024q4.zip!0000000001-24-000001: holds more than 2 facts" in result.stderr
    assert run_cli("check", path, "--max-facts", "3", timeout=20).returncode == 0
    assert run_cli("facts", f"{path}!0000000001-24-000001", "--max-facts", "3", timeout=20).returncode == 0


def test_json_reports_and_tables_over_the_fact_ceiling_are_refused_before_they_are_parsed(tmp_path):
    facts = {f"f{i}": {"value": str(i), "decimals": 0, "dimensions": {
        "concept": f"us-gaap:C{i}", "entity": "cik:1", "period": "2024-12-31T00:00:00", "unit": "iso4217:USD"}}
        for i in range(50)}
    report = tmp_path / "report.json"
    report.write_text(json.dumps({"documentInfo": {"documentType": "https://xbrl.org/2021/xbrl-json", "namespaces": {
        "us-gaap": "http://fasb.org/us-gaap/2024", "iso4217": "http://www.xbrl.org/2003/iso4217",
        "cik": "http://www.sec.gov/CIK"}}, "facts": facts}))
    table = tmp_path / "facts.csv"
    table.write_text("concept,value,period\n" + "".join(f"us-gaap:C{i},{i},2024-12-31\n" for i in range(50)))
    for path in (report, table):
        refused = run_cli("facts", path, "--max-facts", "40")
        assert refused.returncode == 2 and "holds more than 40 facts" in refused.stderr, refused.stderr
        assert run_cli("facts", path, "--max-facts", "60").returncode == 0
