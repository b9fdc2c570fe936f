"""The archive package of a case: a METS document over its files and an E-ARK CITS ERMS description of the ärende and its handlingar.

Swedish case files map onto ERMS as Svenska kyrkans ERMS-SVK-ARENDE does: the ärende is an
`aggregation` of type caseFile whose objectId is the diarienummer, each handling a `record`
with its direction, agents and dates, the decision an `action` of type beslut. Everything
here is made from the papers and the bytes of their files, so the same case gives the same
package (the PDFs, which LibreOffice stamps with the time, aside).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass

from lxml import etree

from tjanste.source.case import Case
from tjanste.wording.paper import Paper
from tjanste.writing.metadata import FORMATS

ERMS_NS = "https://DILCIS.eu/XML/ERMS"
METS_NS = "http://www.loc.gov/METS/"
XLINK_NS = "http://www.w3.org/1999/xlink"
TJANSTE_NS = "urn:tjanste:arkiv:1"  # our own elements inside ERMS additionalXMLData: the files and their checksums
PACKAGE_ID_SPACE = uuid.UUID("5b3c1f0e-3f0c-4c0a-9d51-6b1b2f0d7a11")  # names every identifier this package makes, deterministically

METS_FILE = "METS.xml"
ERMS_FILE = "metadata/descriptive/ERMS.xml"
METADATA_FILE = "metadata/other/metadata.json"
# Riksarkivet keeps PDF/A; the .docx goes with it as the working format.
REPRESENTATIONS = {
    ".pdf": ("representations/arkivformat/data", "Representations/arkivformat"),
    ".docx": ("representations/arbetsformat/data", "Representations/arbetsformat"),
}
# FGS riktning onto ERMS direction: a paper sent to someone is expedited (outgoing), one made for the case itself is internal.
DIRECTIONS = {"inkommen": "incoming"}


@dataclass(frozen=True)
class Document:
    """One paper of the package and its files in it, by path inside the package."""

    paper: Paper
    files: dict[str, bytes]


def package_files(case: Case, papers: list[Paper], files: dict[str, bytes], metadata: bytes) -> dict[str, bytes]:
    """Every file of the package by its path inside arkiv/: the documents, metadata.json, ERMS.xml and METS.xml last."""
    documents = []
    out: dict[str, bytes] = {}
    for paper in papers:
        own = {}
        for suffix, (folder, _) in REPRESENTATIONS.items():
            name = f"{paper.output}{suffix}"
            if name in files:
                own[f"{folder}/{name}"] = files[name]
        documents.append(Document(paper, own))
        out.update(own)
    out[METADATA_FILE] = metadata
    out[ERMS_FILE] = erms_xml(case, documents)
    out[METS_FILE] = mets_xml(case, documents, {ERMS_FILE: out[ERMS_FILE], METADATA_FILE: metadata})
    return out


def _ident(*parts: str) -> str:
    return str(uuid.uuid5(PACKAGE_ID_SPACE, "\0".join(parts)))


def _datetime(day: dt.date | None) -> str:
    return f"{day.isoformat()}T00:00:00" if day else ""


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def filed_on(case: Case) -> dt.date | None:
    """The day the registrar first filed the case (registrerat), or None."""
    return case.diariefort[0].datum if case.diariefort else None


def described_on(case: Case) -> str:
    """The date the package describes the case as of: its latest filed version, else the case's own date."""
    return _datetime(case.diariefort[-1].datum if case.diariefort else case.datum)


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    namespace = etree.QName(parent).namespace
    element = etree.SubElement(parent, f"{{{namespace}}}{tag}", {k: v for k, v in attrs.items() if v})
    if text:
        element.text = text
    return element


def _agent(parent: etree._Element, kind: str, name: str, organisation: str = "") -> None:
    agent = _sub(parent, "agent", agentType=kind)
    _sub(agent, "name", name)
    if organisation:
        _sub(agent, "organisation", organisation)


def _serialise(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def erms_xml(case: Case, documents: list[Document]) -> bytes:
    """The ärende and its handlingar as E-ARK CITS ERMS v3."""
    organisation = case.profile.namn
    case_id = case.dnr or case.name
    root = etree.Element(f"{{{ERMS_NS}}}erms", nsmap={None: ERMS_NS, "tj": TJANSTE_NS})
    control = _sub(root, "control")
    _sub(control, "identification", organisation, identificationType="arkivbildare")
    _sub(control, "identification", case_id, identificationType="ärendenummer")
    maintenance = _sub(control, "maintenanceInformation")
    _sub(maintenance, "maintenanceStatus", value="new")
    agency = _sub(maintenance, "maintenanceAgency")
    _sub(agency, "agencyName", organisation)
    event = _sub(_sub(maintenance, "maintenanceHistory"), "maintenanceEvent")
    _sub(event, "eventType", value="created")
    _sub(event, "eventDateTime", described_on(case))
    deliverer = _sub(event, "agent", agentType="deliverer")
    _sub(deliverer, "name", "tjanste")
    _sub(deliverer, "organisation", organisation)

    aggregation = _sub(
        _sub(root, "aggregations"), "aggregation", systemIdentifier=_ident("ärende", organisation, case_id), aggregationType="caseFile"
    )
    _sub(aggregation, "objectId", case_id)
    _sub(aggregation, "title", case.rubrik)
    _sub(aggregation, "status", value="closed" if case.beslut and case.beslut.datum else "open")
    if case.sekretess:
        restriction = _sub(aggregation, "restriction", restrictionType="confidential")
        _sub(restriction, "regulation", case.sekretess)
    agents = _sub(aggregation, "agents")
    if case.handlaggare:
        _agent(agents, "responsible_person", case.handlaggare, " – ".join(p for p in (organisation, case.enhet) if p))
    _agent(agents, "creator", case.enhet or organisation, organisation if case.enhet else "")
    dates = _sub(aggregation, "dates")
    _sub(dates, "date", _datetime(case.datum), dateType="created")
    if case.beslut and case.beslut.datum:
        _sub(dates, "date", _datetime(case.beslut.datum), dateType="decision")
    if case.beslut:
        _action(aggregation, case)
    for number, document in enumerate(documents, start=1):
        _record(aggregation, case, case_id, number, document)
    return _serialise(root)


def _action(aggregation: etree._Element, case: Case) -> None:
    """The decision, as ERMS-SVK's 'Beslut i ärendet': its wording, date and the body that decided."""
    decision = case.beslut
    assert decision is not None
    reference = (
        f" ({decision.organ} {decision.datum.isoformat() if decision.datum else ''} § {decision.paragraf.replace('§', '').strip()})"
        if decision.paragraf
        else ""
    )
    text = f"{decision.organ} beslutade {decision.utfall}{reference}" if decision.utfall else f"Beslutas av {decision.organ}"
    action = _sub(aggregation, "action")
    _sub(action, "actionText", text.replace("  ", " "))
    _sub(action, "actionType", "beslut")
    if decision.datum:
        _sub(_sub(action, "dates"), "actionDate", _datetime(decision.datum), dateType="decision_date")
    _agent(_sub(action, "agents"), "authorising_person", decision.organ)


def record_title(paper: Paper) -> str:
    """A handling's title in the diary: the case's heading, a bilaga's own title, or the protocol's paragraph."""
    if paper.context.get("bilaga"):
        return f"Bilaga {paper.context['bilaga']['nummer']}: {paper.context['bilaga']['titel']}"
    protocol = paper.context.get("protokoll")
    if protocol:
        return f"Protokollsutdrag {protocol['organ']} {protocol['datum']} § {protocol['paragraf']}: {paper.case.rubrik}"
    return paper.case.rubrik


def _record(aggregation: etree._Element, case: Case, case_id: str, number: int, document: Document) -> None:
    paper = document.paper
    organisation = case.profile.namn
    record = _sub(
        aggregation,
        "record",
        systemIdentifier=_ident("handling", organisation, case_id, paper.output),
        recordType=paper.handlingstyp,
        recordPhysicalOrDigital="digital",
    )
    _sub(record, "objectId", f"{case_id}:{number}")
    _sub(record, "title", record_title(paper))
    _sub(record, "runningNumber", str(number))
    if case.sekretess:
        _sub(_sub(record, "restriction", restrictionType="confidential"), "regulation", case.sekretess)
    direction = DIRECTIONS.get(paper.riktning) or ("outgoing" if paper.recipient else "other")
    _sub(record, "direction", directionDefinition=direction, otherDirectionDefinition="internal" if direction == "other" else "")
    agents = _sub(record, "agents")
    if case.handlaggare:
        _agent(agents, "creator", case.handlaggare, organisation)
        _agent(agents, "responsible_person", case.handlaggare, organisation)
    _agent(agents, "sender", case.avsandare or organisation)
    for recipient in filter(None, (r.strip() for r in paper.recipient.split(";"))):
        _agent(agents, "receiver", recipient)
    dates = _sub(record, "dates")
    _sub(dates, "date", _datetime(paper.created), dateType="created")
    if filed_on(case):
        _sub(dates, "date", _datetime(filed_on(case)), dateType="originated")
    information = _sub(record, "additionalInformation")
    for path in document.files:
        _sub(information, "appendix", name=path.rsplit("/", 1)[1], path=path, fileFormat=FORMATS[path[path.rfind(".") :]])
    data = _sub(information, "additionalXMLData")
    files = etree.SubElement(data, f"{{{TJANSTE_NS}}}filer")
    for path, content in document.files.items():
        etree.SubElement(
            files,
            f"{{{TJANSTE_NS}}}fil",
            {"sokvag": path, "storlek": str(len(content)), "kontrollsumma": _sha256(content), "kontrollsummetyp": "SHA-256"},
        )


def mets_xml(case: Case, documents: list[Document], metadata: dict[str, bytes]) -> bytes:
    """METS over the package: ERMS as descriptive metadata, metadata.json as provenance, PDF/A and .docx as two representations."""
    case_id = case.dnr or case.name
    when = described_on(case)
    root = etree.Element(
        f"{{{METS_NS}}}mets",
        {"OBJID": case_id, "LABEL": case.rubrik, "TYPE": "Ärendeakt", "ID": "mets-" + _ident("paket", case.profile.namn, case_id)},
        nsmap={"mets": METS_NS, "xlink": XLINK_NS},
    )
    header = _sub(root, "metsHdr", CREATEDATE=when, RECORDSTATUS="NEW")
    agent = _sub(header, "agent", ROLE="CREATOR", TYPE="ORGANIZATION")
    _sub(agent, "name", case.profile.namn)
    software = _sub(header, "agent", ROLE="CREATOR", TYPE="OTHER", OTHERTYPE="SOFTWARE")
    _sub(software, "name", "tjanste")

    dmd = _sub(root, "dmdSec", ID="dmd-erms", CREATED=when)
    _md_ref(dmd, ERMS_FILE, metadata[ERMS_FILE], "OTHER", "application/xml", OTHERMDTYPE="ERMS")
    amd = _sub(root, "amdSec", ID="amd")
    provenance = _sub(amd, "digiprovMD", ID="digiprov-metadata-json", CREATED=when)
    _md_ref(provenance, METADATA_FILE, metadata[METADATA_FILE], "OTHER", "application/json", OTHERMDTYPE="tjanste-metadata")

    file_sec = _sub(root, "fileSec", ID="filer")
    groups = {use: _sub(file_sec, "fileGrp", ID=f"grp-{use.rsplit('/', 1)[1]}", USE=use) for _, use in REPRESENTATIONS.values()}
    ids: dict[str, str] = {}
    for document in documents:
        for path, content in document.files.items():
            suffix = path[path.rfind(".") :]
            ids[path] = f"fil-{document.paper.output}-{suffix[1:]}"
            entry = _sub(
                groups[REPRESENTATIONS[suffix][1]],
                "file",
                ID=ids[path],
                MIMETYPE=FORMATS[suffix],
                SIZE=str(len(content)),
                CREATED=_datetime(document.paper.created),
                CHECKSUM=_sha256(content),
                CHECKSUMTYPE="SHA-256",
            )
            _sub(entry, "FLocat", LOCTYPE="URL", **{f"{{{XLINK_NS}}}type": "simple", f"{{{XLINK_NS}}}href": path})

    struct = _sub(root, "structMap", TYPE="PHYSICAL", LABEL="CSIP")
    top = _sub(struct, "div", ID="arende", LABEL=case.rubrik, DMDID="dmd-erms", ADMID="digiprov-metadata-json")
    for number, document in enumerate(documents, start=1):
        div = _sub(
            top,
            "div",
            ID=f"handling-{document.paper.output}",
            ORDER=str(number),
            LABEL=record_title(document.paper),
            TYPE=document.paper.handlingstyp,
        )
        for path in document.files:
            _sub(div, "fptr", FILEID=ids[path])
    return _serialise(root)


def _md_ref(parent: etree._Element, path: str, content: bytes, md_type: str, mime: str, **extra: str) -> None:
    """A reference to a metadata file of the package, with its size and checksum (METS mdRef)."""
    etree.SubElement(
        parent,
        f"{{{METS_NS}}}mdRef",
        {
            "LOCTYPE": "URL",
            f"{{{XLINK_NS}}}type": "simple",
            f"{{{XLINK_NS}}}href": path,
            "MDTYPE": md_type,
            **extra,
            "MIMETYPE": mime,
            "SIZE": str(len(content)),
            "CHECKSUM": _sha256(content),
            "CHECKSUMTYPE": "SHA-256",
        },
    )


def package_summary(files: dict[str, bytes]) -> str:
    """One line per file of the package: its SHA-256 and path, as sha256sum prints them."""
    return "".join(f"{_sha256(data)}  {path}\n" for path, data in sorted(files.items()))


def mets_listing(data: bytes) -> dict[str, str]:
    """Every file an earlier package's METS.xml lists, with its SHA-256: what `arkiv` may replace. ValueError if not ours.

    Read without entities, network or DTD (the file sits in a folder a user can write), and
    only names inside the package: a listed '../x' or '/x' makes the file not ours.
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise ValueError(f"METS.xml kan inte läsas: {error}") from None
    if root.tag != f"{{{METS_NS}}}mets":
        raise ValueError("METS.xml är inget METS-dokument")
    href = f"{{{XLINK_NS}}}href"
    listed: dict[str, str] = {}
    for element in root.iter(f"{{{METS_NS}}}file", f"{{{METS_NS}}}mdRef"):
        location = element if element.get(href) else element.find(f"{{{METS_NS}}}FLocat")
        path = location.get(href, "") if location is not None else ""
        checksum = element.get("CHECKSUM", "")
        if not path or path.startswith("/") or ".." in path.split("/") or element.get("CHECKSUMTYPE") != "SHA-256":
            raise ValueError(f"METS.xml listar {path!r}, som inte är en fil i paketet")
        listed[path] = checksum
    return listed
