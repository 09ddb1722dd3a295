"""checker: a rule-based consistency checker for XBRL financial disclosures.

``checker.check(filing, rules=[...])`` checks a filing against rule packs and returns a
``CheckResult``; ``checker.load_filing(path)`` reads any supported filing into facts.
Names load on first use, so ``discheck facts`` never imports the engine.
"""

from importlib import import_module

__version__ = "0.1.0"

_EXPORTS = {
    "check": "checker.api", "CheckResult": "checker.results", "CheckerError": "checker.errors",
    "InputError": "checker.errors", "RulePackError": "checker.errors", "Filing": "checker.loaders",
    "ParseLimits": "checker.loaders", "load_filing": "checker.loaders", "Entity": "checker.model",
    "Fact": "checker.model", "Period": "checker.model", "QName": "checker.model", "Source": "checker.model",
    "Unit": "checker.model", "facts_frame": "checker.frames", "violations_frame": "checker.frames",
    "problems_frame": "checker.frames", "coverage_frame": "checker.frames",
}
__all__ = [*_EXPORTS, "__version__"]


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'checker' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value
