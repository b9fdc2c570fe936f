"""What the registrar files: metadata.json with FGS Ärendehantering's fields, and the same values for the .docx properties."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from .paper import document_type

if TYPE_CHECKING:
    from .case import Case

SCHEMA = "tjanste-metadata/1"
FORMATS = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pdf": "application/pdf",
    ".txt": "text/plain; charset=utf-8",
}
# The archive's copy is the PDF/A; .docx is for work, the .txt for review (conventions: what a registrar needs).
ROLES = {".pdf": "arkivformat", ".docx": "arbetsformat", ".txt": "granskningstext"}


def case_fields(case: "Case") -> dict[str, Any]:
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


def handling(case: "Case", stem: str) -> dict[str, Any]:
    """One document of the case as the diary records it: its type, direction, date and parties."""
    kind, created = document_type(case), case.datum
    if stem.startswith("bilaga-"):
        kind = "Bilaga"
    recipient = case.till or (case.beslut.organ if case.beslut else None)
    if stem == "protokollsutdrag" and case.beslut:
        kind, created = "Protokollsutdrag", case.beslut.justerat or case.beslut.datum or case.datum
        recipient = "; ".join(case.beslut.skickas_till) or None
    return {
        "handlingstyp": kind,
        "riktning": "upprättad",
        "upprattad": created.isoformat(),
        "avsandare": case.avsandare or case.profile.namn,
        "mottagare": recipient,
        "sprak": "sv-SE",
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


def metadata_json(case: "Case", files: dict[str, bytes]) -> bytes:
    """The registrar's record of one rendering; deterministic: the same outputs give the same bytes."""
    stems = sorted({name.rsplit(".", 1)[0] for name in files if name.endswith(".docx")}, key=_document_order)
    documents = [
        {"namn": stem, **handling(case, stem), "filer": [file_entry(n, files[n]) for n in sorted(files) if n.rsplit(".", 1)[0] == stem]}
        for stem in stems
    ]
    record = {"schema": SCHEMA, **case_fields(case), "handlingar": documents}
    return (json.dumps(record, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _document_order(stem: str) -> tuple[int, int, str]:
    """The paper itself first, then its bilagor by number, then the extract of the minutes."""
    if stem.startswith("bilaga-") and stem[7:].isdigit():
        return (1, int(stem[7:]), stem)
    return (0 if stem == "beslut" else 2, 0, stem)


def custom_properties(case: "Case", document_kind: str) -> dict[str, str]:
    """The registrar's fields as Word custom properties, so the .docx carries them into any diary system.

    Only what is known when the paper is written: recording the decision later must
    not change the bytes of a paper already filed.
    """
    flat = {
        "Diarienummer": case.dnr,
        "Ärendemening": case.rubrik,
        "Handlingstyp": document_kind,
        "Riktning": "upprättad",
        "Upprättad": case.datum.isoformat(),
        "Handläggare": case.handlaggare,
        "Organisation": case.profile.namn,
        "Enhet": case.enhet,
        "Mottagare": case.till,
        "Beslutsinstans": case.forslag.beslutar if case.forslag else "",
        "Sekretess": case.sekretess or "ingen",
    }
    return {name: value for name, value in flat.items() if value}
