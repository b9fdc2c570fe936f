"""A private LibreOffice profile: the PDF/A export settings, the export macro, and the version that spares a start's render tests.

LibreOffice runs its graphics render tests (GraphicsRenderTests: drawing on surfaces 4096 pixels
wide, about 1 GiB of memory touched) at every start whose profile does not name this version as
the last one run (`ooSetupLastVersion`). Only a window on screen writes that setting, so a
headless start with a fresh profile, which every tjanste start is, ran them each time: 0,7 s of
a 1,1 s conversion. The version is read from the installation's bootstrap file; where it cannot
be found, the setting is left out and LibreOffice runs its tests as before.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
from pathlib import Path

MACRO = Path(__file__).with_name("officeexport.py")
MACRO_NAME = "tjanste_export.py"

# Where the product name and version stand beside the program: Linux and the BSDs, Windows, macOS.
BOOTSTRAP_FILES = ("bootstraprc", "bootstrap.ini", "../Resources/bootstraprc")
PRODUCT_KEY = re.compile(r"^ProductKey=.*?(\d+\.\d+)\s*$", re.MULTILINE)

# Older versions ignore the export options given on the command line or to the macro but read the
# export defaults from the user profile, so the profile is seeded with the same settings; either way
# the result is checked afterwards.
EXPORT_SETTINGS = (
    ("/org.openoffice.Office.Common/Filter/PDF/Export", "SelectPdfVersion", "2"),
    ("/org.openoffice.Office.Common/Filter/PDF/Export", "UseTaggedPDF", "true"),
    ("/org.openoffice.Office.Common/Filter/PDF/Export", "PDFUACompliance", "true"),
)
LAST_VERSION = "/org.openoffice.Setup/Product", "ooSetupLastVersion"
REGISTRY_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"'
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
)


def seed(folder: Path, office: str, *, macro: bool) -> None:
    """Makes folder a LibreOffice profile (UserInstallation) with the settings, and with the export macro if asked."""
    user = folder / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(registry(installed_version(office)), encoding="utf-8")
    if macro:
        scripts = user / "Scripts" / "python"
        scripts.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(MACRO, scripts / MACRO_NAME)


def registry(version: str | None) -> str:
    """The profile's registrymodifications.xcu: the export settings and, when known, the version last run."""
    settings = [*EXPORT_SETTINGS, (*LAST_VERSION, version)] if version else list(EXPORT_SETTINGS)
    items = "".join(
        f'<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse"><value>{value}</value></prop></item>\n'
        for path, name, value in settings
    )
    return f"{REGISTRY_HEAD}{items}</oor:items>\n"


@functools.cache
def installed_version(office: str) -> str | None:
    """The major.minor version of the LibreOffice that `office` starts, from its bootstrap file; None if not found."""
    program = Path(os.path.realpath(office)).parent
    for name in BOOTSTRAP_FILES:
        try:
            text = (program / name).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        found = PRODUCT_KEY.search(text)
        if found:
            return found.group(1)
    return None
