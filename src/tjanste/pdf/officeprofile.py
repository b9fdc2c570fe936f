"""A private LibreOffice profile: the PDF/A export settings, the export macro, and what spares each start two detours.

A headless start with a fresh profile, which every tjanste start is, took two detours that a
profile from an earlier start does not. LibreOffice ran its graphics render tests (drawing on
surfaces 4096 pixels wide: about 1 GiB of memory touched, 0.7 s of a 1.1 s conversion), since
the profile did not name this version as the last one run (`ooSetupLastVersion`), and only a
window on screen writes that. And it rebuilt the profile's extension cache and started itself
again (0.15 s), since the profile did not hold the installation's build (`extensions/buildid`).
Both are read from the files beside the program; where one cannot be found (a wrapper script
far from the installation, as snap's and flatpak's), it is left out and LibreOffice takes that
detour as before.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
from pathlib import Path
from typing import NamedTuple

MACRO = Path(__file__).with_name("officeexport.py")
MACRO_NAME = "tjanste_export.py"

# The installation's files beside the program: Linux and the BSDs, Windows, macOS.
BOOTSTRAP_FILES = ("bootstraprc", "bootstrap.ini", "../Resources/bootstraprc")
VERSION_FILES = ("versionrc", "version.ini", "../Resources/versionrc")
PRODUCT_KEY = re.compile(r"^ProductKey=.*?(\d+\.\d+)\s*$", re.MULTILINE)
BUILD_ID = re.compile(r"^buildid=(\S[^\r\n]*?)\s*$", re.MULTILINE)

# SelectPdfVersion 2 is PDF/A-2b. UseTaggedPDF writes the structure tree (tagged PDF) that screen readers and
# pdfcheck's 'taggad PDF' rule need; PDFUACompliance makes it PDF/UA-1 (a role map without loops, the pdfuaid claim,
# headers and footers as artifacts), which accessible.finish completes. convert.py gives them to each export; older
# versions ignore those but read the export defaults from the profile, so the profile holds them too, and either
# way the result is checked afterwards.
EXPORT_OPTIONS: dict[str, int | bool] = {"SelectPdfVersion": 2, "UseTaggedPDF": True, "PDFUACompliance": True}
EXPORT_PATH = "/org.openoffice.Office.Common/Filter/PDF/Export"
LAST_VERSION = "/org.openoffice.Setup/Product", "ooSetupLastVersion"
REGISTRY_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"'
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
)


class Installation(NamedTuple):
    """What a profile must name to be taken as one this LibreOffice has run before; None where it was not found."""

    version: str | None  # major.minor, as "7.4"
    build: str | None  # the build id, as "40(Build:2)"


def seed(folder: Path, office: str, *, macro: bool) -> None:
    """Makes folder a LibreOffice profile (UserInstallation) with the settings, and with the export macro if asked."""
    user = folder / "user"
    found = installation(office)
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(registry(found.version), encoding="utf-8")
    if found.build is not None:
        (user / "extensions").mkdir(exist_ok=True)
        (user / "extensions" / "buildid").write_text(found.build, encoding="utf-8")  # as LibreOffice writes it: no line end
    if macro:
        scripts = user / "Scripts" / "python"
        scripts.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(MACRO, scripts / MACRO_NAME)


def registry(version: str | None) -> str:
    """The profile's registrymodifications.xcu: the export settings and, when known, the version last run."""
    settings = [(EXPORT_PATH, name, str(value).lower()) for name, value in EXPORT_OPTIONS.items()]
    if version:
        settings.append((*LAST_VERSION, version))
    items = "".join(
        f'<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse"><value>{value}</value></prop></item>\n'
        for path, name, value in settings
    )
    return f"{REGISTRY_HEAD}{items}</oor:items>\n"


@functools.cache
def installation(office: str) -> Installation:
    """The version and build of the LibreOffice that `office` starts, from the files beside the program it leads to."""
    program = Path(os.path.realpath(office)).parent
    return Installation(_first(program, BOOTSTRAP_FILES, PRODUCT_KEY), _first(program, VERSION_FILES, BUILD_ID))


def _first(program: Path, names: tuple[str, ...], pattern: re.Pattern[str]) -> str | None:
    for name in names:
        try:
            text = (program / name).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        found = pattern.search(text)
        if found:
            return found.group(1)
    return None
