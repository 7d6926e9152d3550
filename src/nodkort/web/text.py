"""Page text: a Swedish source string → the same string in the language the page is shown in (sv or en).

The page's own small catalog, locales/en/LC_MESSAGES/web.po beside this module, read strictly by the same
reader as the cards' catalogs. A string missing from it shows in Swedish; tests/test_web.py fails when one is.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from nodkort.i18n.po import read_catalog
from nodkort.model import Language

CATALOG = Path(__file__).parent / "locales" / "en" / "LC_MESSAGES" / "web.po"
ENGLISH = Language("en", "English", "English", "Latn", "ltr", "en", ())
Gettext = Callable[[str], str]


@cache
def english() -> dict[str, str]:
    catalog = read_catalog(CATALOG, ENGLISH)
    return {str(m.id): str(m.string) for m in catalog if m.id and m.string and not m.fuzzy}


def gettext(lang: str) -> Gettext:
    if lang != "en":
        return lambda text: text
    table = english()
    return lambda text: table.get(text, text)
