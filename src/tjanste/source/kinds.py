"""The kinds of document tjanste writes, registered in one table: template, handlingstyp and direction.

A new kind is one line here and its template file; the case's `typ`, the letterhead,
the Word properties, metadata.json, the snapshots and the archive package all read it
from the Paper that carries it.
"""

from __future__ import annotations

from typing import NamedTuple


class Kind(NamedTuple):
    """One kind of document: the template it is written from and how the registrar records it."""

    typ: str  # the case's `typ` for a case's own kind
    handlingstyp: str  # FGS handlingstyp, and the letterhead's heading unless the case gives its own
    template: str  # relative to templates/
    riktning: str = "upprättad"  # FGS direction: upprättad, inkommen or intern
    case_kind: bool = True  # a case may name it as its typ; bilagor and protocols come from a case's parts
    # Fields a case of this kind must give besides typ, organisation, datum and rubrik (the README's table repeats
    # them). Letterhead fields a paper does not have (handlaggare, enhet, till) are left out, and so is their line.
    requires: tuple[str, ...] = ()


_ALL = (
    Kind("tjansteskrivelse", "Tjänsteskrivelse", "beslut/tjansteskrivelse.docx"),
    Kind("beslutsunderlag", "Beslutsunderlag", "beslut/beslutsunderlag.docx"),
    Kind("underlag", "Underlag", "beslut/underlag.docx"),
    Kind("andringsforslag", "Ändringsförslag", "beslut/andringsforslag.docx", requires=("till",)),  # 'Till Landstingsstyrelsen'
    Kind("bilaga", "Bilaga", "bilaga/bilaga.docx", case_kind=False),
    Kind("protokollsutdrag", "Protokollsutdrag", "beslut/protokollsutdrag.docx", case_kind=False),
)
KINDS = {kind.typ: kind for kind in _ALL}
ATTACHMENT = KINDS["bilaga"]
PROTOCOL = KINDS["protokollsutdrag"]


def case_kinds() -> list[str]:
    """The values a case's `typ` may take."""
    return sorted(kind.typ for kind in _ALL if kind.case_kind)
