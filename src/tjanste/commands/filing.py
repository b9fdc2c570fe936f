"""Filing a case (diarieföring): the registrar's dnr written into the case file, the case rendered, every document's checksum recorded.

The case file is changed by a targeted edit of its text, never by dumping YAML again:
the `dnr:` line (or a new one) and a `diariefort:` record at the end of the front matter,
every other byte as it was. The edit is read back and compared before anything is written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from tjanste.errors import CaseError, Place, Problem, Problems
from tjanste.files.writer import exclusive, replace_file
from tjanste.source.case import Case, resolve_case_path
from tjanste.source.yamlsource import FORBIDDEN, Node, compose

FIELD = "diariefor"
_PLAIN_DNR = re.compile(r"[A-Za-zÅÄÖåäö0-9][A-Za-zÅÄÖåäö0-9/ .\-]*")  # needs no quotes in YAML (no ': ', no ' #')


@dataclass(frozen=True)
class Filed:
    """What a filing wrote: the case file, the rendered files, and the checksum of every document."""

    case_file: Path
    written: list[Path]
    sums: dict[str, str]  # document file name -> sha256
    previous_dnr: str


def document_sums(files: dict[str, bytes]) -> dict[str, str]:
    """The documents a filing locks: every .docx (beslut, bilagor, protocol's extract), by name, with its SHA-256."""
    return {
        name: hashlib.sha256(data).hexdigest()
        for name, data in sorted(files.items(), key=lambda item: _order(item[0]))
        if name.endswith(".docx")
    }


def _order(name: str) -> tuple[int, int, str]:
    stem = name.rsplit(".", 1)[0]
    if stem.startswith("bilaga-") and stem[7:].isdigit():
        return (1, int(stem[7:]), name)
    return (0 if stem == "beslut" else 2, 0, name)


def file_case(name_or_path: str, dnr: str, day: dt.date, out_root: str | Path | None = None) -> Filed:
    """Files a case; raises CaseError, with the case file and its outputs unchanged, when it cannot."""
    try:
        return _file_case(name_or_path, dnr, day, out_root)
    except CaseError as error:
        raise CaseError(error.problems, f"{name_or_path}: inte diariefört; ärendefilen är oförändrad") from error


def _file_case(name_or_path: str, dnr: str, day: dt.date, out_root: str | Path | None) -> Filed:
    from tjanste.commands.pipeline import make_rendering, output_root, write

    root = output_root(out_root)
    path = resolve_case_path(name_or_path)
    case = make_rendering(str(path), documents=False).case  # a case with errors is never filed; reading keeps to CASE_FILE_BYTES
    original = path.read_bytes()
    _check_filable(case, dnr)
    text = original.decode("utf-8")
    edited = with_filing(text, case, dnr, {}, day)  # the dnr changes the documents; their checksums come after
    _verify_edit(text, edited, case, dnr, {}, day)  # before the edited text is read as a case: its errors would be the edit's
    filed = make_rendering(str(path), text=edited)
    sums = document_sums(filed.files)
    final = with_filing(text, case, dnr, sums, day)
    _verify_edit(text, final, case, dnr, sums, day)
    # Won only by the run that holds the case file's lock and finds it as it read it: a second diariefor of the same case
    # stops here, before it writes any paper, so build/ never holds one dnr's papers while the case is locked with another's.
    with exclusive(
        path, f"{FIELD}: ärendet diarieförs just nu av en annan körning; ärendefilen är oförändrad. Vänta tills den är klar och kör igen"
    ):
        if path.read_bytes() != original:
            raise CaseError(
                [Problem(Place(case.source.shown_path), "ärendefilen ändrades medan den diariefördes; kör kommandot igen", FIELD)]
            )
        written, _ = write(filed, root, given=out_root is not None)
        replace_file(Path(os.path.realpath(path)), final.encode("utf-8"))  # a case file that is a link stays a link
    return Filed(path, written, sums, case.dnr)


def _check_filable(case: Case, dnr: str) -> None:
    place = case.place_of("dnr") if case.dnr else case.place
    if case.diariefort:
        first = case.diariefort[0]
        raise CaseError(
            [
                Problem(
                    first.place,
                    f"ärendet är redan diariefört {first.datum}; en ny version av en diarieförd handling anges som en ny post "
                    "under diariefort (se README)",
                    FIELD,
                )
            ]
        )
    if "diariefort" in case.source.front_mapping:
        raise CaseError(
            [
                Problem(
                    case.source.front_mapping["diariefort"].place, "diariefort finns men är tomt; ta bort raden och diarieför igen", FIELD
                )
            ]
        )
    if not dnr.strip() or dnr != dnr.strip() or FORBIDDEN.search(dnr) or "\n" in dnr:
        raise CaseError(
            [
                Problem(
                    place, f"--dnr: '{dnr}' är inget diarienummer; ange det som det står i diariet, utan mellanslag först eller sist", FIELD
                )
            ]
        )
    dnr_problem = case.profile.dnr_problem(dnr)
    if dnr_problem:
        raise CaseError([Problem(place, f"--dnr: {dnr_problem}; ingenting ändrades", FIELD)])


def with_filing(text: str, case: Case, dnr: str, sums: dict[str, str], day: dt.date) -> str:
    """The case file's text with the dnr set and, given checksums, the filing recorded; every other byte kept."""
    newline = "\r\n" if "\r\n" in text.split("\n", 1)[0] + "\n" else "\n"
    lines = text.split("\n")
    front = case.source.front_mapping
    node = front.get("dnr")
    if node is not None and node.key_place is not None:
        index = node.key_place.line - 1
        if ":" not in lines[index][node.key_place.col - 1 :]:  # '? dnr' (YAML's explicit key): its colon is on another line
            raise _unusual_layout(case)
        lines[index] = _set_value(lines[index], node, dnr)
    else:
        before = front["datum"].key_place
        assert before is not None
        index = before.line - 1
        indent = " " * (before.col - 1)
        lines.insert(index, f"{indent}dnr: {_scalar(dnr, '')}" + ("\r" if newline == "\r\n" else ""))
    if sums:
        end = _front_matter_end(lines)
        cr = "\r" if newline == "\r\n" else ""
        record = ["diariefort:", f"  - datum: {day.isoformat()}", f"    dnr: {_scalar(dnr, '')}", "    handlingar:"]
        record += [f"      {name}: {sha}" for name, sha in sums.items()]
        if end > 0 and lines[end - 1].strip():
            record.insert(0, "")
        lines[end:end] = [line + cr for line in record]
    return "\n".join(lines)


def _front_matter_end(lines: list[str]) -> int:
    """The index of the closing '---' line."""
    for index in range(1, len(lines)):
        if lines[index].rstrip("\r") in ("---", "..."):
            return index
    raise ValueError("the case has no closing '---' line")  # pragma: no cover - read_and_word refused it


def _set_value(line: str, node: Node, dnr: str) -> str:
    """The `dnr:` line with its value replaced; a comment after it and the key's spelling kept."""
    cr = "\r" if line.endswith("\r") else ""
    body = line[: len(line) - len(cr)]
    key_col = node.key_place.col - 1 if node.key_place else 0
    colon = body.index(":", key_col)
    if node.key_place is not None and node.place.line == node.key_place.line and node.place.col - 1 > colon:
        start = node.place.col - 1
        end = _scalar_end(body, start)
        return body[:start] + _scalar(dnr, body[start : start + 1]) + body[end:] + cr
    rest = body[colon + 1 :]  # `dnr:` with no value, perhaps a comment
    return body[: colon + 1] + " " + _scalar(dnr, "") + (rest if rest.strip() else "") + cr


def _scalar_end(body: str, start: int) -> int:
    """Where a scalar that starts at `start` ends on its line: after its closing quote, or before a comment."""
    quote = body[start : start + 1]
    if quote == "'":
        index = start + 1
        while index < len(body):
            if body[index] == "'":
                if body[index + 1 : index + 2] == "'":
                    index += 2
                    continue
                return index + 1
            index += 1
        return len(body)
    if quote == '"':
        index = start + 1
        while index < len(body):
            if body[index] == "\\":
                index += 2
                continue
            if body[index] == '"':
                return index + 1
            index += 1
        return len(body)
    comment = body.find(" #", start)
    return len((body if comment < 0 else body[:comment]).rstrip())


def _scalar(value: str, quote: str) -> str:
    """The dnr as YAML: in the quotes the case used, plain where that is safe, else in single quotes."""
    if quote == '"':
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if quote != "'" and _PLAIN_DNR.fullmatch(value) and value[-1:] not in " ":
        return value
    return "'" + value.replace("'", "''") + "'"


def _plain(node: Node | None) -> object:
    if node is None:
        return None
    if isinstance(node.value, dict):
        return {key: _plain(child) for key, child in node.value.items()}
    if isinstance(node.value, list):
        return [_plain(child) for child in node.value]
    return node.value


def _verify_edit(before: str, after: str, case: Case, dnr: str, sums: dict[str, str], day: dt.date) -> None:
    """Reads the edited front matter back: the dnr and the record as meant, every other value as it was."""
    problems = Problems()
    old = _plain(_front(before, case, problems))
    new = _plain(_front(after, case, problems))
    expected = dict(old) if isinstance(old, dict) else {}
    expected["dnr"] = dnr
    if sums:  # without checksums the edit sets the dnr only
        expected["diariefort"] = [{"datum": day.isoformat(), "dnr": dnr, "handlingar": dict(sums)}]
    if problems.items or new != expected:  # a layout the edit does not know: indented fields, {...}, a value on the next line
        raise _unusual_layout(case)


def _unusual_layout(case: Case) -> CaseError:
    """The one error for a front matter the line edit cannot follow; the case file is left as it is."""
    return CaseError(
        [
            Problem(
                case.place_of("dnr") if case.places.get("dnr") else Place(case.source.shown_path, 1, 1),
                "diarienumret kan inte skrivas in utan att något annat i ärendefilen ändras, eftersom uppgifterna är "
                "skrivna på ett ovanligt sätt (indragna, inom { }, med ? före namnet eller med värdet på nästa rad); skriv "
                "varje fält på en egen rad utan indrag, med värdet efter kolonet som i README:s exempel, och kör diariefor "
                "igen. Inget skrevs",
                "dnr",
            )
        ]
    )


def _front(text: str, case: Case, problems: Problems) -> Node | None:
    lines = text.split("\n")
    end = _front_matter_end(lines)
    return compose("\n".join(lines[1:end]), case.source.shown_path, 1, problems)
