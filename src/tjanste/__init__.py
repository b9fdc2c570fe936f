"""tjanste: Swedish public-sector decision papers from case files to Word."""

__version__ = "0.1.0"
