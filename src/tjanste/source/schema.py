"""A small typed schema for front matter: each field validates a Node and reports problems by name.

Modelled on mkdocs' config options: a field type knows how to turn a Node into
a value or say, in Swedish, what it found and what it expected. Validation goes
on after an error so that every problem in a case is reported in one run.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Final, Generic, TypeVar

from tjanste import limits
from tjanste.errors import Place, Problems
from tjanste.source.yamlsource import Node
from tjanste.values.amount import Amount, AmountError


class Invalid(enum.Enum):
    """The type of INVALID: an enum of one member, so that a type checker narrows `value is INVALID` away."""

    INVALID = "ogiltigt"


INVALID: Final = Invalid.INVALID  # a value that failed validation; its problem is already reported


@dataclass
class Located:
    """A validated record that remembers where it and each of its fields stood."""

    place: Place = field(default=Place("?"), kw_only=True, repr=False, compare=False)
    places: dict[str, Place] = field(default_factory=dict, kw_only=True, repr=False, compare=False)

    def place_of(self, name: str) -> Place:
        return self.places.get(name, self.place)


class Field:
    """Base of all field types: required or with a default."""

    expected = "ett värde"

    def __init__(self, *, required: bool = False, default: Any = None):
        self.required = required
        self.default = default

    def validate(self, node: Node, name: str, problems: Problems) -> Any:
        raise NotImplementedError

    def missing(self) -> Any:
        return self.default() if callable(self.default) else self.default

    def json_schema(self) -> dict[str, Any]:
        """This field as JSON Schema (for editors: `tjanste schema`); the base accepts anything and says what is expected."""
        return {"description": self.expected}

    def wrong_kind(self, node: Node, name: str, problems: Problems) -> Invalid:
        problems.error(node.place, name, f"fick {_describe(node)}, väntade {self.expected}")
        return INVALID


def _describe(node: Node) -> str:
    if node.kind == "text":
        return f"'{node.value}'"
    return f"en {node.kind}"


# docxtpl's escapes, which a rendered Word template turns into Jinja's delimiters (docx/templating.render_source).
TEMPLATE_ESCAPES = {"{_{": "{{", "}_}": "}}", "{_%": "{%", "%_}": "%}"}


def template_escape(text: str) -> tuple[int, str] | None:
    """Where the first of docxtpl's escapes stands in a text and the message naming it, or None: a Word template's
    output would turn it into a delimiter, so the paper would not say what the case says."""
    found = [(text.find(mark), mark) for mark in TEMPLATE_ESCAPES if mark in text]
    if not found:
        return None
    at, mark = min(found)
    return at, f"'{mark}' kan inte stå i en text: Word-mallarna skriver ut det som '{TEMPLATE_ESCAPES[mark]}'"


class Text(Field):
    """A non-empty line or paragraph of text."""

    expected = "en text"

    def __init__(self, *, allow_empty: bool = False, pattern: str | None = None, pattern_help: str = "", **kw: Any):
        super().__init__(**kw)
        self.allow_empty = allow_empty
        self.pattern = re.compile(pattern) if pattern else None
        self.pattern_help = pattern_help

    def validate(self, node: Node, name: str, problems: Problems) -> Any:
        if node.kind != "text":
            return self.wrong_kind(node, name, problems)
        value = str(node.value).strip()
        if not value and not self.allow_empty:
            problems.error(node.place, name, "är tomt, väntade en text")
            return INVALID
        escape = template_escape(value)
        if escape:
            problems.error(node.place, name, escape[1])
            return INVALID
        if limits.TEXT_FIELD_CHARS.exceeded_by(len(value)):  # a template prints a field whole: refused here, at its line
            problems.error(node.place, name, limits.TEXT_FIELD_CHARS.message(len(value)))
            return INVALID
        if value and self.pattern and not self.pattern.fullmatch(value):
            problems.error(node.place, name, f"'{value}' har fel form, väntade {self.pattern_help}")
            return INVALID
        return value

    def json_schema(self) -> dict[str, Any]:
        # An editor reads YAML 1.2, where 12 is a number; tjanste reads every scalar as text.
        schema: dict[str, Any] = {
            "type": ["string", "number"],
            "description": self.pattern_help or self.expected,
            "maxLength": limits.TEXT_FIELD_CHARS.value,
        }
        if self.pattern:
            schema["pattern"] = f"^(?:{self.pattern.pattern})$"
        elif not self.allow_empty:
            schema["minLength"] = 1
        return schema


class Choice(Text):
    """One of a fixed set of words."""

    def __init__(self, choices: Callable[[], list[str]] | list[str], **kw: Any):
        super().__init__(**kw)
        self.choices = choices

    def validate(self, node: Node, name: str, problems: Problems) -> Any:
        value = super().validate(node, name, problems)
        if value is INVALID:
            return value
        choices = self.choices() if callable(self.choices) else self.choices
        if value not in choices:
            listed = (
                f"välj en av: {', '.join(sorted(choices))}"
                if choices
                else "det finns inget att välja bland; kontrollera att projektmappen har templates/organisationer/ med profilerna"
            )
            problems.error(node.place, name, f"'{value}' finns inte{suggest(value, choices)}; {listed}")
            return INVALID
        return value

    def json_schema(self) -> dict[str, Any]:
        choices = self.choices() if callable(self.choices) else self.choices
        return {"enum": sorted(choices), "description": f"en av: {', '.join(sorted(choices))}"}


class Flag(Field):
    """ja or nej."""

    expected = "ja eller nej"
    WORDS: ClassVar[dict[str, bool]] = {"ja": True, "nej": False, "true": True, "false": False}

    def validate(self, node: Node, name: str, problems: Problems) -> Any:
        if node.kind != "text" or str(node.value).strip().lower() not in self.WORDS:
            return self.wrong_kind(node, name, problems)
        return self.WORDS[str(node.value).strip().lower()]

    def json_schema(self) -> dict[str, Any]:
        return {"enum": ["ja", "nej", True, False], "description": self.expected}


class Date(Field):
    """A calendar date written as ISO 8601, YYYY-MM-DD."""

    expected = "ett datum som ÅÅÅÅ-MM-DD, t.ex. 2022-05-04"

    def validate(self, node: Node, name: str, problems: Problems) -> Any:
        if node.kind != "text":
            return self.wrong_kind(node, name, problems)
        text = str(node.value).strip()
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            return self.wrong_kind(node, name, problems)
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            problems.error(node.place, name, f"'{text}' är inget datum som finns, väntade {self.expected}")
            return INVALID

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "description": self.expected}


class AmountValue(Field):
    """An amount of money as officials write it: 15,1 mnkr, 24 000 000 kr."""

    expected = "ett belopp, t.ex. 24 000 000 kr eller 15,1 mnkr"

    def __init__(self, default_unit: str = "kr", **kw: Any):
        super().__init__(**kw)
        self.default_unit = default_unit

    def validate(self, node: Node, name: str, problems: Problems) -> Any:
        if node.kind != "text":
            return self.wrong_kind(node, name, problems)
        try:
            return Amount.parse(str(node.value), self.default_unit)
        except AmountError as exc:
            problems.error(node.place, name, str(exc))
            return INVALID

    def json_schema(self) -> dict[str, Any]:
        return {"type": ["string", "number"], "description": self.expected}


class ListOf(Field):
    """A list whose items all have one field type."""

    def __init__(self, item: Field, *, min_items: int = 0, **kw: Any):
        kw.setdefault("default", list)
        super().__init__(**kw)
        self.item = item
        self.min_items = min_items
        self.expected = "en lista"

    def validate(self, node: Node, name: str, problems: Problems) -> Any:
        if node.kind != "lista":
            return self.wrong_kind(node, name, problems)
        if len(node.items) < self.min_items:
            problems.error(node.place, name, f"har {len(node.items)} element, väntade minst {self.min_items}")
        values = [self.item.validate(item, f"{name}[{i + 1}]", problems) for i, item in enumerate(node.items)]
        return [v for v in values if v is not INVALID]

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "array", "items": self.item.json_schema(), "description": self.expected}
        if self.min_items:
            schema["minItems"] = self.min_items
        return schema


class MapOf(Field):
    """A mapping from names chosen by the official to values of one field type."""

    NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

    def __init__(self, item: Field, **kw: Any):
        kw.setdefault("default", dict)
        super().__init__(**kw)
        self.item = item
        self.expected = "namn med värden (en mappning)"

    def validate(self, node: Node, name: str, problems: Problems) -> Any:
        if node.kind != "mappning":
            return self.wrong_kind(node, name, problems)
        values: dict[str, Any] = {}
        for key, child in node.mapping.items():
            if not self.NAME.fullmatch(key):
                problems.error(
                    child.key_place or child.place,
                    f"{name}.{key}",
                    "namnet får bara innehålla a–z, 0–9 och _ och inte börja med en siffra (det används som {{ "
                    + name
                    + ".namn }} i texten)",
                )
                continue
            value = self.item.validate(child, f"{name}.{key}", problems)
            if value is not INVALID:
                values[key] = value
        return values

    def json_schema(self) -> dict[str, Any]:
        return {
            "type": "object",
            "propertyNames": {"pattern": f"^{self.NAME.pattern}$"},
            "additionalProperties": self.item.json_schema(),
            "description": self.expected,
        }


R = TypeVar("R", bound=Located)


_DIGIT_KEY_HINT = (  # YAML splits {villkor: a <= b * 0,5} at the decimal comma, and '5' becomes a key
    "; ett fältnamn börjar inte med en siffra: delade ett decimalkomma värdet inom { }? Skriv värdet inom citattecken, "
    "t.ex. {villkor: 'oh <= intakt * 0,15', tolerans: '0,1 mnkr'}"
)


class Record(Field, Generic[R]):
    """A mapping with known field names, built into a Located dataclass."""

    expected = "fält med värden (en mappning)"

    def __init__(
        self, build: Callable[..., R], fields: dict[str, Field], *, shorthand: str | None = None, partial: bool = False, **kw: Any
    ):
        super().__init__(**kw)
        self.build = build
        self.fields = fields
        self.shorthand = shorthand  # a plain text value fills this field
        # Built even when some fields fail (they keep their defaults), so that what depends on the
        # others is still checked and every error is reported in one run; the failures are in problems.
        self.partial = partial

    def validate(self, node: Node, name: str, problems: Problems) -> R | Invalid:
        if node.kind == "text" and self.shorthand:
            node = Node({self.shorthand: node}, node.place, node.key_place)
        if node.kind != "mappning":
            return self.wrong_kind(node, name, problems)
        prefix = f"{name}." if name else ""
        values: dict[str, Any] = {}
        places: dict[str, Place] = {}
        failed = False
        for key, extra in node.mapping.items():
            if key not in self.fields:
                hint = _DIGIT_KEY_HINT if key[:1].isdigit() else suggest(key, list(self.fields))  # no field starts with a digit
                problems.error(extra.key_place or extra.place, f"{prefix}{key}", f"okänt fält{hint}")
                failed = True
        for key, spec in self.fields.items():
            child = node.mapping.get(key)
            if child is None:
                if spec.required:
                    problems.error(node.place, f"{prefix}{key}", "saknas, men måste anges")
                    failed = True
                values[key] = spec.missing()
                continue
            places[key] = child.place
            value = spec.validate(child, f"{prefix}{key}", problems)
            if value is INVALID:
                failed = True
                value = spec.missing()
            values[key] = value
        if failed and not self.partial:
            return INVALID
        return self.build(**values, place=node.place, places=places)

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "type": "object",
            "properties": {key: spec.json_schema() for key, spec in self.fields.items()},
            "additionalProperties": False,
            "description": self.expected,
        }
        required = [key for key, spec in self.fields.items() if spec.required]
        if required:
            schema["required"] = required
        if self.shorthand:  # a plain text stands for the shorthand field
            return {"anyOf": [self.fields[self.shorthand].json_schema(), schema]}
        return schema


def suggest(word: str, candidates: list[str]) -> str:
    """' (menade du 'x'?)' for the nearest known name, ignoring diacritics."""
    plain = {_fold(c): c for c in candidates}
    import difflib  # only when a name is wrong: a check of a sound case does not pay for it

    close = difflib.get_close_matches(_fold(word), list(plain), n=1, cutoff=0.6)
    return f" (menade du '{plain[close[0]]}'?)" if close else ""


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
