"""Builds R pages in the SEC renderer's layout (the markup of EDGAR's R2.htm ... pages):
a ``report`` table whose title cell holds the page name and scale, heading rows with
``colspan``, rows whose first cell links to ``defref_`` definitions, ``nump``/``num``
value cells, ``rh`` member sections, and the hidden definition tables (data and period
type) below it. Used to write the fixtures in tests/fixtures/rpages and the variants the
tests make of them."""

from __future__ import annotations

from html import escape


def _th(text: str, span: int = 1, rows: int = 1) -> str:
    divs = "".join(f"<div>{escape(part)}</div>" for part in text.split("\n")) if text else "<div></div>"
    return f'<th class="th" colspan="{span}" rowspan="{rows}">{divs}</th>'


def _link(defref: str, text: str, strong: bool = False) -> str:
    body = f"<strong>{escape(text)}</strong>" if strong else escape(text)
    return (f'<td class="pl" style="border-bottom: 0px;" valign="top"><a class="a" href="javascript:void(0);" '
            f"onclick=\"Show.showAR( this, 'defref_{defref}', window );\">{body}</a></td>")


def _cell(value: str | None) -> str:
    if not value:
        return '<td class="text">&#160;<span></span>\n</td>'
    kind = "num" if "(" in value else "nump"
    return f'<td class="{kind}">{escape(value)}<span></span>\n</td>'


def r_page(title: str, scale: str, headings: list[list[tuple[str, int]]], rows: list[tuple],
           definitions: dict[str, tuple[str, str]]) -> str:
    """``headings``: heading rows of (text, colspan), text lines split by newlines;
    ``rows``: (kind, defref, label, [cells]) with kind "" (a line), "abstract" or "section";
    ``definitions``: defref -> (data type, period type)."""
    out = ['<html>\n<head>\n<title></title>\n<link rel="stylesheet" type="text/css" href="include/report.css">\n'
           '<script type="text/javascript" src="Show.js">/* Do Not Remove This Comment */</script>\n</head>\n<body>\n'
           '<span style="display: none;">v3.24.4</span><table class="report" border="0" cellspacing="2" id="idm1">']
    for i, heading in enumerate(headings):
        out.append("<tr>")
        if i == 0:
            out.append(f'<th class="tl" colspan="1" rowspan="{len(headings)}"><div style="width: 200px;"><strong>'
                       f'{escape(title)}<br> {escape(scale)}</strong></div></th>')
        out.extend(_th(text, span) for text, span in heading)
        out.append("</tr>")
    ncols = sum(span for _, span in headings[-1]) if headings else 0
    for n, (kind, defref, label, cells) in enumerate(rows):
        css = "rh" if kind == "section" else ("re" if n % 2 else "ro")
        out.append(f'<tr class="{css}">')
        out.append(_link(defref, label, strong=kind == "abstract"))
        out.extend(_cell(c) for c in (cells or [None] * ncols))
        out.append("</tr>")
    out.append("</table>\n<div style=\"display: none;\">")
    for defref, (data_type, period_type) in definitions.items():
        out.append(f'<table border="0" cellpadding="0" cellspacing="0" class="authRefData" style="display: none;" '
                   f'id="defref_{defref}"><tr><td><div class="body"><a>- Definition</a><div><p>...</p></div>'
                   f'<a>+ Details</a><div style="display: none;"><table border="0" cellpadding="0" cellspacing="0">'
                   f'<tr><td><strong> Name:</strong></td><td>{escape(defref)}</td></tr>'
                   f'<tr><td><strong> Data Type:</strong></td><td>{escape(data_type)}</td></tr>'
                   f'<tr><td><strong> Period Type:</strong></td><td>{escape(period_type)}</td></tr>'
                   f'</table></div></div></td></tr></table>')
    out.append("</div>\n</body>\n</html>\n")
    return "\n".join(out)


def metalinks(labels: dict[str, dict[str, str]]) -> str:
    """A MetaLinks.json holding the labels (tag -> role -> text) the pages show."""
    import json
    tags = {tag: {"lang": {"en-us": {"role": roles}}} for tag, roles in labels.items()}
    return json.dumps({"version": "2.2", "instance": {"filing.htm": {"tag": tags}}}, indent=1)


def filing_summary(pages: list[tuple[str, str]]) -> str:
    reports = "".join(f"<Report instance=\"filing.htm\"><HtmlFileName>{name}</HtmlFileName>"
                      f"<ShortName>{escape(short)}</ShortName><Role>http://example.com/role/{i}</Role></Report>"
                      for i, (name, short) in enumerate(pages, start=2))
    return f'<?xml version="1.0" encoding="utf-8"?>\n<FilingSummary><MyReports>{reports}</MyReports></FilingSummary>\n'


# --- the seed page: ACCOUNTS RECEIVABLE - Schedule of Accounts Receivable (Details) ----------------

RX_TITLE = "ACCOUNTS RECEIVABLE - Schedule of Accounts Receivable (Details)"
RX_HEADINGS = [[("12 Months Ended", 4), ("", 1)],
               [("Dec. 31, 2024\nCNY (¥)", 1), ("Dec. 31, 2024\nUSD ($)", 1), ("Dec. 31, 2023\nCNY (¥)", 1),
                ("Dec. 31, 2022\nCNY (¥)", 1), ("Dec. 31, 2024\nUSD ($)", 1)]]
RX_ROWS = [
    ("abstract", "us-gaap_AccountsNotesAndLoansReceivableNetCurrentAbstract", "ACCOUNTS RECEIVABLE", None),
    ("", "us-gaap_AccountsReceivableGrossCurrent", "Accounts receivable",
     ["¥ 94,052", "", "¥ 103,982", "", "$ 12,885"]),
    ("", "us-gaap_AccountsReceivableAllowanceForCreditLossCurrent", "Allowance for credit losses",
     ["(42,884)", "", "(30,486)", "", "(5,875)"]),
    ("", "us-gaap_AccountsReceivableNetCurrent", "Accounts receivable, net", ["51,168", "", "73,496", "", "$ 7,010"]),
    ("abstract", "us-gaap_AccountsReceivableAllowanceForCreditLossRollForward",
     "The rollforward in the allowance for credit losses were as follows:", None),
    ("", "us-gaap_AccountsReceivableAllowanceForCreditLoss", "Balance at the beginning of the year",
     ["30,486", "$ 4,177", "7,764", "¥ 4,932", ""]),
    ("", "us-gaap_AccountsReceivableCreditLossExpenseReversal", "Provisions for the year",
     ["12,857", "1,761", "22,752", "2,832", ""]),
    ("", "us-gaap_AccountsReceivableAllowanceForCreditLossRecovery",
     "Reversal of provisions from prior periods due to subsequent cash collection during the year",
     ["(420)", "(58)", "(30)", "", ""]),
    ("", "us-gaap_AccountsReceivableAllowanceForCreditLossWriteoff", "Amounts written off during the year",
     ["(39)", "(5)", "", "", ""]),
    ("", "us-gaap_AccountsReceivableAllowanceForCreditLoss", "Balance at the end of the year",
     ["¥ 42,884", "$ 5,875", "¥ 30,486", "¥ 7,764", ""]),
]
RX_DEFINITIONS = {
    "us-gaap_AccountsNotesAndLoansReceivableNetCurrentAbstract": ("xbrli:stringItemType", "duration"),
    "us-gaap_AccountsReceivableGrossCurrent": ("xbrli:monetaryItemType", "instant"),
    "us-gaap_AccountsReceivableAllowanceForCreditLossCurrent": ("xbrli:monetaryItemType", "instant"),
    "us-gaap_AccountsReceivableNetCurrent": ("xbrli:monetaryItemType", "instant"),
    "us-gaap_AccountsReceivableAllowanceForCreditLossRollForward": ("xbrli:stringItemType", "duration"),
    "us-gaap_AccountsReceivableAllowanceForCreditLoss": ("xbrli:monetaryItemType", "instant"),
    "us-gaap_AccountsReceivableCreditLossExpenseReversal": ("xbrli:monetaryItemType", "duration"),
    "us-gaap_AccountsReceivableAllowanceForCreditLossRecovery": ("xbrli:monetaryItemType", "duration"),
    "us-gaap_AccountsReceivableAllowanceForCreditLossWriteoff": ("xbrli:monetaryItemType", "duration"),
}
RX_LABELS = {
    "us-gaap_AccountsReceivableGrossCurrent": {"terseLabel": "Accounts receivable"},
    "us-gaap_AccountsReceivableAllowanceForCreditLossCurrent": {"negatedLabel": "Allowance for credit losses"},
    "us-gaap_AccountsReceivableNetCurrent": {"totalLabel": "Accounts receivable, net"},
    "us-gaap_AccountsReceivableAllowanceForCreditLoss": {
        "periodStartLabel": "Balance at the beginning of the year",
        "periodEndLabel": "Balance at the end of the year"},
    "us-gaap_AccountsReceivableCreditLossExpenseReversal": {"terseLabel": "Provisions for the year"},
    "us-gaap_AccountsReceivableAllowanceForCreditLossRecovery": {
        "terseLabel": "Reversal of provisions from prior periods due to subsequent cash collection during the year"},
    "us-gaap_AccountsReceivableAllowanceForCreditLossWriteoff": {"negatedLabel": "Amounts written off during the year"},
}


def receivables_page(rows=RX_ROWS) -> str:
    return r_page(RX_TITLE, "¥ in Thousands, $ in Thousands", RX_HEADINGS, rows, RX_DEFINITIONS)


if __name__ == "__main__":   # rewrites the receivables fixture
    import pathlib
    folder = pathlib.Path(__file__).parent / "fixtures" / "rpages" / "receivables-20f"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "R4.htm").write_text(receivables_page(), encoding="utf-8")
    (folder / "MetaLinks.json").write_text(metalinks(RX_LABELS) + "\n", encoding="utf-8")
    (folder / "FilingSummary.xml").write_text(filing_summary([("R4.htm", RX_TITLE)]), encoding="utf-8")
