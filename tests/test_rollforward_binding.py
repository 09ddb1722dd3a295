"""Roll-forwards and calculations bind only what the filer relates.

Small filings written here, each a presentation (or calculation) linkbase beside an
instance, one per class of misreading seen on real filings.
"""

from __future__ import annotations

import pytest

from checker.api import check

from .conftest import run_cli

START = "http://www.xbrl.org/2003/role/periodStartLabel"
END = "http://www.xbrl.org/2003/role/periodEndLabel"
NEG_START = "http://www.xbrl.org/2009/role/negatedPeriodStartLabel"
NEG_END = "http://www.xbrl.org/2009/role/negatedPeriodEndLabel"
NEGATED = "http://www.xbrl.org/2009/role/negatedLabel"
HREF = "https://xbrl.fasb.org/us-gaap/2024/elts/us-gaap-2024.xsd#us-gaap_"


def _context(cid: str, period: str, dims: tuple = ()) -> str:
    members = "".join(f'<xbrldi:explicitMember dimension="us-gaap:{a}">us-gaap:{m}</xbrldi:explicitMember>'
                      for a, m in dims)
    segment = f"<xbrli:segment>{members}</xbrli:segment>" if dims else ""
    when = (f"<xbrli:startDate>{period.split('..')[0]}</xbrli:startDate><xbrli:endDate>{period.split('..')[1]}"
            f"</xbrli:endDate>" if ".." in period else f"<xbrli:instant>{period}</xbrli:instant>")
    return (f'<xbrli:context id="{cid}"><xbrli:entity><xbrli:identifier scheme="http://www.sec.gov/CIK">1'
            f'</xbrli:identifier>{segment}</xbrli:entity><xbrli:period>{when}</xbrli:period></xbrli:context>')


def _filing(tmp_path, facts: list[tuple], lines: list[tuple], axes: tuple = (), calc: list | None = None) -> str:
    """``facts``: (concept, period, value, dims); ``lines``: (concept, preferred label role) in
    presentation order under one abstract; ``axes``: the network's table axes."""
    folder = tmp_path / "filing"
    folder.mkdir()
    contexts, rows = {}, []
    for n, (concept, period, value, dims) in enumerate(facts):
        key = (period, dims)
        if key not in contexts:
            contexts[key] = f"c{len(contexts)}"
        rows.append(f'<us-gaap:{concept} id="f{n}" contextRef="{contexts[key]}" unitRef="usd" decimals="0">'
                    f'{value}</us-gaap:{concept}>')
    (folder / "x.xml").write_text(
        '<xbrli:xbrl xmlns:xbrli="http://www.xbrl.org/2003/instance" xmlns:xbrldi="http://xbrl.org/2006/xbrldi" '
        'xmlns:iso4217="http://www.xbrl.org/2003/iso4217" xmlns:us-gaap="http://fasb.org/us-gaap/2024">\n'
        + "\n".join(_context(cid, period, dims) for (period, dims), cid in contexts.items())
        + '\n<xbrli:unit id="usd"><xbrli:measure>iso4217:USD</xbrli:measure></xbrli:unit>\n'
        + "\n".join(rows) + "\n</xbrli:xbrl>\n")
    locs = [f'<link:loc xlink:type="locator" xlink:label="Roll" xlink:href="{HREF}RollForwardAbstract"/>']
    arcs = []
    labels = set()
    for n, (concept, role) in enumerate(lines, start=1):
        if concept not in labels:
            labels.add(concept)
            locs.append(f'<link:loc xlink:type="locator" xlink:label="{concept}" xlink:href="{HREF}{concept}"/>')
        preferred = f' preferredLabel="{role}"' if role else ""
        arcs.append(f'<link:presentationArc xlink:type="arc" xlink:arcrole="http://www.xbrl.org/2003/arcrole/'
                    f'parent-child" xlink:from="Roll" xlink:to="{concept}" order="{n}"{preferred}/>')
    for axis in axes:
        locs.append(f'<link:loc xlink:type="locator" xlink:label="{axis}" xlink:href="{HREF}{axis}"/>')
        arcs.append(f'<link:presentationArc xlink:type="arc" xlink:arcrole="http://www.xbrl.org/2003/arcrole/'
                    f'parent-child" xlink:from="Roll" xlink:to="{axis}" order="0"/>')
    (folder / "x_pre.xml").write_text(
        '<link:linkbase xmlns:link="http://www.xbrl.org/2003/linkbase" xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<link:presentationLink xlink:type="extended" xlink:role="http://example.com/role/Roll">'
        + "".join(locs + arcs) + "</link:presentationLink></link:linkbase>\n")
    if calc is not None:
        total, items = calc
        locs = [f'<link:loc xlink:type="locator" xlink:label="{c}" xlink:href="{HREF}{c}"/>' for c in [total, *items]]
        arcs = [f'<link:calculationArc xlink:type="arc" xlink:arcrole="http://www.xbrl.org/2003/arcrole/'
                f'summation-item" xlink:from="{total}" xlink:to="{c}" weight="1"/>' for c in items]
        (folder / "x_cal.xml").write_text(
            '<link:linkbase xmlns:link="http://www.xbrl.org/2003/linkbase" xmlns:xlink="http://www.w3.org/1999/xlink">'
            '<link:calculationLink xlink:type="extended" xlink:role="http://example.com/role/IS">'
            + "".join(locs + arcs) + "</link:calculationLink></link:linkbase>\n")
    return str(folder)


def _roll(path, **options):
    result = check(path, only_calc=True, rollforwards=True, **options)
    return result.coverage()[0], result.violations


ALLOWANCE = [("AllowanceForDoubtfulAccountsReceivableCurrent", "2023-12-31", 500, ()),
             ("AllowanceForDoubtfulAccountsReceivableCurrent", "2024-12-31", 560, ()),
             ("ProvisionForDoubtfulAccounts", "2024-01-01..2024-12-31", 100, ()),
             ("AllowanceForDoubtfulAccountsReceivableWriteOffs", "2024-01-01..2024-12-31", 40, ())]


def test_a_balance_shown_negated_rolls_with_its_lines_as_displayed(tmp_path):
    # the page: (500) opening, (100) provision, 40 write-offs, (560) closing: a deduction from receivables
    lines = [("AllowanceForDoubtfulAccountsReceivableCurrent", NEG_START), ("ProvisionForDoubtfulAccounts", NEGATED),
             ("AllowanceForDoubtfulAccountsReceivableWriteOffs", ""),
             ("AllowanceForDoubtfulAccountsReceivableCurrent", NEG_END)]
    coverage, violations = _roll(_filing(tmp_path, ALLOWANCE, lines))
    assert (coverage.passed, coverage.failed) == (1, 0) and violations == []


def test_a_deductions_line_subtracted_by_its_heading_is_named_as_a_sign(tmp_path):
    # Schedule II: opening, additions, deductions (positive, subtracted by the column heading), closing
    lines = [("AllowanceForDoubtfulAccountsReceivableCurrent", START), ("ProvisionForDoubtfulAccounts", ""),
             ("AllowanceForDoubtfulAccountsReceivableWriteOffs", ""),
             ("AllowanceForDoubtfulAccountsReceivableCurrent", END)]
    coverage, (violation,) = _roll(_filing(tmp_path, ALLOWANCE, lines))
    assert violation.binding == "determinate" and coverage.failed == 1
    assert (violation.attribution.kind, violation.attribution.concept) == \
        ("sign", "us-gaap:AllowanceForDoubtfulAccountsReceivableWriteOffs")


def test_a_table_binds_only_contexts_of_its_own_axes(tmp_path):
    plan = (("RetirementPlanTypeAxis", "PensionPlansDefinedBenefitMember"),)
    other = (("FairValueByFairValueHierarchyLevelAxis", "FairValueInputsLevel3Member"),)
    facts = [("DefinedBenefitPlanFairValueOfPlanAssets", "2023-12-31", 1000, plan),
             ("DefinedBenefitPlanFairValueOfPlanAssets", "2024-12-31", 1100, plan),
             ("DefinedBenefitPlanActualReturnOnPlanAssets", "2024-01-01..2024-12-31", 100, plan),
             # the same concepts in another table's contexts (plan assets by fair value level): never related here
             ("DefinedBenefitPlanFairValueOfPlanAssets", "2023-12-31", 300, plan + other),
             ("DefinedBenefitPlanFairValueOfPlanAssets", "2024-12-31", 900, plan + other),
             ("DefinedBenefitPlanActualReturnOnPlanAssets", "2024-01-01..2024-12-31", 7, plan + other)]
    lines = [("DefinedBenefitPlanFairValueOfPlanAssets", START), ("DefinedBenefitPlanActualReturnOnPlanAssets", ""),
             ("DefinedBenefitPlanFairValueOfPlanAssets", END)]
    coverage, violations = _roll(_filing(tmp_path, facts, lines, axes=("RetirementPlanTypeAxis",)))
    assert (coverage.passed, coverage.failed) == (1, 0) and violations == []


def test_a_network_outside_any_table_binds_no_dimensional_context(tmp_path):
    segment = (("StatementBusinessSegmentsAxis", "CorporateNonSegmentMember"),)
    facts = ALLOWANCE + [("AllowanceForDoubtfulAccountsReceivableCurrent", "2023-12-31", 5, segment),
                         ("AllowanceForDoubtfulAccountsReceivableCurrent", "2024-12-31", 50, segment),
                         ("ProvisionForDoubtfulAccounts", "2024-01-01..2024-12-31", 1, segment)]
    lines = [("AllowanceForDoubtfulAccountsReceivableCurrent", START), ("ProvisionForDoubtfulAccounts", ""),
             ("AllowanceForDoubtfulAccountsReceivableWriteOffs", NEGATED),
             ("AllowanceForDoubtfulAccountsReceivableCurrent", END)]
    coverage, violations = _roll(_filing(tmp_path, facts, lines))
    assert (coverage.passed, coverage.failed) == (1, 0) and violations == []


def test_two_balances_sharing_their_lines_are_not_read_as_one_roll(tmp_path):
    # shares available for grant and options outstanding, side by side: a grant lowers one and
    # raises the other, which one list of lines cannot say
    facts = [("AvailableForGrant", "2023-12-31", 100, ()), ("AvailableForGrant", "2024-12-31", 80, ()),
             ("OptionsOutstanding", "2023-12-31", 50, ()), ("OptionsOutstanding", "2024-12-31", 65, ()),
             ("OptionsGranted", "2024-01-01..2024-12-31", 20, ()), ("OptionsExercised", "2024-01-01..2024-12-31", 5, ())]
    lines = [("AvailableForGrant", START), ("OptionsOutstanding", START), ("OptionsGranted", ""),
             ("OptionsExercised", NEGATED), ("AvailableForGrant", END), ("OptionsOutstanding", END)]
    coverage, violations = _roll(_filing(tmp_path, facts, lines))
    assert violations == [] and coverage.failed == 0 and coverage.not_evaluated == 2


def test_balances_one_after_another_in_one_network_roll_each(tmp_path):
    facts = ALLOWANCE + [("InventoryValuationReserves", "2023-12-31", 30, ()),
                         ("InventoryValuationReserves", "2024-12-31", 35, ()),
                         ("InventoryWriteDown", "2024-01-01..2024-12-31", 5, ())]
    lines = [("AllowanceForDoubtfulAccountsReceivableCurrent", START), ("ProvisionForDoubtfulAccounts", ""),
             ("AllowanceForDoubtfulAccountsReceivableWriteOffs", NEGATED),
             ("AllowanceForDoubtfulAccountsReceivableCurrent", END),
             ("InventoryValuationReserves", START), ("InventoryWriteDown", ""), ("InventoryValuationReserves", END)]
    coverage, violations = _roll(_filing(tmp_path, facts, lines))
    assert (coverage.passed, coverage.failed) == (2, 0) and violations == []


def test_partial_roll_forwards_take_their_own_severity(tmp_path):
    facts = [f for f in ALLOWANCE if f[0] != "AllowanceForDoubtfulAccountsReceivableWriteOffs"]
    facts = [(c, p, 620 if c.startswith("Allowance") and p == "2024-12-31" else v, d) for c, p, v, d in facts]
    lines = [("AllowanceForDoubtfulAccountsReceivableCurrent", START), ("ProvisionForDoubtfulAccounts", ""),
             ("AllowanceForDoubtfulAccountsReceivableWriteOffs", NEGATED),
             ("AllowanceForDoubtfulAccountsReceivableCurrent", END)]
    path = _filing(tmp_path, facts, lines)
    for partial in ("warning", "info", "error"):
        _, (violation,) = _roll(path, rollforwards_partial=partial)
        assert violation.binding == "partial" and violation.severity == partial
    assert _roll(path, rollforwards_partial="ignore")[1] == []


def test_a_summation_bound_where_the_filer_tagged_one_of_its_items_is_info(tmp_path):
    segment = (("StatementBusinessSegmentsAxis", "CorporateNonSegmentMember"),)
    items = ["CostOfRevenue", "ResearchAndDevelopmentExpense", "SellingGeneralAndAdministrativeExpense"]
    facts = [("CostsAndExpenses", "2024-01-01..2024-12-31", 600, ()), ("CostOfRevenue", "2024-01-01..2024-12-31", 300, ()),
             ("ResearchAndDevelopmentExpense", "2024-01-01..2024-12-31", 100, ()),
             ("SellingGeneralAndAdministrativeExpense", "2024-01-01..2024-12-31", 200, ()),
             # a segment note tags the total and one item: a different table
             ("CostsAndExpenses", "2024-01-01..2024-12-31", 90, segment),
             ("CostOfRevenue", "2024-01-01..2024-12-31", 40, segment),
             # a two-item partial (more than half reported) stays a warning
             ("CostsAndExpenses", "2025-01-01..2025-12-31", 700, ()), ("CostOfRevenue", "2025-01-01..2025-12-31", 300, ()),
             ("ResearchAndDevelopmentExpense", "2025-01-01..2025-12-31", 100, ())]
    path = _filing(tmp_path, facts, [("CostsAndExpenses", "")], calc=["CostsAndExpenses", items])
    result = check(path, calc="round", only_calc=True)
    severities = sorted((v.period, v.dimensions != "", v.severity) for v in result.violations)
    assert severities == [("2024-01-01..2024-12-31", True, "info"), ("2025-01-01..2025-12-31", False, "warning")]
    explicit = check(path, calc="round", only_calc=True, calc_partial="warning")
    assert {v.severity for v in explicit.violations} == {"warning"}


def test_calc_and_rollforwards_add_to_the_shipped_packs_and_say_when_a_linkbase_is_missing(tmp_path):
    lines = [("AllowanceForDoubtfulAccountsReceivableCurrent", START), ("ProvisionForDoubtfulAccounts", ""),
             ("AllowanceForDoubtfulAccountsReceivableWriteOffs", NEGATED),
             ("AllowanceForDoubtfulAccountsReceivableCurrent", END)]
    path = _filing(tmp_path, ALLOWANCE, lines)
    result = run_cli("check", path, "--calc", "--rollforwards", "--format", "json")
    assert result.returncode == 0, result.stderr
    import json
    report = json.loads(result.stdout)
    rules = {c["rule_id"] for c in report["filings"][0]["coverage"]}
    assert {"CALC", "ROLLFORWARD", "BS.BALANCES"} <= rules
    notes = report["filings"][0]["notes"]
    assert any(n.startswith("CALC: no calculation linkbase found") for n in notes), notes


@pytest.mark.parametrize("flag", ["--rollforwards-partial", "--calc-partial"])
def test_partial_options_refuse_unknown_severities(tmp_path, flag):
    result = run_cli("check", tmp_path, flag, "loud")
    assert result.returncode == 2 and flag in result.stderr


@pytest.mark.parametrize("name, calc, roll", [("flic-10k-2023-bank-xuleroll", (180, 39), (37, 18)),
                                              ("pebk-10q-2024q1-bank-xuleroll", (31, 29), (10, 4))])
def test_links_embedded_in_a_zipped_schema_the_schema_ref_points_into_are_found(name, calc, roll):
    """The two banks point their schemaRef into a zip beside the instance (./T.zip/T/x.xsd),
    whose schema embeds its calculation and presentation links: nothing was bound before."""
    from checker.loaders import load_filing

    from .conftest import corpus_path
    path = corpus_path("more-filings", name)
    assert {"calculation", "presentation"} <= {lb.kind for lb in load_filing(str(path)).linkbases}
    result = check(str(path), calc="round", only_calc=True, rollforwards=True)
    coverage = {c.rule_id: (c.passed, c.failed) for c in result.coverage()}
    assert (coverage["CALC"], coverage["ROLLFORWARD"]) == (calc, roll)


def test_a_subtotal_without_a_total_label_is_not_a_movement(tmp_path):
    # equity: opening, net income, OCI, comprehensive income (= the two above, labelled plainly), closing
    facts = [("StockholdersEquity", "2023-12-31", 1000, ()), ("StockholdersEquity", "2024-12-31", 1130, ()),
             ("NetIncomeLoss", "2024-01-01..2024-12-31", 100, ()),
             ("OtherComprehensiveIncomeLossNetOfTax", "2024-01-01..2024-12-31", 30, ()),
             ("ComprehensiveIncomeNetOfTax", "2024-01-01..2024-12-31", 130, ())]
    lines = [("StockholdersEquity", START), ("NetIncomeLoss", ""), ("OtherComprehensiveIncomeLossNetOfTax", ""),
             ("ComprehensiveIncomeNetOfTax", ""), ("StockholdersEquity", END)]
    coverage, violations = _roll(_filing(tmp_path, facts, lines))
    assert (coverage.passed, coverage.failed) == (1, 0) and violations == []


def test_a_movement_near_the_sum_of_the_lines_above_is_still_a_movement(tmp_path):
    # 8 + 13 = 21, then a real movement of 22 (not exactly the lines above: not a subtotal); the roll
    # does not close (off by 22), and the line is not dropped to make it close
    facts = [("DefinedBenefitPlanFairValueOfPlanAssets", "2023-12-31", 169, ()),
             ("DefinedBenefitPlanFairValueOfPlanAssets", "2024-12-31", 184, ()),
             ("DefinedBenefitPlanActualReturnOnPlanAssets", "2024-01-01..2024-12-31", 8, ()),
             ("DefinedBenefitPlanContributionsByEmployer", "2024-01-01..2024-12-31", 13, ()),
             ("DefinedBenefitPlanPlanAssetsForeignCurrencyTranslationGainLoss", "2024-01-01..2024-12-31", 22, ())]
    lines = [("DefinedBenefitPlanFairValueOfPlanAssets", START), ("DefinedBenefitPlanActualReturnOnPlanAssets", ""),
             ("DefinedBenefitPlanContributionsByEmployer", ""),
             ("DefinedBenefitPlanPlanAssetsForeignCurrencyTranslationGainLoss", ""),
             ("DefinedBenefitPlanFairValueOfPlanAssets", END)]
    coverage, (violation,) = _roll(_filing(tmp_path, facts, lines))
    assert violation.explanation.startswith("184 ≠ 169 + 8 + 13 + 22 = 212")


def test_a_wildcard_sum_counts_a_parent_member_and_its_children_once(tmp_path):
    """A segment (Americas) and its two regions are all reported: the definition linkbase puts
    the regions under Americas, so the sum over the axis takes Americas, not all three."""
    axis = "StatementGeographicalAxis"
    members = {"AmericasMember": 600, "US": 400, "CA": 200, "EuropeMember": 300}
    facts = [("Revenues", "2024-01-01..2024-12-31", 900, ())] + [
        ("Revenues", "2024-01-01..2024-12-31", value, ((axis, member),)) for member, value in members.items()]
    path = _filing(tmp_path, facts, [("Revenues", "")])
    folder = tmp_path / "filing"
    # the explicit members of this fixture are us-gaap names: US and CA under Americas
    locs = "".join(f'<link:loc xlink:type="locator" xlink:label="{m}" xlink:href="{HREF}{m}"/>'
                   for m in ["Domain", *members])
    arcs = "".join(f'<link:definitionArc xlink:type="arc" xlink:arcrole="http://xbrl.org/int/dim/arcrole/domain-member" '
                   f'xlink:from="{parent}" xlink:to="{child}"/>'
                   for parent, child in [("Domain", "AmericasMember"), ("Domain", "EuropeMember"),
                                         ("AmericasMember", "US"), ("AmericasMember", "CA")])
    (folder / "x_def.xml").write_text(
        '<link:linkbase xmlns:link="http://www.xbrl.org/2003/linkbase" xmlns:xlink="http://www.w3.org/1999/xlink">'
        f'<link:definitionLink xlink:type="extended" xlink:role="http://example.com/role/Geo">{locs}{arcs}'
        '</link:definitionLink></link:linkbase>\n')
    pack = tmp_path / "geo.yaml"
    pack.write_text(f"pack: geo\nprefix: us-gaap\nrules:\n  - id: GEO\n    title: t\n"
                    f"    assert: Revenues[{axis}=default] == sum(Revenues[{axis}=*])\n")
    result = check(path, rules=[str(pack)])
    assert result.violations == [] and result.coverage()[0].passed == 1
    (folder / "x_def.xml").unlink()  # without the domain tree, all four members are added: 1,500
    violation, = check(path, rules=[str(pack)]).violations
    assert violation.explanation.startswith("900 ≠ ") and "= 1,500 (off by 600" in violation.explanation


def test_nested_subtotals_are_each_left_out(tmp_path):
    # income 100, OCI 30, comprehensive income 130 (a subtotal), dividends -50, total change 80 (another)
    facts = [("StockholdersEquity", "2023-12-31", 1000, ()), ("StockholdersEquity", "2024-12-31", 1080, ()),
             ("NetIncomeLoss", "2024-01-01..2024-12-31", 100, ()),
             ("OtherComprehensiveIncomeLossNetOfTax", "2024-01-01..2024-12-31", 30, ()),
             ("ComprehensiveIncomeNetOfTax", "2024-01-01..2024-12-31", 130, ()),
             ("DividendsCommonStock", "2024-01-01..2024-12-31", 50, ()),
             ("StockholdersEquityPeriodIncreaseDecrease", "2024-01-01..2024-12-31", 80, ())]
    lines = [("StockholdersEquity", START), ("NetIncomeLoss", ""), ("OtherComprehensiveIncomeLossNetOfTax", ""),
             ("ComprehensiveIncomeNetOfTax", ""), ("DividendsCommonStock", NEGATED),
             ("StockholdersEquityPeriodIncreaseDecrease", ""), ("StockholdersEquity", END)]
    coverage, violations = _roll(_filing(tmp_path, facts, lines))
    assert (coverage.passed, coverage.failed) == (1, 0) and violations == []


def test_a_provision_reported_a_thousand_times_too_large_is_a_scale_finding():
    """pebk's refunded-loan allowance: balances of 2,278 and 1,770 beside provisions of -203,000 and
    -72,000; taken as -203 and -72 the rolls close. The provision's own rounding (decimals -3) must
    not hide that: the scaled amount is compared with the other terms' rounding only."""
    from .conftest import corpus_path
    result = check(str(corpus_path("more-filings", "pebk-10q-2024q1-bank-xuleroll")), only_calc=True,
                   rollforwards=True)
    refunded = [v for v in result.violations if "AllowanceForCreditLossesForRefundedLoan" in v.title]
    assert len(refunded) == 2
    assert {(v.attribution.kind, v.attribution.concept) for v in refunded} == \
        {("scale", "pebk.com:ProvisionForRecoveryOfCreditLosses")}
