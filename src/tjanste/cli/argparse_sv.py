"""argparse in Swedish: its own words (usage, option groups, errors) translated, and 'menade du' for a mistyped choice."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

# Every message argparse (Python 3.11-3.13) passes through gettext, in Swedish.
MESSAGES = {
    "usage: ": "användning: ",
    "positional arguments": "argument",
    "options": "flaggor",
    "optional arguments": "flaggor",
    "subcommands": "kommandon",
    "show this help message and exit": "visa den här hjälpen och avsluta",
    "show program's version number and exit": "visa versionen och avsluta",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "okänt kommando %(parser_name)r (välj bland: %(choices)s)",
    "can't open '%(filename)s': %(error)s": "kan inte öppna '%(filename)s': %(error)s",
    "unrecognized arguments: %s": "okända argument: %s",
    "not allowed with argument %s": "får inte anges tillsammans med %s",
    "ignored explicit argument %r": "flaggan tar inget värde, men fick %r",
    "the following arguments are required: %s": "de här argumenten måste anges: %s",
    "one of the arguments %s is required": "ett av argumenten %s måste anges",
    "expected one argument": "väntade ett värde",
    "expected at most one argument": "väntade högst ett värde",
    "expected at least one argument": "väntade minst ett värde",
    "ambiguous option: %(option)s could match %(matches)s": "flaggan %(option)s kan vara flera: %(matches)s",
    "unexpected option string: %s": "oväntad flagga: %s",
    # A type's own message (argparse.ArgumentTypeError) says what was expected; this is for a type without one.
    "invalid %(type)s value: %(value)r": "%(value)r är inget giltigt värde här",
    "invalid choice: %(value)r (choose from %(choices)s)": "ogiltigt val %(value)r (välj bland %(choices)s)",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fel: %(message)s\n",
}


def _translate(message: str) -> str:
    return MESSAGES.get(message, message)


def _translate_plural(singular: str, plural: str, count: int) -> str:
    if singular == "expected %s argument":
        return "väntade %s värde" if count == 1 else "väntade %s värden"
    return singular if count == 1 else plural


@contextmanager
def swedish() -> Iterator[None]:
    """argparse's gettext hooks pointed at the Swedish table while our parser works; restored after."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = _translate, _translate_plural  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class SwedishParser(argparse.ArgumentParser):
    """An ArgumentParser that speaks Swedish; wrong usage exits 2 with 'tjanste: fel: ...' and the usage line."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        with swedish():
            super().__init__(*args, **kwargs)

    def parse_args(self, *args: Any, **kwargs: Any) -> Any:
        with swedish():
            return super().parse_args(*args, **kwargs)

    def parse_known_args(self, *args: Any, **kwargs: Any) -> Any:
        with swedish():
            return super().parse_known_args(*args, **kwargs)

    def format_help(self) -> str:
        with swedish():
            return super().format_help()

    def format_usage(self) -> str:
        with swedish():
            return super().format_usage()

    def add_subparsers(self, **kwargs: Any) -> Any:
        with swedish():
            return super().add_subparsers(**kwargs)

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        """A mistyped command or choice gets the nearest one suggested."""
        if action.choices is not None and value not in action.choices:
            from tjanste.source.schema import suggest  # only for a wrong value: importing it costs a right one 50 ms

            choices = [str(c) for c in action.choices]
            raise argparse.ArgumentError(action, f"ogiltigt val '{value}'{suggest(str(value), choices)}; välj bland: {', '.join(choices)}")

    def error(self, message: str) -> NoReturn:
        with swedish():
            self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: fel: {message}\n")
        sys.exit(2)
