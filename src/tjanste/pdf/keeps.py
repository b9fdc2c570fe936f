"""What the pages keep together by the text alone: the rule the body writer marks and the page check expects.

A module of its own, so that writing a paper (writing/body.py) does not import the page check (pdf/layout.py),
with its pdftotext call and its records, at every start.
"""

LEAD_IN_MAX = 200  # characters: a wholly emphasised paragraph up to this long is a lead-in or note, kept with what follows
