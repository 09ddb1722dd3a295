"""checker: a rule-based consistency checker for XBRL financial disclosures.

``checker.check(filing, rules=[...])`` checks a filing against rule packs and returns a
``CheckResult``; ``checker.load_filing(path)`` reads any supported filing into facts.
"""

from .api import check
from .errors import CheckerError, InputError, RulePackError
from .loaders import Filing, ParseLimits, load_filing
from .model import Entity, Fact, Period, QName, Source, Unit
from .results import CheckResult

__version__ = "0.1.0"

__all__ = ["check", "CheckResult", "CheckerError", "Entity", "Fact", "Filing", "InputError", "ParseLimits", "Period", "QName",
           "RulePackError", "Source", "Unit", "load_filing", "__version__"]
