"""Layout: a card template, its translated strings and contacts → positioned primitives per side, in points.

In: `Card`, `Translations`, the contact `Directory`, shaped text. Out: `LaidCard` (sides of `TextLine`, `Fill`,
`QrCode`, `Shape`), or a named error from a gate (review, glyph, discreet) or from fitting. Never draws.
"""
