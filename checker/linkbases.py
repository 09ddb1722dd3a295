"""The filer's linkbases, read without the taxonomy: concepts are named by locator fragments.

A locator such as ``...us-gaap-2023.xsd#us-gaap_AccountsReceivableNetCurrent`` names the
concept ``us-gaap:AccountsReceivableNetCurrent``; SEC filings follow that convention for
standard and extension concepts alike.
"""

from __future__ import annotations

from .errors import InputError
from .loaders import Filing
from .loaders.xmlsafe import parse_bytes
from .model import LINK_NS, XLINK_NS, QName

_LINK = "{%s}" % LINK_NS
_XLINK = "{%s}" % XLINK_NS
STANDARD_LABEL = "http://www.xbrl.org/2003/role/label"
TERSE_LABEL = "http://www.xbrl.org/2003/role/terseLabel"


def concept_of_href(href: str) -> QName | None:
    fragment = href.rpartition("#")[2]
    prefix, sep, local = fragment.partition("_")
    if not sep or not prefix or not local:
        return None
    return QName(prefix, local)


def read_labels(filing: Filing) -> dict[QName, str]:
    """The standard English label of each concept the filer's label linkbases name.

    A label linkbase that cannot be read costs the labels, never the check: reports
    then show concept names only.
    """
    labels: dict[QName, str] = {}
    fallback: dict[QName, str] = {}
    for linkbase in filing.linkbases_of("label"):
        try:
            tree = parse_bytes(linkbase.read(), linkbase.display)
        except InputError:
            continue
        for link in tree.iter(f"{_LINK}labelLink"):
            locators = {loc.get(f"{_XLINK}label"): concept_of_href(loc.get(f"{_XLINK}href", ""))
                        for loc in link.iter(f"{_LINK}loc")}
            resources: dict[str, list] = {}
            for label in link.iter(f"{_LINK}label"):
                resources.setdefault(label.get(f"{_XLINK}label"), []).append(label)
            for arc in link.iter(f"{_LINK}labelArc"):
                concept = locators.get(arc.get(f"{_XLINK}from"))
                if concept is None:
                    continue
                for label in resources.get(arc.get(f"{_XLINK}to"), []):
                    lang = label.get("{http://www.w3.org/XML/1998/namespace}lang", "")
                    if not lang.lower().startswith("en"):
                        continue
                    text = " ".join("".join(label.itertext()).split())
                    role = label.get(f"{_XLINK}role")
                    if role == STANDARD_LABEL:
                        labels.setdefault(concept, text)
                    elif role == TERSE_LABEL:
                        fallback.setdefault(concept, text)
    return {**fallback, **labels}
