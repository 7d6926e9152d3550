"""nodkort: print-ready emergency and action cards from templates, translations and verified contacts."""

__version__ = "0.1.0"
