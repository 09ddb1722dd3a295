"""A fuzzing campaign over every input kind, counting outcomes rather than stopping at the
first failure (the suite's tests/test_fuzz.py stops; this counts).

    python benchmarks/fuzz_campaign.py [--per-kind 300] [--seed 1] [--timeout 10]

For each kind (instance, inline, zip package, xBRL-JSON, CSV, FSDS, rule pack,
expression) it mutates a small valid input with random edits (cuts, hostile tokens,
deletions, repeats) and checks it in this process, classifying each outcome as a
result, a clear error (CheckerError: exit 2), a crash (any other exception: a
traceback, exit 3) or a hang (over --timeout seconds). Crashes are listed by exception
type and the place they were raised, with one example input each.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import signal
import sys
import tempfile
import traceback
import zipfile
from collections import Counter
from pathlib import Path

from checker.api import check
from checker.errors import CheckerError
from checker.formatters import FORMATS, writer
from checker.grammar import parse_assertion

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "receivables-20f"
SEED = (EXAMPLE / "rx-20241231.xml").read_text()
SEED_PRE = (EXAMPLE / "rx-20241231_pre.xml").read_text()
PACK = (EXAMPLE / "receivables.yaml").read_text()
INLINE = (REPO / "tests" / "fixtures" / "inline-set" / "main.htm").read_text()
INLINE_SECOND = (REPO / "tests" / "fixtures" / "inline-set" / "second.htm").read_text()
TABLE = (REPO / "tests" / "fixtures" / "facts-table.csv").read_text()
HOSTILE = ["NaN", "sNaN", "-Infinity", "1e999999999", "1e-999999999", "9" * 45, "0." + "0" * 60 + "1", "-0",
           "99999999999", "-2000000", "INF", "9999-12-31", "0001-01-01", "2024-02-30", "T24:00:00", "", " ",
           "\x00", "\x1b[31m", "\n::error::x", "\u202e", "Assеts", "１２", "<", ">", "&", "&amp;", "&#0;", "]]>",
           "<!--", "-->", "<!DOCTYPE x [<!ENTITY a 'b'>]>", "<![CDATA[", '"', "'", "!", "..", "/", ":", "xbrli:",
           "iso4217:", "{", "}", "[", "]", "$rate", "@start", "@end", "?", "==", "*", "%", "\\", "a" * 200, "é",
           "\ufeff", "\r\n", "\t"]
FSDS_SUB = ("adsh\tcik\tname\tform\tperiod\tfy\tfp\tfiled\n"
            "0000000001-24-000001\t1\tACME CORP\t10-K\t20241231\t2024\tFY\t20250301\n")
FSDS_NUM = ("adsh\ttag\tversion\tcoreg\tddate\tqtrs\tuom\tvalue\tfootnote\n"
            "0000000001-24-000001\tAssets\tus-gaap/2024\t\t20241231\t0\tUSD\t1000\t\n"
            "0000000001-24-000001\tRevenues\tus-gaap/2024\t\t20241231\t4\tUSD\t700\t\n")
EXPRESSION_TOKENS = ["Assets", "us-gaap:Liabilities", "Revenues@start", "X[Axis=Member]", "X[Axis=*]", "X?",
                     "X@-1y", "$rate", "1", "1e999999999", "-", "+", "*", "/", "(", ")", "==", "!=", "<=", ",",
                     "abs(", "min(", "sum(", "round(", "１", "Аssets", "@", "[", "]", "="]


FIELD = re.compile(r'"[^"<>]*"|>[^<>]*<|,[^,\n]*(?=[,\n])|\t[^\t\n]*(?=[\t\n])|: [^\n]*')


def mutate(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 4)):
        if not text:
            break
        at = rng.randint(0, len(text))
        edit = rng.choice(["cut", "insert", "replace", "delete", "repeat", "field", "field", "field"])
        if edit == "field":  # one attribute value, element text, cell or YAML value: the document stays whole
            fields = list(FIELD.finditer(text))
            if fields:
                m = rng.choice(fields)
                token = rng.choice(HOSTILE).replace("<", "&lt;") if text[m.start()] in '">' else rng.choice(HOSTILE)
                text = text[:m.start() + 1] + token + text[m.end() - (1 if text[m.start()] in '">' else 0):]
        elif edit == "cut":
            text = text[:at]
        elif edit == "insert":
            text = text[:at] + rng.choice(HOSTILE) + text[at:]
        elif edit == "replace":
            text = text[:at] + rng.choice(HOSTILE) + text[at + rng.randint(1, 12):]
        elif edit == "delete":
            text = text[:at] + text[at + rng.randint(1, 40):]
        else:
            end = min(len(text), at + rng.randint(1, 200))
            text = text[:end] + text[at:end] * rng.randint(2, 20) + text[end:]
    return text


def _zip(members: list[tuple[str, str | bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def make(kind: str, rng: random.Random) -> tuple[str, str | bytes, str | None]:
    """(file name, content, rule pack text or None) of one hostile input of ``kind``."""
    if kind == "instance":
        return "x.xml", mutate(SEED, rng), PACK
    if kind == "inline":  # a document set of two: a zip, so one path holds both
        second = mutate(INLINE_SECOND, rng) if rng.random() < 0.3 else INLINE_SECOND
        return "set.zip", _zip([("main.htm", mutate(INLINE, rng)), ("second.htm", second)]), None
    if kind == "zip":
        raw = bytearray(_zip([("rx/rx.xml", mutate(SEED, rng) if rng.random() < 0.5 else SEED),
                              ("rx/rx_pre.xml", mutate(SEED_PRE, rng))]))
        for _ in range(rng.randint(0, 3)):
            raw[rng.randrange(len(raw))] = rng.randrange(256)
        return "x.zip", bytes(raw), None
    if kind == "json":
        fact = {"value": "100", "decimals": -3, "dimensions": {
            "concept": "us-gaap:Assets", "entity": "cik:1", "period": "2024-12-31T00:00:00", "unit": "iso4217:USD"}}
        values = [None, True, 3, 1.5, [], {}, ["x"], {"a": 1}, *HOSTILE]
        for _ in range(rng.randint(1, 3)):
            field = rng.choice(["value", "decimals", "concept", "entity", "period", "unit", "extra"])
            if field in ("value", "decimals"):
                fact[field] = rng.choice(values)
            else:
                fact["dimensions"][rng.choice(HOSTILE) if field == "extra" else field] = rng.choice(values)
        document = {"documentInfo": {"documentType": "https://xbrl.org/2021/xbrl-json", "namespaces": {
            "us-gaap": "http://fasb.org/us-gaap/2024", "iso4217": "http://www.xbrl.org/2003/iso4217",
            "cik": "http://www.sec.gov/CIK"}}, "facts": {"f1": fact}}
        text = json.dumps(document)
        return "x.json", mutate(text, rng) if rng.random() < 0.5 else text, None
    if kind == "csv":
        return "x.csv", mutate(TABLE, rng), None
    if kind == "fsds":
        sub = mutate(FSDS_SUB, rng) if rng.random() < 0.5 else FSDS_SUB
        num = mutate(FSDS_NUM, rng) if rng.random() < 0.7 else FSDS_NUM
        return "2024q4.zip", _zip([("sub.txt", sub), ("num.txt", num), ("tag.txt", "tag\tversion\n")]), None
    if kind == "pack":
        return "x.xml", SEED, mutate(PACK, rng)
    raise ValueError(kind)


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang()


def run_one(folder: Path, kind: str, rng: random.Random) -> tuple[str, str]:
    """(outcome, detail): ``result``, ``error``, ``crash`` (detail: type and place) or ``hang``."""
    for stale in folder.iterdir():
        stale.unlink()
    if kind == "expression":
        text = " ".join(rng.choice(EXPRESSION_TOKENS) for _ in range(rng.randint(0, 40)))
        nesting = rng.choice([0, 0, 0, 70, 300, 3000])
        target: callable = lambda: parse_assertion("(" * nesting + text + ")" * nesting)  # noqa: E731
    else:
        name, content, pack = make(kind, rng)
        path = folder / name
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8", errors="surrogatepass")
        else:
            path.write_bytes(content)
        rules = None
        if pack is not None:
            (folder / "pack.yaml").write_text(pack, encoding="utf-8", errors="surrogatepass")
            rules = [str(folder / "pack.yaml")]

        def target():
            result = check(str(path), rules=rules)
            for fmt in FORMATS:
                try:
                    write = writer(fmt)
                except CheckerError:
                    continue
                write(result, io.StringIO())
    try:
        target()
        return "result", ""
    except CheckerError:
        return "error", ""
    except Hang:
        return "hang", ""
    except Exception as exc:  # what the campaign counts
        if type(exc).__name__ == "ExpressionError":
            return "error", ""
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        return "crash", f"{type(exc).__name__} at {os.path.basename(frame.filename)}:{frame.lineno}"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-kind", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=int, default=10)
    parser.add_argument("--kinds", default="instance,inline,zip,json,csv,fsds,pack,expression")
    args = parser.parse_args()
    sys.setrecursionlimit(1000)
    signal.signal(signal.SIGALRM, _alarm)
    total: Counter = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for kind in args.kinds.split(","):
            rng = random.Random(f"{args.seed}-{kind}")
            outcomes: Counter = Counter()
            crashes: Counter = Counter()
            for _ in range(args.per_kind):
                signal.alarm(args.timeout)
                try:
                    outcome, detail = run_one(folder, kind, rng)
                finally:
                    signal.alarm(0)
                outcomes[outcome] += 1
                if detail:
                    crashes[detail] += 1
            total.update(outcomes)
            print(f"{kind:10} {args.per_kind:5} inputs: " + ", ".join(f"{k} {outcomes[k]}" for k in
                                                                      ("result", "error", "crash", "hang")))
            for detail, count in crashes.most_common():
                print(f"{'':12}{count:5} x {detail}")
    print("all        " + ", ".join(f"{k} {total[k]}" for k in ("result", "error", "crash", "hang")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
