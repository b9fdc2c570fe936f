"""The one Jinja sandbox for prose, att-satser and Word templates: immutable, read-only values, documented names only, bounded work.

What a template may do is small on purpose: read the names it is given (items of
read-only mappings and tuples, nothing else: no attributes, no methods), use the
documented filters, compute with + - * / // % ** on numbers and amounts, loop
and branch. Macros, includes, blocks, set blocks, autoescape changes and recursive
loops are refused when the template is parsed; Jinja's own helpers (lipsum,
cycler, joiner, namespace, dict) are simply not there.
Every limit is in limits.py; arithmetic rules are in arithmetic.py.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from jinja2 import Template, TemplateError, TemplateSyntaxError, nodes
from jinja2.lexer import Token, TokenStream
from jinja2.runtime import LoopContext, Undefined, markup_join
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer

from tjanste import limits
from tjanste.files import codecache
from tjanste.wording import arithmetic, workbudget
from tjanste.wording.workbudget import LimitExceeded, grouped

# --- filters and globals ------------------------------------------------------------------


def _join(value: Iterable[Any], separator: str = "") -> str:
    items = list(workbudget.counted(value))
    arithmetic.check_text_length(sum(map(arithmetic.text_size, items)) + arithmetic.text_size(separator) * max(len(items) - 1, 0))
    return str(separator).join(map(str, items))


def _length(value: Any) -> int:
    return len(value)


def _text(function: Callable[[str], str]) -> Callable[[Any], str]:
    def apply(value: Any) -> str:
        arithmetic.check_text_size(value)
        return function(str(value))

    apply.__name__ = function.__name__
    return apply


def _default(value: Any, default: Any = "") -> Any:
    return default if isinstance(value, Undefined) or value is None else value


def _range(*args: int) -> range:
    numbers = range(*args)
    try:
        count = len(numbers)
    except OverflowError:  # more numbers than a machine word counts: range(10 ** 30)
        count = limits.JINJA_MAX_LOOP_ROUNDS + 1
        shown = "fler än " + workbudget.grouped(limits.JINJA_MAX_LOOP_ROUNDS)
    else:
        shown = workbudget.grouped(count)
    if count > limits.JINJA_MAX_LOOP_ROUNDS:
        raise LimitExceeded(
            f"range ger {shown} tal; gränsen är {workbudget.grouped(limits.JINJA_MAX_LOOP_ROUNDS)} varv per ärende (JINJA_MAX_LOOP_ROUNDS)"
        )
    return numbers


# The filters every template and piece of prose may use, besides prose's own amount and date filters.
COMMON_FILTERS: dict[str, Callable[..., Any]] = {
    "join": _join,
    "length": _length,
    "upper": _text(str.upper),
    "lower": _text(str.lower),
    "capitalize": _text(str.capitalize),
    "default": _default,
}
COMMON_GLOBALS: dict[str, Any] = {"range": _range}
TESTS = ("defined", "undefined", "none", "number", "string", "mapping", "sequence", "even", "odd", "divisibleby",
         "eq", "ne", "lt", "le", "gt", "ge", "in", "true", "false")  # fmt: skip
LOOP_ATTRIBUTES = frozenset(
    {"index", "index0", "revindex", "revindex0", "first", "last", "length", "previtem", "nextitem", "depth", "depth0", "cycle", "changed"}
)

# --- what a template may be made of --------------------------------------------------------

_REFUSED: dict[type[nodes.Node], str] = {
    nodes.Macro: "{% macro %}",
    nodes.CallBlock: "{% call %}",
    nodes.FilterBlock: "{% filter %}",
    nodes.Include: "{% include %}",
    nodes.Import: "{% import %}",
    nodes.FromImport: "{% from ... import %}",
    nodes.Extends: "{% extends %}",
    nodes.Block: "{% block %}",
    nodes.ScopedEvalContextModifier: "{% autoescape %}",
    nodes.EvalContextModifier: "{% autoescape %}",
    nodes.NSRef: "{% set namn.fält = ... %}",
    nodes.AssignBlock: "{% set namn %}...{% endset %}",  # collects output past the output limit
}
# The same tags by the name that opens them: refused as the name arrives, before 400 nested {% macro %} make the
# parser recurse (a {% set %} block is told from {% set x = ... %} only by the parse).
_REFUSED_TAGS = {
    "macro": "{% macro %}",
    "call": "{% call %}",
    "filter": "{% filter %}",
    "include": "{% include %}",
    "import": "{% import %}",
    "from": "{% from ... import %}",
    "extends": "{% extends %}",
    "block": "{% block %}",
    "autoescape": "{% autoescape %}",
}


def _not_offered(tag: str) -> str:
    return (
        f"{tag} kan inte användas här; löptext och mallar får läsa namn, använda filter, räkna och ha "
        + "{% if %}, {% for %} och {% set %}"
    )


_BOOKKEEPING = ("_loop_vars", "_block_vars")  # what Jinja passes along with a call, not the template's values


class Refused(TemplateSyntaxError):
    """A construct or name the sandbox does not offer; its message is Swedish and complete."""


_NESTING = re.compile(r"[()\[\]{}]")
_OPENING = frozenset({"lparen", "lbracket", "lbrace"})
_CLOSING = frozenset({"rparen", "rbracket", "rbrace"})
_SEPARATOR = frozenset({"comma", "colon", "assign"})
_STEP = frozenset({"add", "sub", "mul", "div", "floordiv", "mod", "pow", "tilde", "dot", "pipe", "eq", "ne", "gt", "gteq", "lt", "lteq"})
_STEP_WORDS = frozenset({"and", "or", "not", "if", "else", "in", "is"})
_BLOCK_OPENING = {"if": 2, "for": 3, "with": 2, "filter": 2}  # levels of the tree's depth one open block costs
_BLOCK_CLOSING = frozenset({"endif", "endfor", "endwith", "endfilter"})


def _bounded_nesting(stream: Iterable[Token], name: str | None, filename: str | None) -> Iterator[Token]:
    """The parser's tokens, stopped where the template nests deeper than JINJA_MAX_NESTING.

    Jinja's parser, its visitors and Python's compiler recurse once per level of a template's
    tree. Left to run out of stack, a RecursionError is raised somewhere inside them, and on
    Python 3.13 their generators print 'Exception ignored' while it unwinds; so the depth is
    counted here, from the tokens, before any of them recurses. A level is an open bracket,
    each operator, filter or attribute step since the last comma in it (a chain a.b.c or
    a + b + c is a tree as deep as it is long), and two or three for each open block ({% for %} costs more).
    """
    opened: list[int] = []  # the levels each open block costs
    # Per open bracket, and the expression itself: [the depth of the operand being written (its steps since the last
    # comma, and the depth of the brackets closed in it), the deepest operand before it].
    steps = [[0, 0]]
    after_block_begin = False
    tags = 0
    for token in stream:
        kind = token.type
        if kind in ("variable_begin", "block_begin"):
            steps = [[0, 0]]
            tags += 1
            if tags > limits.JINJA_MAX_TAGS:  # each becomes nodes, then code: 500 000 of them took 7 GB to compile
                raise Refused(
                    f"texten har fler än {grouped(limits.JINJA_MAX_TAGS)} {{{{ }}}} och {{% %}}, som är gränsen "
                    "(JINJA_MAX_TAGS); dela upp den i bilagor eller skriv upprepningen som en {% for %}",
                    token.lineno,
                    name,
                    filename,
                )
        elif kind in _OPENING:
            steps[-1][0] += 1
            steps.append([0, 0])
        elif kind in _CLOSING:
            if len(steps) > 1:  # what was built inside is as deep as its deepest operand, and the chain goes on above it
                current, deepest = steps.pop()
                steps[-1][0] += max(current, deepest)
        elif kind in _SEPARATOR:
            steps[-1] = [0, max(steps[-1])]
        elif kind in _STEP or (kind == "name" and token.value in _STEP_WORDS and not after_block_begin):
            steps[-1][0] += 1
        elif kind == "name" and after_block_begin:
            if token.value in _REFUSED_TAGS:
                raise Refused(_not_offered(_REFUSED_TAGS[token.value]), token.lineno, name, filename)
            if token.value in _BLOCK_OPENING:
                opened.append(_BLOCK_OPENING[token.value])
            elif token.value in _BLOCK_CLOSING and opened:
                opened.pop()
        after_block_begin = kind == "block_begin"
        if sum(opened) + len(steps) + sum(level[0] for level in steps) > limits.JINJA_MAX_NESTING:
            raise Refused(
                f"uttrycket eller blocken är för djupt nästlade: fler än {limits.JINJA_MAX_NESTING} led, som är gränsen "
                "(JINJA_MAX_NESTING); ett led är en parentes, ett steg i en rad som a.b.c eller a + b + c, eller ett "
                "{% if %} eller {% for %} inuti ett annat; dela upp uttrycket med {% set %}",
                token.lineno,
                name,
                filename,
            )
        yield token


_LONG_NUMBER = re.compile(r"\d{1000,}")


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja for tjanste: the immutable sandbox, with every hook counted and every value read-only."""

    intercepted_binops = frozenset(arithmetic.BINARY)
    intercepted_unops = frozenset(arithmetic.UNARY)

    def __init__(
        self, *, autoescape: bool, undefined: type[Undefined], output_limit: tuple[int, str, str], keep_trailing_newline: bool = False
    ):
        """output_limit: the most characters one render may give, what that output is called, and the limit's name."""
        super().__init__(
            autoescape=autoescape, undefined=undefined, keep_trailing_newline=keep_trailing_newline, finalize=self.bounded_value
        )
        self.globals.clear()
        self.globals.update(COMMON_GLOBALS)
        self.filters = dict(COMMON_FILTERS)
        self.tests = {name: self.tests[name] for name in TESTS}
        self.output_limit = output_limit
        self.template_class = BoundedTemplate
        # What decides the code compiled from a text besides the text: the compiled code is cached under it.
        self.cache_kind = f"autoescape={autoescape},newline={keep_trailing_newline},undefined={undefined.__name__}"

    # Parsing: refuse what the sandbox does not offer, and route loops and ~ through the counters.

    def _tokenize(self, source: str, name: str | None, filename: str | None = None, state: str | None = None) -> TokenStream:
        stream = super()._tokenize(source, name, filename, state)
        return TokenStream(_bounded_nesting(stream, name, filename), name, filename)

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        try:
            tree = super()._parse(source, name, filename)
        except (RecursionError, ValueError) as exc:
            raise Refused(_unparsable(source, exc), _unparsable_line(source, exc), name, filename) from None
        for node in tree.find_all(nodes.Node):
            problem = self._refusal(node)
            if problem:
                raise Refused(problem, node.lineno, name, filename)
        for loop in list(tree.find_all(nodes.For)):
            loop.iter = _call("count_loop", [loop.iter], loop.iter.lineno)
        counted: nodes.Template = _CountedConcat().visit(tree)
        return counted

    def _refusal(self, node: nodes.Node) -> str | None:
        """Why a node of a parsed template is refused, or None."""
        refused = _REFUSED.get(type(node))
        if refused:
            return _not_offered(refused)
        if isinstance(node, nodes.For) and node.recursive:
            return "{% for ... recursive %} kan inte användas här; skriv slingan utan recursive"
        if isinstance(node, nodes.Name) and node.name == "self":
            return "'self' kan inte användas här"
        if isinstance(node, nodes.Const) and isinstance(node.value, float) and not math.isfinite(node.value):
            return "talet är för stort för att räknas med"
        if isinstance(node, nodes.Filter) and node.name not in self.filters:
            return f"okänt filter '{node.name}'; filtren är {', '.join(sorted(self.filters))}"
        if isinstance(node, nodes.Test) and node.name not in self.tests:
            return f"okänt test 'is {node.name}'; testerna är {', '.join(sorted(self.tests))}"
        return None

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:  # noqa: A002 - Jinja's signature
        try:
            code = codecache.compiled(self.cache_kind, str(source), self.compile)  # the same text compiles to the same code
            return (template_class or self.template_class).from_code(self, code, self.make_globals(globals), None)
        except (RecursionError, SyntaxError) as exc:  # Python's compiler on a deeply nested expression
            raise Refused(_unparsable(str(source), exc), _unparsable_line(str(source), exc)) from None

    def piece_from_string(self, source: str) -> Any:
        """A template of a small piece (a paragraph the preview renders on its own), its code kept in memory only."""
        try:
            code = codecache.compiled(self.cache_kind, source, self.compile, disk=False)
            return self.template_class.from_code(self, code, self.make_globals(None), None)
        except (RecursionError, SyntaxError) as exc:
            raise Refused(_unparsable(source, exc), _unparsable_line(source, exc)) from None

    # The hooks: each one counts, and reads nothing but items and loop variables.

    def count_loop(self, iterable: Iterable[Any]) -> Iterable[Any]:
        return workbudget.counted(iterable)

    def concat_pieces(self, *pieces: Any) -> str:
        arithmetic.check_text_length(sum(map(arithmetic.text_size, pieces)))
        return markup_join(pieces)

    def bounded_value(self, value: Any) -> Any:
        """Every {{ value }} before it is made text: a list of long texts is refused before it takes a gigabyte, and a
        mapping or a list is refused at all, since Python would print its own notation (ReadOnly({...}), ('a', 'b'))."""
        if isinstance(value, Mapping):
            raise TemplateError(
                f"{arithmetic.kind(value)} kan inte skrivas ut som text; skriv ett av dess fält, t.ex. arende.rubrik eller belopp.totalt"
            )
        if isinstance(value, (list, tuple, range)):
            what = "en lista" if isinstance(value, range) else arithmetic.kind(value)
            raise TemplateError(f"{what} kan inte skrivas ut som den är; skriv ut delarna med | join(', ') eller {{% for %}}")
        if _printed_as_an_address(value):  # Python would print '<tjanste.review.citing.TableNames object at 0x...>'
            raise TemplateError(f"{arithmetic.kind(value)} kan inte skrivas ut som text; skriv ett av dess värden")
        arithmetic.check_text_size(value)
        return value

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        return isinstance(obj, LoopContext) and attr in LOOP_ATTRIBUTES

    def wrap_str_format(self, value: Any) -> None:
        return None  # str.format is a method like any other: out of reach, so its padding cannot allocate

    def unsafe_undefined(self, obj: Any, attribute: str) -> Undefined:
        filters = ", ".join(sorted(self.filters))
        hint = (
            f"'{attribute}' går inte att nå i {arithmetic.kind(obj)}; löptext och mallar kan bara läsa namn "
            f"(t.ex. belopp.totalt, arende.rubrik) och använda filtren {filters}"
        )
        return self.undefined(hint, obj=obj, name=attribute)

    def getattr(self, obj: Any, attribute: str) -> Any:
        workbudget.tick()
        if isinstance(obj, Undefined):
            obj._fail_with_undefined_error()  # 'cycler' is not defined: say that, not that its __init__ is out of reach
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        workbudget.tick()
        return super().getitem(obj, argument)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja's signature
        workbudget.tick()
        if getattr(__obj, "__self__", None) is not __self:  # our own hooks (count_loop, concat_pieces) bound what they make
            arguments = [*args, *(value for name, value in kwargs.items() if name not in _BOOKKEEPING)]
            arithmetic.check_text_length(sum(map(arithmetic.text_size, arguments)))  # tabell(x) quotes x in its message
        if not __self.is_safe_callable(__obj):
            raise LimitExceeded(f"{arithmetic.kind(__obj)} kan inte anropas här")
        return __context.call(__obj, *args, **kwargs)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        workbudget.tick()
        return arithmetic.binary(operator, left, right)

    def call_unop(self, context: Any, operator: str, arg: Any) -> Any:
        workbudget.tick()
        return arithmetic.unary(operator, arg)


class BoundedTemplate(Template):
    """A template whose render runs inside the case's budget and stops at the output limit."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        environment: Sandbox = self.environment  # type: ignore[assignment]
        with workbudget.budget():
            context = self.new_context(dict(*args, **kwargs))
            try:
                pieces = workbudget.bounded_output(self.root_render_func(context), *environment.output_limit)
                return environment.concat(pieces)
            except Exception:  # noqa: BLE001 - Jinja's own render: handle_exception re-raises with the template's line
                environment.handle_exception()


class _CountedConcat(NodeTransformer):
    """`a ~ b` as a call of Sandbox.concat_pieces, which refuses a text over the length limit before making it."""

    def visit_Concat(self, node: nodes.Concat) -> nodes.Call:  # noqa: N802 - Jinja's NodeTransformer names
        self.generic_visit(node)
        return _call("concat_pieces", node.nodes, node.lineno)


def _printed_as_an_address(value: Any) -> bool:
    kind: Any = type(value)
    return kind.__str__ is object.__str__ and kind.__repr__ is object.__repr__


def _call(method: str, arguments: Sequence[nodes.Node], lineno: int) -> nodes.Call:
    return nodes.Call(nodes.EnvironmentAttribute(method, lineno=lineno), list(arguments), [], None, None, lineno=lineno)


def _unparsable(source: str, exc: BaseException) -> str:
    if isinstance(exc, ValueError) and _LONG_NUMBER.search(source):
        return "ett tal i uttrycket har för många siffror"
    return "uttrycket är för djupt nästlat (för många parenteser eller led i rad); dela upp det"


def _unparsable_line(source: str, exc: BaseException) -> int:
    """The line of the long number, or of the deepest nesting: where the official must look."""
    if isinstance(exc, ValueError):
        match = _LONG_NUMBER.search(source)
        if match:
            return source.count("\n", 0, match.start()) + 1
    depth, deepest, line, at = 0, 0, 1, 1
    for match in _NESTING.finditer(source):
        depth += 1 if match.group(0) in "([{" else -1
        if depth > deepest:
            deepest, at = depth, source.count("\n", 0, match.start()) + 1
    return at if deepest else line
