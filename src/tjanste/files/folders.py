"""Output folders: where a command may write (never among the inputs, never a file, a link or read-only), and the error it
gives when it may not."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

from tjanste.errors import TjansteError, display_path, os_reason, resolved
from tjanste.files import paths


class OutputError(TjansteError):
    """An output folder that cannot, or must not, be written; names the real path (never a temporary one), in Swedish."""

    def __init__(self, path: Path | str, message: str, field_name: str = ""):
        self.path, self.message, self.field = path, message, field_name
        where = f"{self.field}: " if self.field else ""
        super().__init__(f"{display_path(Path(path)) if str(path) else path}: fel: {where}{message}")


def check_folder(folder: Path) -> None:
    """An output folder must be a real, writable folder of its own (or not exist yet): never a file, a link or read-only."""
    if folder.is_symlink():
        raise OutputError(
            folder, "är en symbolisk länk; tjanste skriver bara i en vanlig mapp. Ta bort länken, eller skriv till en annan mapp"
        )
    for path in (folder, *folder.parents):
        if not os.path.lexists(path):
            continue
        if not path.is_dir():
            raise OutputError(path, "är en fil, inte en mapp; tjanste skriver inte över den. Ange en mapp att skriva i")
        if _read_only(path):
            raise OutputError(path, "mappen är skrivskyddad; tjanste skriver inte i den. Ge skrivrätt, eller skriv till en annan mapp")
        return


def _read_only(path: Path) -> bool:
    """No write permission for us, or none for anyone (which root would otherwise ignore), or a read-only file system."""
    return not os.access(path, os.W_OK) or not stat.S_IMODE(path.stat().st_mode) & 0o222


def output_root(given: str | Path | None) -> Path:
    """The folder the cases' folders go into: build/, or what --ut names, which must not be where inputs live.

    Raises OutputError (field `--ut` when the user gave it) for an empty path, a file, a
    read-only folder, or a folder inside cases/ or templates/, where a render could overwrite an input.
    """
    if given is None:
        root = paths.build_dir()
    elif not str(given).strip():
        raise OutputError("tjanste", "sökvägen är tom; ange mappen att skriva i, t.ex. --ut build", "--ut")
    else:
        root = Path(given)
    field_name = "--ut" if given is not None else ""
    try:
        real = resolved(root)
    except OSError as error:  # a loop of symbolic links
        raise OutputError(root, os_reason(error), field_name) from None
    keep_off_inputs(root, real.is_relative_to, field_name)
    try:
        check_folder(root)
    except OutputError as error:
        raise OutputError(error.path, error.message, field_name) from None
    return root


def keep_off_inputs(shown: Path, inside: Callable[[Path], bool], field_name: str, own: Path | None = None) -> None:
    """Refuses an output folder for which `inside(input folder)` holds: cases/, templates/, the case's own folder."""
    inputs = [
        (paths.cases_dir(), "ligger i {}/, där ärendena och deras bilder och bilagor finns"),
        (paths.templates_dir(), "ligger i {}/, där mallarna och organisationernas profiler finns"),
    ]
    if own is not None:
        inputs.append((own, "är ärendets egen mapp med bilder och bilagor ({})"))
    for folder, what in inputs:
        if inside(folder.resolve()):
            raise OutputError(
                shown, f"{what.format(display_path(folder))}; tjanste skriver aldrig där. Ange en annan mapp, t.ex. --ut build", field_name
            )


def overlapping(folder: Path) -> Callable[[Path], bool]:
    real = resolved(folder)
    return lambda other: real == other or real.is_relative_to(other) or other.is_relative_to(real)
