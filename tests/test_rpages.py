"""SEC viewer R pages as input (issue: R pages): the loader, and --rendered against the XBRL."""

from __future__ import annotations

import json
import re
import shutil
from decimal import Decimal


from checker.api import check
from checker.loaders import load_filing, load_rendered
from checker.engine.rendered import compare_rendered

from . import rpage_builder as rb
from .conftest import REPO, corpus_path, run_cli

RX = REPO / "tests" / "fixtures" / "rpages" / "receivables-20f"
RX_INSTANCE = REPO / "examples" / "receivables-20f" / "rx-20241231.xml"
RX_PACK = str(REPO / "examples" / "receivables-20f" / "receivables.yaml")


def _key(fact):
    return (str(fact.concept), str(fact.period), str(fact.unit), fact.dimensions, fact.value)


def _numeric(filing):
    return {_key(f) for f in filing.facts if f.unit is not None}


def test_the_fixture_is_what_the_builder_writes():
    assert (RX / "R4.htm").read_text(encoding="utf-8") == rb.receivables_page()


def test_the_seed_page_reads_as_the_keyed_instance():
    page, keyed = load_filing(str(RX)), load_filing(str(RX_INSTANCE))
    assert page.kind == "r-pages" and page.warnings == []
    assert page.numeric_cells == 26 and len(page.facts) == 26   # two balances shown twice (close, then open)
    assert _numeric(page) == _numeric(keyed)


def test_sources_name_page_row_and_column():
    page = load_filing(str(RX))
    writeoff = next(f for f in page.facts if f.concept.local == "AccountsReceivableAllowanceForCreditLossWriteoff"
                    and str(f.unit) == "iso4217:USD")
    assert writeoff.value == Decimal("5000")           # shown (5) under a negated label: reported positive
    assert writeoff.source.file.endswith("R4.htm") and writeoff.source.line
    assert writeoff.source.place == 'row 9 "Amounts written off during the year", column 2 "12 Months Ended ' \
                                    'Dec. 31, 2024 USD ($)"'


def _moved_page(tmp_path, row: int, column: int, delta: int):
    rows = [list(r) for r in rb.RX_ROWS]
    cells = list(rows[row][3])
    text = cells[column]
    number = int(re.sub(r"[^\d]", "", text))
    cells[column] = re.sub(r"[\d,]+", f"{number + delta:,}", text)   # the amount shown grows
    rows[row][3] = cells
    folder = tmp_path / f"r{row}c{column}"
    shutil.copytree(RX, folder)
    (folder / "R4.htm").write_text(rb.receivables_page([tuple(r) for r in rows]), encoding="utf-8")
    return folder


def _moved_instance(tmp_path, fact, delta_units: int):
    text = RX_INSTANCE.read_text()
    pattern = re.compile(rf'(id="{fact.source.element_id}"[^>]*>)(-?\d+)<')
    m = pattern.search(text)
    path = tmp_path / f"{fact.source.element_id}.xml"
    path.write_text(text[:m.start(2)] + str(int(m.group(2)) + delta_units) + text[m.end(2):])
    return path


def _findings(result):
    return sorted((v.rule_id, v.period, v.unit, v.severity) for v in result.violations)


def test_a_moved_cell_gives_the_findings_of_the_moved_fact(tmp_path):
    """Every cell shown once: moving it by ten printed units on the page is reported exactly
    as moving its fact in the keyed instance, and the finding points at the page's cell."""
    page = load_filing(str(RX))
    keyed = {(str(f.concept), str(f.period), str(f.unit)): f for f in load_filing(str(RX_INSTANCE)).facts}
    shown = {}
    for fact in page.facts:
        shown.setdefault((str(fact.concept), str(fact.period), str(fact.unit)), []).append(fact)
    tried = 0
    for key, facts in shown.items():
        if len(facts) != 1:
            continue   # a balance shown twice would be an inconsistent duplicate, not a moved fact
        fact = facts[0]
        row, column = int(re.search(r"row (\d+)", fact.source.place).group(1)) - 1, \
            int(re.search(r"column (\d+)", fact.source.place).group(1)) - 1
        on_page = check(str(_moved_page(tmp_path, row, column, 10)), rules=[RX_PACK])
        # the same move in the instance: the magnitude grows, whatever sign the page shows it with
        fact_value = keyed[key].value
        in_instance = check(str(_moved_instance(tmp_path, keyed[key], 10_000 if fact_value >= 0 else -10_000)),
                            rules=[RX_PACK])
        assert _findings(on_page) == _findings(in_instance) != [], key
        places = {use.place for v in on_page.violations for use in v.facts}
        assert fact.source.place in places
        tried += 1
    assert tried == 22


def test_check_text_report_points_at_the_cell(tmp_path):
    folder = _moved_page(tmp_path, 3, 0, 100)       # net receivables 2024: 51,168 -> 51,268
    run = run_cli("check", str(folder), "-r", RX_PACK)
    code, out = run.returncode, run.stdout
    assert code == 1
    assert "AR.NET" in out and 'row 4 "Accounts receivable, net", column 1 "12 Months Ended Dec. 31, 2024 CNY (¥)"' in out


def _page(tmp_path, name, html, labels=None):
    folder = tmp_path / name
    folder.mkdir()
    (folder / "R2.htm").write_text(html, encoding="utf-8")
    if labels is not None:
        (folder / "MetaLinks.json").write_text(rb.metalinks(labels), encoding="utf-8")
    return folder


def test_single_currency_statement_with_durations_and_scale(tmp_path):
    html = rb.r_page("CONSOLIDATED STATEMENTS OF OPERATIONS - USD ($)", "shares in Thousands, $ in Millions",
                     [[("3 Months Ended", 2)], [("Mar. 31, 2025", 1), ("Mar. 31, 2024", 1)]],
                     [("", "us-gaap_Revenues", "Revenue", ["$ 1,234", "$ 1,100"]),
                      ("", "us-gaap_CostOfRevenue", "Cost of revenue", ["(600)", "(550)"]),
                      ("", "us-gaap_NetIncomeLoss", "Net income (loss)", ["(5)", "12"]),
                      ("", "us-gaap_EarningsPerShareBasic", "Basic (in dollars per share)", ["$ (0.01)", "$ 0.03"]),
                      ("", "us-gaap_WeightedAverageNumberOfSharesOutstandingBasic", "Basic (in shares)",
                       ["412,000", "405,500"])],
                     {"us-gaap_Revenues": ("xbrli:monetaryItemType", "duration"),
                      "us-gaap_CostOfRevenue": ("xbrli:monetaryItemType", "duration"),
                      "us-gaap_NetIncomeLoss": ("xbrli:monetaryItemType", "duration"),
                      "us-gaap_EarningsPerShareBasic": ("dtr-types:perShareItemType", "duration"),
                      "us-gaap_WeightedAverageNumberOfSharesOutstandingBasic": ("dtr-types:sharesItemType", "duration")})
    labels = {"us-gaap_CostOfRevenue": {"negatedLabel": "Cost of revenue"},
              "us-gaap_Revenues": {"label": "Revenue"}}
    filing = load_filing(str(_page(tmp_path, "ops", html, labels)))
    got = {(f.concept.local, str(f.period)): (f.value, str(f.unit), f.decimals) for f in filing.facts}
    assert got[("Revenues", "2025-01-01..2025-03-31")] == (Decimal("1234000000"), "iso4217:USD", -6)
    assert got[("CostOfRevenue", "2024-01-01..2024-03-31")] == (Decimal("550000000"), "iso4217:USD", -6)
    assert got[("NetIncomeLoss", "2025-01-01..2025-03-31")] == (Decimal("-5000000"), "iso4217:USD", -6)
    assert got[("EarningsPerShareBasic", "2025-01-01..2025-03-31")] == (Decimal("-0.01"), "iso4217:USD/xbrli:shares", 2)
    assert got[("WeightedAverageNumberOfSharesOutstandingBasic", "2024-01-01..2024-03-31")] == (
        Decimal("405500000"), "xbrli:shares", -3)
    # a row no label source names: said, and its sign read as shown
    assert any("cannot be told there" in w for w in filing.warnings)


def test_member_sections_and_percentages(tmp_path):
    html = rb.r_page("Revenue - Disaggregation (Details) - USD ($)", "$ in Thousands",
                     [[("Dec. 31, 2024", 1)]],
                     [("", "us-gaap_Revenues", "Revenue", ["$ 900"]),
                      ("section", "srt_ProductOrServiceAxis=acme_WidgetsMember", "Widgets | Europe", None),
                      ("", "us-gaap_Revenues", "Revenue", ["400"]),
                      ("", "us-gaap_ConcentrationRiskPercentage1", "Share of revenue", ["44.40%"]),
                      ("section", "srt_ProductOrServiceAxis=acme_GadgetsMember", "Gadgets | Mars", None),
                      ("", "us-gaap_Revenues", "Revenue", ["500"])],
                     {"us-gaap_Revenues": ("xbrli:monetaryItemType", "instant"),
                      "us-gaap_ConcentrationRiskPercentage1": ("dtr-types:percentItemType", "instant"),
                      "srt_ProductOrServiceAxis=acme_WidgetsMember": ("", ""),
                      "srt_StatementGeographicalAxis=srt_EuropeMember": ("", ""),
                      "srt_ProductOrServiceAxis=acme_GadgetsMember": ("", "")})
    filing = load_filing(str(_page(tmp_path, "dims", html, {"us-gaap_Revenues": {"label": "Revenue"}})))
    facts = {(f.concept.local, tuple((str(a), str(m)) for a, m in f.dimensions)): f for f in filing.facts}
    assert facts[("Revenues", ())].value == Decimal("900000")
    widgets = facts[("Revenues", (("srt:ProductOrServiceAxis", "acme:WidgetsMember"),
                                  ("srt:StatementGeographicalAxis", "srt:EuropeMember")))]
    assert widgets.value == Decimal("400000")
    pct = facts[("ConcentrationRiskPercentage1", (("srt:ProductOrServiceAxis", "acme:WidgetsMember"),
                                                 ("srt:StatementGeographicalAxis", "srt:EuropeMember")))]
    assert (pct.value, str(pct.unit), pct.decimals) == (Decimal("0.444"), "xbrli:pure", 4)
    # "Mars" names no member on the page: that section's cells are not guessed
    assert not any(f.value == Decimal("500000") for f in filing.facts)
    assert any('"Gadgets | Mars"' in w and "not read" in w for w in filing.warnings)


def test_parenthetical_page_per_share_and_shares(tmp_path):
    html = rb.r_page("CONSOLIDATED BALANCE SHEETS (Parenthetical) - $ / shares", "",
                     [[("Dec. 31, 2024", 1), ("Dec. 31, 2023", 1)]],
                     [("", "us-gaap_CommonStockParOrStatedValuePerShare", "Common stock, par value (in dollars per share)",
                       ["$ 0.00001", "$ 0.00001"]),
                      ("", "us-gaap_CommonStockSharesAuthorized", "Common stock, shares authorized (in shares)",
                       ["50,400,000", "50,400,000"])],
                     {"us-gaap_CommonStockParOrStatedValuePerShare": ("dtr-types:perShareItemType", "instant"),
                      "us-gaap_CommonStockSharesAuthorized": ("dtr-types:sharesItemType", "instant")})
    filing = load_filing(str(_page(tmp_path, "paren", html)))
    got = {(f.concept.local, str(f.period)): (f.value, str(f.unit)) for f in filing.facts}
    assert got[("CommonStockParOrStatedValuePerShare", "2024-12-31")] == (Decimal("0.00001"), "iso4217:USD/xbrli:shares")
    assert got[("CommonStockSharesAuthorized", "2023-12-31")] == (Decimal("50400000"), "xbrli:shares")


def test_a_cell_that_is_not_a_number_is_a_warning_naming_page_and_row(tmp_path):
    rows = [list(r) for r in rb.RX_ROWS]
    rows[1][3] = ["¥ 94,052", "", "n/a", "", "$ 12,885"]
    folder = _page(tmp_path, "bad", rb.receivables_page([tuple(r) for r in rows]), {})
    filing = load_filing(str(folder))
    assert any(re.search(r'R2\.htm row 2 "Accounts receivable", column 3 .*\'n/a\' is not a number', w)
               for w in filing.warnings)
    assert filing.numeric_cells == 26 and len(filing.facts) == 25


def test_html_that_is_not_an_r_page_is_still_refused(tmp_path):
    page = tmp_path / "page.htm"
    page.write_text("<html><body><table><tr><td>1</td></tr></table></body></html>")
    run = run_cli("check", str(page))
    code, err = run.returncode, run.stderr
    assert code == 2 and "HTML page without inline XBRL" in err


def test_rendered_on_a_filing_without_r_pages_says_so():
    result = check(str(RX_INSTANCE), rules=[RX_PACK], rendered=True)
    assert any("no SEC viewer R pages" in n for n in result.filings[0].notes)


# --- the corpus filing that has both ------------------------------------------------------------------

def test_aapl_every_rendered_cell_is_placed_and_equal():
    folder = corpus_path("sec-filings", "aapl-10q-2025q2-with-R-pages")
    filing = load_filing(str(folder))
    assert filing.kind == "inline" and len(filing.rendered) == 42
    pages = load_rendered(filing)
    comparison = compare_rendered(filing, pages)
    assert (comparison.cells, comparison.placed, comparison.equal) == (698, 698, 698), comparison.problems[:3]
    assert pages.warnings == []


def test_aapl_rendered_check_reports_a_cell_the_xbrl_does_not_support(tmp_path):
    folder = tmp_path / "aapl"
    shutil.copytree(corpus_path("sec-filings", "aapl-10q-2025q2-with-R-pages"), folder)
    page = folder / "R4.htm"
    page.write_text(page.read_text(encoding="utf-8").replace("26,136", "26,163"), encoding="utf-8")
    run = run_cli("check", str(folder), "--rendered", "-f", "json", "--select", "BS.*")
    code, out = run.returncode, run.stdout
    report = json.loads(out)
    problems = [p for f in report["filings"] for p in f["problems"] if p["kind"] == "rendered-mismatch"]
    assert code == 1 and len(problems) == 1
    assert 'R4.htm row 4 "Accounts receivable, net", column 1 "Mar. 29, 2025" shows 26,163,000,000' in \
        problems[0]["message"]


def test_aapl_r_pages_alone_every_placed_cell_equals_the_inline_fact(tmp_path):
    source = corpus_path("sec-filings", "aapl-10q-2025q2-with-R-pages")
    folder = tmp_path / "r-only"
    folder.mkdir()
    for item in source.iterdir():
        if re.fullmatch(r"R\d+\.htm|FilingSummary\.xml|MetaLinks\.json", item.name):
            shutil.copy(item, folder / item.name)
    pages, inline = load_filing(str(folder)), load_filing(str(source))
    comparison = compare_rendered(inline, pages)
    assert comparison.equal == comparison.placed == 634 and comparison.cells == 698
    # the 64 cells left: equity columns whose members' axis needs the definition linkbase, and
    # one label that is both a plain and a negated label with no presentation linkbase to say which
    assert len(pages.warnings) == 5 and all("not read" in w for w in pages.warnings)


def test_a_hostile_heading_span_is_refused_quickly(tmp_path):
    html = rb.r_page("X - USD ($)", "$ in Millions", [[("Dec. 31, 2024", 1)]],
                     [("", "us-gaap_Assets", "Assets", ["1"])], {})
    html = html.replace('colspan="1" rowspan="1"><div>Dec.', 'colspan="999" rowspan="999"><div>Dec.')
    html = html.replace("</tr>", '<th class="th" colspan="999" rowspan="999"><div>a</div></th>' * 5 + "</tr>", 1)
    run = run_cli("check", str(_page(tmp_path, "wide", html)))
    assert run.returncode == 2 and "columns wide" in run.stderr and "Traceback" not in run.stderr
