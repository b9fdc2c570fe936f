"""The rendered text of every document of the test corpus (tests/korpus/, tests/arenden/), read back from its .docx, locked as a snapshot.

`make snapshots` rewrites them after an intended change; the diff is what a reviewer reads.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from conftest import CASES, KORPUS, ROOT
from tjanste.commands.pipeline import read_and_word

EXTRA = sorted((ROOT / "tests" / "arenden").glob("*.md"))


class TextSnapshot(SingleFileSnapshotExtension):
    """One readable UTF-8 .txt file per document, LF line endings, compared byte for byte."""

    _write_mode = WriteMode.BINARY
    file_extension = "txt"


def documents(path: Path) -> list[str]:
    """The outputs a case makes, as its papers name them: beslut, bilaga-N, protokollsutdrag."""
    return [paper.output for paper in read_and_word(str(path))[1]]


def _params() -> list:
    params = []
    for path in [KORPUS / "cases" / f"{name}.md" for name in CASES] + [p for p in EXTRA if p.stem != "tabeller-bilaga"]:
        try:
            outputs = documents(path)
        except Exception:  # noqa: BLE001 - a broken case fails in its own test below
            outputs = ["beslut"]
        params += [pytest.param(path, output, id=f"{path.stem}-{output}") for output in outputs]
    return params


@pytest.fixture
def snapshot_txt(snapshot):
    return snapshot.use_extension(TextSnapshot)


@pytest.mark.parametrize("path, output", _params())
def test_document_text(path: Path, output: str, tmp_path_factory: pytest.TempPathFactory, snapshot_txt) -> None:
    from tjanste.commands.pipeline import render_case

    out = tmp_path_factory.getbasetemp() / "snapshots"
    if not (out / path.stem / f"{output}.txt").exists():
        render_case(str(path), out)
    text = (out / path.stem / f"{output}.txt").read_bytes()
    assert b"\r" not in text
    assert text == snapshot_txt
