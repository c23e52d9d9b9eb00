"""The release: the version ipxl carries, the tag check and the publishing workflow.

The build itself (sdist and wheel, twine check, the wheel installed alone in a clean
virtual environment running the demo) is .ci/check_wheel, which CI runs; publishing
cannot run here, so the workflow is read and checked for what trusted publishing needs.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from tools import ROOT

import ipxl
from ipxl.cli import main

WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"


def _release_check():
    spec = importlib.util.spec_from_file_location("release_check", ROOT / ".ci" / "release_check.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def workflow() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as True
    return data


def test_ipxl_version_prints_the_version_ipxl_carries():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"ipxl {ipxl.__version__}"
    assert re.fullmatch(r"\d+\.\d+\.\d+((a|b|rc)\d+)?", ipxl.__version__)


def test_the_package_takes_its_version_from_ipxl_alone():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"] and project["project"]["dynamic"] == ["version"]
    assert project["tool"]["hatch"]["version"]["path"] == "ipxl/__init__.py"
    assert _release_check().package_version() == ipxl.__version__


def test_the_release_runs_on_a_version_tag_and_only_the_publish_job_may_ask_for_an_identity_token(workflow):
    assert workflow["on"] == {"push": {"tags": ["v*"]}}
    assert workflow["permissions"] == {"contents": "read"}
    build, publish = workflow["jobs"]["build"], workflow["jobs"]["publish"]
    assert "permissions" not in build
    assert publish["permissions"] == {"id-token": "write"}
    assert publish["needs"] == "build"
    assert publish["environment"]["name"] == "pypi"


def test_the_release_checks_the_tag_builds_and_runs_the_wheel_before_publishing_it(workflow):
    steps = workflow["jobs"]["build"]["steps"]
    runs = [s.get("run", "") for s in steps]
    tag_check = next(i for i, r in enumerate(runs) if "release_check.py" in r)
    wheel_check = next(i for i, r in enumerate(runs) if ".ci/check_wheel" in r)
    upload = next(i for i, s in enumerate(steps) if s.get("uses", "").startswith("actions/upload-artifact"))
    assert '"$GITHUB_REF_NAME"' in runs[tag_check]
    assert tag_check < wheel_check < upload
    assert steps[upload]["with"]["path"] == "dist/"
    publish = workflow["jobs"]["publish"]["steps"]
    assert publish[0]["uses"].startswith("actions/download-artifact") and publish[0]["with"]["name"] == "dist"
    assert publish[-1]["uses"] == "pypa/gh-action-pypi-publish@release/v1"
    assert "with" not in publish[-1], "trusted publishing: no password or token is passed"
    for script in (".ci/check_wheel", ".ci/release_check.py"):
        assert (ROOT / script).is_file()


def _copy_for_release(tmp_path: Path, heading: str | None) -> Path:
    (tmp_path / "ipxl").mkdir(parents=True)
    (tmp_path / "docs").mkdir()
    shutil.copy(ROOT / "ipxl" / "__init__.py", tmp_path / "ipxl" / "__init__.py")
    text = (ROOT / "docs" / "CHANGELOG.md").read_text(encoding="utf-8")
    if heading is not None:
        text = text.replace("## Unreleased", heading, 1)
    (tmp_path / "docs" / "CHANGELOG.md").write_text(text, encoding="utf-8")
    return tmp_path


def test_a_tag_is_released_only_when_it_is_the_version_and_the_changelog_has_its_section(tmp_path):
    check = _release_check()
    v = ipxl.__version__
    ready = _copy_for_release(tmp_path / "ready", f"## {v} - 2027-01-15")
    assert check.problems(f"v{v}", ready) == []
    (wrong_tag,) = check.problems("v9.9.9", ready)
    assert wrong_tag == f"The tag v9.9.9 does not match the package's version {v}; tag v{v} or change the version."
    unnamed = _copy_for_release(tmp_path / "unnamed", None)
    (no_section,) = check.problems(f"v{v}", unnamed)
    assert no_section.startswith(f"docs/CHANGELOG.md has no section '## {v} - YYYY-MM-DD'")


def test_the_tag_check_says_why_in_one_sentence_and_fails_as_a_command():
    done = subprocess.run(
        [sys.executable, str(ROOT / ".ci" / "release_check.py"), "v0.0.0-not-a-version"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert done.stderr.startswith("The tag v0.0.0-not-a-version does not match")
    assert "Traceback" not in done.stderr
