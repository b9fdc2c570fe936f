"""Prose and att-satser through the Jinja sandbox (sandbox.py) with Swedish filters for amounts and dates."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import ROUND_HALF_UP, Decimal, DecimalException
from typing import Any

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.utils import missing

from tjanste import limits
from tjanste.errors import Place, Problems
from tjanste.source.hints import prose_slip
from tjanste.source.schema import suggest
from tjanste.source.yamlsource import FORBIDDEN, forbidden_character_message
from tjanste.values.amount import Amount, NotExact
from tjanste.values.shown import InvalidAmount, ShownAmount
from tjanste.values.words import number_words
from tjanste.wording import workbudget
from tjanste.wording.arithmetic import kind
from tjanste.wording.readonly import ReadOnly, freeze
from tjanste.wording.sandbox import Sandbox
from tjanste.wording.tags import Refused

MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"]


def long_date(day: dt.date) -> str:
    """4 maj 2022: the form for running text."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


class SwedishUndefined(StrictUndefined):
    """Fails on any use, with a message an official can act on."""

    known_names = "belopp, arende, org, tabell"  # prose's names; the Word templates' Undefined lists theirs

    @property
    def _undefined_message(self) -> str:
        if self._undefined_hint:
            return self._undefined_hint
        if self._undefined_obj is missing:
            known = self.known_names
            return (
                f"'{self._undefined_name}' är inte definierat{suggest(str(self._undefined_name), known.split(', '))}; kända namn: {known}"
            )
        known = suggestion = ""
        if isinstance(self._undefined_obj, ReadOnly) and self._undefined_obj:
            known = f"; kända namn här: {', '.join(sorted(map(str, self._undefined_obj)))}"
            suggestion = suggest(str(self._undefined_name), list(sorted(map(str, self._undefined_obj))))
        if self._undefined_name in _CHANGING:
            return f"'{self._undefined_name}' skulle ändra värdena, men löptext och mallar kan bara läsa dem{known}"
        if known:
            return f"'{self._undefined_name}' finns inte{suggestion}{known}"
        return f"'{self._undefined_name}' finns inte i {kind(self._undefined_obj)}"


_CHANGING = frozenset(
    {"update", "pop", "popitem", "setdefault", "clear", "append", "extend", "insert", "remove", "sort", "reverse", "add", "discard"}
)


def _amount_filter(unit: str) -> Callable[..., str]:
    def show(value: Any, decimals: int | None = None, avrunda: int | None = None) -> str:
        """`| kr`, `| mnkr(1)`; `| kr(avrunda=1000)` rounds half-up to whole thousands of the unit.

        As a text that repeats a figure rounded does.
        """
        shown = _as_shown(value)
        if avrunda is None:
            return shown.shown(unit, decimals)
        if isinstance(avrunda, bool) or not isinstance(avrunda, int) or not 0 < avrunda <= 10**9:
            raise TemplateError(f"avrunda={avrunda!r}: skriv ett heltal som 1000 (till tusental) eller 100")
        step = Amount.parse(f"{avrunda} {unit}").kronor
        rounded = (shown.amount.kronor / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step
        return ShownAmount(Amount(rounded, shown.amount.unit), shown.unit_words).shown(unit, decimals)

    show.__name__ = unit
    return show


def _as_shown(value: Any) -> ShownAmount:
    if isinstance(value, InvalidAmount):
        return ShownAmount(Amount(Decimal(0)), {})  # its error is reported where it is written; no Word file is made
    if isinstance(value, ShownAmount):
        return value
    if isinstance(value, Amount):
        return ShownAmount(value, {})
    raise TemplateError(f"'{value}' är inget belopp; filtret gäller namn under belopp, t.ex. {{{{ belopp.totalt | mnkr }}}}")


def _words(value: Any) -> str:
    if isinstance(value, (ShownAmount, Amount, InvalidAmount)):
        return _as_shown(value).amount.words()
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return number_words(value)
    raise TemplateError(f"'{value}' kan inte skrivas med bokstäver; filtret ord gäller belopp och heltal")


def _long(value: Any, unit: str | None = None, decimals: int | None = None) -> str:
    return _as_shown(value).amount.long(unit, decimals=decimals)


def _date(value: Any) -> str:
    if isinstance(value, dt.date):
        return long_date(value)
    raise TemplateError(f"'{value}' är inget datum; filtret datum gäller t.ex. {{{{ arende.datum | datum }}}}")


def make_environment() -> Sandbox:
    """The one environment prose and att-satser are rendered in: the sandbox, strict, no autoescape (output is markdown)."""
    env = Sandbox(
        undefined=SwedishUndefined,
        autoescape=False,
        output_limit=(limits.JINJA_MAX_OUTPUT_CHARS, "texten", "JINJA_MAX_OUTPUT_CHARS"),
        keep_trailing_newline=True,
    )
    for unit in ("kr", "tkr", "mnkr", "mdkr"):
        env.filters[unit] = _amount_filter(unit)
    env.filters["ord"] = _words
    env.filters["lang"] = _long
    env.filters["datum"] = _date
    return env


CASE_FILTERS = ["kr", "tkr", "mnkr", "mdkr", "ord", "lang", "datum"]  # ours, named in messages; Jinja's own work too


_ENV: Sandbox | None = None


def environment() -> Sandbox:
    global _ENV
    if _ENV is None:
        _ENV = make_environment()
    return _ENV


_in_pieces: ContextVar[bool] = ContextVar("tjanste_prose_in_pieces", default=False)
_PARAGRAPH_BREAK = re.compile(r"(\n[ \t]*\n)")
_WHOLE_ONLY = ("{%", "{#", "{{-", "-}}")  # statements, comments and whitespace control can reach across paragraphs


@contextmanager
def in_pieces() -> Iterator[None]:
    """Prose rendered paragraph by paragraph, in this thread: the preview's, so that a saved edit recompiles only what it changed.

    The output is the same text: a paragraph holds only {{ ... }} expressions, which cannot reach
    into another one (prose with {% %}, {# #} or whitespace control is rendered whole), and any
    error makes the whole prose render again, so that the message names its line as always.
    """
    token = _in_pieces.set(True)
    try:
        yield
    finally:
        _in_pieces.reset(token)


def rendering_in_pieces() -> bool:
    """Whether prose is rendered in pieces in this thread (see in_pieces): a preview, whose every edit is a new text."""
    return _in_pieces.get()


def _rendered(source: str, values: dict[str, Any]) -> str:
    workbudget.tick()  # compiling counts too: a case of 100 000 distinct att-satser is mostly compiling
    env = environment()
    if rendering_in_pieces() and not any(mark in source for mark in _WHOLE_ONLY):
        parts = _PARAGRAPH_BREAK.split(source)
        pieces = ["".join(parts[index : index + 2]) for index in range(0, len(parts), 2)]
        try:
            out = [env.piece_from_string(piece).render(values) if "{{" in piece else piece for piece in pieces]
            if sum(map(len, out)) <= limits.JINJA_MAX_OUTPUT_CHARS:
                return "".join(out)
        except Exception:  # noqa: BLE001 - rendered whole below, so that the error names its line as it always has
            pass
    text: str = env.from_string(source).render(values)
    return text


def render_text(source: str, context: dict[str, Any], place: Place, field: str, problems: Problems) -> str | None:
    """Renders one piece of prose; an error becomes a problem at the line of the case it came from."""
    if workbudget.time_spent():
        return None
    slip = prose_slip(source, known_filters=set(environment().filters), suggested=CASE_FILTERS)
    if slip is not None:  # a slip we know, named at its own line and column with what to write instead
        line, col, message = slip
        problems.error(Place(place.path, place.line + line - 1, (place.col if line == 1 else 1) + col - 1), field, message)
        return None
    try:
        rendered = _rendered(source, {name: freeze(value) for name, value in context.items()})
        bad = FORBIDDEN.search(rendered)
        if bad is None:
            return rendered
        # made by an expression ({{ '\\u202e' }}, a YAML escape in a value): the case file itself held none
        problems.error(_shift(place, rendered.count("\n", 0, bad.start()) + 1), field, forbidden_character_message(bad.group(0)))
    except TemplateSyntaxError as exc:
        problems.error(_shift(place, _opening_line(source, exc.lineno)), field, f"mallfel: {syntax_message(exc)}")
    except UndefinedError as exc:
        quoted = re.match(r"'([^']+)'", exc.message or "")
        problems.error(
            _shift(place, _template_line(exc), source, quoted.group(1) if quoted else None),
            field,
            exc.message or "ett namn är inte definierat",
        )
    except TemplateError as exc:
        problems.error(_shift(place, _template_line(exc), source, getattr(exc, "name", None)), field, exc.message or str(exc))
    except (NotExact, ValueError) as exc:  # Swedish messages of our own (amounts, words, decimals)
        problems.error(_shift(place, _template_line(exc)), field, f"uttrycket kan inte beräknas: {exc}")
    except ZeroDivisionError as exc:
        problems.error(_shift(place, _template_line(exc)), field, "uttrycket kan inte beräknas: division med noll")
    except (DecimalException, ArithmeticError) as exc:
        problems.error(_shift(place, _template_line(exc)), field, "uttrycket kan inte beräknas: ogiltig räkning med decimaltal")
    except Exception as exc:  # noqa: BLE001 - a type error inside an expression, e.g. a comparison of a text with a number
        problems.error(_shift(place, _template_line(exc)), field, f"uttrycket kan inte beräknas: {python_message(exc)}")
    return None


_TYPE_NAMES = {
    "str": "en text", "Markup": "en text", "int": "ett heltal", "float": "ett decimaltal", "Decimal": "ett decimaltal",
    "bool": "sant eller falskt", "tuple": "en lista", "list": "en lista", "ReadOnly": "en samling namn",
    "NoneType": "inget värde", "date": "ett datum", "ShownAmount": "ett belopp", "InvalidAmount": "ett belopp",
    "function": "en funktion", "SwedishUndefined": "ett odefinierat namn",
}  # fmt: skip
# Patterns as text, compiled by re at the first error that needs them rather than at every start (24 patterns, a millisecond).
_PYTHON_MESSAGES = [
    (r"'(.+)' not supported between instances of '(\w+)' and '(\w+)'", "'{0}' går inte mellan {1} och {2}"),
    (r"'(\w+)' object is not iterable", "{0} går inte att gå igenom med {{% for %}}"),
    (r"'(\w+)' object is not callable", "{0} kan inte anropas"),
    (r"object of type '(\w+)' has no len\(\)", "{0} har ingen längd"),
    (r".*(positional argument|keyword argument|arguments? but).*", "fel antal eller slag av argument"),
]


def python_message(exc: BaseException) -> str:
    """A Python error inside an expression, said in Swedish with Swedish names of the values."""
    text = str(exc)
    for pattern, swedish in _PYTHON_MESSAGES:
        match = re.match(pattern, text)
        if match:
            names = [_TYPE_NAMES.get(group, group) if group else "" for group in match.groups()]
            return swedish.format(*names)
    return f"fel slags värde ({type(exc).__name__})"


_SYNTAX_MESSAGES = [
    (
        r"Unexpected end of template\. Jinja was looking for .*The innermost block that needs to be closed is '(\w+)'.*",
        r"texten tar slut innan {% \1 %} är stängt; skriv {% end\1 %} där det ska sluta",
    ),
    (
        r"Encountered unknown tag '(\w+)'\. Jinja was looking for .*The innermost block that needs to be closed is '(\w+)'.*",
        r"{% \1 %} kan inte stå här, inne i {% \2 %}, som inte är stängt än; skriv {% end\2 %} där det ska sluta",
    ),
    (r"Encountered unknown tag '(end(\w+))'\.?$", r"{% \1 %} står utan något {% \2 %} före; ta bort det eller börja blocket"),
    (r"Encountered unknown tag '(else|elif)'\.?$", r"{% \1 %} står utan något {% if %} före"),
    (r"Encountered unknown tag '(.*?)'.*", r"okänd tagg '\1'; värden skrivs {{ namn }}"),
    (r"(?i)unexpected end of template, expected '(.*?)'\.?$", r"texten tar slut inne i uttrycket; väntade '\1'"),
    (r"unexpected end of template", "texten tar slut inne i {{ ... }} eller {% ... %}; saknas en avslutande }} eller %}?"),
    (r"unexpected char (.+) at \d+", r"tecknet \1 kan inte stå i ett uttryck"),
    (r"expected name or number", "väntade ett namn eller ett tal efter punkten; saknas en avslutande }}?"),
    (r"expected token 'end of print statement', got '(.*)'", r"väntade }} men fick '\1'"),
    (r"expected token '(.*)', got '(.*)'", r"väntade '\1' men fick '\2'"),
    (r"Expected an expression, got '(.*)'", r"ett uttryck saknas före '\1'"),
    (r"unexpected '(.*?)', expected '(.*?)'$", r"väntade '\2' men fick '\1'"),
    (r"unexpected '\}'$", "ett ensamt '}'; ett uttryck slutar med }}"),
    (r"Missing end of comment tag", "kommentaren {# stängs aldrig; skriv #} där den slutar"),
    (r"Missing end of raw directive", "{% raw %} stängs aldrig; skriv {% endraw %} där det slutar"),
    (r"unexpected '(.*)'", r"oväntat '\1'; något saknas före det"),
    (r"tag name expected", "ett namn saknas efter {%"),
]
# Jinja names tokens in English: the delimiters as the official writes them.
_TOKEN_NAMES = {
    "'end of print statement'": "'}}'",
    "'end of statement block'": "'%}'",
    "'end of template'": "slutet av texten",
    "'name'": "ett namn",
}


def syntax_message(exc: TemplateSyntaxError) -> str:
    """A Jinja syntax error in Swedish, naming the tag to write; Jinja's own English only for an error not listed here."""
    if isinstance(exc, Refused):
        return exc.message or "syntaxfel"
    message = exc.message or "syntaxfel"
    for pattern, swedish in _SYNTAX_MESSAGES:
        if re.match(pattern, message):
            translated = re.sub(pattern, swedish, message, count=1)
            for english, written in _TOKEN_NAMES.items():
                translated = translated.replace(english, written)
            return translated
    return f"Jinjas beskrivning (på engelska): {message}"


_DELIMITERS = re.compile(r"\{\{|\{%|\}\}|%\}")


def _opening_line(source: str, error_line: int | None) -> int:
    """Jinja names the line where it gave up; an unclosed {{ further up is where the official must look."""
    error_line = error_line or 1
    opened_at = None
    for number, line in enumerate(source.split("\n")[: error_line - 1], start=1):
        for match in _DELIMITERS.finditer(line):
            if match.group(0) in ("{{", "{%"):
                opened_at = opened_at or number
            else:
                opened_at = None
    return opened_at or error_line


def _template_line(exc: BaseException) -> int:
    """The template line an error happened on, from the traceback Jinja rewrites to template lines."""
    line = 1
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _shift(place: Place, template_line: int | None, source: str = "", name: str | None = None) -> Place:
    """Template line 1 is the place's own line; a wrong name is pointed at where it is written on its line."""
    offset = max((template_line or 1) - 1, 0)
    line = place.line + offset
    col = place.col if line == place.line else 1
    lines = source.split("\n")
    found = re.search(rf"(?<![\w]){re.escape(name)}(?![\w])", lines[offset]) if name and offset < len(lines) else None
    if found:
        col += found.start()
    return Place(place.path, line, col)
