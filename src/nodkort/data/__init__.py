"""Data: the data folder's TOML files → validated, frozen values (cards, contacts, regions, languages, fonts table).

In: cards/*.toml, cards/contacts/, cards/regions/, cards/pictograms.toml, locales/languages.toml. Out: `Card`,
`Contact`, `Region`, `Language` values in points, every problem of a file reported at once with file, line and fix.
Imports nothing of the later stages.
"""
