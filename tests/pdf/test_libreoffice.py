"""LibreOffice as the real client: every document of every case converts to PDF/A-2b, and the PDF holds its words."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ATT_SATSER_2015, CASES, pdftotext
from tjanste.pdf.xmp import pdfa_part


@pytest.fixture(scope="module")
def pdfs(build_pdf: Path) -> Path:
    """Every document of every case as PDF/A-2b, as `make pdf` makes them, in one LibreOffice call for all (conftest.build_pdf)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext saknas: apt-get install poppler-utils")
    return build_pdf


def pdf_text(pdf: Path) -> str:
    text = pdftotext(pdf, "-layout")
    return " ".join(text.replace("\u00a0", " ").split())


def test_the_text_does_not_depend_on_the_output_intent(pdfs: Path) -> None:
    """conftest.pdftotext reads a PDF/A with its output intent renamed, since poppler takes ten times as long with it."""
    pdf = pdfs / "2015-primarvard" / "beslut.pdf"
    assert b"/OutputIntents" in pdf.read_bytes()
    for options in ([], ["-layout"]):
        direct = subprocess.run(["pdftotext", *options, str(pdf), "-"], capture_output=True, check=True, timeout=60).stdout
        assert pdftotext(pdf, *options) == direct.decode("utf-8")


@pytest.mark.parametrize("case", CASES)
def test_every_document_converts(case: str, build: Path, pdfs: Path) -> None:
    for document in sorted((build / case).glob("*.docx")):
        pdf = pdfs / case / f"{document.stem}.pdf"
        assert pdf.is_file(), f"LibreOffice gav ingen PDF för {document}"
        assert pdfa_part(pdf.read_bytes()) == "2", f"{pdf.name} är ingen PDF/A-2"
        text = pdf_text(pdf)
        first_heading = next(
            line for line in (build / case / f"{document.stem}.txt").read_text(encoding="utf-8").splitlines() if line.startswith("# ")
        )
        assert " ".join(first_heading[2:].replace("\u00a0", " ").split()) in text


def test_the_pdf_holds_every_att_sats(pdfs: Path) -> None:
    text = pdf_text(pdfs / "2015-primarvard" / "beslut.pdf")
    for clause in ATT_SATSER_2015:
        assert " ".join(clause.replace("\u00a0", " ").split()) in text
    assert "Sida 1 (2)" in text


def test_the_footnote_and_totals_reach_the_pdf(pdfs: Path) -> None:
    text = pdf_text(pdfs / "2022-godnara" / "beslut.pdf")
    assert "Kontinuitetsindex är ett internationellt index" in text
    assert "TOTALT 64 410 035" in text


def test_the_protocol_pdf_holds_the_decided_att_satser(pdfs: Path) -> None:
    text = pdf_text(pdfs / "2015-primarvard" / "protokollsutdrag.pdf")
    assert "Landstingsstyrelsen beslutar" in text
    for clause in ATT_SATSER_2015:
        assert " ".join(clause.replace("\u00a0", " ").split()) in text


def test_a_bilaga_with_its_own_addressee_and_signatures_converts(pdfs: Path) -> None:
    """A yttrande sent as a bilaga (tests/arenden/yttrande.md): LibreOffice opens it and its PDF/A holds the addressee
    above the title, the letterhead line and both signatures."""
    pdf = pdfs / "yttrande" / "bilaga-1.pdf"
    assert pdfa_part(pdf.read_bytes()) == "2", f"{pdf.name} är ingen PDF/A-2"
    text = pdf_text(pdf)
    assert "Bilaga 1 till tjänsteskrivelse" in text
    assert "Försvarsdepartementet 103 33 Stockholm Yttrande över remissen" in text
    assert text.index("vad det kostar.") < text.index("Östersund dag som ovan") < text.index("Anna Berg Regionstyrelsens ordförande")
    assert "Per Ek Regiondirektör" in text
