"""i18n: templates' Swedish strings ↔ gettext catalogs → translations with their review state.

In: the validated templates and locales/<lang>/LC_MESSAGES/nodkort.po. Out: `Message` values (context, Swedish
source, translator comment) and strict `Translations` (no silent fallback). Babel is imported only here.
"""
