"""Checks a release tag against the package before anything is published.

The release workflow (.github/workflows/release.yml) runs it on the pushed tag:
the tag must be ``v`` and the version ipxl carries (its one home, ``ipxl/__init__.py``),
that version must be a plain PEP 440 release (``1.2.0``, ``1.2.0rc1``), and
docs/CHANGELOG.md must have a section for it (``## 1.2.0 - 2027-01-15``), so that
nothing reaches PyPI under a version nobody wrote up. ``--version`` prints the
version alone (for .ci/check_wheel). Standard library only: it runs before
anything is installed.

    python .ci/release_check.py v0.1.0
    python .ci/release_check.py --version
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: PEP 440 public versions as ipxl uses them: major.minor.patch, optionally a pre-release.
VERSION = re.compile(r"^\d+\.\d+\.\d+((a|b|rc)\d+)?$")


def package_version(root: Path = ROOT) -> str:
    text = (root / "ipxl" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r'^__version__ = "([^"]+)"$', text, flags=re.M)
    if found is None:
        raise SystemExit("ipxl/__init__.py has no __version__ line; put the version there.")
    return found.group(1)


def changelog_versions(root: Path = ROOT) -> list[str]:
    """The versions docs/CHANGELOG.md has sections for (``## 1.2.0 - date``), newest first."""
    text = (root / "docs" / "CHANGELOG.md").read_text(encoding="utf-8")
    return re.findall(r"^## (\d+\.\d+\.\d+(?:(?:a|b|rc)\d+)?) - \d{4}-\d{2}-\d{2}\s*$", text, flags=re.M)


def problems(tag: str, root: Path = ROOT) -> list[str]:
    """What stops ``tag`` being released (nothing: an empty list)."""
    version = package_version(root)
    out = []
    if not VERSION.match(version):
        out.append(f"ipxl/__init__.py says version {version!r}, which is not of the form 1.2.0 (or 1.2.0rc1).")
    if tag != f"v{version}":
        out.append(
            f"The tag {tag} does not match the package's version {version}; tag v{version} or change the version."
        )
    if version not in changelog_versions(root):
        out.append(f"docs/CHANGELOG.md has no section '## {version} - YYYY-MM-DD'; name the Unreleased section so.")
    return out


def main(argv: list[str]) -> int:
    if argv == ["--version"]:
        print(package_version())
        return 0
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[-2].strip(), file=sys.stderr)
        return 2
    found = problems(argv[0])
    for p in found:
        print(p, file=sys.stderr)
    if not found:
        print(f"{argv[0]} matches ipxl {package_version()} and its changelog section.")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
