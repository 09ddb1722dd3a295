"""One self-contained HTML page for a reviewer or an auditor (``discheck[html]``).

Jinja2 renders it with autoescaping on, so every string that comes from a filing
(labels, typed dimension members, file names, element ids) is inert text. The page
loads nothing from the network; its only script, the filters, is allowed by a
Content-Security-Policy hash, so no other script could run even if one got in.
Filters start from the address fragment too: ``report.html#severity=error&rule=AR.NET``.
"""

from __future__ import annotations

import base64
import hashlib
import os
from importlib import resources
from typing import IO

from ..errors import CheckerError
from ..results import CheckResult
from . import grouped

SCRIPT = """
(function () {
  var form = document.getElementById('filters');
  var items = Array.prototype.slice.call(document.querySelectorAll('[data-severity]'));
  function apply() {
    var severities = Array.prototype.slice.call(form.querySelectorAll('input[name=severity]:checked'))
      .map(function (box) { return box.value; });
    var rule = form.elements.rule.value;
    var shown = 0;
    items.forEach(function (item) {
      var visible = severities.indexOf(item.dataset.severity) >= 0 && (!rule || item.dataset.rule === rule);
      item.hidden = !visible;
      if (visible && item.classList.contains('violation')) { shown += 1; }
    });
    var filtering = rule || severities.length < form.querySelectorAll('input[name=severity]').length;
    document.querySelectorAll('section.filing').forEach(function (section) {
      // a filing with nothing left to show under a filter is hidden, heading and all
      section.hidden = filtering && !section.querySelector('[data-severity]:not([hidden])');
    });
    document.getElementById('shown').textContent = String(shown);
  }
  var wanted = new URLSearchParams(location.hash.slice(1));
  if (wanted.get('severity')) {
    var keep = wanted.get('severity').split(',');
    form.querySelectorAll('input[name=severity]').forEach(function (box) { box.checked = keep.indexOf(box.value) >= 0; });
  }
  if (wanted.get('rule')) { form.elements.rule.value = wanted.get('rule'); }
  form.addEventListener('change', apply);
  apply();
})();
"""


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def _links(result: CheckResult, report: str | None) -> dict:
    """Each fact's document and id as a link relative to where the report is written
    (``doc.htm#f-12``): a reviewer opens the filing at the fact. None inside zips."""
    base = os.path.dirname(os.path.abspath(report)) if report and report != "-" else os.getcwd()
    links = {}
    for violation in result.violations:
        for use in violation.facts:
            if use.file and use.element_id and "!" not in use.file and use.file not in links:
                try:
                    links[use.file] = os.path.relpath(os.path.abspath(use.file), base).replace(os.sep, "/")
                except ValueError:  # another drive
                    links[use.file] = None
    return links


def render(result: CheckResult, report: str | None = None) -> str:
    try:
        import jinja2
    except ImportError:
        raise CheckerError("the html format needs Jinja2: pip install 'discheck[html]'") from None
    template_text = resources.files(__package__).joinpath("templates/report.html.j2").read_text("utf-8")
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True)
    env.filters["grouped"] = grouped
    template = env.from_string(template_text)
    style = resources.files(__package__).joinpath("templates/report.css.j2").read_text("utf-8")
    counts = result.counts()
    coverage = result.coverage()
    return template.render(
        result=result, counts=counts, coverage=coverage, style=style, script=SCRIPT,
        csp=f"default-src 'none'; style-src {_csp_hash(style)}; script-src {_csp_hash(SCRIPT)}; "
            f"img-src data:; form-action 'none'; base-uri 'none'",
        rules=sorted({r.id for r in result.rules}),
        totals={"passed": sum(c.passed for c in coverage), "failed": sum(c.failed for c in coverage),
                "not_evaluated": sum(c.not_evaluated for c in coverage), "errors": sum(c.errors for c in coverage)},
        accepted=len(result.violations) - len(result.new_violations),
        links=_links(result, report),
    )


def write(result: CheckResult, out: IO[str], report: str | None = None) -> None:
    """``report``: where the page is written, so links to the filing are relative to it."""
    out.write(render(result, report))
