"""Sum identities as a checker rule pack beside the same identities as XBRL Formula value
assertions run by Arelle: the files for a side-by-side timing, and a check that both
report exactly the broken totals.

    python benchmarks/formula_speed.py [--facts 20000] [--arelle PATH/arelleCmdLine] [--keep DIR]

The filing is calc_speed.py's (20 networks of a total and 5 items in every context, 1% of
the totals off by 1,000,000). The pack holds one rule per network, ``T0 == I0_0 + ... +
I0_4``; the formula linkbase one value assertion per network, ``$t eq $i0 + ... + $i4``,
with a fact variable per concept and implicit filtering (so each binds per context, as
checker's rules do). The amounts are whole thousands reported with decimals -3, so exact
equality and checker's rounding tolerance agree on every binding.

It prints the two commands; time them as whole processes, side by side (five runs or more,
medians and the ratio). It runs each once here and compares what they report.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from calc_speed import ITEMS, NETWORKS, NS, generate  # noqa: E402

FORMULA_NAMESPACES = {
    "link": "http://www.xbrl.org/2003/linkbase", "xlink": "http://www.w3.org/1999/xlink",
    "generic": "http://xbrl.org/2008/generic", "va": "http://xbrl.org/2008/assertion/value",
    "variable": "http://xbrl.org/2008/variable", "cf": "http://xbrl.org/2008/filter/concept",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance", "b": NS,
}
SCHEMA_LOCATIONS = ("http://xbrl.org/2008/generic http://www.xbrl.org/2008/generic-link.xsd "
                    "http://xbrl.org/2008/assertion/value http://www.xbrl.org/2008/value-assertion.xsd "
                    "http://xbrl.org/2008/variable http://www.xbrl.org/2008/variable.xsd "
                    "http://xbrl.org/2008/filter/concept http://www.xbrl.org/2008/concept-filter.xsd")


def formula_linkbase() -> str:
    resources, arcs = [], []
    for n in range(NETWORKS):
        names = ["t"] + [f"i{i}" for i in range(ITEMS)]
        concepts = [f"b:T{n}"] + [f"b:I{n}_{i}" for i in range(ITEMS)]
        test = "$t eq " + " + ".join(f"${name}" for name in names[1:])
        resources.append(f'<va:valueAssertion xlink:type="resource" xlink:label="a{n}" id="sum{n}" '
                         f'aspectModel="dimensional" implicitFiltering="true" test="{test}"/>')
        for name, concept in zip(names, concepts, strict=True):
            label = f"{name}_{n}"
            resources.append(f'<variable:factVariable xlink:type="resource" xlink:label="v_{label}" '
                             f'bindAsSequence="false"/>')
            resources.append(f'<cf:conceptName xlink:type="resource" xlink:label="f_{label}"><cf:concept>'
                             f'<cf:qname>{concept}</cf:qname></cf:concept></cf:conceptName>')
            arcs.append(f'<variable:variableArc xlink:type="arc" xlink:arcrole="http://xbrl.org/arcrole/2008/'
                        f'variable-set" xlink:from="a{n}" xlink:to="v_{label}" name="{name}"/>')
            arcs.append(f'<variable:variableFilterArc xlink:type="arc" xlink:arcrole="http://xbrl.org/arcrole/'
                        f'2008/variable-filter" xlink:from="v_{label}" xlink:to="f_{label}" complement="false" '
                        f'cover="true"/>')
    namespaces = " ".join(f'xmlns:{p}="{u}"' for p, u in FORMULA_NAMESPACES.items())
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<link:linkbase {namespaces} '
            f'xsi:schemaLocation="{SCHEMA_LOCATIONS}">'
            '<link:roleRef roleURI="http://www.xbrl.org/2008/role/link" xlink:type="simple" '
            'xlink:href="http://www.xbrl.org/2008/generic-link.xsd#standard-link-role"/>'
            '<link:arcroleRef arcroleURI="http://xbrl.org/arcrole/2008/variable-set" xlink:type="simple" '
            'xlink:href="http://www.xbrl.org/2008/variable.xsd#variable-set"/>'
            '<link:arcroleRef arcroleURI="http://xbrl.org/arcrole/2008/variable-filter" xlink:type="simple" '
            'xlink:href="http://www.xbrl.org/2008/variable.xsd#variable-filter"/>'
            '<generic:link xlink:type="extended" xlink:role="http://www.xbrl.org/2008/role/link">'
            + "".join(resources) + "".join(arcs) + "</generic:link></link:linkbase>\n")


def rule_pack() -> str:
    rules = "".join(f"  - id: SUM{n}\n    title: total {n} is the sum of its items\n"
                    f"    assert: T{n} == {' + '.join(f'I{n}_{i}' for i in range(ITEMS))}\n" for n in range(NETWORKS))
    return f"pack: sums\nprefix: b\nrules:\n{rules}"


def build(folder: Path, facts: int) -> set[tuple[str, str]]:
    """The filing (with the formula linkbase referenced from its schema) and the pack."""
    broken = generate(folder, facts)
    (folder / "bench_formula.xml").write_text(formula_linkbase())
    schema = (folder / "bench.xsd").read_text()
    # the formula linkbase in place of the calculation one: Arelle loads only what it runs
    schema = re.sub(r"<link:linkbaseRef [^>]*bench_cal\.xml[^>]*/>",
                    '<link:linkbaseRef xlink:type="simple" xlink:href="bench_formula.xml" '
                    'xlink:arcrole="http://www.w3.org/1999/xlink/properties/linkbase"/>', schema)
    (folder / "bench.xsd").write_text(schema)
    (folder / "sums.yaml").write_text(rule_pack())
    return broken


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--facts", type=int, default=20_000)
    parser.add_argument("--arelle", default="/tmp/arelle-venv/bin/arelleCmdLine")
    parser.add_argument("--keep", metavar="DIR")
    args = parser.parse_args()
    folder = Path(args.keep or tempfile.mkdtemp(prefix="formula-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    broken = build(folder, args.facts)
    contexts = max(1, args.facts // (NETWORKS * (ITEMS + 1)))
    print(f"{contexts * NETWORKS * (ITEMS + 1)} facts, {NETWORKS} sum identities, {len(broken)} broken; in {folder}")
    ours = [sys.executable, "-m", "checker", "check", str(folder / "instance.xml"), "-r", str(folder / "sums.yaml"),
            "-f", "json", "-o", str(folder / "checker.json")]
    log = folder / "arelle.log"
    theirs = [args.arelle, "--file", str(folder / "instance.xml"), "--validate", "--formula=run",
              "--formulaUnsatisfiedAsser", "--internetConnectivity=offline", f"--logFile={log}"]
    print("checker:", shlex.join(ours))
    print("arelle: ", shlex.join(theirs))
    subprocess.run(ours, check=False, capture_output=True)
    context_of = {(f"{1990 + c % 30}-12-31", f"b:RegionAxis=b:R{c // 30}"): f"c{c}" for c in range(contexts)}
    found = {(v["rule_id"].replace("SUM", "T"), context_of[(v["period"], v["dimensions"])])
             for f in json.loads((folder / "checker.json").read_text())["filings"] for v in f["violations"]}
    print(f"checker reported {len(found)}, exactly the broken totals: {found == broken}")
    if not os.path.exists(args.arelle):
        print(f"no Arelle at {args.arelle}: pip install arelle-release in a separate environment", file=sys.stderr)
        return 0
    if log.exists():
        log.unlink()
    subprocess.run(theirs, check=False, capture_output=True,
                   env=dict(os.environ, XDG_CONFIG_HOME=str(folder / "arelle-home")))
    text = log.read_text() if log.exists() else ""
    unsatisfied = re.findall(r"assertionUnsatisfied\] sum(\d+),.*?\$t: b:T\d+ context (c\d+)", text, re.S)
    arelle_found = {(f"T{n}", context) for n, context in unsatisfied}
    print(f"Arelle reported {len(arelle_found)}, exactly the broken totals: {arelle_found == broken}")
    if arelle_found != broken:
        print("Arelle's log starts:\n" + text[:3000])
    return 0


if __name__ == "__main__":
    sys.exit(main())
