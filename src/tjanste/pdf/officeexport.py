"""Runs inside LibreOffice (its Python script provider), not in tjanste: PDF/A copies of many .docx files in one start.

pdf.py copies this file into the private profile of one LibreOffice call and starts
`soffice --headless vnd.sun.star.script:...$export`. The jobs are a JSON file named by the
environment variable TJANSTE_PDF_JOBS: a list of {"docx", "pdf", "toc"} and the export's filter
data. Each document is loaded hidden and read-only, with links and macros off; where "toc" is
true its tables of contents are updated first, so their page numbers come from this very
layout; then it is stored as PDF. The answer, one entry per job (None, or LibreOffice's
message), goes to the same path with ".svar" appended: pdf.py reads it when soffice has ended.
"""

from __future__ import annotations

import json
import os
from typing import Any

import uno  # type: ignore[import-not-found]  # LibreOffice's own Python bridge
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.style.TabAlign import LEFT  # type: ignore[import-not-found]

NO_UPDATE = 0  # com.sun.star.document.UpdateDocMode: linked content is never fetched
NEVER_EXECUTE = 0  # com.sun.star.document.MacroExecMode: a document's own macros never run


def _property(name: str, value: Any) -> Any:
    prop = PropertyValue()
    prop.Name = name
    prop.Value = value
    return prop


def _kind(token: Any) -> str:
    return next((p.Value for p in token if p.Name == "TokenType"), "")


def _tab_after_number(document: Any, index: Any) -> None:
    """A tab after each entry's heading number, to the first left tab stop of the level's style, as Word lays out the entry.

    LibreOffice's entry is number, text, dot leader, page, and the index paragraphs get only
    the tab stops its tokens name; without a left stop in the style the entry stays as it is.
    """
    formats = index.LevelFormat
    styles = document.getStyleFamilies().getByName("ParagraphStyles")
    for level in range(1, formats.getCount()):
        name = index.getPropertyValue(f"ParaStyleLevel{level}")
        if not name or not styles.hasByName(name):
            continue
        lefts = [stop.Position for stop in styles.getByName(name).ParaTabStops if stop.Alignment == LEFT]
        tokens = list(formats.getByIndex(level))
        if not lefts or any(_kind(token) == "TokenTabStop" and not _right(token) for token in tokens):
            continue
        entry = []
        for token in tokens:
            entry.append(tuple(token))
            if _kind(token) == "TokenEntryNumber":
                entry.append(
                    (
                        _property("TokenType", "TokenTabStop"),
                        _property("TabStopRightAligned", False),
                        _property("TabStopPosition", lefts[0]),
                        _property("TabStopFillCharacter", " "),
                        _property("CharacterStyleName", ""),
                        _property("WithTab", True),
                    )
                )
        uno.invoke(formats, "replaceByIndex", (level, uno.Any("[][]com.sun.star.beans.PropertyValue", tuple(entry))))
    index.LevelFormat = formats


def _right(token: Any) -> bool:
    return any(p.Name == "TabStopRightAligned" and p.Value for p in token)


def _export_one(desktop: Any, job: dict[str, Any], filter_data: Any) -> None:
    load = (
        _property("Hidden", True),
        _property("ReadOnly", True),
        _property("UpdateDocMode", NO_UPDATE),
        _property("MacroExecutionMode", NEVER_EXECUTE),
    )
    document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(job["docx"]), "_blank", 0, load)
    if document is None:
        raise RuntimeError("LibreOffice kunde inte läsa dokumentet")
    try:
        if job["toc"]:
            indexes = document.getDocumentIndexes()
            for number in range(indexes.getCount()):
                index = indexes.getByIndex(number)
                if index.supportsService("com.sun.star.text.ContentIndex"):
                    _tab_after_number(document, index)
                    index.update()
        store = (_property("FilterName", "writer_pdf_Export"), _property("FilterData", filter_data))
        document.storeToURL(uno.systemPathToFileUrl(job["pdf"]), store)
    finally:
        document.close(True)


def export(*_: Any) -> None:
    """The macro soffice is started with: every job of TJANSTE_PDF_JOBS, then LibreOffice ends (whatever failed)."""
    context = uno.getComponentContext()
    desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    jobs_path = os.environ.get("TJANSTE_PDF_JOBS", "")
    answers: list[str | None] | None = None  # no answers file: the caller falls back to --convert-to
    try:
        with open(jobs_path, encoding="utf-8") as stream:
            given = json.load(stream)
        options = tuple(_property(name, value) for name, value in given["filter"].items())
        filter_data = uno.Any("[]com.sun.star.beans.PropertyValue", options)
        answers = []
        for job in given["jobs"]:
            try:
                _export_one(desktop, job, filter_data)
                answers.append(None)
            except Exception as error:  # noqa: BLE001  # UNO's errors share no base but Exception; one failure is its document's own
                answers.append(getattr(error, "Message", "") or str(error) or type(error).__name__)
    finally:
        if answers is not None:
            with open(jobs_path + ".svar", "w", encoding="utf-8") as stream:
                json.dump(answers, stream)
        desktop.terminate()


def serve(*_: Any) -> None:
    """The warm macro of the live preview: jobs arrive one JSON line at a time on a Unix socket, each answered by a line.

    TJANSTE_PDF_SOCKET names the socket tjanste listens on; LibreOffice ends when tjanste closes it (or goes away).
    A line is {"filter": ..., "jobs": [...]} as in the jobs file of export(); the answer is the list of messages.
    """
    import socket

    context = uno.getComponentContext()
    desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.connect(os.environ.get("TJANSTE_PDF_SOCKET", ""))
        stream = connection.makefile("rw", encoding="utf-8", newline="\n")
        for line in stream:
            given = json.loads(line)
            options = tuple(_property(name, value) for name, value in given["filter"].items())
            filter_data = uno.Any("[]com.sun.star.beans.PropertyValue", options)
            answers: list[str | None] = []
            for job in given["jobs"]:
                try:
                    _export_one(desktop, job, filter_data)
                    answers.append(None)
                except Exception as error:  # noqa: BLE001
                    answers.append(getattr(error, "Message", "") or str(error) or type(error).__name__)
            stream.write(json.dumps(answers) + "\n")
            stream.flush()
    finally:
        connection.close()
        desktop.terminate()
