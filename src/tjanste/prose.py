"""Prose and att-satser through a sandboxed Jinja environment with Swedish filters for amounts and dates."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import missing

from .amount import Amount
from .errors import Place, Problems
from .words import number_words

MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"]


def long_date(day: dt.date) -> str:
    """4 maj 2022: the form for running text."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


class ShownAmount:
    """An amount as prose shows it: in the unit it was written in, with the organisation's unit words."""

    def __init__(self, amount: Amount, unit_words: dict[str, str]):
        self.amount = amount
        self.unit_words = unit_words

    def shown(self, unit: str | None = None, decimals: int | None = None) -> str:
        return self.amount.format(unit, decimals=decimals, unit_words=self.unit_words)

    def __str__(self) -> str:
        return self.shown()


class InvalidAmount:
    """A name written under belopp whose value is already reported as an error: prose may use it without a second error."""

    def __str__(self) -> str:
        return "?"


class SwedishUndefined(StrictUndefined):
    """Fails on any use, with a message an official can act on."""

    @property
    def _undefined_message(self) -> str:  # type: ignore[override]
        if self._undefined_obj is missing:
            return f"'{self._undefined_name}' är inte definierat; kända namn: {_KNOWN}"
        owner = type(self._undefined_obj).__name__
        if isinstance(self._undefined_obj, dict) and self._undefined_obj:
            names = ", ".join(sorted(map(str, self._undefined_obj)))
            return f"'{self._undefined_name}' finns inte; kända namn här: {names}"
        return f"'{self._undefined_name}' finns inte i {owner}"


_KNOWN = "belopp, arende, org, tabell"


def _amount_filter(unit: str):
    def show(value: Any, decimals: int | None = None) -> str:
        return _as_shown(value).shown(unit, decimals)

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


def make_environment() -> SandboxedEnvironment:
    """The one environment prose and att-satser are rendered in: sandboxed, strict, no autoescape (output is markdown)."""
    env = SandboxedEnvironment(undefined=SwedishUndefined, autoescape=False, keep_trailing_newline=True)
    for unit in ("kr", "tkr", "mnkr", "mdkr"):
        env.filters[unit] = _amount_filter(unit)
    env.filters["ord"] = _words
    env.filters["lang"] = _long
    env.filters["datum"] = _date
    return env


_ENV: SandboxedEnvironment | None = None


def environment() -> SandboxedEnvironment:
    global _ENV
    if _ENV is None:
        _ENV = make_environment()
    return _ENV


def render_text(source: str, context: dict[str, Any], place: Place, field: str, problems: Problems) -> str | None:
    """Renders one piece of prose; an error becomes a problem at the line of the case it came from."""
    try:
        template = environment().from_string(source)
        return template.render(context)
    except TemplateSyntaxError as exc:
        problems.error(_shift(place, _opening_line(source, exc.lineno)), field, f"mallfel: {_syntax_message(exc)}")
    except UndefinedError as exc:
        problems.error(_shift(place, _template_line(exc)), field, exc.message or "ett namn är inte definierat")
    except TemplateError as exc:
        problems.error(_shift(place, _template_line(exc)), field, exc.message or str(exc))
    except Exception as exc:  # noqa: BLE001 - arithmetic or type errors inside an expression
        problems.error(_shift(place, _template_line(exc)), field, f"uttrycket kan inte beräknas: {exc}")
    return None


_SYNTAX_MESSAGES = [
    (re.compile(r"unexpected end of template"), "texten tar slut inne i {{ ... }} eller {% ... %}; saknas en avslutande }} eller %}?"),
    (re.compile(r"unexpected char (.+) at \d+"), r"tecknet \1 kan inte stå i ett uttryck"),
    (re.compile(r"expected name or number"), "väntade ett namn eller ett tal efter punkten; saknas en avslutande }}?"),
    (re.compile(r"expected token 'end of print statement', got '(.*)'"), r"väntade }} men fick '\1'"),
    (re.compile(r"expected token '(.*)', got '(.*)'"), r"väntade '\1' men fick '\2'"),
    (re.compile(r"Encountered unknown tag '(.*?)'.*"), r"okänd tagg '\1'; värden skrivs {{ namn }}"),
    (re.compile(r"unexpected '(.*)'"), r"oväntat '\1'"),
    (re.compile(r"tag name expected"), "ett namn saknas efter {%"),
]


def _syntax_message(exc: TemplateSyntaxError) -> str:
    message = exc.message or "syntaxfel"
    for pattern, swedish in _SYNTAX_MESSAGES:
        if pattern.match(message):
            return pattern.sub(swedish, message, count=1)
    return f"syntaxfel i {{{{ ... }}}} ({message})"


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


def _shift(place: Place, template_line: int | None) -> Place:
    """Template line 1 is the place's own line."""
    line = place.line + max((template_line or 1) - 1, 0)
    col = place.col if line == place.line else 1
    return Place(place.path, line, col)
