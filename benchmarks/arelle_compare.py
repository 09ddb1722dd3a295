"""checker's --calc beside Arelle's Calculations 1.1 check, on corpus filings with a _cal.xml.

    python benchmarks/arelle_compare.py [--arelle PATH/arelleCmdLine] [FOLDER...]

Arelle (arelle-release from PyPI, in a separate environment; never a dependency of
checker) needs the schemas of the standard taxonomies, which cannot be fetched here.
This script writes stub schemas into a private Arelle cache, declaring just the
concepts, axes and members each filing uses (types from the facts' units, period
types from their contexts), then runs
    arelleCmdLine --file F --validate --calc=c11r --internetConnectivity=offline
and compares Arelle's inconsistencies with checker's, keyed by (total, network,
period, dimensions).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import tempfile
from collections import defaultdict
from pathlib import Path

from checker.api import check
from checker.linkbases import read_summations
from checker.loaders import load_filing
from checker.model import dimensions_text

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "sec-filings"
XSD = "http://www.w3.org/2001/XMLSchema"


def _type_of(fact) -> str:
    if fact.unit is None:
        return "xbrli:stringItemType"
    unit = str(fact.unit)
    if fact.unit.is_monetary:
        return "xbrli:monetaryItemType"
    if unit == "xbrli:shares":
        return "xbrli:sharesItemType"
    if unit == "xbrli:pure":
        return "xbrli:pureItemType"
    return "xbrli:decimalItemType"


def build_dts(filing, folder: Path, work: Path) -> Path:
    """A self-contained copy for Arelle: the instance, a filer schema importing one stub
    schema per namespace the filing uses, and the calculation linkbase with every
    locator pointing at those stubs. Returns the instance to give Arelle."""
    work.mkdir(parents=True, exist_ok=True)
    instance_path = next(Path(d) for d in filing.documents)
    concepts: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)   # family -> local -> (type, period)
    namespaces: dict[str, str] = {}                                      # family -> namespace
    axes: dict[str, set] = defaultdict(set)
    members: dict[str, set] = defaultdict(set)
    for fact in filing.facts:
        family = fact.concept.family
        namespaces.setdefault(family, fact.concept.namespace)
        concepts[family].setdefault(fact.concept.local, (_type_of(fact), "instant" if fact.period.is_instant
                                                         else "duration"))
        for axis, member in fact.dimensions:
            namespaces.setdefault(axis.family, axis.namespace)
            axes[axis.family].add(axis.local)
            if hasattr(member, "family"):
                namespaces.setdefault(member.family, member.namespace)
                members[member.family].add(member.local)
    for summation in read_summations(filing):
        for concept in (summation.total, *(c for c, _ in summation.items)):
            concepts[concept.family].setdefault(concept.local, ("xbrli:monetaryItemType", "duration"))
    for family, names in concepts.items():
        namespace = namespaces.get(family) or f"http://stub.invalid/{family}"
        namespaces[family] = namespace
        lines = [f'<schema xmlns="{XSD}" xmlns:xbrli="http://www.xbrl.org/2003/instance" '
                 f'xmlns:xbrldt="http://xbrl.org/2005/xbrldt" targetNamespace="{namespace}" '
                 f'elementFormDefault="qualified">',
                 '<import namespace="http://www.xbrl.org/2003/instance" '
                 'schemaLocation="http://www.xbrl.org/2003/xbrl-instance-2003-12-31.xsd"/>',
                 '<import namespace="http://xbrl.org/2005/xbrldt" schemaLocation="http://www.xbrl.org/2005/xbrldt-2005.xsd"/>']
        for local, (type_, period) in sorted(names.items()):
            lines.append(f'<element name="{local}" id="{family}_{local}" type="{type_}" substitutionGroup="xbrli:item" '
                         f'nillable="true" xbrli:periodType="{period}"/>')
        for local in sorted(axes.get(family, set()) - set(names)):
            lines.append(f'<element name="{local}" id="{family}_{local}" type="xbrli:stringItemType" abstract="true" '
                         f'substitutionGroup="xbrldt:dimensionItem" nillable="true" xbrli:periodType="duration"/>')
        for local in sorted(members.get(family, set()) - set(names) - axes.get(family, set())):
            lines.append(f'<element name="{local}" id="{family}_{local}" type="xbrli:stringItemType" abstract="true" '
                         f'substitutionGroup="xbrli:item" nillable="true" xbrli:periodType="duration"/>')
        (work / f"stub-{family}.xsd").write_text("\n".join(lines + ["</schema>"]))
    for family in set(axes) | set(members):
        if family not in concepts:
            concepts[family] = {}
    cal_names = []
    for number, linkbase in enumerate(filing.linkbases_of("calculation")):
        text = linkbase.read().decode("utf-8", "replace")
        text = re.sub(r'xlink:href="[^"#]*#([A-Za-z][\w.-]*?)_([^"]+)"',
                      lambda m: f'xlink:href="stub-{m.group(1)}.xsd#{m.group(1)}_{m.group(2)}"', text)
        name = f"cal-{number}.xml"
        (work / name).write_text(text)
        cal_names.append(name)
    imports = "".join(f'<import namespace="{namespaces[f]}" schemaLocation="stub-{f}.xsd"/>' for f in concepts
                      if (work / f"stub-{f}.xsd").exists())
        # the filer schema only gathers: every concept lives in its stub
    refs = "".join(f'<link:linkbaseRef xlink:type="simple" xlink:href="{n}" '
                   f'xlink:role="http://www.xbrl.org/2003/role/calculationLinkbaseRef" '
                   f'xlink:arcrole="http://www.w3.org/1999/xlink/properties/linkbase"/>' for n in cal_names)
    (work / "filer.xsd").write_text(
        f'<schema xmlns="{XSD}" xmlns:link="http://www.xbrl.org/2003/linkbase" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'targetNamespace="http://stub.invalid/filer"><annotation><appinfo>{refs}</appinfo></annotation>{imports}</schema>')
    instance = instance_path.read_text(errors="replace") if "!" not in str(instance_path) else ""
    instance = re.sub(r'(schemaRef[^>]*?xlink:href=")[^"]*(")', r"\1filer.xsd\2", instance)
    target = work / "instance.xml"
    target.write_text(instance)
    return target


_INCONSISTENT = re.compile(r"\[calc11e:inconsistentCalculationUsingRounding\] Calculation inconsistent from (\S+) "
                           r"in link role (\S+) reported sum .*? context (\S+) unit")


def arelle_findings(arelle: str, instance: Path, home: Path, filing) -> tuple[set, list[str]]:
    log = home / "arelle.log"
    if log.exists():
        log.unlink()
    subprocess.run([arelle, "--file", str(instance), "--validate", "--calc=c11r", "--internetConnectivity=offline",
                    f"--logFile={log}"], env=dict(os.environ, XDG_CONFIG_HOME=str(home)),
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600)
    text = log.read_text(errors="replace") if log.exists() else ""
    contexts = {f.context_id: (str(f.period), dimensions_text(f.dimensions)) for f in filing.facts}
    found = set()
    for concept, role, context in _INCONSISTENT.findall(text):
        period, dims = contexts.get(context, ("?", "?"))
        found.add((concept.split(":")[-1], role.rsplit("/", 1)[-1], period, dims))
    errors = [line for line in text.splitlines() if "IOerror" in line]
    return found, errors


def checker_findings(filing) -> set:
    result = check(filing, calc="round", only_calc=True, calc_partial="info")
    out = set()
    for v in result.violations:
        network = v.title.rsplit("(", 1)[-1].rstrip(")")
        out.add((v.facts[0].concept.split(":")[-1], network, v.period, v.dimensions, v.binding))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--arelle", default="/tmp/arelle-venv/bin/arelleCmdLine")
    parser.add_argument("folders", nargs="*")
    args = parser.parse_args()
    folders = [Path(f) for f in args.folders] or sorted(p.parent for p in CORPUS.glob("*/*_cal.xml"))
    home = Path(tempfile.mkdtemp(prefix="arelle-home-"))
    totals = [0, 0, 0, 0]
    print(f"{'filing':32} {'checker':>7} {'arelle':>6} {'both':>5} {'only checker':>12} {'only arelle':>11}")
    for folder in folders:
        instances = [p for p in folder.iterdir() if p.name.endswith((".xml",)) and "_htm.xml" in p.name
                     or re.fullmatch(r"[a-z]+-\d{8}\.xml", p.name)]
        filing = load_filing(str(instances[0]) if instances else str(folder))
        filing.linkbases = load_filing(str(folder)).linkbases
        instance = build_dts(filing, folder, home / folder.name)
        ours_full = checker_findings(filing)
        ours = {o[:4] for o in ours_full}
        theirs, io_errors = arelle_findings(args.arelle, instance, home, filing)
        both = ours & theirs
        print(f"{folder.name:32} {len(ours):7} {len(theirs):6} {len(both):5} {len(ours - theirs):12} "
              f"{len(theirs - ours):11}" + (f"  ({len(io_errors)} schemas not loadable)" if io_errors else ""))
        for item in sorted(ours - theirs):
            print("     only checker:", item)
        for item in sorted(theirs - ours):
            print("     only arelle: ", item)
        totals = [totals[0] + len(ours), totals[1] + len(theirs), totals[2] + len(both), totals[3] + len(ours ^ theirs)]
    print(f"all: checker {totals[0]}, arelle {totals[1]}, both {totals[2]}, disagreements {totals[3]}")


if __name__ == "__main__":
    main()
