"""Fuzzing every input kind: a hostile or broken input gives a result or one clear error
(``CheckerError``: exit 2), never another exception (a traceback, exit 3), and quickly.

Each test mutates a small valid input of its kind (an instance, an inline document, a
zip package, xBRL-JSON, a CSV facts table, a Financial Statement Data Set, a rule pack,
an expression) with edits an attacker or a careless tool would make: cut it, splice in
markup, numbers of every extreme, control characters, look-alike letters. Every result
is also written in every report format, which must not fail either.

CI runs a modest number of examples per test (the ``ci`` profile); a campaign runs
thousands: ``HYPOTHESIS_PROFILE=fuzz python -m pytest tests/test_fuzz.py``.
"""

from __future__ import annotations

import io
import json
import os
import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings, strategies as st

from checker.api import check
from checker.errors import CheckerError
from checker.formatters import FORMATS, writer
from checker.grammar import ExpressionError, parse_assertion

from .conftest import FIXTURES, REPO

# CI: few examples, the same ones every run, and no shrinking (a failure prints its draws)
settings.register_profile("ci", max_examples=25, deadline=None, derandomize=True,
                          phases=[Phase.explicit, Phase.reuse, Phase.generate],
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.register_profile("fuzz", max_examples=3000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

SEED = (REPO / "examples" / "receivables-20f" / "rx-20241231.xml").read_text()
SEED_PRE = (REPO / "examples" / "receivables-20f" / "rx-20241231_pre.xml").read_text()
PACK = (REPO / "examples" / "receivables-20f" / "receivables.yaml").read_text()
INLINE = (FIXTURES / "inline-set" / "main.htm").read_text()
INLINE_SECOND = (FIXTURES / "inline-set" / "second.htm").read_text()  # the set's other document
TABLE = (FIXTURES / "facts-table.csv").read_text()

HOSTILE = st.sampled_from([
    "NaN", "sNaN", "-Infinity", "1e999999999", "1e-999999999", "9" * 45, "0." + "0" * 60 + "1", "-0",
    "99999999999", "-2000000", "INF", "9999-12-31", "0001-01-01", "2024-02-30", "T24:00:00", "",
    " ", "\x00", "\x1b[31m", "\n::error::x", "\u202e", "Assеts", "１２", "<", ">", "&", "&amp;", "&#0;",
    "]]>", "<!--", "-->", "<!DOCTYPE x [<!ENTITY a 'b'>]>", "<![CDATA[", "\"", "'", "!", "..", "/", ":",
    "xbrli:", "iso4217:", "{", "}", "[", "]", "$rate", "@start", "@end", "?", "==", "*", "%", "\\",
    "a" * 200, "é", "\ufeff", "\r\n",
])


FIELD = re.compile(r'"[^"<>]*"|>[^<>]*<|,[^,\n]*(?=[,\n])|\t[^\t\n]*(?=[\t\n])|: [^\n]*')


def _mutated(text: str, data) -> str:
    """The text with a few edits: a cut, a splice of a hostile token, a deletion, a repeat."""
    for _ in range(data.draw(st.integers(1, 4), label="edits")):
        if not text:
            break
        position = data.draw(st.integers(0, len(text)), label="position")
        edit = data.draw(st.sampled_from(["cut", "insert", "replace", "delete", "repeat", "field", "field"]),
                         label="edit")
        if edit == "field":  # one attribute value, element text, cell or YAML value: the document stays whole
            fields = list(FIELD.finditer(text))
            if fields:
                m = data.draw(st.sampled_from(fields), label="field")
                quoted = text[m.start()] in '">'
                token = data.draw(HOSTILE, label="token")
                token = token.replace("<", "&lt;").replace("&", "&amp;") if quoted else token
                text = text[:m.start() + 1] + token + text[m.end() - (1 if quoted else 0):]
        elif edit == "cut":
            text = text[:position]
        elif edit == "insert":
            text = text[:position] + data.draw(HOSTILE, label="token") + text[position:]
        elif edit == "replace":
            length = data.draw(st.integers(1, 12), label="length")
            text = text[:position] + data.draw(HOSTILE, label="token") + text[position + length:]
        elif edit == "delete":
            text = text[:position] + text[position + data.draw(st.integers(1, 40), label="length"):]
        else:
            end = min(len(text), position + data.draw(st.integers(1, 200), label="length"))
            text = text[:end] + text[position:end] * data.draw(st.integers(2, 20), label="times") + text[end:]
    return text


def _outcome(path: Path, rules: list[str] | None = None) -> None:
    """Check the input and write every report: a CheckerError is a fine outcome, anything
    else raised is a bug."""
    try:
        result = check(str(path), rules=rules)
    except CheckerError as exc:
        assert str(exc)
        return
    for name in FORMATS:
        try:
            write = writer(name)
        except CheckerError:
            continue  # an optional extra (html needs Jinja2) is not installed
        write(result, io.StringIO())


def _write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / name
    for stale in tmp_path.iterdir():
        if stale.is_file():
            stale.unlink()
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8", errors="surrogatepass")
    else:
        path.write_bytes(data)
    return path


@given(st.data())
def test_fuzzed_instances(tmp_path, data):
    path = _write(tmp_path, "x.xml", _mutated(SEED, data))
    _outcome(path, [str(REPO / "examples" / "receivables-20f" / "receivables.yaml")])


@given(st.data())
def test_fuzzed_inline_documents(tmp_path, data):
    folder = tmp_path / "set"
    folder.mkdir(exist_ok=True)
    (folder / "main.htm").write_text(_mutated(INLINE, data), encoding="utf-8", errors="surrogatepass")
    (folder / "second.htm").write_text(_mutated(INLINE_SECOND, data) if data.draw(st.booleans()) else INLINE_SECOND,
                                       encoding="utf-8", errors="surrogatepass")
    _outcome(folder)


@given(st.data())
def test_fuzzed_zip_packages(tmp_path, data):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("rx/rx-20241231.xml", _mutated(SEED, data) if data.draw(st.booleans()) else SEED)
        archive.writestr("rx/rx-20241231_pre.xml", _mutated(SEED_PRE, data))
        if data.draw(st.booleans(), label="same name twice"):
            archive.writestr("rx/rx-20241231.xml", SEED)
    raw = bytearray(buffer.getvalue())
    for _ in range(data.draw(st.integers(0, 3), label="byte edits")):
        raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    _outcome(_write(tmp_path, "x.zip", bytes(raw)))


JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | HOSTILE,
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(HOSTILE, inner, max_size=3),
                           max_leaves=6)


@given(st.data())
def test_fuzzed_xbrl_json(tmp_path, data):
    fact = {"value": "100", "decimals": -3,
            "dimensions": {"concept": "us-gaap:Assets", "entity": "cik:1", "period": "2024-12-31T00:00:00",
                           "unit": "iso4217:USD"}}
    document = {"documentInfo": {"documentType": "https://xbrl.org/2021/xbrl-json",
                                 "namespaces": {"us-gaap": "http://fasb.org/us-gaap/2024",
                                                "iso4217": "http://www.xbrl.org/2003/iso4217",
                                                "cik": "http://www.sec.gov/CIK"}},
                "facts": {"f1": fact}}
    for _ in range(data.draw(st.integers(1, 3), label="field edits")):
        target = data.draw(st.sampled_from(["value", "decimals", "concept", "entity", "period", "unit", "extra"]))
        if target in ("value", "decimals"):
            fact[target] = data.draw(JSON_VALUES)
        elif target == "extra":
            fact["dimensions"][data.draw(HOSTILE)] = data.draw(JSON_VALUES)
        else:
            fact["dimensions"][target] = data.draw(JSON_VALUES)
    text = json.dumps(document)
    if data.draw(st.booleans(), label="mutate the text too"):
        text = _mutated(text, data)
    _outcome(_write(tmp_path, "x.json", text))


@given(st.data())
def test_fuzzed_facts_tables(tmp_path, data):
    _outcome(_write(tmp_path, "x.csv", _mutated(TABLE, data)))


def _fsds_zip(sub: str, num: str, pre: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("sub.txt", sub)
        archive.writestr("num.txt", num)
        archive.writestr("pre.txt", pre)
        archive.writestr("tag.txt", "tag\tversion\tcustom\n")
    return buffer.getvalue()


FSDS_SUB = ("adsh\tcik\tname\tform\tperiod\tfy\tfp\tfiled\n"
            "0000000001-24-000001\t1\tACME CORP\t10-K\t20241231\t2024\tFY\t20250301\n")
FSDS_NUM = ("adsh\ttag\tversion\tcoreg\tddate\tqtrs\tuom\tvalue\tfootnote\n"
            "0000000001-24-000001\tAssets\tus-gaap/2024\t\t20241231\t0\tUSD\t1000\t\n"
            "0000000001-24-000001\tLiabilities\tus-gaap/2024\t\t20241231\t0\tUSD\t400\t\n"
            "0000000001-24-000001\tRevenues\tus-gaap/2024\t\t20241231\t4\tUSD\t700\t\n")
FSDS_PRE = ("adsh\treport\tline\tstmt\tinpth\trfile\ttag\tversion\tplabel\tnegating\n"
            "0000000001-24-000001\t2\t1\tBS\t0\tH\tAssets\tus-gaap/2024\tTotal assets\t0\n")


@given(st.data())
def test_fuzzed_data_sets(tmp_path, data):
    sub = _mutated(FSDS_SUB, data) if data.draw(st.booleans(), label="sub") else FSDS_SUB
    num = _mutated(FSDS_NUM, data) if data.draw(st.booleans(), label="num") else FSDS_NUM
    pre = _mutated(FSDS_PRE, data) if data.draw(st.booleans(), label="pre") else FSDS_PRE
    _outcome(_write(tmp_path, "2024q4.zip", _fsds_zip(sub, num, pre)))


@given(st.data())
def test_fuzzed_rule_packs(tmp_path, data):
    pack = _write(tmp_path, "pack.yaml", _mutated(PACK, data))
    filing = REPO / "examples" / "receivables-20f" / "rx-20241231.xml"
    try:
        result = check(str(filing), rules=[str(pack)])
    except CheckerError:
        return
    for name in ("text", "json", "sarif"):
        writer(name)(result, io.StringIO())


EXPRESSION_TOKENS = st.sampled_from([
    "Assets", "us-gaap:Liabilities", "Revenues@start", "Revenues@end", "X[Axis=Member]", "X[Axis=*]", "X?",
    "X@-1y", "$rate", "1", "0", "1e999999999", "-", "+", "*", "/", "(", ")", "==", "!=", "<=", ">", ",",
    "abs(", "min(", "max(", "sum(", "round(", "round(X, 999999999)", "１", "Аssets", " ", "@", "[", "]", "=",
])


@given(st.lists(EXPRESSION_TOKENS, max_size=40), st.integers(0, 300))
def test_fuzzed_expressions(tokens, nesting):
    text = "(" * nesting + " ".join(tokens) + ")" * nesting
    try:
        parse_assertion(text)
    except ExpressionError as exc:
        assert exc.args[0]


@pytest.mark.parametrize("count", [250, 3000])
def test_long_and_deep_expressions_are_refused_not_crashed(count):
    for text in ("A == " + "(" * count + "B" + ")" * count, "A == " + "-" * count + "B",
                 "A == " + " + ".join(["B"] * count), "A == " + "abs(" * count + "B" + ")" * count):
        try:
            parse_assertion(text)
        except ExpressionError as exc:
            assert "levels" in exc.args[0]
