"""Tagged PDF (PDF/UA-1): each requirement checked by reading the written file back with pikepdf, pdfium and
poppler. No PDF/UA validator (veraPDF is Java, in none of the registries this project uses) runs here.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pypdfium2
import pytest
from PIL import ImageChops

from conftest import Run
from helpers import struct_elements
from nodkort.layout.primitives import logical
from nodkort.layout.side import LaidCard
from nodkort.model import Job
from nodkort.pipeline import render
from nodkort.project import Project

PAINT = {"Tj", "TJ", "'", '"', "f", "F", "f*", "B", "B*", "b", "b*", "S", "s", "Do", "sh"}


def _ua(project: Project, **job: object) -> bytes:
    return render(project, Job(**job), "ua")[1]  # type: ignore[arg-type]


def _marked_text(doc: pikepdf.Pdf) -> list[dict[int, str]]:
    """Each page's ActualText by MCID, and a check that everything painted is tagged or an artifact."""
    pages = []
    for page in doc.pages:
        texts: dict[int, str] = {}
        stack: list[str] = []  # "mcid", "artifact" or "other" per open sequence
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op in ("BDC", "BMC"):
                props = operands[1] if op == "BDC" else None
                kind = "artifact" if str(operands[0]) == "/Artifact" else "other"
                if isinstance(props, pikepdf.Dictionary) and "/MCID" in props:
                    kind = "mcid"
                    texts[int(props.MCID)] = str(props.get("/ActualText", ""))
                stack.append(kind)
            elif op == "EMC":
                stack.pop()
            elif op in PAINT:
                assert {"mcid", "artifact"} & set(stack), f"{op} outside tagged content and artifacts"
        assert not stack
        pages.append(texts)
    return pages


def _tree(doc: pikepdf.Pdf) -> list[tuple[str, str, str]]:
    """(type, text, lang) of every structure element with content, in reading (tree) order."""
    marked = _marked_text(doc)
    page_index = {p.objgen: i for i, p in enumerate(doc.pages)}
    out: list[tuple[str, str, str]] = []

    def walk(element: pikepdf.Dictionary) -> str:
        text = ""
        for kid in element.K if isinstance(element.K, pikepdf.Array) else [element.K]:
            if isinstance(kid, int):
                text += marked[page_index[element.Pg.objgen]][kid]
            else:
                said = walk(kid)
                text += said if str(kid.S) == "/Span" else ""
        text = str(element.get("/ActualText", text))  # a right-to-left part says its text in its element
        if text or str(element.S) == "/Figure":
            out.append((str(element.S)[1:], text, str(element.get("/Lang", ""))))
        return text

    walk(doc.Root.StructTreeRoot.K)
    return out


def test_action_card_is_tagged_pdf_ua(project: Project) -> None:
    doc = pikepdf.open(io.BytesIO(_ua(project, card="action", lang="sv", municipality="Sala", crop_marks=True)))
    assert doc.pdf_version == "1.7"
    assert doc.Root.MarkInfo.Marked is True
    assert str(doc.Root.Lang) == "sv"
    assert doc.Root.ViewerPreferences.DisplayDocTitle is True
    assert str(doc.docinfo.Title) == "Åtgärdskort"
    xmp = bytes(doc.Root.Metadata.read_bytes()).decode()
    assert "<pdfuaid:part>1</pdfuaid:part>" in xmp and "Åtgärdskort" in xmp
    assert "/OutputIntents" not in doc.Root and "/GTS_PDFXVersion" not in doc.docinfo
    for number, page in enumerate(doc.pages):
        assert page.obj.Tabs == pikepdf.Name.S and int(page.obj.StructParents) == number
    tree = _tree(doc)
    kinds = [kind for kind, _, _ in tree]
    assert tree[0] == ("H1", "Så agerar du", "")
    assert ("LBody", "Akut fara: ring 112.", "") in tree and ("Lbl", "•", "") in tree
    # each item's bullet is read before its body
    assert kinds[kinds.index("Lbl") + 1] == "LBody"
    # a contact is a table row: name, number, purpose and hours
    row = tree.index(("TD", "SOS Alarm", ""))
    assert tree[row + 1 : row + 3] == [("TD", "112", ""), ("TD", "dygnet runt", "")]
    figures = [text for kind, text, _ in tree if kind == "Figure"]
    assert figures  # every figure has its alternative text, checked in the next test


def test_every_contacts_row_has_the_same_three_cells(project: Project) -> None:
    # Terrafem has no hours and the discreet card prints no purpose: its third cell is there, and empty.
    doc = pikepdf.open(io.BytesIO(_ua(project, card="emergency", lang="sv", format="folded", variant="discreet")))
    rows = [e for e in struct_elements(doc.Root.StructTreeRoot.K) if str(e.S) == "/TR"]
    assert len(rows) == 7
    for row in rows:
        assert [str(cell.S) for cell in row.K] == ["/TD"] * 3
    marked = _marked_text(doc)
    page = {p.objgen: i for i, p in enumerate(doc.pages)}

    def said(cell: pikepdf.Dictionary) -> str:
        return "".join(marked[page[cell.Pg.objgen]][k] for k in cell.K if isinstance(k, int))

    cells = [[said(cell) for cell in row.K] for row in rows]
    assert cells[5] == ["Stödlinje, många språk", "020-52 10 10", ""]
    assert cells[1] == ["Jouren", "+46 8 405 50 05", "dygnet runt"]


VASTERAS_ESERVICE = (
    "https://www.vasteras.se/omsorg-stod-och-hjalp/familj-barn-och-ungdom/misstanke-om-barn-som-far-illa.html"
)
UD = "+46 8 405 50 05"
POLICE = "+46 77 114 14 00"


@pytest.mark.parametrize(
    ("job", "alt"),
    [
        (Job("emergency", "sv"), f"QR-kod: ringer UD-jouren, {UD}"),
        (Job("emergency", "en", draft=True), f"QR code: calls UD emergency line, {UD}"),
        (Job("emergency", "ar", draft=True), f"رمز QR: اتصال بـ UD-jouren (خط طوارئ الخارجية السويدية)، {UD}"),
        (Job("action", "sv", municipality="Sala"), "QR-kod: ringer Socialtjänsten, barn och unga, 0224-74 96 20"),
        (
            Job("action", "en", draft=True, municipality="Sala"),
            "QR code: calls Social services, children and young people, 0224-74 96 20",
        ),
        (Job("action", "sv", municipality="vasteras"), f"QR-kod: öppnar E-tjänst för orosanmälan: {VASTERAS_ESERVICE}"),
        (
            Job("action", "en", draft=True, municipality="vasteras"),
            f"QR code: opens E-service for reports of concern: {VASTERAS_ESERVICE}",
        ),
        (
            Job("action", "ar", draft=True, municipality="vasteras"),
            f"رمز QR: يفتح خدمة إلكترونية لبلاغ القلق: {VASTERAS_ESERVICE}",
        ),
        (
            Job("emergency", "sv", format="folded"),
            "QR-kod: sparar de här numren som kontakten Viktiga nummer: "
            f"Jouren {UD}; Polisen, med landsnummer {POLICE}",
        ),
        (
            Job("emergency", "en", draft=True, format="folded"),
            "QR code: saves these numbers as the contact Important numbers: "
            f"Duty line {UD}; Police, with country code {POLICE}",
        ),
        (
            Job("emergency", "ar", draft=True, format="folded"),
            f"رمز QR: يحفظ هذه الأرقام كجهة اتصال باسم أرقام مهمة: خط المناوبة {UD}; الشرطة، مع رمز البلد {POLICE}",
        ),
    ],
)
def test_every_figure_says_what_it_does_and_holds(project: Project, job: Job, alt: str) -> None:
    doc = pikepdf.open(io.BytesIO(render(project, job, "ua")[1]))
    figures = [e for e in struct_elements(doc.Root.StructTreeRoot.K) if str(e.S) == "/Figure"]
    assert [str(f.Alt) for f in figures] == [alt]
    assert len(figures[0].A.BBox) == 4


@pytest.mark.parametrize(
    ("lang", "alt"),
    [
        ("sv", f"QR-kod: ringer Jouren, {UD}"),
        ("en", f"QR code: calls Duty line, {UD}"),
        ("ar", f"رمز QR: اتصال بـ خط المناوبة، {UD}"),
    ],
)
def test_a_discreet_code_says_only_neutral_names(project: Project, lang: str, alt: str) -> None:
    # (the Arabic catalog has no draft of the folded card's inside yet: its wallet card is checked)
    for fmt in ("wallet", "folded") if lang != "ar" else ("wallet",):
        doc = pikepdf.open(
            io.BytesIO(_ua(project, card="emergency", lang=lang, draft=True, variant="discreet", format=fmt))
        )
        assert [str(e.Alt) for e in struct_elements(doc.Root.StructTreeRoot.K) if "/Alt" in e] == [alt]


def _texts(laid: LaidCard) -> list[str]:
    return [t for side in laid.sides for t in side.texts]


def test_discreet_card_stays_discreet_in_alt_text_and_metadata(project: Project) -> None:
    doc = pikepdf.open(io.BytesIO(_ua(project, card="emergency", lang="sv", variant="discreet")))
    alts = " ".join(str(e.Alt) for e in struct_elements(doc.Root.StructTreeRoot.K) if "/Alt" in e)
    xmp = bytes(doc.Root.Metadata.read_bytes()).decode()
    assert str(doc.docinfo.Title) == "Viktiga nummer" and alts
    for word in ("Nödkort", "tvång", "äktenskap", "bortför", "UD-jouren"):
        assert word not in alts and word not in xmp and word not in str(doc.docinfo)


def test_the_tree_says_each_catalog_string_in_reading_order(project: Project) -> None:
    for lang in ("sv", "en", "ar", "fa", "ur", "yi", "ti", "th", "zh"):
        laid, pdf = render(project, Job("emergency", lang, draft=True), "ua")
        tree = _tree(pikepdf.open(io.BytesIO(pdf)))
        said = [" ".join(text.split()) for kind, text, _ in tree if kind in ("H1", "P", "LBody")]
        cells = {" ".join(text.split()) for kind, text, _ in tree if kind == "TD" and len(text.strip()) > 3}
        blocks = [[" ".join(logical(p.replace("**", "")).split()) for p in t.split("\n")] for t in _texts(laid)]
        stamp = re.compile(r"^v\d{4}\.\d+ ")  # the version stamp: an artifact
        # A contact row's text starts with its name and number, both cells (the table, checked elsewhere); a
        # number printed under a QR code is a paragraph of its own, though it is a cell too.
        written = [w for b in blocks if not (b[0] not in cells and sum(c in b[0] for c in cells) >= 2) for w in b]
        paragraphs = [w for w in written if w and not stamp.match(w)]
        assert said == paragraphs, lang  # every heading, paragraph and list item, in the template's order
        assert len(said) >= 6 and len(paragraphs) < len(written)
        assert "\u2060" not in "".join(text for _, text, _ in tree), lang


def test_a_swedish_name_on_another_card_is_marked_swedish(project: Project) -> None:
    doc = pikepdf.open(io.BytesIO(_ua(project, card="emergency", lang="so", draft=True)))
    assert str(doc.Root.Lang) == "so"
    swedish = [text for kind, text, lang in _tree(doc) if kind == "Span" and lang == "sv"]
    assert {"Kvinnofridslinjen", "BRIS"} <= set(swedish)  # names the Somali catalog keeps in Swedish


def _extracted(pdf: bytes, tmp_path: Path) -> tuple[str, str | None]:
    """The text pdfium and poppler (None where pdftotext is not installed) extract from `pdf`."""
    document = pypdfium2.PdfDocument(pdf)
    pdfium = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    poppler = None
    if shutil.which("pdftotext"):
        path = tmp_path / "card.pdf"
        path.write_bytes(pdf)
        poppler = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return pdfium, poppler


@pytest.mark.parametrize("lang", ["th", "zh", "am", "ar", "fa"])
def test_copied_text_has_no_joiners(project: Project, lang: str, tmp_path: Path) -> None:
    pdf = _ua(project, card="emergency", lang=lang, draft=True)
    plain = render(project, Job("emergency", lang, draft=True))[1]
    for text in _extracted(pdf, tmp_path):
        assert text is None or "\u2060" not in text
    if lang in ("th", "ar", "fa"):  # scripts with marks drawn as glyphs of their own: what the tags fix
        assert "\u2060" in "".join(t for t in _extracted(plain, tmp_path) if t)


def test_ua_is_reproducible_and_none_is_untouched(project: Project) -> None:
    job = Job("emergency", "ar", draft=True)
    assert render(project, job, "ua")[1] == render(project, job, "ua")[1]
    assert b"StructTreeRoot" not in render(project, job)[1]


def test_render_writes_ua(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "ua.pdf"
    result = run("render", "action", "--lang", "sv", "--municipality", "Sala", "--pdf-standard", "ua", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert pikepdf.open(out).Root.MarkInfo.Marked is True


@pytest.mark.parametrize("lang", ["ar", "ur"])
def test_tagging_changes_no_pixel(project: Project, lang: str) -> None:
    """Parts of a line are drawn in logical order, each glyph at its own place: the page looks the same.

    Dots and marks drawn apart from their word are drawn after the part (pdf/render.py, `_draw_words`): where
    their anti-aliased edges touch a letter's, a pixel may round one level of 255 the other way, no more."""
    job = Job("emergency", lang, draft=True, crop_marks=True, bleed_mm=3.0)
    plain, tagged = pypdfium2.PdfDocument(render(project, job)[1]), pypdfium2.PdfDocument(render(project, job, "ua")[1])
    assert len(plain) == len(tagged) == 2
    for index in range(len(plain)):
        a = plain[index].render(scale=2).to_pil().convert("L")
        b = tagged[index].render(scale=2).to_pil().convert("L")
        assert a.size == b.size
        diff = ImageChops.difference(a, b).histogram()
        assert sum(diff[2:]) == 0  # no pixel off by more than one level
        assert sum(diff[1:]) <= a.size[0] * a.size[1] // 10000  # and a handful at most
