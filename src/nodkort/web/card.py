"""Card page: the choices in a query string → a Job → the form, the preview (PNG from the real PDF), PDF and sheets.

The start page. Every request builds the same Job `nodkort render` builds from its options; a language that is
not reviewed is rendered as a watermarked draft (as `--draft` does) and the page says why, in the words
`render` uses when it refuses.
"""

from __future__ import annotations

import base64
import re

from nodkort.model import Job, Variant
from nodkort.web.html import e, options, problems
from nodkort.web.http import Request, Response, download
from nodkort.web.languages import states
from nodkort.web.pool import Failed
from nodkort.web.text import Gettext
from nodkort.web.work import CardResult, Info

PREVIEW_DPI = 110
THUMB_DPI = 24
MAX_COUNT = 100_000
_KOMMUN = re.compile(r"\s+kommun$", re.IGNORECASE)  # "Västerås kommun" as people write it → the name


def job(request: Request, info: Info) -> Job:
    """The Job the choices ask for; the library refuses unknown cards, formats, languages and places."""
    # The start page shows a card that needs no municipality: it has a preview before anything is typed.
    card = request.arg("card") or next((c[0] for c in info.cards if not c[4]), info.cards[0][0])
    place = _KOMMUN.sub("", request.arg("municipality")) or None
    variant: Variant = "discreet" if request.arg("discreet") else "plain"
    return Job(card, request.arg("lang") or "sv", request.arg("format") or None, variant, place)


def preview(t: Gettext, result: CardResult | Failed) -> str:
    """The preview section: both sides, the draft reason, warnings; or the error in the CLI's words."""
    if isinstance(result, Failed):
        lines = [(str(p.where), p.what, p.fix) for p in result.problems] if len(result.problems) > 1 else []
        inner = problems(t, result.message, lines)
    else:
        image = base64.b64encode(result.preview).decode("ascii")
        inner = ""
        if result.draft_reason:
            inner += (
                f'<div class="draft" role="status"><p><strong>{e(t("Utkast"))}:</strong> '
                f"{e(t('översättningen är inte granskad; kortet kan bara laddas ner som vattenmärkt utkast.'))}</p>"
                f'<p class="reason">{e(result.draft_reason)}</p></div>'
            )
        inner += "".join(f'<p class="warning" role="status">{e(t("Varning"))}: {e(w)}</p>' for w in result.warnings)
        inner += (
            f'<img src="data:image/png;base64,{image}" alt="{e(t("Förhandsvisning av kortets alla sidor"))}">'
            f'<p class="filename">{e(t("Filnamn"))}: <code>{e(result.name)}</code></p>'
        )
    return f'<section id="preview" aria-live="polite" aria-label="{e(t("Förhandsvisning"))}">{inner}</section>'


def form(t: Gettext, request: Request, info: Info, chosen: Job) -> str:
    card = next((c for c in info.cards if c[0] == chosen.card), info.cards[-1])
    cards = "".join(
        f'<label class="card-choice"><input type="radio" name="card" value="{e(cid)}"'
        f'{" checked" if cid == card[0] else ""}><img src="/thumb/{e(cid)}.png" alt="" width="120"> '
        f"{e(title)} <small>({e(cid)}, v{e(version)})</small></label>"
        for cid, version, *_, title in info.cards
    )
    formats = options(
        [("", t("kortets standard ({name})").format(name=card[3]))] + [(f, f) for f in card[2]], chosen.format or ""
    )
    named = states(t)  # in the page's language, as on the languages page

    def state_words(state: str) -> str:
        if state in ("source", "reviewed", "draft"):
            return named[state]
        return t("utkast: ") + named.get(state, state)  # a draft, and why it is not yet more

    langs = options(
        ((code, f"{own} — {swedish} ({state_words(state)})") for code, own, swedish, _, state in info.languages),
        chosen.lang,
    )
    places = "".join(f'<option value="{e(name)}">' for name in info.municipalities)
    papers = options(((p, p) for p in info.papers), request.arg("paper") or "A4")
    needs = t("Behövs för kortet") if card[4] else t("Används inte av det här kortet")
    checked = " checked" if chosen.variant == "discreet" else ""
    discreet = t(
        "Diskret: utsidan, filnamnet och PDF-filens uppgifter säger inget om vad kortet handlar om, "
        "så att den som bär det inte röjs."
    )
    return f"""<form id="card-form" method="get" action="/">
<fieldset><legend>{e(t("Kort"))}</legend><div class="cards">{cards}</div></fieldset>
<div class="fields">
<label for="format">{e(t("Format"))}</label><select id="format" name="format">{formats}</select>
<label for="lang">{e(t("Språk"))}</label><select id="lang" name="lang">{langs}</select>
<label for="municipality">{e(t("Kommun"))}</label>
<input id="municipality" name="municipality" list="places" value="{e(request.arg("municipality"))}"
 autocomplete="off" aria-describedby="municipality-hint">
<datalist id="places">{places}</datalist>
<p id="municipality-hint" class="hint">{e(needs)}. {e(t("Skriv för att söka, t.ex. vasteras."))}</p>
<div class="check"><input type="checkbox" id="discreet" name="discreet" value="1"{checked}
 aria-describedby="discreet-hint"><label for="discreet">{e(t("Diskret"))}</label></div>
<p id="discreet-hint" class="hint">{e(discreet)}</p>
</div>
<div class="actions">
<button type="submit">{e(t("Visa"))}</button>
<button type="submit" formaction="/card.pdf">{e(t("Ladda ner PDF"))}</button>
</div>
<fieldset class="sheets"><legend>{e(t("Utskriftsark"))}</legend>
<label for="count">{e(t("Antal kort"))}</label><input id="count" name="count" type="number" min="1" max="{MAX_COUNT}"
 value="{e(request.arg("count") or "100")}">
<label for="paper">{e(t("Papper"))}</label><select id="paper" name="paper">{papers}</select>
<button type="submit" formaction="/sheets.pdf">{e(t("Ladda ner utskriftsark"))}</button>
</fieldset>
</form>"""


def thumb_name(path: str, info: Info) -> str | None:
    """`/thumb/<card>.png` → a card id that exists, or None (the path is matched against the list, not used)."""
    match = re.fullmatch(r"/thumb/([a-z0-9_-]+)\.png", path)
    known = {c[0] for c in info.cards}
    return match.group(1) if match and match.group(1) in known else None


def thumb_job(card_id: str, info: Info) -> Job:
    needs = next(c[4] for c in info.cards if c[0] == card_id)
    return Job(card_id, "sv", None, "plain", info.municipalities[0] if needs and info.municipalities else None)


def pdf_response(result: CardResult) -> Response:
    return download(result.pdf, result.name, "application/pdf")


def count(request: Request) -> int | None:
    text = request.arg("count")
    return int(text) if text.isdigit() and 0 < int(text) <= MAX_COUNT else None
