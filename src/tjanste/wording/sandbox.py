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

from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from jinja2 import Template, TemplateError, nodes
from jinja2.lexer import TokenStream
from jinja2.runtime import LoopContext, Undefined, markup_join
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer

from tjanste import limits
from tjanste.files import codecache
from tjanste.wording import arithmetic, literals, workbudget
from tjanste.wording.tags import BOOKKEEPING, LONG_NUMBER, NESTING, REFUSED, Refused, bounded_nesting, not_offered
from tjanste.wording.workbudget import LimitExceeded

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


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja for tjanste: the immutable sandbox, with every hook counted and every value read-only."""

    intercepted_binops = frozenset(arithmetic.BINARY)
    code_generator_class = literals.ExactCodeGenerator  # decimal literals are Decimal, written so in the compiled code
    intercepted_unops = frozenset(arithmetic.UNARY)

    def __init__(
        self, *, autoescape: bool, undefined: type[Undefined], output_limit: tuple[int, str, str], keep_trailing_newline: bool = False
    ):
        """output_limit: the most characters one render may give, what that output is called, and the limit's name."""
        # optimized=False: Jinja's compile-time folding tries every filter of a chain again at each level, so a chain of
        # n filters cost n² steps (59, within JINJA_MAX_NESTING, took 68 ms to compile; 2,6 ms without folding). Nothing
        # a paper prints is a constant worth folding; a normal case compiles as fast, and every snapshot is the same bytes.
        super().__init__(
            autoescape=autoescape,
            undefined=undefined,
            keep_trailing_newline=keep_trailing_newline,
            finalize=self.bounded_value,
            optimized=False,
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
        source = self.preprocess(source, name, filename)  # as Jinja's own, with numbers taken before it makes them floats
        raw = literals.marked_numbers(self.lexer.tokeniter(source, name, filename, state), name, filename, Refused)
        tokens = literals.exact_numbers(self.lexer.wrap(raw, name, filename))
        return TokenStream(bounded_nesting(tokens, name, filename), name, filename)

    def exact_literal(self, text: str) -> Decimal:
        """A decimal literal of the template, made at run time from its text: compiled code cannot hold a Decimal constant."""
        return Decimal(text)

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
        refused = REFUSED.get(type(node))
        if refused:
            return not_offered(refused)
        if isinstance(node, nodes.For) and node.recursive:
            return "{% for ... recursive %} kan inte användas här; skriv slingan utan recursive"
        if isinstance(node, nodes.Name) and node.name == "self":
            return "'self' kan inte användas här"
        if isinstance(node, nodes.Const) and isinstance(node.value, Decimal) and arithmetic.too_many_digits(node.value):
            return f"talet {node.value} har för många siffror; ett tal får ha högst {limits.EXACT_DIGITS} (EXACT_DIGITS)"
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
            arguments = [*args, *(value for name, value in kwargs.items() if name not in BOOKKEEPING)]
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
    if isinstance(exc, ValueError) and LONG_NUMBER.search(source):
        return "ett tal i uttrycket har för många siffror"
    return "uttrycket är för djupt nästlat (för många parenteser eller led i rad); dela upp det"


def _unparsable_line(source: str, exc: BaseException) -> int:
    """The line of the long number, or of the deepest nesting: where the official must look."""
    if isinstance(exc, ValueError):
        match = LONG_NUMBER.search(source)
        if match:
            return source.count("\n", 0, match.start()) + 1
    depth, deepest, line, at = 0, 0, 1, 1
    for match in NESTING.finditer(source):
        depth += 1 if match.group(0) in "([{" else -1
        if depth > deepest:
            deepest, at = depth, source.count("\n", 0, match.start()) + 1
    return at if deepest else line
