"""tjanste diff --docx: the new paper with Word's tracked changes; accepted it is the new paper's text, rejected the old one's."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from io import BytesIO
from pathlib import Path

import pytest

from conftest import KORPUS, ROOT, edited, soffice
from tjanste.commands.pipeline import make_rendering
from tjanste.diffing.tracked import tracked_docx
from tjanste.diffing.views import view
from tjanste.docx.text import docx_text
from tjanste.pdf.officeprofile import seed

AUTHOR, DATE = "Granskare Gran", "2015-01-19T00:00:00Z"


def rendered(path: Path, text: str | None = None) -> dict[str, bytes]:
    return make_rendering(str(path), text=text).files


def primarvard() -> tuple[dict[str, bytes], dict[str, bytes]]:
    """An amount, a word of an att-sats, a paragraph added and one removed, a dnr in the headers beside the logotype."""
    path = KORPUS / "cases" / "2015-primarvard.md"
    text = edited(
        path,
        ('dnr: ""', 'dnr: "2015/00123"'),
        ("  halsovalspeng: 10 mnkr", "  halsovalspeng: 12 mnkr"),
        ("till läkarförsörjning under", "till läkarförsörjningen under"),
        ("fördelas enligt nedan:\n", "fördelas enligt nedan:\n\nEtt nytt stycke.\n"),
        ("Arbetssätt och resultat ska redovisas så att detta kommer alla tillgodo.\n", "\n"),
        ("Ytterligare {{ belopp.psykisk_ohalsa }} ska avsättas centralt för att utveckla arbetet inom området psykisk ohälsa. ", ""),
    )
    return rendered(path), rendered(path, text)


def godnara() -> tuple[dict[str, bytes], dict[str, bytes]]:
    """A heading renamed, a table's text cell changed, a list item removed (the table of contents follows the heading)."""
    path = KORPUS / "cases" / "2022-godnara.md"
    text = edited(
        path,
        ("## Förslag till fördelning inom Region Jämtland Härjedalen", "## Förslag till fördelning i Region Jämtland Härjedalen"),
        ("Fast läkar- och vårdkontakt, 300 000 kr, Chef", "Fast läkar- och vårdkontakt, 300 000 kr, Biträdande chef"),
        ("- Utveckla provtagning i ambulans (CRP, Hb, Troponin)\n", ""),
    )
    return rendered(path), rendered(path, text)


def another_template() -> tuple[dict[str, bytes], dict[str, bytes]]:
    """The case made with another Word template, whose headings are numbered by their style: rejected, they are not."""
    path = KORPUS / "cases" / "2018-patientmiljarden.md"
    text = edited(path, ("typ: underlag", "typ: beslutsunderlag"))
    return rendered(path), rendered(path, text)


def tabeller(tmp_path: Path) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """Footnote, numbered list items added and changed, a bullet removed, a table row added, a bilaga's text changed."""
    folder = tmp_path / "arende"
    shutil.copytree(ROOT / "tests" / "arenden", folder)
    path = folder / "tabeller.md"
    old = rendered(path)
    path.write_text(
        edited(
            path,
            ("## Mål", "## Målen"),
            ("2. Två\n", "2. Två och en halv\n"),
            ("3. Tre\n", "3. Tre\n4. Fyra\n"),
            ("- a\n- b\n", "- a\n"),
            ("      - Vårdgaranti | 6,3 | 6,3\n", "      - Vårdgarantin | 6,3 | 6,3\n      - Ny rad | 0 | 0\n"),
            ("[^1]: Fotnotens text", "[^1]: Fotnotens nya text"),
        ),
        encoding="utf-8",
    )
    bilaga = folder / "tabeller-bilaga.md"
    bilaga.write_text(edited(bilaga, ("Bilagans text", "Bilagans nya text")), encoding="utf-8")
    return old, rendered(path)


@pytest.mark.parametrize("make", [primarvard, godnara, another_template, tabeller])
def test_accepting_gives_the_new_text_and_rejecting_the_old(make, tmp_path: Path) -> None:
    old, new = make(tmp_path) if make is tabeller else make()
    changed = 0
    for name in sorted(n for n in new if n.endswith(".docx")):
        new_text = new[name.replace(".docx", ".txt")].decode()
        old_text = old[name.replace(".docx", ".txt")].decode()
        tracked = tracked_docx(old[name], new[name], AUTHOR, DATE)
        assert docx_text(view(tracked, accept=True)) == new_text, name
        assert docx_text(tracked) == new_text, name  # tjanste text (and git's textconv) read it as Word shows it accepted
        assert docx_text(view(tracked, accept=False)) == old_text, name
        package = zipfile.ZipFile(BytesIO(tracked))
        stories = "".join(
            package.read(n).decode() for n in package.namelist() if re.fullmatch(r"word/(document|header\d+|footer\d+|footnotes)\.xml", n)
        )
        marked = re.search(r"<w:(ins|del|pPrChange) w:id=\"\d+\" w:author=\"Granskare Gran\" w:date=\"2015-01-19T00:00:00Z\"", stories)
        changed += old_text != new_text
        assert bool(marked) == (old_text != new_text), name
    assert changed >= 1


def test_the_same_change_gives_the_same_bytes() -> None:
    old, new = primarvard()
    first = tracked_docx(old["beslut.docx"], new["beslut.docx"], AUTHOR, DATE)
    assert tracked_docx(old["beslut.docx"], new["beslut.docx"], AUTHOR, DATE) == first
    assert tracked_docx(old["beslut.docx"], new["beslut.docx"], AUTHOR, "2016-01-01T00:00:00Z") != first


def test_the_change_ids_are_unique_in_the_document() -> None:
    old, new = primarvard()
    tracked = zipfile.ZipFile(BytesIO(tracked_docx(old["beslut.docx"], new["beslut.docx"], AUTHOR, DATE)))
    ids = [
        i
        for name in tracked.namelist()
        if name.endswith(".xml")
        for i in re.findall(r'<w:(?:ins|del|pPrChange) w:id="(\d+)"', tracked.read(name).decode())
    ]
    assert ids and len(ids) == len(set(ids))


def test_a_new_document_is_all_inserted() -> None:
    _, new = primarvard()
    tracked = tracked_docx(None, new["beslut.docx"], AUTHOR, DATE)
    assert docx_text(view(tracked, accept=True)) == new["beslut.txt"].decode()
    assert "mnkr" not in docx_text(view(tracked, accept=False))


@pytest.fixture(scope="module")
def libreoffice_copies(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, bytes], dict[str, bytes]]:
    """The tracked beslut of 2015-primarvard as LibreOffice reads it: converted to text and saved again as .docx."""
    office = soffice()
    if office is None:
        pytest.skip("LibreOffice saknas: apt-get install libreoffice-writer")
    folder = tmp_path_factory.mktemp("spara")
    old, new = primarvard()
    source = folder / "beslut-andringar.docx"
    source.write_bytes(tracked_docx(old["beslut.docx"], new["beslut.docx"], AUTHOR, DATE))
    out = folder / "ut"
    seed(folder / "profil", office, macro=False)  # spares each start LibreOffice's render tests
    for target in ("txt:Text", "docx:MS Word 2007 XML"):
        subprocess.run(
            [
                office,
                "--headless",
                f"-env:UserInstallation={(folder / 'profil').as_uri()}",
                "--convert-to",
                target,
                "--outdir",
                str(out),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
    return out / "beslut-andringar.txt", out / "beslut-andringar.docx", old, new


def test_libreoffice_opens_it_and_shows_both_the_old_and_the_new_words(libreoffice_copies) -> None:
    text_file, _, _, _ = libreoffice_copies
    text = text_file.read_text(encoding="utf-8-sig")
    assert "läkarförsörjningläkarförsörjningen" in text  # the deleted word is kept, struck through, before the new one
    assert "Ett nytt stycke." in text


def test_libreoffice_keeps_them_as_tracked_changes_that_accept_and_reject_as_ours(libreoffice_copies) -> None:
    _, saved, old, new = libreoffice_copies
    data = saved.read_bytes()
    document = zipfile.ZipFile(BytesIO(data)).read("word/document.xml").decode()
    assert 'w:author="Granskare Gran"' in document and "<w:del " in document and "<w:ins " in document
    accepted, rejected = docx_text(view(data, accept=True)).splitlines(), docx_text(view(data, accept=False)).splitlines()
    new_lines, old_lines = new["beslut.txt"].decode().splitlines(), old["beslut.txt"].decode().splitlines()
    differing = [line for line in set(new_lines) ^ set(old_lines) if line.strip()]
    assert len(differing) >= 6
    for line in differing:  # each line the change touches is where it belongs, after LibreOffice has read and written it
        assert (line in accepted) == (line in new_lines), line
        assert (line in rejected) == (line in old_lines), line
