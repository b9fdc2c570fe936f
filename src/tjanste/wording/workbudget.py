"""The work one case may make Jinja do: loop rounds and time, counted per thread, with Swedish errors at the line.

Prose, att-satser and Word templates arrive in pull requests, so Jinja work is
bounded like any other input: every hook the sandbox intercepts (attribute and
item reads, calls, arithmetic, each round of a for loop, each piece of output)
counts here. The budget lives in a ContextVar, so a preview server or parallel
renders in worker threads each have their own, without signals.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from jinja2 import TemplateError

from tjanste import limits


class LimitExceeded(TemplateError):
    """A Jinja work limit was reached; the message names the limit and the value, the caller adds the line."""


@dataclass
class Work:
    """What one case has spent so far: loop rounds, and the monotonic time by which it must be done."""

    deadline: float
    rounds: int = 0
    spent: bool = False  # the time ran out: reported once, where it happened; the rest of the case is not rendered

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            self.spent = True
            raise LimitExceeded(
                f"Jinja får arbeta högst {limits.seconds(limits.JINJA_SECONDS_PER_CASE)} s per ärende (JINJA_SECONDS_PER_CASE); "
                "tiden tog slut här; förenkla uttrycket eller slingan"
            )

    def round(self) -> None:
        self.rounds += 1
        if self.rounds > limits.JINJA_MAX_LOOP_ROUNDS:
            limit = grouped(limits.JINJA_MAX_LOOP_ROUNDS)
            raise LimitExceeded(f"slingorna går fler än {limit} varv; gränsen är {limit} varv per ärende (JINJA_MAX_LOOP_ROUNDS)")
        self.tick()


def grouped(number: int) -> str:
    """1 000 000, as the messages show numbers."""
    return f"{number:,}".replace(",", " ")


_CURRENT: ContextVar[Work | None] = ContextVar("tjanste_jinja_work", default=None)


@contextmanager
def budget() -> Iterator[Work]:
    """One case's budget; nested calls (a piece of prose inside a case) share the outer one."""
    current = _CURRENT.get()
    if current is not None:
        yield current
        return
    work = Work(time.monotonic() + limits.JINJA_SECONDS_PER_CASE)
    token = _CURRENT.set(work)
    try:
        yield work
    finally:
        _CURRENT.reset(token)


def tick() -> None:
    """A hook was passed: check the clock. Outside a render (constant folding while compiling) nothing is counted."""
    work = _CURRENT.get()
    if work is not None:
        work.tick()


def time_spent() -> bool:
    """Whether this case's time ran out before: its remaining prose is skipped, the one error already stands."""
    work = _CURRENT.get()
    return work is not None and work.spent


def counted(iterable: Iterable[object]) -> Iterator[object]:
    """The items of a for loop, each round counted against the case's budget."""
    work = _CURRENT.get()
    for item in iterable:
        if work is not None:
            work.round()
        yield item


def bounded_output(pieces: Iterator[str], limit: int, what: str, constant: str) -> Iterator[str]:
    """A template's output, stopped at `limit` characters; the error is raised where the template stands, so it has a line."""
    total = 0
    for piece in pieces:
        total += len(piece)
        try:
            if total > limit:
                raise LimitExceeded(f"{what} blir längre än {grouped(limit)} tecken, som är gränsen ({constant})")
            tick()
        except LimitExceeded as error:
            pieces.throw(error)  # type: ignore[attr-defined]  # a generator: raised at its yield, so the error has the template's line
            raise
        yield piece
