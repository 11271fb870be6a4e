"""The project files a user reads before depending on the package agree with pyproject.toml.

The version lives in pyproject.toml only; ``dctheory --version`` reads the installed metadata, and the
citation and the changelog must name the same version. The license file is the one pyproject declares.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import dctheory
from dctheory.cli import main

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def test_contract_version_is_read_from_the_installed_metadata(capsys):
    # An editable install records pyproject's version when installed: reinstall after changing it.
    assert dctheory.__version__ == PROJECT["version"]
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"dctheory {PROJECT['version']}"
    assert not re.search(r"^__version__ = ", (ROOT / "dctheory" / "__init__.py").read_text(), re.MULTILINE)


def test_contract_citation_and_changelog_name_the_current_version():
    citation = (ROOT / "CITATION.cff").read_text()
    assert re.search(r"^cff-version: 1\.2\.0$", citation, re.MULTILINE)
    assert re.findall(r"^version: (\S+)$", citation, re.MULTILINE) == [PROJECT["version"]]
    assert re.search(r"^license: MIT$", citation, re.MULTILINE)
    for author in ("Chang", "Li", "Oymak", "Thrampoulidis"):
        assert f"family-names: {author}" in citation
    assert "arXiv:2012.08749" in citation and "AAAI" in citation
    changelog = (ROOT / "CHANGELOG.md").read_text()
    first = re.search(r"^## \[?(\d+\.\d+\.\d+[^\] ]*)", changelog, re.MULTILINE)
    assert first and first.group(1) == PROJECT["version"]


def test_contract_license_file_is_the_declared_mit_license():
    assert PROJECT["license"] == "MIT" and PROJECT["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("MIT License") and "Permission is hereby granted, free of charge" in text
