"""check warns about a signatory's name that looks like a placeholder, in Swedish, at the name's line."""

from __future__ import annotations

import pytest

from conftest import KORPUS
from tjanste.commands.pipeline import check_case
from tjanste.review.signatures import placeholder_word


@pytest.mark.parametrize(
    ("name", "word"),
    [
        ("Ordförande Exempel", "Ordförande"),
        ("Justerare Ett", "Justerare"),
        ("Anna Ett", "Ett"),
        ("XXX", "XXX"),
        ("TODO", "TODO"),
        ("N.N.", "N.N."),
        ("Förnamn Efternamn", "Förnamn"),
        ("Peter Exempel", "Exempel"),
        ("...", "..."),
    ],
)
def test_a_placeholder_word_is_found(name: str, word: str) -> None:
    assert placeholder_word(name) == word


@pytest.mark.parametrize("name", ["Peter Lilja", "Agneta Kalnins", "Ettore Svensson", "Nils Nilsson", "Maxx Ek", "Ann-Britt Tre-Ek"])
def test_a_real_name_passes(name: str) -> None:
    assert placeholder_word(name) is None


def test_the_corpus_protocol_names_its_example_signatories_at_their_lines() -> None:
    case = check_case(str(KORPUS / "cases" / "2015-primarvard.md"))
    lines = (KORPUS / "cases" / "2015-primarvard.md").read_text(encoding="utf-8").splitlines()
    found = {(p.field, p.place.line): p.message for p in case.warnings if "platshållare" in p.message}
    assert set(found) == {
        ("beslut.ordforande", lines.index("  ordforande: Ordförande Exempel") + 1),
        ("beslut.sekreterare", lines.index("  sekreterare: Sekreterare Exempel") + 1),
        ("beslut.justerare[1]", lines.index("    - Justerare Ett") + 1),
    }
    assert all(p.severity == "varning" for p in case.warnings if "platshållare" in p.message)
    assert found[("beslut.justerare[1]", lines.index("    - Justerare Ett") + 1)] == (
        "namnet 'Justerare Ett' ser ut som en platshållare ('Justerare'); skriv in den som skriver under innan papperet diarieförs"
    )
    assert not any("Peter Lilja" in p.message for p in case.warnings)  # the tjänsteskrivelse's real signatories
