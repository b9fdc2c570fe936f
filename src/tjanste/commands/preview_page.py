"""The live preview's web page: the case's problems over its papers, each paper as its PDF's pages or, until they are drawn,
as the text read back from the .docx."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from tjanste.errors import Problem
from tjanste.pdf.pages import PageImage


@dataclass
class State:
    """What the page shows: the last good papers, and the problems of the newest version of the case."""

    generation: int = 0
    documents: dict[str, bytes] = field(default_factory=dict)  # name -> .docx bytes of the last good render
    pages: list[tuple[str, str]] = field(default_factory=list)  # (document name, HTML) of the last good render
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    pdfs: dict[str, bytes] | None = None  # the PDF/A of each document, made once for these documents
    images: dict[str, list[PageImage]] | None = None  # the pages of each document's PDF, by the .docx name's stem
    drawn: str = ""  # names this drawing of the pages in their URLs, so that a browser may keep them
    drawing_failed: list[Problem] = field(default_factory=list)  # why the pages could not be drawn (the text view stays)


def problem_html(problem: Problem) -> str:
    place = problem.place
    where = f"{html.escape(str(place.path))}, rad {place.line}" + (f", kolumn {place.col}" if place.col > 1 else "")
    name = f"<code>{html.escape(problem.field)}</code>: " if problem.field else ""
    return (
        f'<li class="{problem.severity}" data-rad="{place.line}"><span class="var">{where}</span> {name}{html.escape(problem.message)}</li>'
    )


def content_html(state: State, *, pdf: bool, drawing: bool) -> str:
    """The page's changing part; `drawing` says the pages are on their way (shown in the text view's place until then)."""
    out = []
    if state.errors:
        out.append(
            '<section id="fel" class="fel"><h2>Ärendet har fel</h2>'
            "<p>Sidan visar det senaste papperet utan fel tills de är rättade.</p><ul>"
        )
        out.extend(problem_html(p) for p in state.errors)
        out.append("</ul></section>")
    warnings = state.warnings + state.drawing_failed
    if warnings:
        out.append('<section id="varningar" class="varningar"><h2>Varningar</h2><ul>')
        out.extend(problem_html(p) for p in warnings)
        out.append("</ul></section>")
    if not state.pages:
        out.append('<p class="tomt">Inget papper än: rätta felen ovan, så visas det här.</p>')
    stale = " inaktuellt" if state.errors else ""
    for name, text_view in state.pages:
        stem = name.removesuffix(".docx")
        links = f'<a href="/fil/{html.escape(name)}" download>{html.escape(name)}</a>'
        if pdf:
            links += f' <a href="/fil/{html.escape(stem)}.pdf" target="_blank">{html.escape(stem)}.pdf</a>'
        images = (state.images or {}).get(stem)
        if images is not None:
            view, body = "sidor", _pages_html(stem, images, state.drawn)
        else:
            note = '<p class="ritas">Sidorna ritas; under tiden visas texten.</p>' if drawing else ""
            view, body = "text", note + text_view
        out.append(
            f'<section class="papper{stale}" data-dokument="{html.escape(stem)}" data-vy="{view}">'
            f'<nav class="filer">{links}</nav>{body}</section>'
        )
    return "\n".join(out)


def _pages_html(stem: str, images: list[PageImage], drawn: str) -> str:
    count = len(images)
    out = []
    for number, page in enumerate(images, start=1):
        source = f"/sida/{html.escape(stem)}/{number}.png?v={html.escape(drawn)}"
        out.append(
            f'<div class="sida" data-sida="{number}">'
            f'<img src="{source}" loading="lazy" width="{page.width}" height="{page.height}" alt="Sida {number} av {count}">'
            f'<div class="sidtext">{html.escape(page.text)}</div></div>'
        )
    return "".join(out)


PAGE = """<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>{title} – förhandsvisning</title>
<style>
body {{ font-family: "Liberation Sans", Arial, sans-serif; background: #e8e8e8; margin: 0; }}
.rad {{ background: #2d3e50; color: #fff; padding: .5em 1em; position: sticky; top: 0; z-index: 1; }}
.rad span {{ opacity: .8; font-size: .9em; }}
main {{ max-width: 52em; margin: 1em auto; }}
.fel, .varningar {{ padding: .5em 1em; margin-bottom: 1em; border-radius: 4px; }}
.fel {{ background: #fde2e1; border: 2px solid #b3261e; }}
.varningar {{ background: #fff4d6; border: 1px solid #a66b00; }}
.fel h2, .varningar h2 {{ font-size: 1.1em; margin: .3em 0; }}
.var {{ font-weight: bold; }}
.papper {{ margin-bottom: 2em; }}
.papper[data-vy="text"] {{ background: #fff; padding: 2.5em 3em; box-shadow: 0 1px 4px rgba(0,0,0,.3); }}
.inaktuellt {{ opacity: .45; }}
.filer {{ font-size: .9em; text-align: right; margin-bottom: .5em; }}
.filer a {{ margin-left: 1em; }}
.ritas {{ color: #555; font-style: italic; }}
.sida {{ position: relative; background: #fff; box-shadow: 0 1px 4px rgba(0,0,0,.3); margin: 0 auto 1.5em; max-width: 100%; }}
.sida img {{ display: block; width: 100%; height: auto; }}
.sidtext {{ position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: pre-wrap; }}
.brevhuvud, .sidfot {{ font-size: .85em; color: #333; border-bottom: 1px solid #999; margin-bottom: 1.5em; }}
.sidfot {{ border-top: 1px solid #999; border-bottom: 0; margin-top: 1.5em; }}
.brevhuvud table {{ width: 100%; }}
table.tabell {{ border-collapse: collapse; margin: 1em 0; }}
.brodtext table.tabell th, .brodtext table.tabell td {{ border: 1px solid #999; padding: .2em .5em; }}
td.belopp {{ text-align: right; white-space: nowrap; }}
tr.summarad td {{ font-weight: bold; border-top: 2px solid #000; }}
.fotnoter {{ font-size: .85em; border-top: 1px solid #999; margin-top: 1em; }}
figure.bild {{ border: 1px dashed #999; padding: 1em; color: #555; }}
hr.sidbrytning {{ border: 0; border-top: 1px dashed #999; }}
</style></head>
<body><div class="rad">Förhandsvisning av <b>{title}</b> <span id="status">uppdateras när du sparar</span></div>
<main id="innehall" data-generation="{generation}">{content}</main>
<script>
let generation = "{generation}";
// The server answers when something changed (or after a while with 204); the next request goes at once.
async function poll() {{
  let wait = 0;
  try {{
    const response = await fetch("/tillstand?vanta=1&sedan=" + encodeURIComponent(generation), {{cache: "no-store"}});
    if (response.status === 200) {{
      const data = await response.json();
      generation = data.generation;
      const main = document.getElementById("innehall");
      // the text view and the pages differ in height: keep the official at the same share of the paper
      const share = window.scrollY / Math.max(1, document.documentElement.scrollHeight);
      main.innerHTML = data.innehall;
      main.dataset.generation = generation;
      if (window.scrollY > 0) window.scrollTo(0, share * document.documentElement.scrollHeight);
    }} else if (response.status !== 204) {{
      wait = {poll_ms};
    }}
    document.getElementById("status").textContent = "uppdateras när du sparar";
  }} catch (error) {{
    document.getElementById("status").textContent = "förhandsvisningen är avslutad; sidan kopplar upp sig igen när du startar tjanste visa";
    wait = {poll_ms};
  }}
  setTimeout(poll, wait);
}}
setTimeout(poll, 0);
</script></body></html>
"""
