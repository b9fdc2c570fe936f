"""The rendered text of every case, read back from its .docx, locked as a reviewed snapshot (make snapshots rewrites)."""

from __future__ import annotations

from pathlib import Path

import pytest
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from conftest import CASES


class TextSnapshot(SingleFileSnapshotExtension):
    """One readable UTF-8 .txt file per case, LF line endings, compared byte for byte."""

    _write_mode = WriteMode.BINARY
    file_extension = "txt"


@pytest.fixture
def snapshot_txt(snapshot):
    return snapshot.use_extension(TextSnapshot)


@pytest.mark.parametrize("case", CASES)
def test_case_text(case: str, build: Path, snapshot_txt) -> None:
    text = (build / case / "beslut.txt").read_bytes()
    assert b"\r" not in text
    assert text == snapshot_txt
