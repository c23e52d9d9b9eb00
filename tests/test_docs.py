"""The contract in docs/ stays true to the code."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from ipxl import defaults as D
from ipxl.findings import CODES, codes_markdown

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def _produced_codes() -> set[str]:
    """Codes the package's source passes to a Finding (6th argument), to the validator's
    ``add`` (5th argument) or lists in the schemas' list rules."""
    found: set[str] = set()
    for path in (ROOT / "ipxl").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
                at = {"Finding": 5, "add": 4, "duplicates": 2, "reject": 1}.get(name or "")
                if at is not None and len(node.args) > at:
                    arg = node.args[at]
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        found.add(arg.value)
    from ipxl.checks.schemas import LIST_RULES

    return found | set(LIST_RULES.values())


def test_the_codes_page_is_generated_from_the_code():
    page = (DOCS / "validation-codes.md").read_text(encoding="utf-8")
    assert page == codes_markdown(), "regenerate it: ipxl codes --format markdown > docs/validation-codes.md"


def test_every_code_the_package_reports_is_documented_and_every_documented_code_is_reported():
    documented = {c.code for c in CODES}
    produced = _produced_codes()
    assert produced - documented == set(), "add these to ipxl.findings.CODES"
    assert documented - produced == set(), "these codes are documented but never reported"
    assert len(documented) == len(CODES), "a code is listed twice"


def test_the_workbook_spec_names_every_sheet_alias_header_alias_and_setting():
    spec = (DOCS / "monitoring-workbook.md").read_text(encoding="utf-8")
    missing = []
    for key, aliases in D.SHEET_ALIASES.items():
        missing += [a for a in (D.SHEET_NAMES[key], *aliases) if a not in spec]
    for cols in D.COLUMNS.values():
        for col in cols:
            missing += [name for name in (col.header, *col.aliases) if name not in spec]
    missing += [label for label in D.SETTINGS_KEYS.values() if label not in spec]
    missing += [s.name for s in D.STATUSES if s.name not in spec]
    missing += [h for h in D.LIST_HEADERS.values() if f"`{h}`" not in spec]
    missing += [spec_.header for spec_ in D.SIMPLE_LISTS if f"`{spec_.header}`" not in spec]
    assert not missing, f"docs/monitoring-workbook.md does not mention {sorted(set(missing))}"


def test_the_workbook_spec_gives_each_sheets_required_headers():
    spec = (DOCS / "monitoring-workbook.md").read_text(encoding="utf-8")
    for key, cols in D.COLUMNS.items():
        required = ", ".join(c.header for c in cols if c.required)
        assert f"Required headers: {required}." in spec, key


def test_the_readme_links_to_the_docs_with_relative_links_that_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "../shared" not in readme
    links = re.findall(r"\]\(((?!https?:)[^)#]+)\)", readme)
    for name in ("docs/monitoring-workbook.md", "docs/reports.md", "docs/validation-codes.md", "docs/CHANGELOG.md"):
        assert name in links, name
    for link in links:
        assert (ROOT / link).exists(), link
