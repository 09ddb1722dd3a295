"""rules validate: concepts with a standard prefix that are surely misspelt get a did-you-mean."""

import gzip
import subprocess
import sys

from checker.concepts import _slips, concept_problem, standard_concepts

from .conftest import REPO, corpus_path, run_cli

PACK = """pack: typos
prefix: us-gaap
rules:
  - id: A
    title: t
    assert: AccountsRecievableNetCurrent == AccountsReceivableGrossCurrent - us_gaap:AllowanceForDoubtfulAccountsReceivableCurrent
  - id: B
    title: t
    assert: assets == LiabilitiesAndStockholdersEquity + rx:MyOwnThing + MadeUpButPlausibleName
  - id: C
    title: t
    translation: {from: CNY, to: USD, rate: infer, concepts: [AccountsReceivableNetCurrent, ifrs:Revenue]}
"""


def test_misspelt_concepts_are_warned_about_with_file_line_column_and_a_did_you_mean(tmp_path):
    pack = tmp_path / "typos.yaml"
    pack.write_text(PACK)
    result = run_cli("rules", "validate", pack)
    assert result.returncode == 0 and "1 pack, 3 rules: valid, 4 concept warnings" in result.stdout
    warnings = result.stderr.splitlines()
    assert warnings == [
        f"{pack}:6:13: warning: us-gaap:AccountsRecievableNetCurrent is not a us-gaap element the shipped list "
        f"knows; did you mean 'us-gaap:AccountsReceivableNetCurrent'?",
        f"{pack}:6:78: warning: us_gaap:AllowanceForDoubtfulAccountsReceivableCurrent: 'us_gaap' is not a standard "
        f"prefix; did you mean 'us-gaap:AllowanceForDoubtfulAccountsReceivableCurrent'?",
        f"{pack}:9:13: warning: us-gaap:assets is not a us-gaap element (names are case-sensitive); did you mean "
        f"'us-gaap:Assets'?",
        f"{pack}:12:93: warning: ifrs:Revenue: 'ifrs' is not a standard prefix; did you mean 'ifrs-full:Revenue'?",
    ]
    # an extension prefix, and a plausible name the list does not hold, are never flagged
    assert "MyOwnThing" not in result.stderr and "MadeUpButPlausibleName" not in result.stderr
    strict = run_cli("rules", "validate", pack, "--strict")
    assert strict.returncode == 2


def test_the_shipped_packs_and_the_example_validate_without_a_warning():
    result = run_cli("rules", "validate", REPO / "rules", REPO / "examples")
    assert result.returncode == 0 and result.stderr == "" and "valid" in result.stdout


def test_what_counts_as_a_slip():
    assert _slips("Recievable", "Receivable") == 1          # two neighbours swapped
    assert _slips("AssetsCurrent", "AssetCurrent") == 1
    assert _slips("AccountsReceivableNetCurrent", "AccountsReceivableNetNoncurrent") > 2   # another element
    # a name one whole word away from a known one is another element, not a typo
    assert concept_problem("us-gaap", "AccountsReceivableNetNoncurrentXyz") is None
    assert concept_problem("us-gaap", "Assets") is None and concept_problem("dei", "DocumentTyp") is not None
    assert concept_problem(None, "Assets") is None and concept_problem("abc", "assets") is None


def test_the_shipped_list_names_its_sources_and_holds_the_common_elements():
    known = standard_concepts()
    assert len(known) > 5000
    assert any("Financial Statement Data Sets" in line for line in known.sources)
    for name in ("us-gaap:Assets", "us-gaap:LiabilitiesAndStockholdersEquity", "dei:DocumentType",
                 "us-gaap:AccountsReceivableNetCurrent", "ifrs-full:Revenue", "srt:ConsolidationItemsAxis"):
        assert name in known.names, name


def test_the_build_script_reads_taxonomy_schemas_fsds_tables_and_filings(tmp_path):
    schema = tmp_path / "us-gaap-2099.xsd"
    schema.write_text('<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" '
                      'targetNamespace="http://fasb.org/us-gaap/2099">'
                      '<xs:element name="BrandNewElementOfTheYear" id="us-gaap_BrandNewElementOfTheYear"/>'
                      '<xs:element name="lowerCaseIsNotAStandardName"/></xs:schema>')
    output = tmp_path / "names.txt.gz"
    fsds = corpus_path("fsds", "quarter-2010q2", "2010q2.zip")
    filing = corpus_path("sec-filings", "aapl-10k-2010")
    done = subprocess.run([sys.executable, REPO / "scripts" / "build_standard_concepts.py", schema, fsds, filing,
                           "-o", output, "--describe", "a test"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = gzip.decompress(output.read_bytes()).decode().splitlines()
    assert "#   a test" in lines
    names = {line for line in lines if not line.startswith("#")}
    assert "us-gaap:BrandNewElementOfTheYear" in names and not any("lowerCase" in n for n in names)
    assert "us-gaap:AccountsPayableCurrent" in names and "dei:DocumentType" in names
    assert all(n.split(":")[0] in ("us-gaap", "ifrs-full", "dei", "srt") for n in names)
