"""Facts from the real filings in ../shared/corpus: counts and the two forms of one filing."""

import html
import re
from collections import Counter

import pytest

from checker.loaders import load_filing

from .conftest import corpus_path

# numeric fact counts from ../shared/corpus/MANIFEST.md (facts with a unitRef)
MANIFEST_NUMERIC = {
    "sec-filings/aapl-10k-2023/aapl-20230930_htm.xml": 995,
    "sec-filings/aapl-10k-2010/aapl-20100925.xml": 1291,
    "sec-filings/aapl-10q-2023/aapl-20230701_htm.xml": 736,
    "sec-filings/aapl-10q-2025q2-with-R-pages/aapl-20250329_htm.xml": 674,
    "sec-filings/aapl-10q-2025q2-with-R-pages/aapl-20250329.htm": 674,
    "sec-filings/msft-10k-2015/msft-20150630.xml": 1883,
    "sec-filings/nflx-10k-2024/nflx-20240126_htm.xml": 955,
    "sec-filings/nflx-10k-2009/nflx-20091231.xml": 359,
    "sec-filings/amzn-10k-2022/amzn-20221231_htm.xml": 1280,
    "sec-filings/unp-10k-2012/unp-20121231.xml": 1375,
    "sec-filings/tsla-10q-2024q2/tsla-20240630_htm.xml": 1044,
    "sec-filings/gd-10q-2024q2/gd-20240630_htm.xml": 1097,
    "sec-filings/goog-10q-2020q1/goog-20200331_htm.xml": 1028,
    "sec-filings/aeon-10q-2023q3-smallfiler/aeon-20230930x10q_htm.xml": 1002,
    "sec-filings/aeon-10q-2023q3-smallfiler/aeon-20230930x10q.htm": 1002,
    "sec-filings/gahc-10q-2024q3-smallfiler/Form10q_htm.xml": 783,
    "sec-filings/cohu-10k-2020/cohu20201226_10k_htm.xml": 1818,
    "sec-filings/oii-10k-2020/oii-20201231_htm.xml": 1151,
    "sec-filings/urg-10k-2020/urg_10k_htm.xml": 1018,
    "sec-filings/grsv-10k-2020/grsv-10k_20201231_htm.xml": 230,
    "sec-filings/aapl-10k-2020-with-fsds/aapl-20200926_htm.xml": 1223,
    "sec-filings/smallfiler-0001078782-21-000058/0001078782-21-000058-none-20201130.xml": 127,
    "sec-filings/upxi-10k-2024-smallfiler/upxi_10k_htm.xml.zip": 1121,
    "sec-samples-synthetic/muestra-20f-ifrs-2017/muestra-20171231_htm.xml": 954,
    "sec-samples-synthetic/muestra-20f-ifrs-2017/muestra-20171231.zip": 954,
    "sec-samples-synthetic/inline-testing-sample-10q-2016/bst-20160930_htm.xml": 236,
    "sec-samples-synthetic/inline-testing-sample-10q-2016/bst-20160930.zip": 236,
    "sec-inline-10k/jnj-10k-2024/jnj-10-k-2025-02-13.html": 2994,
    "sec-inline-10k/abbv-10k-2024/abbv-10-k-2025-02-14.html": 2235,
    "sec-inline-10k/tsla-10k-2024/tsla-10-k-2025-01-30.html": 1460,
    "sec-inline-10k/wmt-10k-fy2025/wmt-10-k-2025-03-14.html": 1207,
}


@pytest.mark.parametrize("relative", sorted(MANIFEST_NUMERIC))
def test_numeric_fact_count_matches_the_manifest(relative):
    filing = load_filing(str(corpus_path(relative)))
    numeric = [f for f in filing.facts if f.is_numeric]
    assert len(numeric) == MANIFEST_NUMERIC[relative]
    assert all(f.source.file and f.source.line for f in filing.facts)
    assert all(f.unit is None for f in filing.facts if not f.is_numeric)


PAIRS = [
    ("sec-filings/aapl-10q-2025q2-with-R-pages/aapl-20250329.htm",
     "sec-filings/aapl-10q-2025q2-with-R-pages/aapl-20250329_htm.xml"),
    ("sec-filings/aeon-10q-2023q3-smallfiler/aeon-20230930x10q.htm",
     "sec-filings/aeon-10q-2023q3-smallfiler/aeon-20230930x10q_htm.xml"),
    ("sec-samples-synthetic/muestra-20f-ifrs-2017/muestra-20171231.zip",
     "sec-samples-synthetic/muestra-20f-ifrs-2017/muestra-20171231_htm.xml"),
    ("sec-samples-synthetic/inline-testing-sample-10q-2016/bst-20160930.zip",
     "sec-samples-synthetic/inline-testing-sample-10q-2016/bst-20160930_htm.xml"),
]


def _key(fact):
    return (fact.concept, fact.entity, fact.period, fact.dimensions, fact.unit, fact.value, fact.decimals,
            fact.is_nil)


@pytest.mark.parametrize("inline,instance", PAIRS, ids=[p[0].split("/")[1] for p in PAIRS])
def test_inline_and_extracted_instance_agree_fact_for_fact(inline, instance):
    a = load_filing(str(corpus_path(inline)))
    b = load_filing(str(corpus_path(instance)))
    assert a.kind == "inline" and b.kind == "instance"
    numeric_a = Counter(_key(f) for f in a.facts if f.is_numeric)
    numeric_b = Counter(_key(f) for f in b.facts if f.is_numeric)
    assert numeric_a == numeric_b
    # text facts agree too; escaped text blocks are compared by their text, since
    # extraction tools serialise the same markup differently (spacing, quoting)
    text_a = Counter(_text_key(f) for f in a.facts if not f.is_numeric)
    text_b = Counter(_text_key(f) for f in b.facts if not f.is_numeric)
    assert text_a == text_b


def _text_key(fact):
    value = fact.value
    if value and "<" in value:
        value = " ".join(html.unescape(re.sub(r"<[^>]*>", " ", value)).split())
    return _key(fact)[:5] + (value,)


@pytest.mark.parametrize("folder,documents,kinds", [
    ("sec-filings/aapl-10q-2025q2-with-R-pages", ["aapl-20250329.htm"],
     ["calculation", "presentation", "label", "definition"]),
    ("sec-filings/msft-10k-2015", ["msft-20150630.xml"], ["calculation", "presentation", "label", "definition"]),
    ("sec-filings/upxi-10k-2024-smallfiler", ["upxi_10k_htm.xml.zip!upxi_10k_htm.xml"], ["presentation", "label"]),
    ("sec-filings/cohu-10k-2020", ["cohu20201226_10k_htm.xml"], ["presentation"]),
])
def test_folder_packages_pick_the_report_and_its_linkbases(folder, documents, kinds):
    filing = load_filing(str(corpus_path(folder)))
    assert [d.rsplit("/", 1)[-1] for d in filing.documents] == documents
    assert [lb.kind for lb in filing.linkbases] == kinds


def test_zip_package_from_edgar_reads_the_inline_document():
    filing = load_filing(str(corpus_path("sec-filings/aapl-10q-2025q2-with-R-pages/0000320193-25-000057-xbrl.zip")))
    assert filing.kind == "inline"
    assert [d.rsplit("!", 1)[-1] for d in filing.documents] == ["aapl-20250329.htm"]
    assert sum(f.is_numeric for f in filing.facts) == 674
    assert {lb.kind for lb in filing.linkbases} == {"calculation", "presentation", "label", "definition"}
