"""Every size, depth, count and time budget tjanste enforces on its inputs, as named constants.

Hostile input is normal input: cases, templates, images and .docx files arrive in
pull requests. Each reader consults these limits before it allocates or recurses,
and each limit has one Swedish message that names the file, the line where there is
one, the limit and the value found. Change a limit here and in the README's table.
"""

from __future__ import annotations

# --- case files and front matter (yamlsource, case) ---------------------------------------

# --- tables and checks (tables, checks) ---------------------------------------------------

# Amounts and every sum of them are exact (amount.exactly): nothing is ever rounded except for display.
AMOUNT_MAX_DIGITS = 40  # digits of one amount in kronor, before and after the decimal comma (10^28 kr has 29)
EXACT_DIGITS = 100  # digits a sum, difference, product or quotient is carried with; a result needing more is refused
AMOUNT_MAX_DECIMALS = 6  # decimals an amount may be shown with (| mnkr(1), a table's decimaler)

# --- Jinja in prose, att-satser and Word templates (prose, docx/document) ------------------

# Counted by jinjawork and sandbox in every hook Jinja passes through; a case's numbers obey EXACT_DIGITS too.
JINJA_MAX_LOOP_ROUNDS = 100_000  # rounds of all {% for %} loops of one case (also the longest range())
JINJA_MAX_EXPONENT = 100  # the largest n in a ** n
JINJA_MAX_TEXT_CHARS = 100_000  # characters of a text an expression makes ('a' * n, a ~ b, a + b, | join)
JINJA_MAX_LIST_ITEMS = 10_000  # items of a list an expression makes ([a] * n, a + b)
JINJA_MAX_OUTPUT_CHARS = 1_000_000  # characters one piece of prose (the text, an att-sats, a bilaga) may become
JINJA_MAX_TEMPLATE_CHARS = 20_000_000  # characters one part of a Word template (body, header, footer) may become
JINJA_SECONDS_PER_CASE = 5.0  # time all Jinja of one case may take: its prose, then again its Word templates

# --- images (imagecheck, docx/picture) ----------------------------------------------------

# --- .docx packages read back (docx/reading, docx/text, accessibility) -----------------------

# --- outputs (output, render) ---------------------------------------------------------------
