"""SEC Financial Statement Data Sets, and US$ convenience translations at an inferred rate."""

from decimal import Decimal


from checker.api import check
from checker.engine.intervals import Interval
from checker.engine.translation import explain_outlier, infer_rate, rate_interval
from checker.loaders import load_filings
from checker.loaders.fsds import _period, inferred_decimals
from checker.model import Period

from .conftest import REPO, corpus_path

PACK = str(REPO / "rules" / "convenience-translation.yaml")


def test_periods_and_decimals_of_the_data_sets():
    assert str(_period("20091231", "4")) == "2009-01-01..2009-12-31"
    assert str(_period("20100331", "1")) == "2010-01-01..2010-03-31"
    assert str(_period("20100331", "0")) == "2010-03-31"
    assert _period("20230930", "4") == Period.from_xbrl(start="2022-10-01", end="2023-09-30")
    assert str(_period("20230701", "3")) == "2022-10-02..2023-07-01"  # a 39-week period ending mid-month
    assert inferred_decimals(Decimal("2670000.0000")) == -4
    assert inferred_decimals(Decimal("-6.66")) == 2


def test_a_quarter_loads_as_one_filing_per_submission():
    filings = load_filings(str(corpus_path("fsds", "quarter-2010q2", "2010q2.zip")))
    assert len(filings) == 522
    assert sum(1 for f in filings for fact in f.facts if fact.concept != "dei:DocumentType") == 136044
    lg = next(f for f in filings if f.path.endswith("0001193125-10-136028"))
    assert lg.description == "LG DISPLAY CO., LTD. 20-F (0001193125-10-136028)"
    eps = next(f for f in lg.facts if f.concept == "us-gaap:EarningsPerShareBasic" and f.unit.currency == "USD")
    assert eps.value == Decimal("2670") and str(eps.period) == "2009-01-01..2009-12-31"
    assert eps.source.file.endswith("2010q2.zip!num.txt") and eps.source.line == 19919


def test_rate_intervals_and_the_rate_most_pairs_agree_on():
    pair = rate_interval(Interval.reported(Decimal("12885000"), -3), Interval.reported(Decimal("94052000"), -3))
    assert pair[0] < Decimal("7.2993") < pair[1]
    inferred = infer_rate([(Decimal(7), Decimal(8)), (Decimal("7.5"), Decimal(9)), (Decimal("7.8"), Decimal(10)),
                           (Decimal(1000), Decimal(1001))])
    assert (inferred.lo, inferred.hi, inferred.agreeing, inferred.informative) == (Decimal("7.8"), Decimal(8), 3, 4)
    assert rate_interval(Interval.reported(Decimal(0), 0), Interval.reported(Decimal(5), 0)) is None


def test_outliers_are_explained_in_plain_words():
    assert explain_outlier(Decimal("2670"), Decimal("2.6658")) == "1,000 times the translated amount: a scale error"
    assert explain_outlier(Decimal("-5"), Decimal("5")) == "the translated amount with the sign reversed"
    assert explain_outlier(Decimal("5.3"), Decimal("5")) == ""


def test_the_quarters_20_f_filers():
    result = check(str(corpus_path("fsds", "quarter-2010q2", "2010q2.zip")), rules=[PACK])
    notes = {f.description.split(" (")[0]: f.notes[0] for f in result.filings if f.notes}
    for filer, rate, currency in (("ORIX CORP 20-F", "93.04", "JPY"), ("NIDEC CORP 20-F/A", "93.04", "JPY"),
                                  ("RICOH CO LTD 20-F", "93", "JPY"), ("LG DISPLAY CO., LTD. 20-F", "1,163.65", "KRW")):
        assert f"inferred rate 1 USD = {rate}" in notes[filer] and currency in notes[filer]
    found = {(v.facts[0].concept, v.period) for v in result.violations}
    assert found == {("us-gaap:EarningsPerShareBasic", "2009-01-01..2009-12-31"),
                     ("us-gaap:EarningsPerShareDiluted", "2009-01-01..2009-12-31")}
    basic = next(v for v in result.violations if v.facts[0].concept == "us-gaap:EarningsPerShareBasic")
    assert basic.explanation == ("2,670 ≠ 3,102 ÷ 1,163.65 = 2.6658 "
                                 "(1,000 times the translated amount: a scale error)")


def test_a_stated_rate_stays_strict_and_an_inferred_one_finds_the_seed_rate():
    example = str(REPO / "examples" / "receivables-20f" / "rx-20241231.xml")
    result = check(example, rules=[PACK])
    assert result.violations == []
    note, = result.filings[0].notes
    # the pairs allow 7.2985-7.3002 (the filer states 7.2993): the roundest rate in the range is 7.3
    assert note == ("FX.USD.CONVENIENCE: inferred rate 1 USD = 7.3 CNY (8 of 8 pairs agree; they allow "
                    "7.29845186 to 7.30022898)")


def test_an_over_fitted_sliver_gives_way_to_the_round_rate_nearly_every_pair_allows():
    # 28 pairs allow 6.5249-6.5251; one more is a sliver at 6.5249981 (no round rate inside), so the
    # range all 29 agree on is that sliver: the rate is 6.525, which all but that one pair allow
    intervals = [(Decimal("6.5249"), Decimal("6.5251"))] * 28 + [(Decimal("6.5249981"), Decimal("6.5249981"))]
    inferred = infer_rate(intervals)
    assert (inferred.lo, inferred.hi, inferred.agreeing) == (Decimal("6.5249981"), Decimal("6.5249981"), 29)
    assert inferred.rate == Decimal("6.525")
    # where a round rate lies inside the range, it is taken: four decimals or fewer, as filers state them
    assert infer_rate([(Decimal("7.29845"), Decimal("7.29940"))]).rate == Decimal("7.299")


def test_a_stated_rate_no_pair_fits_says_which_rate_the_pairs_imply(tmp_path):
    pack = tmp_path / "fx.yaml"
    pack.write_text("pack: fx\nprefix: us-gaap\nrules:\n  - id: FX.STATED\n    title: US$ at the stated rate\n"
                    "    translation: {from: CNY, to: USD, rate: 6.9}\n")
    result = check(str(REPO / "examples" / "receivables-20f" / "rx-20241231.xml"), rules=[str(pack)])
    note, = result.filings[0].notes
    # the one pair that fits 6.9 is the write-off, 5 against 39 thousand: it bounds the rate loosely
    assert note == ("FX.STATED: the stated rate 1 USD = 6.9 CNY fits only 1 of the 8 pairs; they imply "
                    "1 USD = 7.3 CNY (8 of 8 agree)")
    assert len(result.violations) == 8  # a stated rate allows no slack: that pair fails too
    assert {v.attribution.text for v in result.violations} == {note.split(": ", 1)[1]}


def test_amounts_without_decimals_get_one_warning(tmp_path):
    table = tmp_path / "facts.csv"
    table.write_text("concept,value,unit,period,decimals\n"
                     "dei:DocumentType,20-F,,2024-01-01..2024-12-31,\n"
                     "us-gaap:Revenues,42,iso4217:CNY,2024-01-01..2024-12-31,\n"
                     "us-gaap:Revenues,6,iso4217:USD,2024-01-01..2024-12-31,\n"
                     "us-gaap:Assets,70,iso4217:CNY,2024-12-31,\n"
                     "us-gaap:Assets,10,iso4217:USD,2024-12-31,\n")
    result = check(str(table), rules=[PACK])
    problem, = result.problems
    assert (problem.kind, problem.severity, problem.rule_id) == ("no-decimals", "warning", "FX.USD.CONVENIENCE")
    assert problem.message.startswith("4 amounts of the CNY/USD pairs carry no decimals") and "facts.csv" in \
        problem.message


def test_a_translated_total_footed_from_its_rounded_lines_is_not_a_violation(tmp_path):
    # six US$ lines each rounded down by 0.46 of a unit; the US$ total is their sum (as the page
    # foots it), 3 units below the RMB total at the rate: the filer's calculation explains it
    lines = [f"Line{i}" for i in range(6)]
    ks = [100000 + 2 * i for i in range(6)]
    facts = [(name, 65 * k // 10 + 3, k) for name, k in zip(lines, ks, strict=True)]
    facts.append(("Total", sum(c for _, c, _ in facts), sum(ks)))
    context = ('<xbrli:context id="D"><xbrli:entity><xbrli:identifier scheme="http://www.sec.gov/CIK">1'
               '</xbrli:identifier></xbrli:entity><xbrli:period><xbrli:startDate>2024-01-01</xbrli:startDate>'
               '<xbrli:endDate>2024-12-31</xbrli:endDate></xbrli:period></xbrli:context>')
    rows = "".join(f'<ex:{n} contextRef="D" unitRef="{u}" decimals="-3">{v * 1000}</ex:{n}>\n'
                   for n, cny, usd in facts for u, v in (("CNY", cny), ("USD", usd)))
    folder = tmp_path / "fx"
    folder.mkdir()
    (folder / "ex-2024.xml").write_text(
        '<xbrli:xbrl xmlns:xbrli="http://www.xbrl.org/2003/instance" xmlns:ex="http://example.com/ex" '
        'xmlns:iso4217="http://www.xbrl.org/2003/iso4217" xmlns:dei="http://xbrl.sec.gov/dei/2024">\n'
        f'{context}<xbrli:unit id="CNY"><xbrli:measure>iso4217:CNY</xbrli:measure></xbrli:unit>'
        '<xbrli:unit id="USD"><xbrli:measure>iso4217:USD</xbrli:measure></xbrli:unit>\n'
        f'<dei:DocumentType contextRef="D">20-F</dei:DocumentType>\n{rows}</xbrli:xbrl>\n')
    locs = "".join(f'<link:loc xlink:type="locator" xlink:label="{n}" xlink:href="ex.xsd#ex_{n}"/>'
                   for n in ["Total", *lines])
    arcs = "".join(f'<link:calculationArc xlink:type="arc" xlink:arcrole="http://www.xbrl.org/2003/arcrole/'
                   f'summation-item" xlink:from="Total" xlink:to="{n}" weight="1"/>' for n in lines)
    (folder / "ex-2024_cal.xml").write_text(
        '<link:linkbase xmlns:link="http://www.xbrl.org/2003/linkbase" xmlns:xlink="http://www.w3.org/1999/xlink">'
        f'<link:calculationLink xlink:type="extended" xlink:role="http://example.com/role/IS">{locs}{arcs}'
        '</link:calculationLink></link:linkbase>\n')
    result = check(str(folder), rules=[PACK])
    assert result.violations == []
    assert result.filings[0].notes == (
        "FX.USD.CONVENIENCE: inferred rate 1 USD = 6.5 CNY (6 of 7 pairs fit it; 7 agree only on 6.50001291 to "
        "6.50004709, a rate no filer states)",
        "FX.USD.CONVENIENCE: 1 USD total off the rate but footed from USD lines the filer's calculation adds up "
        "to it: not violations")
    # without the calculation linkbase, the same total is a violation
    (folder / "ex-2024_cal.xml").unlink()
    total, = check(str(folder), rules=[PACK]).violations
    assert total.facts[0].concept == "ex:Total" and "(off by 2,769.2308;" in total.explanation
