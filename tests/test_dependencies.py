"""The installed libraries satisfy pyproject's floors, and the floors exclude every version with a known vulnerability we are exposed to.

The Jinja sandbox is the security boundary for prose and Word templates; an install
without constraints.txt must not be able to pick a Jinja2 with a published escape.
"""

from __future__ import annotations

import tomllib
from importlib.metadata import version

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

from conftest import ROOT

REQUIREMENTS = [
    Requirement(text) for text in tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
]

# The first version without the known vulnerabilities (advisory, what it is) in the parts tjanste uses.
FIXED_IN = {
    "jinja2": ("3.1.6", "CVE-2024-56326 (3.1.5) och CVE-2025-27516 (3.1.6): utbrytning ur sandlådan"),
    "lxml": ("6.1.3", "CVE-2026-41066 (6.1.0) och externa parameterentiteter (6.1.3): XXE"),
    "pyyaml": ("5.4", "CVE-2020-14343: kodkörning via FullLoader"),
    "markdown-it-py": ("2.2.0", "CVE-2023-26302 och CVE-2023-26303: överbelastning"),
    "python-docx": ("0.8.6", "GHSA-34wj-p5jm-2p96: XXE"),
    "pypdf": ("6.16.1", "CVE-2025-55197 (6.0.0) till CVE-2026-84310 och CVE-2026-84311 (6.16.1): minne och tid tar slut"),
}


def _floor(requirement: Requirement) -> Version:
    floors = [Version(spec.version) for spec in requirement.specifier if spec.operator in (">=", "==", "~=")]
    assert floors, f"{requirement.name}: ange en lägsta version (>=) i pyproject.toml"
    return max(floors)


@pytest.mark.parametrize("requirement", REQUIREMENTS, ids=lambda r: r.name)
def test_installed_version_satisfies_the_floor(requirement: Requirement) -> None:
    installed = version(requirement.name)
    assert requirement.specifier.contains(installed, prereleases=True), f"{requirement.name} {installed} uppfyller inte {requirement}"


@pytest.mark.parametrize("name", sorted(FIXED_IN))
def test_floor_excludes_known_vulnerabilities(name: str) -> None:
    fixed, advisory = FIXED_IN[name]
    [requirement] = [r for r in REQUIREMENTS if r.name.lower() == name]
    assert _floor(requirement) >= Version(fixed), f"{requirement} släpper in versioner före {fixed}: {advisory}"
