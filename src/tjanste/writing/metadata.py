"""What the registrar files: metadata.json with FGS Ärendehantering's fields, and the same values for the .docx properties."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tjanste.source.case import Case
    from tjanste.wording.paper import Paper

SCHEMA = "tjanste-metadata/2"  # the version of docs/metadata.schema.json it follows; 2 added beslutsinstans per handling
FORMATS = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pdf": "application/pdf",
    ".txt": "text/plain; charset=utf-8",
}
# The archive's copy is the PDF/A; .docx is for work, the .txt for review (conventions: what a registrar needs).
ROLES = {".pdf": "arkivformat", ".docx": "arbetsformat", ".txt": "granskningstext"}
LANGUAGE = "sv-SE"


def case_fields(case: Case) -> dict[str, Any]:
    """The ärende and its decision, in machine formats (ISO 8601 dates, no display formatting)."""
    decision = case.beslut
    return {
        "arende": {
            "diarienummer": case.dnr or None,
            "arendemening": case.rubrik,
            "handlaggare": case.handlaggare or None,
            "organisation": case.profile.namn,
            "enhet": case.enhet or None,
            "sekretess": {"lagrum": case.sekretess} if case.sekretess else None,
        },
        "beslut": {
            "beslutsinstans": decision.organ,
            "datum": decision.datum.isoformat() if decision.datum else None,
            "paragraf": decision.paragraf.replace("§", "").strip() or None,
            "utfall": decision.utfall or None,
        }
        if decision
        else None,
    }


def handling(paper: Paper) -> dict[str, Any]:
    """One document of the case as the diary records it: what the paper says it is, its date and parties."""
    case = paper.case
    return {
        "handlingstyp": paper.handlingstyp,
        "riktning": paper.riktning,
        "upprattad": paper.created.isoformat(),
        "avsandare": case.avsandare or case.profile.namn,
        "mottagare": paper.recipient or None,
        "beslutsinstans": paper.decider or None,
        "sprak": LANGUAGE,
    }


def file_entry(name: str, data: bytes) -> dict[str, Any]:
    suffix = name[name.rfind(".") :]
    return {
        "namn": name,
        "format": FORMATS.get(suffix, "application/octet-stream"),
        "roll": ROLES.get(suffix, "övrigt"),
        "storlek": len(data),
        "kontrollsumma": hashlib.sha256(data).hexdigest(),
        "kontrollsummetyp": "SHA-256",
    }


def metadata_json(case: Case, papers: list[Paper], files: dict[str, bytes]) -> bytes:
    """The registrar's record of one rendering; deterministic: the same outputs give the same bytes.

    One entry per paper, in the order the case makes them (the paper itself, its bilagor, the
    protocol's extract), with every file made from it (.docx, .txt, .pdf).
    """
    documents = [
        {
            "namn": paper.output,
            **handling(paper),
            "filer": [file_entry(n, files[n]) for n in sorted(files) if n.rsplit(".", 1)[0] == paper.output],
        }
        for paper in papers
    ]
    record = {"schema": SCHEMA, **case_fields(case), "handlingar": documents}
    return (json.dumps(record, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def listed_files(record: bytes) -> dict[str, str]:
    """Every file a metadata.json lists, with its sha256; ValueError if the bytes are not a record of ours."""
    try:
        parsed = json.loads(record.decode("utf-8"))
        if parsed.get("schema") != SCHEMA:
            raise ValueError("not a tjanste record")
        return {entry["namn"]: entry["kontrollsumma"] for handling in parsed["handlingar"] for entry in handling["filer"]}
    except (UnicodeDecodeError, AttributeError, KeyError, TypeError, RecursionError) as error:  # nested 200 000 deep: not ours
        raise ValueError(str(error)) from error


def custom_properties(paper: Paper) -> dict[str, str]:
    """The registrar's fields as Word custom properties, so the .docx carries them into any diary system.

    The same values as the paper's entry in metadata.json (tests/test_kinds.py holds them
    together). Only what is known when the paper is written: recording the decision later
    must not change the bytes of a paper already filed.
    """
    case = paper.case
    flat = {
        "Diarienummer": case.dnr,
        "Ärendemening": case.rubrik,
        "Handlingstyp": paper.handlingstyp,
        "Riktning": paper.riktning,
        "Upprättad": paper.created.isoformat(),
        "Handläggare": case.handlaggare,
        "Organisation": case.profile.namn,
        "Enhet": case.enhet,
        "Mottagare": paper.recipient,
        "Beslutsinstans": paper.decider,
        "Sekretess": case.sekretess or "ingen",
    }
    return {name: value for name, value in flat.items() if value}
