"""The reviewer's report of what changed: plain text (coloured on a terminal), markdown for a pull request, or an HTML page."""

from __future__ import annotations

import html
from collections.abc import Callable

from tjanste.diffing.compare import CaseDiff, DocumentDiff
from tjanste.diffing.words import Change, Piece, tokens

FORMATS = ("text", "markdown", "html")
CONTEXT_WORDS = 8  # unchanged words kept on each side of a change; the rest of a long paragraph is shown as …
TITLE = "Belopp och beslut"
START = "(dokumentets början)"
_STATES = {"ny": "ny handling", "borttagen": "handlingen finns inte längre"}
_RED, _GREEN, _RESET = "\x1b[31m", "\x1b[32m", "\x1b[m"
_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|~#"})


def unchanged_line(diff: CaseDiff) -> str:
    return f"{diff.case}: ingen ändring i texten ({diff.old_label} → {diff.new_label})"


def summary(diffs: list[CaseDiff], total: int) -> str:
    count = sum(d.changed for d in diffs)
    if not count:
        return f"ingen ändring i texten i något av de {total} ärendena"
    return f"{count} av {total} ärenden har ändrats: {', '.join(d.case for d in diffs if d.changed)}"


def trimmed(pieces: list[Piece]) -> list[Piece]:
    """Unchanged text around the changes cut to CONTEXT_WORDS words on each side; a longer stretch keeps both ends and '…'."""
    out: list[Piece] = []
    for index, piece in enumerate(pieces):
        if piece.kind != "lika":
            out.append(piece)
            continue
        words = tokens(piece.text)
        keep_head = index > 0
        keep_tail = index < len(pieces) - 1
        head = _first_words(words, CONTEXT_WORDS) if keep_head else 0
        tail = _first_words(words[::-1], CONTEXT_WORDS) if keep_tail else 0
        if head + tail >= len(words):
            out.append(piece)
            continue
        text = "".join(words[:head]) + "…" + "".join(words[len(words) - tail :])
        out.append(Piece("lika", text))
    return out


def _first_words(words: list[str], count: int) -> int:
    """How many tokens from the start hold `count` words (blanks are tokens but not words)."""
    seen = 0
    for index, token in enumerate(words):
        if token.strip(" \t\n"):
            seen += 1
            if seen > count:
                return index
    return len(words)


def _lines(pieces: list[Piece], mark: Callable[[str, str], str], plain: Callable[[str], str], joiner: str = "") -> list[str]:
    """The passage as lines, each change marked on every line it spans; joiner stands between a deletion and its insertion."""
    lines = [""]
    last = ""
    for piece in pieces:
        for number, part in enumerate(piece.text.split("\n")):
            if number:
                lines.append("")
                last = ""
            if not part:
                continue
            if piece.kind == "lika":
                lines[-1] += plain(part)
            else:
                # Blanks at the edges of a change are shown outside its marks: '** nytt**' is no emphasis in markdown.
                core = part.strip(" \t")
                lead, trail = (part[: part.index(core)], part[part.index(core) + len(core) :]) if core else ("", "")
                between = joiner if last == "bort" and piece.kind == "till" and not lead else ""
                lines[-1] += between + plain(lead) + mark(piece.kind, core or part) + plain(trail)
            last = piece.kind
    return lines


def _shown(document: DocumentDiff) -> list[Change]:
    """A document's passages; one that is gone is named, its whole text is not repeated as deleted."""
    return [] if document.state == "borttagen" else document.passages


def heading_text(heading: str) -> str:
    return heading.lstrip("#").strip() or START


# ---------------------------------------------------------------- text


def as_text(diff: CaseDiff, *, colour: bool = False) -> str:
    if not diff.changed:
        return unchanged_line(diff) + "\n"

    def mark(kind: str, text: str) -> str:
        shown = f"[-{text}-]" if kind == "bort" else f"{{+{text}+}}"
        return f"{_RED if kind == 'bort' else _GREEN}{shown}{_RESET}" if colour else shown

    out = [f"{diff.case}: {diff.old_label} → {diff.new_label}", *[f"  ({note})" for note in diff.notes]]
    if diff.figures:
        out += ["", TITLE, *(f"  {c.name}: {c.old} → {c.new}" for c in diff.figures)]
    for document in diff.documents:
        while out[-1] == "":
            out.pop()
        out += ["", document.name + (f" ({_STATES[document.state]})" if document.state in _STATES else "")]
        heading = None
        for passage in _shown(document):
            if passage.heading != heading:
                heading = passage.heading
                out.append(f"  {heading_text(heading)}")
            out += [f"    {line}" for line in _lines(trimmed(passage.pieces), mark, str)]
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


# ---------------------------------------------------------------- markdown


def _md(text: str) -> str:
    return text.translate(_MD_SPECIAL)


def _md_mark(kind: str, text: str) -> str:
    if not text.strip():
        return f"<{'del' if kind == 'bort' else 'ins'}>{html.escape(text)}</{'del' if kind == 'bort' else 'ins'}>"
    return f"~~{_md(text)}~~" if kind == "bort" else f"**{_md(text)}**"


def as_markdown(diff: CaseDiff) -> str:
    if not diff.changed:
        return _md(unchanged_line(diff)) + "\n"
    out = [f"## {_md(diff.case)}", "", f"*{_md(diff.old_label)} → {_md(diff.new_label)}*", *(f"\n> {_md(note)}" for note in diff.notes)]
    if diff.figures:
        out += ["", f"**{TITLE}**", "", "| Namn | Före → efter |", "|---|---|"]
        out += [f"| `{c.name}` | {_md(c.old)} → {_md(c.new)} |" for c in diff.figures]
    for document in diff.documents:
        state = f" ({_STATES[document.state]})" if document.state in _STATES else ""
        out += ["", f"### {_md(document.name)}{state}"]
        heading = None
        for passage in _shown(document):
            if passage.heading != heading:
                heading = passage.heading
                out += ["", f"**{_md(heading_text(heading))}**"]
            out.append("")
            out += [f"> {line}" if line else ">" for line in _lines(trimmed(passage.pieces), _md_mark, _md, " ")]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- html


def _html_mark(kind: str, text: str) -> str:
    tag = "del" if kind == "bort" else "ins"
    return f"<{tag}>{html.escape(text)}</{tag}>"


def as_html_section(diff: CaseDiff) -> str:
    e = html.escape
    if not diff.changed:
        return f"<p>{e(unchanged_line(diff))}</p>\n"
    out = [f"<section><h2>{e(diff.case)}</h2>", f"<p class=rev>{e(diff.old_label)} → {e(diff.new_label)}</p>"]
    out += [f"<p class=note>{e(note)}</p>" for note in diff.notes]
    if diff.figures:
        out += [f"<h3>{TITLE}</h3>", "<table><thead><tr><th>Namn</th><th>Före</th><th>Efter</th></tr></thead><tbody>"]
        out += [f"<tr><td><code>{e(c.name)}</code></td><td>{e(c.old)}</td><td>{e(c.new)}</td></tr>" for c in diff.figures]
        out.append("</tbody></table>")
    for document in diff.documents:
        state = f" ({_STATES[document.state]})" if document.state in _STATES else ""
        out.append(f"<h3>{e(document.name)}{e(state)}</h3>")
        heading = None
        for passage in _shown(document):
            if passage.heading != heading:
                heading = passage.heading
                out.append(f"<h4>{e(heading_text(heading))}</h4>")
            out.append("<p>" + "<br>".join(_lines(trimmed(passage.pieces), _html_mark, e)) + "</p>")
    out.append("</section>")
    return "\n".join(out) + "\n"


PAGE = """<!DOCTYPE html>
<html lang="sv">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
body {{ font-family: sans-serif; max-width: 60em; margin: 2em auto; line-height: 1.45 }}
del {{ background: #fdd; color: #900 }}
ins {{ background: #dfd; color: #060; text-decoration: none; font-weight: bold }}
table {{ border-collapse: collapse }} td, th {{ border: 1px solid #999; padding: .2em .5em; text-align: left; vertical-align: top }}
.rev, .note {{ color: #555 }}
</style>
</head>
<body>
<h1>{title}</h1>
{body}</body>
</html>
"""


def as_html(diffs: list[CaseDiff], title: str) -> str:
    return PAGE.format(title=html.escape(title), body="".join(as_html_section(d) for d in diffs))


def report(diffs: list[CaseDiff], form: str, *, colour: bool = False, title: str = "Ändringar", every: bool = False) -> str:
    """Every changed case's report in one format. One case that did not change is one line; with every (--alla) the
    unchanged cases are left out and a last line counts the changed ones."""
    shown = [d for d in diffs if d.changed] if every else diffs
    last = summary(diffs, len(diffs)) if every else ""
    if form == "html":
        return (
            as_html(shown, title) if shown or not every else as_html([], title).replace("</body>", f"<p>{html.escape(last)}</p>\n</body>")
        )
    if form == "markdown":
        return "\n".join([*(as_markdown(d) for d in shown), *([f"*{_md(last)}*\n"] if last else [])])
    return "\n".join(as_text(d, colour=colour) for d in shown) + (f"{last}\n" if last else "")
