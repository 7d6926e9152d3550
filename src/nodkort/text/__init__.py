"""Text: strings in a language → shaped, measured glyph runs and their line-break opportunities.

In: styled spans, a `Language` and the bundled fonts. Out: glyphs in font units (HarfBuzz), bidi levels (UAX #9),
break and cluster boundaries (ICU). Nothing here knows about cards or boxes.
"""
