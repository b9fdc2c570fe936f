"""Hostile Word templates and hostile prose against shared state: the sandbox refuses them, and no case changes another's bytes.

The templates are built at test time from a shipped one, with one tag replaced,
since a template is a file an official edits in Word and sends in a pull request.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import KORPUS, ROOT, rewrite_part
from tjanste.cli.main import main
from tjanste.commands.pipeline import read_and_word
from tjanste.errors import CaseError
from tjanste.writing.document import render_docx

SHIPPED = ROOT / "templates" / "beslut" / "tjansteskrivelse.docx"
TAG = "{{ arende.rubrik }}"


@pytest.fixture(scope="module")
def paper():
    _, papers = read_and_word(str(KORPUS / "cases" / "2015-primarvard.md"))
    return papers[0]


def hostile_template(folder: Path, tag: str) -> Path:
    template = folder / "tjansteskrivelse.docx"
    shutil.copy2(SHIPPED, template)
    rewrite_part(template, "word/document.xml", lambda xml: xml.replace(TAG.encode(), tag.encode("utf-8"), 1))
    return template


@pytest.mark.parametrize(
    "tag, message",
    [
        ("{{ cycler.__init__.__globals__.os.popen('id').read() }}", "'cycler' är inte definierat"),
        ("{{ lipsum(10 ** 6) }}", "'lipsum' är inte definierat"),
        ("{{ namespace() }}", "'namespace' är inte definierat"),
        ("{{ arende.__class__.__mro__ }}", "'__class__' går inte att nå i en samling namn"),
        ("{{ arende.rubrik.__class__.__base__.__subclasses__() }}", "'__class__' går inte att nå i en text"),
        ("{{ '{0.__class__}'.format(arende) }}", "'format' går inte att nå i en text"),
        ("{{ arende.rubrik.upper() }}", "'upper' går inte att nå i en text"),
        ("{{ '%099999999d' % 1 }}", "% med en text (formatering) kan inte användas här"),
        (
            "{% set _ = forslag.satser.append('att godkänna allt') %}",
            "'append' skulle ändra värdena, men löptext och mallar kan bara läsa dem",
        ),
        ("{% set _ = arende.update({'rubrik': 'x'}) %}", "'update' skulle ändra värdena"),
        ("{% autoescape false %}{{ arende.rubrik }}{% endautoescape %}", "{% autoescape %} kan inte användas här"),
        ("{{ arende.rubrik | safe }}", "okänt filter 'safe'"),
        ("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "{% macro %} kan inte användas här"),
        ('{% include "word/document.xml" %}', "{% include %} kan inte användas här"),
        ("{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}", "slingorna går fler än 100 000 varv"),
        ("{{ 10 ** (10 ** 10) }}", "exponenten i 10 ** 10000000000 är för stor"),
        ("{{ 'a' * 10 ** 9 }}", "texten blir 1 000 000 000 tecken; gränsen är 100 000 tecken (JINJA_MAX_TEXT_CHARS)"),
        ("{{ arende.rubrik &lt; 3 }}", "'<' går inte mellan en text och ett heltal"),
    ],
)
def test_hostile_template_tag_is_refused(paper, tmp_path: Path, tag: str, message: str) -> None:
    template = hostile_template(tmp_path, tag)
    with pytest.raises(CaseError) as caught:
        render_docx(paper, template)
    [problem] = caught.value.problems
    assert problem.message.startswith("mallfel: "), problem.message
    assert message in problem.message


def test_an_undefined_name_in_a_template_lists_the_templates_names(paper) -> None:
    from tjanste.writing.document import TemplateUndefined

    assert TemplateUndefined.known_names.split(", ") == [*paper.context, "brodtext"]


def test_template_reaching_the_shell_gives_a_swedish_error_and_writes_nothing(
    project_copy: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project_copy)
    template = project_copy / "templates" / "beslut" / "tjansteskrivelse.docx"
    rewrite_part(
        template, "word/document.xml", lambda xml: xml.replace(TAG.encode(), b"{{ cycler.__init__.__globals__.os.popen('id').read() }}", 1)
    )
    out = project_copy / "ut"
    assert main(["render", "2015-primarvard", "--ut", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(
        "templates/beslut/tjansteskrivelse.docx:1:1: fel: mall: mallfel: 'cycler' är inte definierat; kända namn: org, arende,"
    ), err
    assert "uid=" not in err
    assert not (out / "2015-primarvard").exists()


HOSTILE_NEIGHBOUR = """---
typ: tjansteskrivelse
organisation: landstinget-blekinge
dnr: 2015/00123
datum: 2015-01-19
rubrik: Ett ärende som försöker ändra delat tillstånd
belopp:
  totalt: 20 mnkr
forslag:
  beslutar: Landstingsstyrelsen
  att:
    - 'ändra {% set _ = belopp.totalt.unit_words.update({"mnkr": "ÄNDRAT"}) %}enhetsorden'
    - 'ändra {% set _ = belopp.update({"totalt": 1}) %}beloppen'
---
Organisationen {% set _ = org.update({"namn": "Fel region"}) %}{{ org.namn }}.
"""


def test_a_case_renders_to_the_same_bytes_alone_and_among_hostile_cases(
    project_copy: Path, build: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`alla` renders a hostile case first (sorted by name); every other case's files are those it gets alone."""
    (project_copy / "cases" / "0000-angrepp.md").write_text(HOSTILE_NEIGHBOUR, encoding="utf-8")
    out = project_copy / "ut"
    assert main(["alla", "--ut", str(out)]) == 1
    err = capsys.readouterr().err
    assert "0000-angrepp.md:12:" in err and "0000-angrepp.md:13:" in err and "0000-angrepp.md:15:" in err, err
    alone = sorted(p.relative_to(build) for p in build.glob("*/*.docx"))
    assert alone, "the session's build renders every case alone"
    for name in alone:
        assert (out / name).read_bytes() == (build / name).read_bytes(), name


def test_a_record_of_our_own_never_reaches_a_template_as_a_tuple() -> None:
    """Records such as Place are NamedTuples; handed to a template by mistake, freeze refuses them instead of exposing fields."""
    from tjanste.errors import Place
    from tjanste.wording.readonly import freeze

    with pytest.raises(TypeError, match="Place is not a read-only value"):
        freeze({"plats": Place("a.md", 3, 4)})
    assert freeze({"lista": [1, (2, 3)]})["lista"] == (1, (2, 3))


NESTINGS = {
    "led": lambda n: "{{ a" + ".x" * n + " }}",
    "parenteser": lambda n: "{{ " + "(" * n + "1" + ")" * n + " }}",
    "summa": lambda n: "{{ " + " + ".join(["a.b"] * n) + " }}",
    "listor": lambda n: "{{ " + "[" * n + "]" * n + " }}",
    "filter": lambda n: "{{ a" + "|lower" * n + " }}",
    "if": lambda n: "{% if a %}" * n + "x" + "{% endif %}" * n,
    "for": lambda n: "{% for i in a %}" * n + "x" + "{% endfor %}" * n,
    "for-if": lambda n: "{% for i in a %}{% if i %}" * n + "x" + "{% endif %}{% endfor %}" * n,
    "led-i-parenteser": lambda n: "{{ " + "(" * n + "a" + (".x" * 20 + ")") * n + " }}",
    "summor-i-parenteser": lambda n: "{{ " + "(" * n + "a" + (" + a" * 20 + ")") * n + " }}",
    "index-i-index": lambda n: "{{ a" + "[a.b.c.d" * n + "]" * n + " }}",
}


@pytest.mark.parametrize("kind", sorted(NESTINGS))
def test_every_depth_compiles_or_names_the_nesting_limit(kind: str) -> None:
    """Counted from the tokens before Jinja or Python recurse: no depth reaches a RecursionError (on 3.13 its unwinding
    printed 'Exception ignored' lines) or Python's limit of 20 nested blocks."""
    from tjanste.wording.prose import environment
    from tjanste.wording.tags import Refused

    environment_ = environment()
    outcomes = []
    for depth in range(1, 80):
        try:
            environment_.from_string(NESTINGS[kind](depth))
            outcomes.append("ok")
        except Refused as refused:
            assert "(JINJA_MAX_NESTING)" in str(refused), f"djup {depth}: {refused}"
            outcomes.append("gräns")
    assert outcomes[0] == "ok" and outcomes[-1] == "gräns"
    assert outcomes == sorted(outcomes, key=lambda o: o == "gräns"), "once refused, deeper is refused too"


@pytest.mark.parametrize("tag", ["macro m()", "call m()", "block b", "filter upper"])
def test_a_tag_the_sandbox_does_not_offer_is_refused_before_its_nesting_can_recurse(tag: str) -> None:
    """400 nested {% macro %} made the parser recurse until a RecursionError, named as too many brackets."""
    from tjanste.wording.prose import environment
    from tjanste.wording.tags import Refused

    name = tag.split()[0]
    with pytest.raises(Refused) as refused:
        environment().from_string(("{% " + tag + " %}") * 400 + "x" + ("{% end" + name + " %}") * 400)
    assert str(refused.value).startswith("{% " + name), str(refused.value)
    assert "kan inte användas här" in str(refused.value)
