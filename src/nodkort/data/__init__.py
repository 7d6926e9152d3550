"""Data: the data folder's TOML files → validated, frozen values (cards, contacts, regions, languages, fonts table).

In: cards/*.toml, cards/contacts/, cards/regions/, cards/pictograms.toml, locales/languages.toml, fonts/fonts.toml.
Out: `Card`, `Contact`, `Region`, `Language` values in points, the font file of each family, and the `Directory`
a card prints its contacts from; every problem of a file reported at once with file, line and fix.
Imports nothing of the later stages.
"""
