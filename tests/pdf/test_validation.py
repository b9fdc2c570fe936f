"""PDF/A-2b and PDF/UA-1 judged by a validator the project did not write (page-validation): every PDF of every test case
passes both; each failing rule is one Swedish line with its id; a Word file with an image without alt text fails
`check --tillganglighet` in the .docx and in its PDF, and arkiv refuses a PDF that breaks a rule, each naming the rule."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pikepdf
import pytest

from conftest import PDF_CASES, ROOT, rewrite_part, soffice
from tjanste.cli.main import main
from tjanste.pdf.validation import pdf_failures

IDS = [p.stem for p in PDF_CASES]
WITH_FIGURES = "2016-naravard-blekinge"  # two drawn figures with alt text, no table of contents


@pytest.mark.parametrize("path", PDF_CASES, ids=IDS)
def test_every_pdf_passes_pdfa_2b_and_pdfua_1(path: Path, build_pdf: Path) -> None:
    pdfs = sorted((build_pdf / path.stem).glob("*.pdf"))
    assert pdfs, f"inga PDF-filer för {path.stem}"
    for pdf in pdfs:
        assert pdf_failures(pdf.read_bytes(), pdf.name) == []


def _untagged_pdf() -> bytes:
    """A one-page PDF with a line on it, claiming neither PDF/A nor PDF/UA."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    pdf.pages[0].obj.Contents = pdf.make_stream(b"0 0 m 1 1 l S")
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_each_failing_rule_is_named_in_swedish_with_its_id() -> None:
    found = pdf_failures(_untagged_pdf(), "beslut.pdf")
    assert found, "a PDF that claims neither PDF/A nor PDF/UA passed"
    assert all(re.match(r"beslut\.pdf: uppfyller inte PDF/(A-2b|UA-1), regel PDF(A2B|UA1)-[A-Z0-9-]+-\d{3}: ", line) for line in found)
    assert any("regel PDFUA1-TAGGED-DOCUMENT-001: PDF-filen är inte taggad" in line for line in found), found
    assert len(found) == len(set(found))  # a rule broken in many places is one line


def test_a_file_the_validator_cannot_read_is_one_line_per_profile() -> None:
    found = pdf_failures(b"%PDF-1.7 inte mer", "beslut.pdf")
    assert [line.split(" (")[0] for line in found] == [
        "beslut.pdf: page-validation kan inte läsa filen som PDF/A-2b",
        "beslut.pdf: page-validation kan inte läsa filen som PDF/UA-1",
    ]


def test_check_judges_the_pdfs_make_pdf_left_for_these_documents(
    build_pdf: Path, project_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = "2015-primarvard"
    assert main(["check", "--tillganglighet", case]) == 0
    assert "varning: pdf: PDF-filerna är inte granskade mot PDF/A-2b och PDF/UA-1" in capsys.readouterr().err
    shutil.copytree(build_pdf / case, project_copy / "build" / case)
    assert main(["check", "--tillganglighet", case]) == 0
    # nothing about the PDFs; the only warnings left are the corpus protocol's example signatories (review/signatures.py)
    assert [line for line in capsys.readouterr().err.splitlines() if "platshållare" not in line] == []
    (project_copy / "cases" / f"{case}.md").write_text(
        (project_copy / "cases" / f"{case}.md").read_text(encoding="utf-8").replace("Peter Lilja", "Petra Lilja"), encoding="utf-8"
    )
    assert main(["check", "--tillganglighet", case]) == 0  # PDFs of other documents are not taken for these
    assert "varning: pdf: PDF-filerna är inte granskade" in capsys.readouterr().err


@pytest.mark.usefixtures("warm_pdf")
def test_an_image_without_alt_text_fails_in_the_docx_and_in_its_pdf(
    build: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if soffice() is None:
        pytest.skip("LibreOffice saknas: apt-get install libreoffice-writer")
    no_alt = tmp_path / "utan-alttext.docx"
    shutil.copy(build / WITH_FIGURES / "beslut.docx", no_alt)
    rewrite_part(no_alt, "word/document.xml", lambda xml: re.sub(rb' descr="[^"]*"', b"", xml, count=1))
    assert main(["check", "--tillganglighet", "--sidor", str(no_alt)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert any(line.startswith(f"{no_alt}:") and ": fel: bild: " in line and "saknar alternativtext" in line for line in err), err
    assert any(
        line.startswith(f"{no_alt}:1:1: fel: pdf: utan-alttext.pdf: uppfyller inte PDF/UA-1, regel PDFUA1-FIGURE-ALTERNATIVE-TEXT-001: ")
        for line in err
    ), err
    assert not any("PDFA2B" in line for line in err), err  # missing alt text is an accessibility failure, not an archival one


@pytest.mark.usefixtures("warm_pdf")
def test_arkiv_names_the_rule_a_pdf_breaks_and_writes_no_package(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A case whose first heading is Rubrik 2 (tests/sidor/rubrik-sist.md) gives a PDF that breaks PDF/UA-1's heading rule."""
    if soffice() is None:
        pytest.skip("LibreOffice saknas: apt-get install libreoffice-writer")
    case = ROOT / "tests" / "sidor" / "rubrik-sist.md"
    assert main(["arkiv", str(case), "--ut", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert (
        "rubrik-sist.md:1:1: fel: pdf: beslut.pdf: uppfyller inte PDF/UA-1, regel PDFUA1-HEADING-NESTING-001: rubriknivåerna hoppar" in err
    ), err
    assert not (tmp_path / "rubrik-sist" / "arkiv").exists()
