"""The filer's linkbases, read without the taxonomy: concepts are named by locator fragments.

A locator such as ``...us-gaap-2023.xsd#us-gaap_AccountsReceivableNetCurrent`` names the
concept ``us-gaap:AccountsReceivableNetCurrent``; SEC filings follow that convention for
standard and extension concepts alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .errors import InputError
from .loaders import Filing
from .loaders.package import resolve_href
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


def _label_arcs(filing: Filing):
    """``(concept, role, text)`` for every English label the filer's label linkbases give.
    A label linkbase that cannot be read costs the labels, never the check."""
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
                    if label.get("{http://www.w3.org/XML/1998/namespace}lang", "").lower().startswith("en"):
                        yield concept, label.get(f"{_XLINK}role"), " ".join("".join(label.itertext()).split())


def read_labels(filing: Filing) -> dict[QName, str]:
    """The standard English label of each concept the filer's label linkbases name (the
    terse one where there is no standard one): reports show it beside the concept."""
    labels: dict[QName, str] = {}
    fallback: dict[QName, str] = {}
    for concept, role, text in _label_arcs(filing):
        if role == STANDARD_LABEL:
            labels.setdefault(concept, text)
        elif role == TERSE_LABEL:
            fallback.setdefault(concept, text)
    return {**fallback, **labels}


# --- calculations ---------------------------------------------------------------------------

SUMMATION_ITEM = ("http://www.xbrl.org/2003/arcrole/summation-item",
                  "https://xbrl.org/2023/arcrole/summation-item")


@dataclass(frozen=True)
class Summation:
    """One total and its weighted items in one network (extended link role)."""

    role: str
    total: QName
    items: tuple[tuple[QName, Decimal], ...]
    source: str = ""   # linkbase file:line of its first arc


class _ConceptResolver:
    """Concept of a locator: through the schema it points into when the filing has it
    (element id -> name), else by the ``prefix_Local`` fragment convention."""

    def __init__(self, filing: Filing):
        self.families = {}
        for fact in filing.facts:
            self.families.setdefault(fact.concept.namespace, fact.concept.family)
        self._schemas: dict[tuple[int, str], dict[str, QName] | None] = {}
        self.declared: dict[QName, tuple[str | None, str]] = {}  # concept -> (balance, type) where a schema says

    def resolve(self, entry, href: str) -> QName | None:
        path, _, fragment = href.partition("#")
        if fragment:
            target = resolve_href(entry.name, path, entry.store) if path else entry.name  # "#id": this very document
            if target is not None:
                ids = self._schema_ids(entry.store, target)
                if ids is not None:
                    return ids.get(fragment)
        return concept_of_href(href)

    def _schema_ids(self, store, name: str) -> dict[str, QName] | None:
        key = (id(store), name)
        if key not in self._schemas:
            found = None
            for candidate in (name, name + ".xml"):
                if store.exists(candidate):
                    try:
                        tree = parse_bytes(store.read(candidate), store.display_name(candidate))
                    except InputError:
                        break
                    root = tree.getroot()
                    namespace = root.get("targetNamespace", "")
                    prefix = self.families.get(namespace) or next(
                        (p for p, ns in root.nsmap.items() if ns == namespace and p), "")
                    found = {}
                    for el in root.iter("{http://www.w3.org/2001/XMLSchema}element"):
                        if el.get("id") and el.get("name"):
                            concept = found[el.get("id")] = QName.of(namespace, el.get("name"), prefix)
                            self.declared[concept] = (el.get("{http://www.xbrl.org/2003/instance}balance"),
                                                      (el.get("type") or "").rpartition(":")[2])
                    break
            self._schemas[key] = found
        return self._schemas[key]


NON_NUMERIC_TYPES = {"stringItemType", "booleanItemType", "dateItemType", "dateTimeItemType", "timeItemType",
                     "anyURIItemType", "QNameItemType", "durationItemType", "hexBinaryItemType",
                     "base64BinaryItemType", "gYearItemType", "gMonthItemType", "gDayItemType",
                     "gYearMonthItemType", "gMonthDayItemType", "normalizedStringItemType", "tokenItemType",
                     "languageItemType", "NameItemType", "NCNameItemType", "textBlockItemType"}


@dataclass
class Calculations:
    """A filing's summations, and the mistakes of its calculation linkbase itself."""

    summations: list[Summation]
    problems: list[tuple[str, str]]   # (linkbase file:line, message)


def _links(filing: Filing, kind: str, link_name: str, resolver: _ConceptResolver) -> list[tuple]:
    """Each extended link of the filer's ``kind`` linkbases, with its locators resolved:
    ``(linkbase, role, {locator label: [concepts]}, link element)``. Parsed and resolved once
    per filing: roll-forwards and statement groupings both read the presentation linkbase."""
    cache = filing.__dict__.setdefault("_links_read", {})
    key = (kind, link_name)
    if key not in cache:
        cache[key] = list(_read_links(filing, kind, link_name, resolver))
    return cache[key]


def _read_links(filing: Filing, kind: str, link_name: str, resolver: _ConceptResolver):
    for linkbase in filing.linkbases_of(kind):
        tree = parse_bytes(linkbase.read(), linkbase.display)
        for link in tree.iter(f"{_LINK}{link_name}"):
            locators: dict[str, list[QName]] = {}
            for loc in link.iter(f"{_LINK}loc"):
                concept = resolver.resolve(linkbase.entry, loc.get(f"{_XLINK}href", ""))
                if concept is not None:
                    locators.setdefault(loc.get(f"{_XLINK}label"), []).append(concept)
            yield linkbase, link.get(f"{_XLINK}role", ""), locators, link


def _effective(arcs: list[tuple]):
    """XBRL 2.1 relationship resolution for arcs ``(priority, prohibited, ...)`` between the
    same two concepts: the highest priority decides, and a prohibition there removes it."""
    top = max(arc[0] for arc in arcs)
    winners = [arc for arc in arcs if arc[0] == top]
    return None if any(arc[1] for arc in winners) else winners[0]


def read_summations(filing: Filing) -> list[Summation]:
    return read_calculations(filing).summations


def read_calculations(filing: Filing) -> Calculations:
    """Every summation of the filer's calculation linkbases, after prohibition and overriding.

    Arcs between the same two concepts in one network are one relationship: the arcs of
    the highest ``priority`` decide it, and if one of those is prohibited it is removed.
    Where the filer's schema declares the concepts, two mistakes are reported (XBRL 2.1
    5.1.1.2 and 5.2.5.2): a weight whose sign contradicts the concepts' debit/credit
    balances, and a summation between concepts that are not numeric.
    """
    resolver = _ConceptResolver(filing)
    arcs: dict[tuple[str, QName, QName], list[tuple]] = {}
    for linkbase, role, locators, link in _links(filing, "calculation", "calculationLink", resolver):
        for arc in link.iter(f"{_LINK}calculationArc"):
            if arc.get(f"{_XLINK}arcrole") not in SUMMATION_ITEM:
                continue
            try:
                weight = Decimal(arc.get("weight", "1"))
                priority = int(arc.get("priority", "0"))
                order = float(arc.get("order", "1"))
            except (InvalidOperation, ValueError):
                raise InputError("a calculationArc has a weight, priority or order that is not a number",
                                 f"{linkbase.display}:{arc.sourceline}") from None
            prohibited = arc.get("use") == "prohibited"
            for total in locators.get(arc.get(f"{_XLINK}from"), []):
                for item in locators.get(arc.get(f"{_XLINK}to"), []):
                    arcs.setdefault((role, total, item), []).append(
                        (priority, prohibited, weight, order, f"{linkbase.display}:{arc.sourceline}"))
    networks: dict[tuple[str, QName], list[tuple]] = {}
    for (role, total, item), found in arcs.items():
        winner = _effective(found)
        if winner is not None:
            _, _, weight, order, where = winner
            networks.setdefault((role, total), []).append((order, item, weight, where))
    summations = []
    problems = []
    for (role, total), items in networks.items():
        items.sort(key=lambda i: i[0])
        summations.append(Summation(role, total, tuple((item, weight) for _, item, weight, _ in items),
                                    min(i[3] for i in items)))
        total_balance, total_type = resolver.declared.get(total, (None, ""))
        for _, item, weight, where in items:
            item_balance, item_type = resolver.declared.get(item, (None, ""))
            if total_balance and item_balance and (weight > 0) != (total_balance == item_balance):
                problems.append((where, f"{total} ({total_balance}) and {item} ({item_balance}) need a "
                                        f"{'positive' if total_balance == item_balance else 'negative'} weight, "
                                        f"not {weight.normalize()}"))
            for concept, type_name in ((total, total_type), (item, item_type)):
                if type_name in NON_NUMERIC_TYPES:
                    problems.append((where, f"{concept} is of type {type_name}: a summation-item relationship "
                                            f"joins numeric concepts only"))
    summations.sort(key=lambda s: (s.role, str(s.total)))
    return Calculations(summations, list(dict.fromkeys(problems)))


# --- roll-forwards from the presentation linkbase -----------------------------------------------

@dataclass(frozen=True)
class RollForward:
    """A balance shown opening and closing in one network, with the movements between."""

    role: str
    concept: QName
    movements: tuple[tuple[QName, int], ...]   # (concept, +1 or -1 for a negated label)
    source: str = ""
    axes: tuple[QName, ...] = ()   # the axes of the network's table: the roll is meant per member
    others: tuple[QName, ...] = ()  # other balances shown within its span (columns of the same table)


def _label_kind(role: str | None) -> str:
    last = (role or "").rstrip("/").rsplit("/", 1)[-1].lower()
    if "periodstart" in last:
        return "start"
    if "periodend" in last:
        return "end"
    if "total" in last:
        return "total"   # a subtotal of the lines above it: not a movement of its own
    return "negated" if last.startswith("negated") else ""


def _balance_sign(role: str | None) -> int:
    """-1 for a balance shown negated (negatedPeriodStartLabel, negatedPeriodEndLabel)."""
    return -1 if (role or "").rstrip("/").rsplit("/", 1)[-1].lower().startswith("negated") else 1


def read_rollforwards(filing: Filing) -> list[RollForward]:
    """Roll-forwards as the filer presents them: in each presentation network, a concept
    shown with a period-start label and, later among the same siblings, with a period-end
    label; the sibling lines between are its movements (abstract groupings are opened,
    subtotals shown with a total label are left out), and a negated label flips the sign
    of a line."""
    resolver = _ConceptResolver(filing)
    arcs: dict[tuple[str, str, str], list[tuple]] = {}
    for linkbase, role, locators, link in _links(filing, "presentation", "presentationLink", resolver):
        for arc in link.iter(f"{_LINK}presentationArc"):
            try:
                order = float(arc.get("order", "1"))
                priority = int(arc.get("priority", "0"))
            except ValueError:
                continue
            for parent in locators.get(arc.get(f"{_XLINK}from"), []):
                for child in locators.get(arc.get(f"{_XLINK}to"), []):
                    arcs.setdefault((role, parent, child, arc.get("preferredLabel") or ""), []).append(
                        (priority, arc.get("use") == "prohibited", order, f"{linkbase.display}:{arc.sourceline}"))
    children: dict[tuple[str, QName], list[tuple]] = {}
    for (role, parent, child, label), found in arcs.items():
        winner = _effective(found)
        if winner is not None:
            children.setdefault((role, parent), []).append((winner[2], child, label, winner[3]))
    for lines in children.values():
        lines.sort(key=lambda line: line[0])

    def opened(role: str, lines) -> list[tuple]:
        """Sibling lines, with abstract groupings replaced by their own lines."""
        out = []
        for line in lines:
            if line[1].local.endswith("Abstract") and (role, line[1]) in children:
                out.extend(opened(role, children[(role, line[1])]))
            else:
                out.append(line)
        return out

    axes_of: dict[str, set] = {}
    for (role, _parent), lines in children.items():
        axes_of.setdefault(role, set()).update(child for _, child, _, _ in lines if child.local.endswith("Axis"))
    found: dict[tuple, RollForward] = {}
    for (role, _parent), lines in children.items():
        flat = opened(role, lines)
        # every concept shown as a balance here: a balance is never a movement of another
        balances = {c for _, c, lab, _ in flat if _label_kind(lab) in ("start", "end")}
        for i, (_, concept, label, where) in enumerate(flat):
            if _label_kind(label) != "start":
                continue
            for j in range(i + 1, len(flat)):
                if flat[j][1] == concept and _label_kind(flat[j][2]) == "end":
                    shown = _balance_sign(label)
                    if shown != _balance_sign(flat[j][2]):
                        break  # opened negated and closed plain (or the reverse): no roll to read
                    # balances opening or closing inside this one's span: columns of one table
                    # (shares and amounts in an equity statement; shares available and options
                    # outstanding) whose lines the check tells apart by unit, or cannot
                    others = tuple(sorted({c for _, c, _, _ in flat[i + 1:j] if c in balances and c != concept},
                                          key=str))
                    # the page adds its lines as shown: a balance shown negated (an allowance as a
                    # deduction) rolls with every movement's displayed sign reversed
                    movements = tuple((c, shown * (-1 if _label_kind(lab) == "negated" else 1))
                                      for _, c, lab, _ in flat[i + 1:j]
                                      if c not in balances and not c.local.endswith("Abstract")
                                      and _label_kind(lab) != "total")
                    if movements:
                        found.setdefault((role, concept, movements), RollForward(
                            role, concept, movements, where, tuple(sorted(axes_of.get(role, ()))), others))
                    break
    return sorted(found.values(), key=lambda r: (r.role, str(r.concept)))


# --- dimensions: which members sit under which ------------------------------------------------------

def read_member_parents(filing: Filing) -> dict[QName, frozenset[QName]]:
    """Member -> the members it sits directly under, from the domain-member arcs of the
    filer's definition linkbase (every network: a member's place in its domain is the
    same wherever the domain is used). A wildcard sum over an axis leaves out a member
    whose parent is reported too, so a parent and its children are not counted twice."""
    resolver = _ConceptResolver(filing)
    parents: dict[QName, set[QName]] = {}
    for _linkbase, _role, locators, link in _links(filing, "definition", "definitionLink", resolver):
        for arc in link.iter(f"{_LINK}definitionArc"):
            if not (arc.get(f"{_XLINK}arcrole") or "").endswith("/domain-member") or arc.get("use") == "prohibited":
                continue
            for parent in locators.get(arc.get(f"{_XLINK}from"), []):
                for child in locators.get(arc.get(f"{_XLINK}to"), []):
                    parents.setdefault(child, set()).add(parent)
    return {member: frozenset(found) for member, found in parents.items()}


def read_member_axes(filing: Filing) -> dict[QName, set[QName]]:
    """Member -> the axes it is a member of (dimension-domain, then domain-member arcs down
    from there), from the filer's definition linkbase: what names the axis of a member a
    rendered table shows by its label alone."""
    resolver = _ConceptResolver(filing)
    children: dict[QName, set[QName]] = {}
    domains: dict[QName, set[QName]] = {}
    for _linkbase, _role, locators, link in _links(filing, "definition", "definitionLink", resolver):
        for arc in link.iter(f"{_LINK}definitionArc"):
            arcrole = arc.get(f"{_XLINK}arcrole") or ""
            if arc.get("use") == "prohibited" or not arcrole.endswith(("/dimension-domain", "/domain-member")):
                continue
            target = domains if arcrole.endswith("/dimension-domain") else children
            for parent in locators.get(arc.get(f"{_XLINK}from"), []):
                for child in locators.get(arc.get(f"{_XLINK}to"), []):
                    target.setdefault(parent, set()).add(child)
    axes: dict[QName, set[QName]] = {}
    for axis, tops in domains.items():
        stack, seen = list(tops), set()
        while stack:
            member = stack.pop()
            if member in seen:
                continue
            seen.add(member)
            axes.setdefault(member, set()).add(axis)
            stack.extend(children.get(member, ()))
    return axes


def read_label_texts(filing: Filing) -> dict[QName, set[tuple[str, str]]]:
    """Every English label of each concept as ``(role, text)``, the role's last path step
    (``negatedLabel``, ``periodStartLabel`` ...): a rendered table may show any of them,
    and the role says how the table shows the value (negated, as an opening balance)."""
    texts: dict[QName, set[tuple[str, str]]] = {}
    for concept, role, text in _label_arcs(filing):
        texts.setdefault(concept, set()).add(((role or "").rstrip("/").rpartition("/")[2], text))
    return texts


def read_preferred_labels(filing: Filing) -> dict[str, dict[QName, set[str]]]:
    """Network role -> concept -> the label roles it is presented with there (``label``
    where the arc names none): how a rendered table of that network shows each row."""
    resolver = _ConceptResolver(filing)
    out: dict[str, dict[QName, set[str]]] = {}
    for _linkbase, role, locators, link in _links(filing, "presentation", "presentationLink", resolver):
        shown = out.setdefault(role, {})
        for arc in link.iter(f"{_LINK}presentationArc"):
            preferred = (arc.get("preferredLabel") or STANDARD_LABEL).rstrip("/").rpartition("/")[2]
            for concept in locators.get(arc.get(f"{_XLINK}to"), []):
                shown.setdefault(concept, set()).add(preferred)
    return out


# --- statements: which lines the filer presents together -------------------------------------------

def read_statement_groups(filing: Filing) -> dict[QName, frozenset[str]]:
    """Each concept's presentation groups: the networks (extended link roles) of the filer's
    presentation linkbase that show it, or, for a data set, the statements ``pre.txt``
    lists it in. Lines of one group sit in one statement or note of the filing, which is
    where a line that closes a gap is looked for first. Empty where the filing says nothing."""
    if filing.statements:
        return filing.statements
    resolver = _ConceptResolver(filing)
    groups: dict[QName, set[str]] = {}
    for _linkbase, role, locators, _link in _links(filing, "presentation", "presentationLink", resolver):
        for concepts in locators.values():
            for concept in concepts:
                if not concept.local.endswith(("Abstract", "Axis", "Member", "Domain", "Table", "LineItems")):
                    groups.setdefault(concept, set()).add(role)
    return {concept: frozenset(roles) for concept, roles in groups.items()}
