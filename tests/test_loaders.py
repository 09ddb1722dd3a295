"""Each loader on small fixtures written for it: every shape read into one fact model."""

import zipfile
from decimal import Decimal

import pytest

from checker.errors import InputError
from checker.loaders import load_filing
from checker.model import INF, Period, QName, TypedMember, Unit

from .conftest import FIXTURES


def by_concept(filing, local):
    return [f for f in filing.facts if f.concept.local == local]


def test_instance_reads_every_shape():
    filing = load_filing(str(FIXTURES / "small-instance.xml"))
    assert filing.kind == "instance"
    assets, = by_concept(filing, "Assets")
    assert assets.value == Decimal("1000000") and assets.decimals == -3
    assert assets.period == Period.from_xbrl(instant="2023-12-31")
    assert str(assets.unit) == "iso4217:USD"
    assert assets.source.line == 14  # the fact precedes its context: resolved afterwards
    revenues = {f.dimensions: f for f in by_concept(filing, "Revenues")}
    plain = revenues[()]
    assert plain.decimals == -4 and plain.source.element_id == "rev"  # from precision="4"
    service = revenues[((QName("srt", "ProductOrServiceAxis"), QName("us-gaap", "ServiceMember")),)]
    assert service.value == Decimal("250.50") and service.decimals == INF
    eps, = by_concept(filing, "EarningsPerShareBasic")
    assert eps.unit == Unit.parse("iso4217:USD/xbrli:shares") and eps.value == Decimal("-1.25")
    liabilities, = by_concept(filing, "Liabilities")
    assert liabilities.is_nil and liabilities.is_numeric
    loan, = by_concept(filing, "LoanBalance")
    assert loan.dimensions == ((QName("ex", "LoanAxis"), TypedMember("L-7")),)
    period_end, = by_concept(filing, "DocumentPeriodEndDate")
    assert not period_end.is_numeric and period_end.value == "2023-12-31" and period_end.unit is None
    in_tuple, = by_concept(filing, "GuaranteeAmount")
    assert in_tuple.value == 42


def test_inline_document_set_reads_formats_scale_sign_and_continuations():
    filing = load_filing(str(FIXTURES / "inline-set"))
    assert filing.kind == "inline" and len(filing.documents) == 2
    cash = {str(f.unit): f for f in by_concept(filing, "Cash")}
    assert cash["iso4217:USD"].value == Decimal("1234500000")
    assert cash["iso4217:USD"].source.element_id == "cash"
    assert cash["iso4217:EUR"].value == Decimal("1000.25")  # unit from the second header
    assert cash["iso4217:EUR"].source.file.endswith("second.htm")
    loss, = by_concept(filing, "NetIncomeLoss")
    assert loss.value == Decimal("-42000")
    goodwill, = by_concept(filing, "Goodwill")  # in ix:hidden
    assert goodwill.value == 0
    other, = by_concept(filing, "OtherAssets")
    assert other.is_nil
    segments, = by_concept(filing, "NumberOfOperatingSegments")
    assert segments.value == 21
    nature, = by_concept(filing, "NatureOfOperations")
    assert nature.value == "We make widgets and gadgets."  # excluded text left out, continuation followed
    period_end, = by_concept(filing, "DocumentPeriodEndDate")
    assert period_end.value == "2024-12-31"


def test_oim_json_instants_are_the_midnight_after_the_xbrl_date():
    filing = load_filing(str(FIXTURES / "report.json"))
    assert filing.kind == "xbrl-json"
    assets, = by_concept(filing, "Assets")
    assert assets.period == Period.from_xbrl(instant="2024-12-31")
    revenues, = by_concept(filing, "Revenues")
    assert revenues.period == Period.from_xbrl(start="2024-01-01", end="2024-12-31")
    assert dict(revenues.dimensions)[QName("ex", "LoanAxis")] == TypedMember("L-7")
    assert revenues.source.line == 20
    liabilities, = by_concept(filing, "Liabilities")
    # a bare OIM date is the start of that day: the XBRL instant of the day before
    assert liabilities.is_nil and liabilities.period == Period.from_xbrl(instant="2024-12-30")


def test_csv_table():
    filing = load_filing(str(FIXTURES / "facts-table.csv"))
    net, gross, revenues, name = filing.facts
    assert net.value == Decimal("51168000") and net.source.line == 2
    assert str(revenues.dimensions[0][1]) == "us-gaap:ServiceMember"
    assert name.value == "Example Ltd" and not name.is_numeric


def test_zip_package_and_single_member_zip(tmp_path):
    package = tmp_path / "filing.zip"
    with zipfile.ZipFile(package, "w") as archive:
        archive.write(FIXTURES / "small-instance.xml", "small-instance.xml")
        archive.writestr("notes.txt", "not a filing")
    filing = load_filing(str(package))
    assert len(filing.facts) == 8
    assert filing.facts[0].source.file == f"{package}!small-instance.xml"


def test_folder_with_several_instances_asks_which(tmp_path):
    for name in ("a.xml", "b.xml"):
        (tmp_path / name).write_bytes((FIXTURES / "small-instance.xml").read_bytes())
    with pytest.raises(InputError, match="several XBRL instances"):
        load_filing(str(tmp_path))


def test_linkbases_are_found_through_schema_refs(tmp_path):
    (tmp_path / "ex-20231231.xsd").write_text(
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:link="http://www.xbrl.org/2003/linkbase" xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<xs:annotation><xs:appinfo>'
        '<link:linkbaseRef xlink:type="simple" xlink:href="calc.xml" '
        'xlink:role="http://www.xbrl.org/2003/role/calculationLinkbaseRef"/>'
        '</xs:appinfo></xs:annotation></xs:schema>')
    (tmp_path / "calc.xml").write_text('<link:linkbase xmlns:link="http://www.xbrl.org/2003/linkbase"/>')
    (tmp_path / "instance.xml").write_bytes((FIXTURES / "small-instance.xml").read_bytes())
    filing = load_filing(str(tmp_path / "instance.xml"))
    assert [(lb.kind, lb.display.rsplit("/", 1)[-1]) for lb in filing.linkbases] == [("calculation", "calc.xml")]


@pytest.mark.parametrize("body,message", [
    (b'<xbrl xmlns="http://www.xbrl.org/2003/instance"><a contextRef="nope">1</a></xbrl>',
     "refers to context 'nope', which is not defined"),
    (FIXTURES.joinpath("small-instance.xml").read_bytes().replace(b">1000000<", b">12x<"),
     "which is not a number"),
])
def test_a_bad_fact_is_named(tmp_path, body, message):
    path = tmp_path / "bad.xml"
    path.write_bytes(body)
    with pytest.raises(InputError, match=message) as info:
        load_filing(str(path))
    assert str(path) in str(info.value)


def test_leading_blank_lines_before_the_declaration_keep_line_numbers(tmp_path):
    original = (FIXTURES / "small-instance.xml").read_bytes()
    path = tmp_path / "padded.xml"
    path.write_bytes(b"\n\n  " + original)
    assets = by_concept(load_filing(str(path)), "Assets")[0]
    assert assets.source.line == 14 + 2


def test_unknown_numeric_format_is_an_error_naming_the_fact(tmp_path):
    main = (FIXTURES / "inline-set" / "main.htm").read_text()
    path = tmp_path / "doc.htm"
    path.write_text(main.replace('format="ixt:num-dot-decimal" id="cash"', 'format="ixt:num-bogus" id="cash"'))
    with pytest.raises(InputError, match=r"num-bogus.*fact us-gaap:Cash id=cash"):
        load_filing(str(path))


def _streamed_inline(rows: int) -> str:
    """A document that exercises the streaming reader: a continuation long before the fact
    that uses it, another after it, a fact holding facts, the header (contexts and units)
    at the end, and enough rows between them that what was read is pruned several times."""
    lines = ['<html xmlns="http://www.w3.org/1999/xhtml" xmlns:ix="http://www.xbrl.org/2013/inlineXBRL" '
             'xmlns:xbrli="http://www.xbrl.org/2003/instance" xmlns:iso4217="http://www.xbrl.org/2003/iso4217" '
             'xmlns:us-gaap="http://fasb.org/us-gaap/2024"><body>',
             '<div><ix:continuation id="early">early part <b>bold</b></ix:continuation></div>']
    lines += [f'<p>row {i}: <ix:nonFraction name="us-gaap:Row{i}" contextRef="c" unitRef="u" decimals="0" '
              f'id="r{i}">{i}</ix:nonFraction></p>' for i in range(rows)]
    lines += ['<div><ix:nonNumeric name="us-gaap:Policy" contextRef="c" id="outer">Total '
              '<ix:nonFraction name="us-gaap:Inner" contextRef="c" unitRef="u" decimals="0" id="inner">7'
              '</ix:nonFraction> units</ix:nonNumeric></div>',
              '<div><ix:nonNumeric name="us-gaap:Note" contextRef="c" id="note" continuedAt="early">Start, '
              '</ix:nonNumeric></div>',
              '<div><ix:nonNumeric name="us-gaap:Late" contextRef="c" id="late" continuedAt="after">A</ix:nonNumeric>'
              '</div>']
    lines += [f'<p>more {i}</p>' for i in range(rows)]
    lines += ['<div><ix:continuation id="after">, B</ix:continuation></div>',
              '<div style="display:none"><ix:header><ix:resources>'
              '<xbrli:context id="c"><xbrli:entity><xbrli:identifier scheme="http://www.sec.gov/CIK">1'
              '</xbrli:identifier></xbrli:entity><xbrli:period><xbrli:instant>2024-12-31</xbrli:instant>'
              '</xbrli:period></xbrli:context>'
              '<xbrli:unit id="u"><xbrli:measure>iso4217:USD</xbrli:measure></xbrli:unit>'
              '</ix:resources></ix:header></div></body></html>']
    return "\n".join(lines)


def test_streamed_inline_reading_keeps_what_is_read_later_and_document_order(tmp_path):
    rows = 500   # several prunings (every 64 finished elements)
    path = tmp_path / "streamed.htm"
    path.write_text(_streamed_inline(rows))
    facts = load_filing(path).facts
    names = [f.concept.local for f in facts]
    assert names == [f"Row{i}" for i in range(rows)] + ["Policy", "Inner", "Note", "Late"]   # document order
    by_name = {f.concept.local: f for f in facts}
    assert by_name["Row499"].value == 499 and by_name["Row499"].source.line == rows + 2
    assert by_name["Policy"].value == "Total 7 units" and by_name["Inner"].value == 7
    assert by_name["Note"].value == "Start, early part bold"   # its continuation came long before
    assert by_name["Late"].value == "A, B"                     # and this one's after it
    assert str(by_name["Late"].period) == "2024-12-31"         # contexts at the end of the document


def test_a_streamed_document_without_facts_is_read_and_its_declarations_still_checked():
    from checker.loaders.inline import _STREAMED
    from checker.loaders.xmlsafe import iterparse_bytes

    plain = (b'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:ix="http://www.xbrl.org/2013/inlineXBRL">'
             b'<body><p>no facts here</p></body></html>')
    assert list(iterparse_bytes(plain, "plain.htm", tags=_STREAMED)) == []
    late = (b'<?xml version="1.0"?><!--' + b"x" * 70_000 + b'--><!DOCTYPE html [<!ENTITY a "b">]>' + plain)
    with pytest.raises(InputError, match="declares XML entities"):
        list(iterparse_bytes(late, "late.htm", tags=_STREAMED))
