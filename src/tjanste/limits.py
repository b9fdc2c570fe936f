"""Every size, depth, count and time budget tjanste enforces on its inputs, as named constants.

Hostile input is normal input: cases, templates, images and .docx files arrive in
pull requests. Each reader consults these limits before it allocates or recurses,
and each limit has one Swedish message that names the file, the line where there is
one, the limit and the value found. Change a limit here and in the README's table.
"""

from __future__ import annotations

from typing import NamedTuple

from tjanste.errors import TjansteError


class Limit(NamedTuple):
    """One bound on an input: its constant's name, its value, the unit it counts and what it measures, in Swedish."""

    name: str
    value: int
    unit: str
    what: str  # Swedish, what is measured: "filen", "nästlingen"
    advice: str  # Swedish, what the official can do about it

    def exceeded_by(self, found: int) -> bool:
        return found > self.value

    def message(self, found: int | str) -> str:
        """The one Swedish message for this limit: what was found, the limit and what to do."""
        unit = f" {self.unit}" if self.unit else ""
        value = seconds(self.value) if isinstance(self.value, float) else self.value  # a limit lowered to a fraction
        return f"{self.what} är {found}{unit}, över gränsen {value}{unit} ({self.name}); {self.advice}"


def seconds(value: float) -> str:
    """A time in seconds as Swedish text writes it: 5, 0,2 (a decimal comma, no trailing zeros)."""
    return f"{value:g}".replace(".", ",")


class LimitError(TjansteError, ValueError):
    """An input over a limit; the message is the limit's own, the caller adds the file and line."""

    def __init__(self, limit: Limit, found: int | str, line: int | None = None):
        self.limit = limit
        self.found = found
        self.line = line
        super().__init__(limit.message(found))


# --- case files and front matter (yamlsource, case) ---------------------------------------

CASE_FILE_BYTES = Limit(
    "CASE_FILE_BYTES",
    8_000_000,
    "byte",
    "filen",
    "en ärendefil är text; dela upp den eller flytta stora tabeller till bilagor",
)
TEXT_FIELD_CHARS = Limit(
    "TEXT_FIELD_CHARS",
    50_000,
    "tecken",
    "texten i fältet",
    "en rubrik, ett namn eller en att-sats är några rader; längre text hör hemma i ärendets text eller i en bilaga",
)
PROFILE_FILE_BYTES = Limit("PROFILE_FILE_BYTES", 200_000, "byte", "organisationsprofilen", "en profil är några rader YAML")
YAML_DEPTH = Limit(
    "YAML_DEPTH",
    32,
    "nivåer",
    "nästlingen av listor och fält",
    "ett ärende behöver bara några få nivåer",
)
YAML_NODES = Limit(
    "YAML_NODES",
    1_000_000,
    "värden",
    "antalet värden i uppgifterna",
    "dela upp ärendet",
)
ATTACHMENT_FILE_BYTES = Limit(
    "ATTACHMENT_FILE_BYTES",
    8_000_000,
    "byte",
    "bilagans fil",
    "en bilaga är text; dela upp den",
)

# --- tables and checks (tables, checks) ---------------------------------------------------

# Amounts and every sum of them are exact (amount.exactly): nothing is ever rounded except for display.
AMOUNT_MAX_DIGITS = 40  # digits of one amount in kronor, before and after the decimal comma (10^28 kr has 29)
EXACT_DIGITS = 100  # digits a sum, difference, product or quotient is carried with; a result needing more is refused
AMOUNT_MAX_DECIMALS = 6  # decimals an amount may be shown with (| mnkr(1), a table's decimaler)

TABLE_ROWS = Limit("TABLE_ROWS", 200_000, "rader", "tabellen", "dela upp tabellen eller lägg den som bilaga")
# Each acknowledgement is tried against each warning of its name: a list of thousands against a case of 100 000
# warnings took minutes. A real case acknowledges a handful.
KVITTERAT_ENTRIES = Limit(
    "KVITTERAT_ENTRIES",
    100,
    "kvitteringar",
    "listan kvitterat",
    "kvittera en sorts varning i hela ärendet med bara dess namn (- enhet), utan galler",
)
# A rule is computed on every row of a table: its length bounds the work per row (a quotient that does not end is
# carried as a fraction, some microseconds an operation), its nesting the parser's recursion.
CONDITION_TOKENS = Limit("CONDITION_TOKENS", 100, "led", "villkoret", "en regel eller kontroll är några namn och tal; dela upp den i flera")
CONDITION_NESTING = Limit(
    "CONDITION_NESTING", 20, "nivåer", "nästlingen av parenteser och tecken i villkoret", "skriv villkoret med färre parenteser"
)

# --- Jinja in prose, att-satser and Word templates (prose, docx/document) ------------------

# Counted by workbudget and sandbox in every hook Jinja passes through; a case's numbers obey EXACT_DIGITS too.
JINJA_MAX_LOOP_ROUNDS = 100_000  # rounds of all {% for %} loops of one case (also the longest range())
JINJA_MAX_TAGS = 10_000  # {{ }} and {% %} in one template (a piece of prose, a part of a Word template)
JINJA_MAX_NESTING = 60  # levels of one template's tree (brackets, chained steps, open blocks): well within the stack
JINJA_MAX_EXPONENT = 100  # the largest n in a ** n
JINJA_MAX_TEXT_CHARS = 100_000  # characters of a text an expression makes or prints ('a' * n, a ~ b, | join)
JINJA_MAX_LIST_ITEMS = 10_000  # items of a list an expression makes ([a] * n, a + b)
JINJA_MAX_OUTPUT_CHARS = 1_000_000  # characters one piece of prose (the text, an att-sats, a bilaga) may become
JINJA_MAX_TEMPLATE_CHARS = 20_000_000  # characters one part of a Word template (body, header, footer) may become
JINJA_SECONDS_PER_CASE = 5.0  # time all Jinja of one case may take, compiling included: its prose, then again its Word templates

# --- images (imagecheck, docx/picture) ----------------------------------------------------

IMAGE_FILE_BYTES = Limit(
    "IMAGE_FILE_BYTES",
    30_000_000,
    "byte",
    "bildfilen",
    "spara bilden i lägre upplösning eller som JPEG",
)
IMAGE_SIDE_PIXELS = Limit(
    "IMAGE_SIDE_PIXELS",
    20_000,
    "bildpunkter",
    "bildens bredd eller höjd",
    "spara bilden i lägre upplösning",
)
IMAGE_PIXELS = Limit(
    "IMAGE_PIXELS",
    100_000_000,
    "bildpunkter",
    "bildens yta",
    "spara bilden i lägre upplösning",
)
SVG_ELEMENTS = Limit(
    "SVG_ELEMENTS",
    20_000,
    "element",
    "SVG-logotypens antal element",
    "förenkla logotypen i ritprogrammet (t.ex. 'Förenkla' eller färre noder) och spara om den",
)

# --- .docx packages read back (docx/reading, docx/text, accessibility) -----------------------

DOCX_FILE_BYTES = Limit("DOCX_FILE_BYTES", 100_000_000, "byte", "filen", "en Word-fil med text är mycket mindre")
DOCX_PARTS = Limit("DOCX_PARTS", 2_000, "delar", "antalet delar i Word-filen", "filen är inget vanligt Word-dokument")
DOCX_PART_BYTES = Limit(
    "DOCX_PART_BYTES",
    50_000_000,
    "byte",
    "en uppackad del av Word-filen",
    "filen är inget vanligt Word-dokument",
)
DOCX_TOTAL_BYTES = Limit(
    "DOCX_TOTAL_BYTES",
    200_000_000,
    "byte",
    "Word-filen uppackad",
    "filen är inget vanligt Word-dokument",
)
DOCX_RATIO = Limit(
    "DOCX_RATIO",
    200,
    "gånger",
    "packningsgraden för en del av Word-filen",
    "så hårt packas bara filer som är gjorda för att fylla minnet (zip-bomb)",
)
DOCX_RATIO_FROM_BYTES = 1_000_000  # below this a part may compress as well as it likes: it cannot fill memory
DOCX_XML_DEPTH = Limit("DOCX_XML_DEPTH", 100, "nivåer", "nästlingen av XML i Word-filen", "filen är inget vanligt Word-dokument")
DOCX_STYLE_CHAIN = Limit(
    "DOCX_STYLE_CHAIN",
    100,
    "led",
    "kedjan av formatmallar som bygger på varandra (w:basedOn)",
    "filen är inget vanligt Word-dokument",
)
DOCX_FIELD_DEPTH = Limit(
    "DOCX_FIELD_DEPTH",
    100,
    "nivåer",
    "nästlingen av fält (w:fldChar) i Word-filen",
    "filen är inget vanligt Word-dokument",
)
DOCX_LIST_NUMBER = Limit(  # markdown numbers a list with up to nine digits; letters for more would print megabytes
    "DOCX_LIST_NUMBER",
    999_999_999,
    "",
    "ett listnummer i Word-filen",
    "en numrerad lista börjar på högst ett niosiffrigt tal",
)
DOCX_LIST_LABEL = Limit(
    "DOCX_LIST_LABEL",
    1_000,
    "tecken",
    "ett listnummer skrivet med bokstäver eller romerska siffror",
    "en så lång lista numreras med siffror",
)
DOCX_LIST_LEVEL = Limit("DOCX_LIST_LEVEL", 8, "", "en listnivå i Word-filen (w:ilvl)", "Word har listnivåerna 0–8")
DOCX_CHARACTER_CODE = Limit(
    "DOCX_CHARACTER_CODE",
    0x10FFFF,
    "",
    "en teckenkod i Word-filen (w:sym)",
    "Unicode slutar vid 1114111 (10FFFF)",
)
DOCX_TEXT_CHARS = Limit(
    "DOCX_TEXT_CHARS",
    50_000_000,
    "tecken",
    "texten i Word-filen",
    "så mycket text skriver inget beslut",
)

# --- outputs (output, render) ---------------------------------------------------------------

ALLA_JOBS = Limit(
    "ALLA_JOBS",
    64,
    "processer",
    "antalet processer (-j)",
    "varje process behöver sitt eget minne; ange högst en per processorkärna, t.ex. -j 4",
)

# --- PDF files checked after LibreOffice (pdfcheck) ------------------------------------------

PDF_FORM_DEPTH = 8  # form XObjects inside form XObjects followed when looking for fonts; LibreOffice nests one or two

# --- caches of compiled code (codecache) ------------------------------------------------------

CODE_CACHE_ENTRIES = 4_000  # compiled templates kept in memory by one process (a preview session); then it starts over
PARSED_PROSE_KEPT = 8  # pieces of prose whose markdown tokens one process keeps (the paper, its bilagor, a preview's last edits)
PARSED_PIECES_KEPT = 4_000  # top-level pieces and paragraphs whose markdown tokens one process keeps, so an edit parses its own
PARSED_PIECES_CHARS = 1_000_000  # characters of those pieces kept at most: the largest prose (JINJA_MAX_OUTPUT_CHARS), once
BUILT_TABLES_KEPT = 8  # papers' sets of case tables one process keeps made (a preview's, unchanged by an edit of the prose)
BUILT_TABLES_KEY_BYTES = 1_000_000  # a set of tables larger than this (pickled) is made every time: kept, it would fill memory
LINT_LINE_KEPT_CHARS = 20_000  # a longer line of prose is linted every time: a preview keeps thousands of lines' findings
WRITTEN_PARTS_KEPT = 32  # parsed parts of papers just written that one process keeps, for reading the next render back
CODE_CACHE_DISK_BYTES = 100_000_000  # bytes the cache folder may hold; past it, the entries made longest ago are removed
CODE_CACHE_ENTRY_BYTES = 8_000_000  # bytes of one compiled template on disk; a larger one is compiled every time

# --- diffs between revisions (diffing, commands/revisions) -------------------------------------

GIT_SECONDS = Limit("GIT_SECONDS", 120, "sekunder", "tiden för ett git-anrop", "kontrollera förrådet (git fsck) och försök igen")
DIFF_RENDER_SECONDS = Limit(
    "DIFF_RENDER_SECONDS",
    1_800,
    "sekunder",
    "tiden för att skriva ut revisionens ärenden med dess egen kod",
    "jämför färre ärenden (tjanste diff ÄRENDE) eller närmare revisioner",
)
DIFF_WORDS = Limit(
    "DIFF_WORDS",
    20_000,
    "ord",
    "en ändrad textsträcka",
    "den visas som borttagen och ny i sin helhet i stället för ord för ord",
)
