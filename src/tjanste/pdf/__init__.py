"""PDF: LibreOffice's conversion, the PDF/A checks, the pages' layout."""
