"""Prose through the sandboxed Jinja environment: Swedish filters, strict names, errors at the case's line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tjanste.errors import Place, Problems
from tjanste.values.amount import Amount
from tjanste.wording.prose import ShownAmount, long_date, render_text


def context(unit_words: dict[str, str] | None = None) -> dict:
    words = unit_words or {}
    return {
        "belopp": {
            "totalt": ShownAmount(Amount.parse("20 mnkr"), words),
            "del": ShownAmount(Amount.parse("15,1 mnkr"), words),
            "rad": ShownAmount(Amount.parse("64 410 035 kr"), words),
        },
        "arende": {"datum": dt.date(2022, 5, 4)},
    }


def render(source: str, unit_words: dict[str, str] | None = None) -> tuple[str | None, Problems]:
    problems = Problems()
    return render_text(source, context(unit_words), Place("cases/x.md", 10, 1), "text", problems), problems


@pytest.mark.parametrize(
    "source, expected",
    [
        ("{{ belopp.totalt }}", "20\u00a0mnkr"),
        ("{{ belopp.del | kr }}", "15\u00a0100\u00a0000\u00a0kr"),
        ("{{ belopp.rad | mnkr(1) }}", "64,4\u00a0mnkr"),
        ("{{ belopp.rad | tkr }}", "64\u00a0410,035\u00a0tkr"),
        ("{{ belopp.totalt | ord }}", "tjugo miljoner kronor"),
        ("{{ belopp.rad | ord }}", "sextiofyra miljoner fyrahundratio tusen trettiofem kronor"),
        ("{{ belopp.totalt | lang }}", "20\u00a0miljoner kronor"),
        ("{{ arende.datum | datum }}", "4 maj 2022"),
    ],
)
def test_filters(source: str, expected: str) -> None:
    text, problems = render(source)
    assert problems.items == []
    assert text == expected


def test_organisation_unit_word() -> None:
    text, _ = render("{{ belopp.totalt }}", {"mnkr": "mkr"})
    assert text == "20\u00a0mkr"


def test_undefined_name_is_an_error_at_its_line_and_column() -> None:
    text, problems = render("Rad ett.\n\nHär står {{ belopp.saknas }}.")
    assert text is None
    [problem] = problems.items
    assert str(problem).startswith("cases/x.md:12:20: fel: text: 'saknas' finns inte")
    assert "totalt" in problem.message


def test_unknown_top_level_name() -> None:
    _, problems = render("{{ okand }}")
    assert str(problems.items[0]).startswith("cases/x.md:10:4: fel: text: 'okand' är inte definierat")


def test_syntax_error_points_at_its_line() -> None:
    _, problems = render("a\nb {{ belopp.totalt \nc")
    [problem] = problems.items
    assert problem.place.line in (11, 12)
    assert "mallfel" in problem.message


def test_sandbox_refuses_unsafe_attributes() -> None:
    _, problems = render("{{ belopp.totalt.__class__.__mro__ }}")
    assert problems.errors


def test_long_date() -> None:
    assert long_date(dt.date(2015, 1, 19)) == "19 januari 2015"
    assert long_date(dt.date(2022, 12, 1)) == "1 december 2022"


def test_words_of_integers() -> None:
    text, _ = render("{{ 1035 | ord }}")
    assert text == "ettusentrettiofem"


# --- arithmetic: exact, on amounts too; every error Swedish and at its line ---------------------


@pytest.mark.parametrize(
    "source, expected",
    [
        ("{{ belopp.totalt + belopp.del }}", "35,1\u00a0mnkr"),
        ("{{ belopp.totalt - belopp.del }}", "4,9\u00a0mnkr"),
        ("{{ -belopp.del }}", "\u221215,1\u00a0mnkr"),
        ("{{ belopp.totalt * 3 }}", "60\u00a0mnkr"),
        ("{{ belopp.totalt * 2.5 }}", "50\u00a0mnkr"),
        ("{{ belopp.totalt / 8 }}", "2,5\u00a0mnkr"),
        ("{{ (belopp.totalt + belopp.rad) | kr }}", "84\u00a0410\u00a0035\u00a0kr"),
        ("{{ (belopp.totalt + belopp.del) | ord }}", "trettiofem miljoner etthundra tusen kronor"),
        ("{% if belopp.totalt > belopp.del %}större{% endif %}", "större"),
        ("{{ 7 / 2 }}", "3.5"),
        ("{{ 0.1 + 0.2 }}", "0.3"),
        ("{{ 12345678901234567.89 }}", "12345678901234567.89"),  # a float literal printed 1.2345678901234568e+16
        ("{{ 0.1000000000000000055511151231257827 * 10 }}", "1.0000000000000000555111512312578270"),
        ("{{ 2.50 }}", "2.50"),
        ("{{ [1.5, 2.25] | join(' ') }}", "1.5 2.25"),
        ("{{ 1_000.5 - 0.5 }}", "1000.0"),
        ("{{ 2 ** 10 }}", "1024"),
        ("{{ 10 ** -2 }}", "0.01"),
        ("{% for x in range(3) %}{{ loop.index }}{% endfor %}", "123"),
        ("{{ ['a', 'b'] | join(', ') }}", "a, b"),
        ("{{ arende.datum | datum | upper }}", "4 MAJ 2022"),
    ],
)
def test_arithmetic_is_exact(source: str, expected: str) -> None:
    text, problems = render(source)
    assert problems.items == []
    assert text == expected


@pytest.mark.parametrize(
    "source, message",
    [
        ("{{ belopp.totalt / 3 }}", "går inte att räkna exakt med högst 100 siffror (EXACT_DIGITS), och tjanste avrundar aldrig i tysthet"),
        ("{{ 1 / 3 }}", "1 / 3 går inte att räkna exakt"),
        ("{{ belopp.totalt + 1 }}", "ett belopp + ett heltal går inte att räkna ut"),
        ("{{ 1 / 0 }}", "division med noll"),
        ("{{ 0 ** -1 }}", "0 ** -1: division med noll"),  # printed 'Infinity'
        ("{{ 0.0 ** -2 }}", "division med noll"),
        ("{{ 1e400 }}", "talet 1E+400 har för många siffror; ett tal får ha högst 100 (EXACT_DIGITS)"),
        ("{{ 1e-400 * 1 }}", "har för många siffror"),
        ("{{ 1\u0660\u0660 + 1 }}", "'\u0660' är siffran 0 ur en annan skrift, U+0660 (ARABIC-INDIC DIGIT ZERO); skriv siffrorna 0–9"),
        ("{{ 2.\u0665 }}", "U+0665 (ARABIC-INDIC DIGIT FIVE)"),
        ("{{ 1\uff10 }}", "U+FF10 (FULLWIDTH DIGIT ZERO)"),
        ("{{ belopp.totalt / 0 }}", "division med noll"),
        ("{{ belopp.rad | mnkr(30) }}", "antalet decimaler ska vara ett heltal 0–6 (AMOUNT_MAX_DECIMALS), inte 30"),
        ("{{ belopp.rad | mnkr('x') }}", "antalet decimaler ska vara ett heltal 0–6"),
        ("{{ belopp.totalt * 10 ** 99 }}", "går inte att räkna exakt med högst 100 siffror"),
        ("{{ 9 ** 99 * 9 ** 99 }}", "ett tal får ha högst 100 (EXACT_DIGITS)"),
        ("{{ 10 ** 1000 }}", "exponenten i 10 ** 1000 är för stor; den får vara högst 100 (JINJA_MAX_EXPONENT)"),
        ("{{ [1] * 10 ** 6 }}", "listan blir 1 000 000 element; gränsen är 10 000 element (JINJA_MAX_LIST_ITEMS)"),
        ("{{ ('a' * 99999) ~ ('b' * 99999) }}", "texten blir 199 998 tecken; gränsen är 100 000 tecken (JINJA_MAX_TEXT_CHARS)"),
        ("{{ range(10 ** 9) | join }}", "range ger 1 000 000 000 tal; gränsen är 100 000 varv per ärende (JINJA_MAX_LOOP_ROUNDS)"),
        ("{{ range(10 ** 30) | join }}", "range ger fler än 100 000 tal; gränsen är 100 000 varv per ärende (JINJA_MAX_LOOP_ROUNDS)"),
        (
            "{% for i in range(90000) %}{{ 'a' * 99999 }}{% endfor %}",
            "texten blir längre än 1 000 000 tecken, som är gränsen (JINJA_MAX_OUTPUT_CHARS)",
        ),
        ("{{ 'x' < 3 }}", "'<' går inte mellan en text och ett heltal"),
        ("{{ '%0999999999d' % 1 }}", "% med en text (formatering) kan inte användas här"),
    ],
)
def test_arithmetic_errors_are_swedish_and_at_their_line(source: str, message: str) -> None:
    text, problems = render(f"Rad ett.\n\n{source}")
    assert text is None
    [problem] = problems.items
    assert str(problem).startswith("cases/x.md:12:1: fel: text: "), str(problem)
    assert "decimal." not in problem.message and "Traceback" not in problem.message
    assert message in problem.message


def test_a_set_block_is_refused_since_it_would_collect_output_past_the_limit() -> None:
    _, problems = render("a\n{% set x %}{% for i in range(2000) %}{{ 'a' * 99999 }}{% endfor %}{% endset %}{{ x | length }}")
    [problem] = problems.items
    assert str(problem).startswith("cases/x.md:11:1: fel: text: mallfel: {% set namn %}...{% endset %} kan inte användas här")


@pytest.mark.parametrize("name", ["lipsum", "cycler", "joiner", "namespace", "dict", "self"])
def test_jinja_helpers_are_not_available(name: str) -> None:
    _, problems = render(f"{{{{ {name}(10 ** 6) }}}}")
    [problem] = problems.items
    assert f"'{name}'" in problem.message


def test_values_are_read_only() -> None:
    _, problems = render('{% set _ = belopp.update({"del": belopp.totalt}) %}{{ belopp.del }}')
    [problem] = problems.items
    assert "'update' skulle ändra värdena, men löptext och mallar kan bara läsa dem" in problem.message
    amount = ShownAmount(Amount.parse("20 mnkr"), {"mnkr": "mkr"})
    with pytest.raises(TypeError):
        amount.unit_words["mnkr"] = "x"  # type: ignore[index]
    with pytest.raises(AttributeError):
        amount.amount = Amount.parse("1 kr")  # type: ignore[misc]


def test_time_budget_holds_in_a_worker_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """No signals: the budget is checked in the hooks, so it stops a render in any thread."""
    from concurrent.futures import ThreadPoolExecutor

    from tjanste import limits

    monkeypatch.setattr(limits, "JINJA_SECONDS_PER_CASE", 0.05)
    source = "a\n{% for i in range(99999) %}{% for j in range(99999) %}{{ i ** 2 }}{% endfor %}{% endfor %}"
    monkeypatch.setattr(limits, "JINJA_MAX_LOOP_ROUNDS", 10**12)
    with ThreadPoolExecutor(1) as pool:
        text, problems = pool.submit(render, source).result(timeout=30)
    assert text is None
    [problem] = problems.items
    assert str(problem).startswith("cases/x.md:11:1: fel: text: Jinja får arbeta högst 0,05 s per ärende (JINJA_SECONDS_PER_CASE)")


def test_the_guide_arithmetic_table_is_what_prose_gives() -> None:
    """Each row of the guide's 'Räkna med belopp' with a {{ }} gives what the guide says, for its example case (docs/handlaggare.md)."""
    import re

    from conftest import ROOT

    readme = (ROOT / "docs" / "handlaggare.md").read_text(encoding="utf-8")
    table = readme.split("### Räkna med belopp", 1)[1].split("\n\n", 2)[1]
    amounts = {
        name: ShownAmount(Amount.parse(text), {}) for name, text in [("totalt", "20 mnkr"), ("lakare", "2 mnkr"), ("ovrigt", "18 mnkr")]
    }
    rows = [re.findall(r"`([^`]+)`", line.replace("\\|", "|")) for line in table.splitlines()[2:]]
    checked = 0
    for cells in rows:
        expressions = [c for c in cells if c.startswith("{{")]
        for expression, shown in zip(expressions, [c for c in cells if not c.startswith("{")], strict=True):
            problems = Problems()
            text = render_text(expression, {"belopp": amounts}, Place("docs/handlaggare.md", 1, 1), "text", problems)
            assert text == shown.replace(" ", "\u00a0"), (expression, text, problems.items)
            checked += 1
    assert checked >= 5


@pytest.mark.parametrize(
    "source",
    [
        "{{ [('a' * 99999)] * 10000 }}",
        "{% set a = [('a' * 99999)] * 1000 %}{{ a | upper }}",
        "{% set a = [('a' * 99999)] * 1000 %}{{ a ~ 'x' }}",
        "{% set a = [('a' * 99999)] * 1000 %}{{ [a] | join }}",
        "{% set a = [('a' * 99999)] * 1000 %}{{ tabell(a) }}",
    ],
)
def test_a_list_of_long_texts_is_refused_before_it_is_printed(source: str) -> None:
    """Cheap to make, a gigabyte to print: the text size is counted before str() makes it."""
    text, problems = render(source)
    assert text is None
    [problem] = problems.items
    assert "gränsen är 100 000 tecken (JINJA_MAX_TEXT_CHARS)" in problem.message


def test_a_belopp_named_like_a_method_is_that_belopp() -> None:
    """Read-only mappings have no public methods, so names such as items, update or names reach the case's values."""
    amounts = {name: ShownAmount(Amount.parse("2 mnkr"), {}) for name in ("items", "update", "names", "get")}
    problems = Problems()
    text = render_text(
        "{{ belopp.items }} {{ belopp.update }} {{ belopp.names }} {{ belopp.get }}",
        {"belopp": amounts},
        Place("x.md", 1, 1),
        "text",
        problems,
    )
    assert problems.items == []
    assert text == " ".join(["2\u00a0mnkr"] * 4)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{% if a %}x", "texten tar slut innan {% if %} är stängt; skriv {% endif %} där det ska sluta"),
        ("{% for i in a %}x", "texten tar slut innan {% for %} är stängt; skriv {% endfor %} där det ska sluta"),
        (
            "{% if a %}x{% endfor %}",
            "{% endfor %} kan inte stå här, inne i {% if %}, som inte är stängt än; skriv {% endif %} där det ska sluta",
        ),
        ("{% endif %}", "{% endif %} står utan något {% if %} före; ta bort det eller börja blocket"),
        ("{% else %}", "{% else %} står utan något {% if %} före"),
        ("{{ a | kr( }}", "väntade ')' men fick '}'"),
        ("{{ a ", "texten tar slut inne i uttrycket; väntade '}}'"),
        ("{{ a + }}", "oväntat '}}'; något saknas före det"),
        ("{% if %}{% endif %}", "ett uttryck saknas före '%}'"),
        ("{{ a | }}", "väntade ett namn men fick '}}'"),
        ("{{ a }", "ett ensamt '}'; ett uttryck slutar med }}"),
        ("{# x", "kommentaren {# stängs aldrig; skriv #} där den slutar"),
    ],
)
def test_a_syntax_error_is_named_in_swedish_with_the_tag_to_write(source: str, message: str) -> None:
    from jinja2 import TemplateSyntaxError

    from tjanste.wording.prose import environment, syntax_message

    with pytest.raises(TemplateSyntaxError) as raised:
        environment().from_string(source)
    assert syntax_message(raised.value) == message


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ arende }}", "en samling namn kan inte skrivas ut som text; skriv ett av dess fält, t.ex. arende.rubrik eller belopp.totalt"),
        ("{{ [arende] }}", "en lista kan inte skrivas ut som den är; skriv ut delarna med | join(', ') eller {% for %}"),
        ("{{ [1, 2] }}", "en lista kan inte skrivas ut som den är; skriv ut delarna med | join(', ') eller {% for %}"),
        ("{{ range(3) }}", "en lista kan inte skrivas ut som den är; skriv ut delarna med | join(', ') eller {% for %}"),
    ],
)
def test_a_mapping_or_a_list_is_never_printed_in_pythons_notation(source: str, message: str) -> None:
    """'{{ [arende] }}' printed [ReadOnly({... datetime.date(2015, 1, 19) ...})] into the paper."""
    from jinja2 import TemplateError

    from tjanste.wording.prose import environment
    from tjanste.wording.readonly import freeze

    with pytest.raises(TemplateError) as raised:
        environment().from_string(source).render({"arende": freeze({"rubrik": "R"})})
    assert raised.value.message == message
    assert environment().from_string("{{ [1, 2] | join(', ') }}").render({}) == "1, 2"


def test_an_object_of_ours_is_never_printed_as_python_names_it(project_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """'{{ tabell }}' printed '<tjanste.review.citing.TableNames object at 0x...>' into the paper."""
    from tjanste.cli.main import main

    case = project_copy / "cases" / "2018-patientmiljarden.md"
    case.write_text(case.read_text(encoding="utf-8") + "\nTabellerna: {{ tabell }}\n", encoding="utf-8")
    assert main(["check", "2018-patientmiljarden"]) == 1
    assert "kan inte skrivas ut som text; skriv ett av dess värden" in capsys.readouterr().err
