"""Every size, depth, count and time budget tjanste enforces on its inputs, as named constants.

Hostile input is normal input: cases, templates, images and .docx files arrive in
pull requests. Each reader consults these limits before it allocates or recurses,
and each limit has one Swedish message that names the file, the line where there is
one, the limit and the value found. Change a limit here and in the README's table.
"""

from __future__ import annotations

# --- case files and front matter (yamlsource, case) ---------------------------------------

# --- tables and checks (tables, checks) ---------------------------------------------------

# --- Jinja in prose, att-satser and Word templates (prose, docx/document) ------------------

# --- images (imagecheck, docx/picture) ----------------------------------------------------

# --- .docx packages read back (docx/reading, docx/text, accessibility) -----------------------

# --- outputs (output, render) ---------------------------------------------------------------
