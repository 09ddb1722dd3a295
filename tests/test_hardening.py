"""Hostile and broken inputs: one clear line naming the file, exit 2, no traceback, fast."""

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
