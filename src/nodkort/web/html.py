"""HTML: a page's title and body → the whole document with its navigation, language switch and data footer.

Built with f-strings and `html.escape` (every value from data or a request is escaped here, once): the pages
are few and small, and a template engine would be one more dependency to keep.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from nodkort.web.text import Gettext

NAV = (("/", "Kort"), ("/orders", "Skolbeställningar"), ("/contacts", "Kontakter"), ("/languages", "Språk"))


def e(value: object) -> str:
    return escape(str(value), quote=True)


def csrf_field(token: str) -> str:
    return f'<input type="hidden" name="csrf" value="{e(token)}">'


def document(
    t: Gettext, lang: str, path: str, csrf: str, footer: tuple[str, str, str], title: str, body: str, refresh: int = 0
) -> bytes:
    """The page: skip link, navigation, the language switch (a form: it sets a cookie), body, data footer.

    `refresh`: seconds after which the page (a report or a batch on its way) is asked for again. Not a meta
    refresh, which reloads the whole page under a screen reader's feet (WCAG 2.2.1, axe-core's meta-refresh):
    the script fetches it and puts the new content in place; without the script, the link under it does.
    """
    links = "".join(
        f'<li><a href="{href}"{" aria-current=page" if href == path else ""}>{e(t(label))}</a></li>'
        for href, label in NAV
    )
    other, other_name = ("en", "English") if lang == "sv" else ("sv", "Svenska")
    back = path if path in {href for href, _ in NAV} else "/"
    switch = (
        f'<form method="post" action="/ui-language" class="switch">{csrf_field(csrf)}'
        f'<input type="hidden" name="to" value="{other}"><input type="hidden" name="next" value="{e(back)}">'
        f'<button type="submit" lang="{other}">{other_name}</button></form>'
    )
    root, why, data = footer
    poll = f' data-poll="{refresh}"' if refresh else ""
    if refresh:
        body += f'<p class="hint"><a href="{e(path)}">{e(t("Uppdatera sidan"))}</a></p>'
    html = f"""<!doctype html>
<html lang="{lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)} · nodkort</title>
<link rel="stylesheet" href="/static/app.css"><script src="/static/app.js" defer></script></head>
<body>
<a class="skip" href="#main">{e(t("Hoppa till innehållet"))}</a>
<header><span class="brand">nodkort</span><nav aria-label="{e(t("Sidor"))}"><ul>{links}</ul></nav>{switch}</header>
<main id="main" tabindex="-1"{poll}><h1>{e(title)}</h1>
{body}
</main>
<footer><p>{e(t("Data"))}: <code>{e(data)}</code> · {e(t("Datamapp"))}: <code>{e(root)}</code> ({e(why)})</p></footer>
</body></html>
"""
    return html.encode("utf-8")


def table(
    head: Sequence[str], rows: Iterable[Sequence[str]], name: str, classes: Iterable[str] = (), caption: str = ""
) -> str:
    """A table of already-escaped cells; `classes` gives each row its class (highlighting).

    A wide table scrolls sideways in its own box; the box is a named region that takes the keyboard focus, so
    it can be scrolled without a mouse (WCAG 2.1.1; axe-core's scrollable-region-focusable). `name` names it.
    """
    cap = f"<caption>{e(caption)}</caption>" if caption else ""
    heads = "".join(f'<th scope="col">{h}</th>' for h in head)
    classes = list(classes)
    body = "".join(
        f"<tr{f' class={chr(34)}{classes[i]}{chr(34)}' if i < len(classes) and classes[i] else ''}>"
        + "".join(f"<td>{cell}</td>" for cell in row)
        + "</tr>"
        for i, row in enumerate(rows)
    )
    region = f'class="scroll" role="region" tabindex="0" aria-label="{e(name)}"'
    return f"<div {region}><table>{cap}<thead><tr>{heads}</tr></thead><tbody>{body}</tbody></table></div>"


def problems(t: Gettext, message: str, lines: Sequence[tuple[str, str, str]] = ()) -> str:
    """A NodkortError on the page: the CLI's `Error: …` line, and its problems as a table when there are several."""
    out = f'<div class="error" role="alert"><p><strong>{e(t("Fel"))}:</strong> <span class="message">'
    out += f"{e(message).replace(chr(10), '<br>')}</span></p></div>" if not lines else ""
    if lines:
        out += f"{e(t('{n} problem').format(n=len(lines)))}</span></p></div>"
        out += table(
            [e(t("Var")), e(t("Vad")), e(t("Så rättar du det"))],
            ([e(where), e(what), e(fix)] for where, what, fix in lines),
            t("Fel"),
        )
    return out


def options(values: Iterable[tuple[str, str]], chosen: str) -> str:
    return "".join(
        f'<option value="{e(v)}"{" selected" if v == chosen else ""}>{e(label)}</option>' for v, label in values
    )
