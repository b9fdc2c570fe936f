"""PDF/A-2b copies: LibreOffice converts all documents of a case in one call, the PDFs claim PDF/A-2 and hold the proposal's words."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import time
import zlib
from pathlib import Path

import pytest

from conftest import KORPUS, ROOT, as_installed, fake_soffice, pdftotext, soffice
from tjanste.commands.pipeline import render_case
from tjanste.errors import CaseError
from tjanste.pdf import convert as conversion
from tjanste.pdf.convert import INSTALL_MESSAGE, to_pdfa
from tjanste.pdf.xmp import pdfa_part
from tjanste.source.case import load_case
from tjanste.source.casenames import resolve_case_path
from tjanste.wording.paper import prepare_papers

HERE = ROOT / "tests"
WITH_BILAGA = HERE / "arenden" / "tabeller.md"  # no case in cases/ has a bilaga with its own text


def needs_libreoffice() -> None:
    if soffice() is None:
        pytest.skip("LibreOffice saknas: apt-get install libreoffice-writer")
    if shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None:
        pytest.skip("pdftotext/pdfinfo saknas: apt-get install poppler-utils")


def needs_macro_runtime() -> None:
    office = soffice()
    if office is None or not conversion.has_macro_runtime(office):
        if os.environ.get("TJANSTE_KRAV_LIBREOFFICE"):
            pytest.fail("LibreOffice kan inte köra Python-makron: apt-get install libreoffice-script-provider-python")
        pytest.skip("LibreOffice kan inte köra Python-makron: apt-get install libreoffice-script-provider-python")


def flat(text: str) -> str:
    """Whitespace made single spaces: lines wrap differently in the PDF than in the source."""
    return " ".join(text.replace("\u00a0", " ").split())


def pdf_text(pdf: Path) -> str:
    return flat(pdftotext(pdf, "-layout"))


def att_satser(name_or_path: str) -> list[str]:
    proposal = prepare_papers(load_case(resolve_case_path(name_or_path)))[0].context["forslag"]
    return list(proposal["satser"]) if proposal else []


def check_pdfa(pdf: Path) -> None:
    assert pdf.is_file()
    assert pdfa_part(pdf.read_bytes()) == "2"
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "Pages:" in info


@pytest.mark.usefixtures("warm_pdf")
def test_beslut_becomes_pdfa_with_every_att_sats(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Given relative paths, as a script of the official's would: the PDF lands where the folder names, relative to here."""
    needs_libreoffice()
    render_case("2015-primarvard", tmp_path)
    monkeypatch.chdir(tmp_path)
    written = to_pdfa([Path("2015-primarvard") / "beslut.docx"], Path("pdf"))
    assert written == [Path("pdf") / "beslut.pdf"]
    check_pdfa(written[0])
    text = pdf_text(written[0])
    clauses = att_satser("2015-primarvard")
    assert len(clauses) == 5
    for clause in clauses:
        assert flat(clause) in text


@pytest.mark.usefixtures("warm_pdf")
def test_all_documents_of_a_case_in_one_call(tmp_path: Path) -> None:
    needs_libreoffice()
    documents = sorted(p for p in render_case(str(WITH_BILAGA), tmp_path) if p.suffix == ".docx")
    assert [d.name for d in documents] == ["beslut.docx", "bilaga-1.docx"]
    out = tmp_path / "pdf"
    started = time.perf_counter()
    written = to_pdfa(documents, out)
    print(f"\n{len(documents)} dokument till PDF/A på {time.perf_counter() - started:.1f} s")
    assert written == [out / "beslut.pdf", out / "bilaga-1.pdf"]
    for pdf in written:
        check_pdfa(pdf)
    assert sorted(p.name for p in out.iterdir()) == ["beslut.pdf", "bilaga-1.pdf"], "the temporary folder is left behind"
    beslut = pdf_text(out / "beslut.pdf")
    for clause in att_satser(str(WITH_BILAGA)):
        assert flat(clause) in beslut
    assert "Bilaga 1 till beslutsunderlag" in pdf_text(out / "bilaga-1.pdf")


@pytest.mark.parametrize(
    ("macro", "words"),
    [(True, "LibreOffice kunde inte läsa dokumentet"), (False, "could not be loaded")],  # the macro's answer; --convert-to's own words
    ids=["makro", "convert-to"],
)
def test_a_document_libreoffice_cannot_read_is_named_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest, macro: bool, words: str
) -> None:
    needs_libreoffice()
    if macro:
        needs_macro_runtime()
        request.getfixturevalue("warm_pdf")  # the macro's jobs, in a LibreOffice already running; convert-to starts cold
    monkeypatch.setattr(conversion, "has_macro_runtime", lambda office: macro)
    good = render_case("2015-primarvard", tmp_path)[0]
    broken = tmp_path / "trasig.docx"
    broken.write_bytes(b"PK\x03\x04inte en zip-fil")
    out = tmp_path / "pdf"
    with pytest.raises(CaseError) as raised:
        to_pdfa([good, broken], out)
    [problem] = raised.value.problems
    assert problem.place.path.endswith("trasig.docx")
    assert "LibreOffice gav ingen PDF för trasig.docx" in problem.message
    assert words in problem.message
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("macro", [True, False], ids=["makro", "convert-to"])
def test_the_table_of_contents_gets_the_pages_its_headings_stand_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest, macro: bool
) -> None:
    """Both ways to the TOC's numbers: LibreOffice updating the index itself (the macro), and a second conversion of a copy."""
    from tjanste.commands.pipeline import page_problems

    needs_libreoffice()
    if macro:
        needs_macro_runtime()
        request.getfixturevalue("warm_pdf")  # the macro's jobs, in a LibreOffice already running; convert-to starts cold
    monkeypatch.setattr(conversion, "has_macro_runtime", lambda office: macro)
    [docx] = [p for p in render_case(str(WITH_BILAGA), tmp_path) if p.name == "beslut.docx"]
    assert page_problems({"beslut": docx.read_bytes()}) == {"beslut": []}  # a missing or wrong number is a problem here


def test_a_macro_that_does_not_run_leaves_the_work_to_convert_to(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A script provider that starts no macro (a broken python3-uno) costs one more start, not the PDFs."""
    needs_libreoffice()
    needs_macro_runtime()
    monkeypatch.setattr(conversion, "MACRO_URL", conversion.MACRO_URL.replace("tjanste_export.py", "finns_inte.py"))
    calls = recorded_calls(monkeypatch)
    [written] = to_pdfa([without_toc(tmp_path)], tmp_path / "pdf")
    check_pdfa(written)
    assert macro_calls(calls) == [True, False]  # the macro, then --convert-to
    assert flat(att_satser("2015-primarvard")[0]) in pdf_text(written)


def without_toc(folder: Path) -> Path:
    """A beslut without a table of contents: --convert-to makes its PDF in one start (a TOC would take a second)."""
    return next(p for p in render_case("2015-primarvard", folder) if p.name == "beslut.docx")


def recorded_calls(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Every LibreOffice command line the conversion runs, recorded as it runs them."""
    calls: list[list[str]] = []
    real_run = conversion._run
    monkeypatch.setattr(conversion, "_run", lambda command, *rest: calls.append(command) or real_run(command, *rest))
    return calls


def macro_calls(calls: list[list[str]]) -> list[bool]:
    return [any(a.startswith("vnd.sun.star.script:") for a in c) for c in calls]


def test_a_macro_path_that_aborts_libreoffice_leaves_the_work_to_convert_to(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """libreoffice-writer-nogui (Debian's server package) aborts where a missing macro ends with 0 elsewhere: a stand-in
    LibreOffice that dies of SIGABRT on the macro, and is the real one for --convert-to, must still give the PDF."""
    needs_libreoffice()
    needs_macro_runtime()
    real = shutil.which("soffice")
    folder = tmp_path / "program"
    folder.mkdir()
    (folder / "pythonscript.py").write_text("", encoding="utf-8")  # a script provider beside it: the macro path is tried
    stand_in = folder / "soffice"
    stand_in.write_text(
        f'#!/bin/sh\nfor a in "$@"; do case "$a" in vnd.sun.star.script:*) kill -ABRT $$;; esac; done\nexec "{real}" "$@"\n',
        encoding="utf-8",
    )
    stand_in.chmod(0o755)
    as_installed(folder, real)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    calls = recorded_calls(monkeypatch)
    [written] = to_pdfa([without_toc(tmp_path)], tmp_path / "pdf")
    check_pdfa(written)
    assert macro_calls(calls) == [True, False]  # the macro (aborted), then --convert-to
    assert flat(att_satser("2015-primarvard")[0]) in pdf_text(written)


def another_python(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's setup, both ways at once: another Python first on PATH (pyenv, conda, python.org) and
    PYTHONHOME/PYTHONPATH set for it."""
    monkeypatch.setenv("PYTHONHOME", str(tmp_path / "ingen-python"))
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "ingen-python" / "lib"))
    # A python3 whose standard library is another's: LibreOffice's Python finds its library beside the first python3 on PATH.
    home = tmp_path / "annan-python"
    (home / "bin").mkdir(parents=True)
    (home / "lib" / "python3.11" / "lib-dynload").mkdir(parents=True)
    (home / "lib" / "python3.11" / "os.py").write_text("raise SystemExit('ett annat pythons bibliotek')\n", encoding="utf-8")
    (home / "bin" / "python3").write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    (home / "bin" / "python3").chmod(0o755)
    monkeypatch.setenv("PATH", f"{home / 'bin'}{os.pathsep}{os.environ['PATH']}")


def test_another_python_does_not_reach_libreoffices_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """LibreOffice runs with an environment of its own: the macro itself runs (no fallback needed) and the PDF is made.
    Either leak alone made its Python fail; test_libreoffice_is_started_without_another_pythons_variables names which."""
    needs_libreoffice()
    needs_macro_runtime()
    [docx] = [p for p in render_case(str(WITH_BILAGA), tmp_path) if p.name == "beslut.docx"]
    another_python(tmp_path, monkeypatch)
    calls = recorded_calls(monkeypatch)
    [written] = to_pdfa([docx], tmp_path / "pdf")
    check_pdfa(written)
    assert macro_calls(calls) == [True]  # the macro ran: LibreOffice's Python started with its own library


def test_libreoffice_is_started_without_another_pythons_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    from tjanste.pdf.office import office_environment

    monkeypatch.setenv("PYTHONHOME", "/opt/conda")
    monkeypatch.setenv("PYTHONPATH", "/opt/conda/lib")
    monkeypatch.setenv("PATH", f"/root/.pyenv/shims{os.pathsep}/usr/bin{os.pathsep}/opt/bin")
    environment = office_environment({"TJANSTE_PDF_JOBS": "/tmp/jobb.json"})
    assert not [name for name in environment if name.startswith("PYTHON")]
    assert environment["PATH"].split(os.pathsep)[-2:] == ["/root/.pyenv/shims", "/opt/bin"]  # after the system's folders
    assert environment["PATH"].split(os.pathsep)[0] == "/usr/bin"
    assert environment["TJANSTE_PDF_JOBS"] == "/tmp/jobb.json"


TITLE_WITH_MARKUP = 'Hälso- & sjukvård <2026> "Nära vård" &amp;'


@pytest.mark.usefixtures("warm_pdf")
def test_a_rubrik_with_ampersand_and_brackets_gets_its_pdf_with_that_title(tmp_path: Path) -> None:
    """LibreOffice 7.4 escapes the XMP title twice ('&amp;amp;'); the PDF/A rule 'XMP-titel' then failed every such paper."""
    needs_libreoffice()
    case = tmp_path / "halso.md"
    text = (KORPUS / "cases" / "2015-primarvard.md").read_text(encoding="utf-8")
    case.write_text(re.sub(r"(?m)^rubrik: .*$", "rubrik: '" + TITLE_WITH_MARKUP + "'", text, count=1), encoding="utf-8")
    [docx] = [p for p in render_case(str(case), tmp_path / "ut") if p.name == "beslut.docx"]
    [written] = to_pdfa([docx], tmp_path / "pdf")
    check_pdfa(written)
    from pypdf import PdfReader

    reader = PdfReader(written)
    assert reader.xmp_metadata.dc_title == {"x-default": TITLE_WITH_MARKUP}
    assert reader.metadata.title == TITLE_WITH_MARKUP


def xmp_packet(title_xml: str, padding: int = 200) -> bytes:
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title><rdf:Alt><rdf:li xml:lang="x-default">'
        f"{title_xml}</rdf:li></rdf:Alt></dc:title></rdf:Description></rdf:RDF></x:xmpmeta>\n" + " " * padding + '<?xpacket end="w"?>'
    ).encode()


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("A &amp;amp; B &amp;lt;C&amp;gt; &amp;quot;D&amp;quot; &amp;amp;amp;", 'A & B <C> "D" &amp;'),  # 7.4: escaped twice
        ("A &amp; B &lt;C&gt;", None),  # escaped once (a later LibreOffice): left as it is
        ("Utan tecken", None),
    ],
)
def test_an_xmp_title_escaped_twice_is_escaped_once_in_place(written: str, expected: str | None) -> None:
    from tjanste.pdf.xmp import with_title_unescaped

    pdf = b"%PDF-1.6\n1 0 obj\n<</Type/Metadata/Subtype/XML/Length 9>>\nstream\n" + xmp_packet(written) + b"\nendstream\nendobj\n"
    title = expected if expected is not None else written.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    repaired = with_title_unescaped(pdf, title)
    assert len(repaired) == len(pdf)  # no offset in the file moves
    if expected is None:
        assert repaired == pdf
    else:
        shown = re.search(r'x-default">(.*?)</rdf:li>', repaired.decode()).group(1)
        assert html.unescape(shown) == expected and repaired.endswith(b'<?xpacket end="w"?>\nendstream\nendobj\n')
        assert with_title_unescaped(pdf, "en annan titel") == pdf  # only when it gives the document's own title


def test_without_libreoffice_the_error_says_how_to_install_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    document = tmp_path / "beslut.docx"
    document.write_bytes(b"")
    monkeypatch.setenv("PATH", str(tmp_path / "tom"))
    with pytest.raises(CaseError) as raised:
        to_pdfa([document], tmp_path / "pdf")
    [problem] = raised.value.problems
    assert problem.message == INSTALL_MESSAGE
    assert "LibreOffice saknas" in str(raised.value) and "apt-get install libreoffice-writer" in str(raised.value)
    assert problem.field == "pdf"
    assert not (tmp_path / "pdf").exists()


def test_a_failing_libreoffice_is_reported_with_its_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    document = fake_soffice(tmp_path, monkeypatch, "echo 'något gick fel' >&2\nexit 3")
    with pytest.raises(CaseError, match="LibreOffice avslutades med kod 3: något gick fel"):
        to_pdfa([document], tmp_path / "pdf")
    assert list((tmp_path / "pdf").iterdir()) == []


def test_a_hanging_libreoffice_is_stopped_after_the_timeout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    document = fake_soffice(tmp_path, monkeypatch, f"echo $$ > {tmp_path / 'pid'}\nsleep 60")
    started = time.perf_counter()
    with pytest.raises(CaseError, match="blev inte klart inom 0,5 s"):
        to_pdfa([document], tmp_path / "pdf", timeout=0.5)
    assert time.perf_counter() - started < 10
    pid = int((tmp_path / "pid").read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_a_plain_pdf_from_libreoffice_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    outdir = '$(while [ "$1" != --outdir ]; do shift; done; echo "$2")'
    document = fake_soffice(tmp_path, monkeypatch, f"printf '%%PDF-1.6\\n%%%%EOF\\n' > \"{outdir}/beslut.pdf\"")
    with pytest.raises(CaseError, match=re.escape("ingen PDF/A-2b för beslut.docx")):
        to_pdfa([document], tmp_path / "pdf")
    assert list((tmp_path / "pdf").iterdir()) == []


def test_two_documents_with_the_same_name_are_refused(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "beslut.docx").write_bytes(b"")
    with pytest.raises(CaseError, match="PDF-filerna skulle skriva över varandra"):
        to_pdfa([tmp_path / "a" / "beslut.docx", tmp_path / "b" / "beslut.docx"], tmp_path / "pdf")


XMP_ELEMENT = b"""<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"><pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance></rdf:Description>
</rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>"""
XMP_ATTRIBUTE = b"""<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" pdfaid:part="3" pdfaid:conformance="B"/>
</rdf:RDF></x:xmpmeta>"""


def minimal_pdf(metadata: bytes, compress: bool = False) -> bytes:
    data = zlib.compress(metadata) if compress else metadata
    flate = b"/Filter/FlateDecode" if compress else b""
    return (
        b"%PDF-1.6\n1 0 obj\n<</Type/Catalog/Pages 2 0 R/Metadata 3 0 R>>\nendobj\n"
        + b"3 0 obj\n<</Type/Metadata/Subtype/XML/Length "
        + str(len(data)).encode()
        + flate
        + b">>\nstream\n"
        + data
        + b"\nendstream\nendobj\n%%EOF\n"
    )


@pytest.mark.parametrize(
    "pdf, part",
    [
        (minimal_pdf(XMP_ELEMENT), "2"),
        (minimal_pdf(XMP_ATTRIBUTE), "3"),
        (minimal_pdf(XMP_ELEMENT, compress=True), "2"),
        (minimal_pdf(XMP_ATTRIBUTE, compress=True), "3"),
        (minimal_pdf(XMP_ELEMENT.replace(b"</rdf:RDF>", b"")), "2"),  # not well-formed: found all the same
        (minimal_pdf(b"<x:xmpmeta xmlns:x='adobe:ns:meta/'/>"), None),
        (b"%PDF-1.6\n<</Type/Catalog>>\n%%EOF\n", None),
    ],
    ids=["element", "attribute", "element-flate", "attribute-flate", "broken-xml", "no-pdfaid", "no-metadata"],
)
def test_pdfa_part_reads_the_xmp_packet(pdf: bytes, part: str | None) -> None:
    assert pdfa_part(pdf) == part
