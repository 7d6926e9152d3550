"""Standards: a reportlab PDF → the same PDF made PDF/X-4 (print) or PDF/UA-1 (tagged, for the web), with pikepdf.

reportlab writes no output intent, no XMP and no structure tree, and names every font subset `AAAAAA+`; this
module adds what a standard asks for to the finished file, so that the drawing code stays one path and the
default (`none`) output is untouched, byte for byte. It and structure.py (the tree of a tagged PDF, built from
what render.py marked) are the only modules that use pikepdf.

PDF/X-4 rather than X-1a: the draft watermark is drawn at 45 % opacity, which X-1a forbids and X-4 allows.
X-4 requires the output profile to be embedded: `icc/FOGRA39L-coated.icc` (see icc/README.md, zlib licence).
"""

from __future__ import annotations

import hashlib
import io
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from xml.sax.saxutils import escape

from nodkort.pdf.marked import Marked

if TYPE_CHECKING:
    import pikepdf  # imported where it is used: `nodkort --help` and the default path need none of it

# none: as drawn; x: PDF/X-4, for a print shop; ua: PDF/UA-1, tagged, for the web and screen readers.
Standard = Literal["none", "x", "ua"]

ICC = Path(__file__).parent / "icc" / "FOGRA39L-coated.icc"
OUTPUT_CONDITION = "FOGRA39"  # registered in the ICC's characterisation data registry
REGISTRY = "http://www.color.org"
CONDITION_TEXT = "Offset printing, coated paper (paper type 1 or 2), ISO 12647-2:2004/Amd 1"
DATE = "2000-01-01T00:00:00+00:00"  # reportlab's `invariant` date, in XMP's form: the file is reproducible
_SUBSET = re.compile(r"^[A-Z]{6}\+")


@dataclass(frozen=True)
class Meta:
    """What a standard's metadata may say: the card's own neutral title and its language, nothing else."""

    title: str
    lang: str  # BCP 47, as the card's catalog names it


def apply(pdf: bytes, standard: Standard, meta: Meta, marked: Marked | None = None) -> bytes:
    """`pdf` made to follow `standard` ("none" returns it unchanged); "ua" needs what render.py marked."""
    if standard == "none":
        return pdf
    import pikepdf

    from nodkort.pdf.structure import tag

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        if standard == "ua":
            if marked is None:
                raise ValueError("a tagged PDF needs the record of its marked content (render_card's `marked`)")
            tag(doc, marked, meta.lang)
        _prepare(doc, standard, meta)
        return _save(doc, "1.7" if standard == "ua" else "1.6")


def apply_forms(pdf: bytes, numbers: Mapping[str, int], meta: Meta) -> tuple[bytes, dict[str, int]]:
    """A forms PDF (pdf/sheets.py) made PDF/X, and the new object number of each named form.

    pikepdf renumbers objects when it writes, and drops what nothing references: every form is listed in
    the placeholder page's resources first (sheets.py leaves that page out of the page tree), then found
    there again in the written file.
    """
    import pikepdf

    names = list(numbers)
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        holder = pikepdf.Dictionary({f"/N{i}": doc.get_object(numbers[name], 0) for i, name in enumerate(names)})
        doc.pages[0].obj.Resources = pikepdf.Dictionary(XObject=holder)
        _prepare(doc, "x", meta)
        written = _save(doc, "1.6")
    with pikepdf.open(io.BytesIO(written)) as doc:
        placed = doc.pages[0].obj.Resources.XObject
        found = {name: int(placed[f"/N{i}"].objgen[0]) for i, name in enumerate(names)}
    return written, found


def _save(doc: pikepdf.Pdf, version: str) -> bytes:
    """PDF/X-4 is PDF 1.6; PDF/UA-1 is defined on PDF 1.7 (ISO 32000-1)."""
    import pikepdf

    out = io.BytesIO()
    # No object streams: pdf/sheets.py copies a forms PDF's objects by their cross-reference table.
    doc.save(
        out,
        deterministic_id=True,
        object_stream_mode=pikepdf.ObjectStreamMode.disable,
        min_version=version,
        fix_metadata_version=False,
    )
    return out.getvalue()


def _prepare(doc: pikepdf.Pdf, standard: Standard, meta: Meta) -> None:
    import pikepdf

    _tag_subsets(doc)
    info = doc.docinfo
    for key in list(info.keys()):
        if str(info[key]) == "":
            del info[key]  # an empty Author or Creator says nothing, and XMP would have to repeat it
    info.Title = meta.title
    info.Trapped = pikepdf.Name("/False")
    if standard == "x":
        info.GTS_PDFXVersion = "PDF/X-4"
        doc.Root.OutputIntents = pikepdf.Array([_output_intent(doc)])
        for page in doc.pages:
            if "/TrimBox" not in page.obj:
                page.obj.TrimBox = page.obj.MediaBox
    doc.Root.Metadata = doc.make_stream(_xmp(doc, standard, meta).encode(), Type=pikepdf.Name.Metadata)
    doc.Root.Metadata.Subtype = pikepdf.Name.XML


def _output_intent(doc: pikepdf.Pdf) -> pikepdf.Dictionary:
    import pikepdf

    profile = doc.make_stream(ICC.read_bytes(), N=4)
    return pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent,
        S=pikepdf.Name.GTS_PDFX,
        OutputConditionIdentifier=OUTPUT_CONDITION,
        OutputCondition=CONDITION_TEXT,
        RegistryName=REGISTRY,
        Info="Coated FOGRA39 (ISO 12647-2:2004)",
        DestOutputProfile=profile,
    )


def _tag_subsets(doc: pikepdf.Pdf) -> None:
    """Give each embedded subset its own tag: reportlab names them all AAAAAA+, and a RIP may merge them.

    The tag is taken from a hash of the subset's font program, so the same subset gets the same tag in every
    run (the file stays reproducible) and two different subsets of one face get different tags.
    """
    import pikepdf

    seen: set[str] = set()
    for obj in doc.objects:
        if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != pikepdf.Name.Font:
            continue
        base = str(obj.get("/BaseFont", ""))[1:]
        descriptor = obj.get("/FontDescriptor")
        if not _SUBSET.match(base) or descriptor is None or "/FontFile2" not in descriptor:
            continue
        digest = hashlib.sha256(descriptor.FontFile2.read_raw_bytes() + base.encode()).digest()
        for salt in range(100):
            tag = "".join(chr(ord("A") + b % 26) for b in hashlib.sha256(digest + bytes([salt])).digest()[:6])
            if tag not in seen:
                break
        seen.add(tag)
        name = pikepdf.Name("/" + tag + base[6:])
        obj.BaseFont = name
        descriptor.FontName = name


def _xmp(doc: pikepdf.Pdf, standard: Standard, meta: Meta) -> str:
    """An XMP packet that repeats the document information (a standard requires they agree), and the
    standard's own identifier. Its IDs come from the file's content, so the file stays reproducible."""
    content = b"".join(bytes(p.obj.Contents.read_raw_bytes()) for p in doc.pages if "/Contents" in p.obj)
    ident = uuid.UUID(bytes=hashlib.sha256(content + meta.title.encode()).digest()[:16], version=4)
    title = escape(meta.title)
    extra = ""
    if standard == "x":
        extra = (
            '  <rdf:Description rdf:about="" xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/">\n'
            "   <pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>\n  </rdf:Description>\n"
        )
    if standard == "ua":
        extra = (
            '  <rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">\n'
            "   <pdfuaid:part>1</pdfuaid:part>\n  </rdf:Description>\n"
        )
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        "   <dc:format>application/pdf</dc:format>\n"
        f'   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>\n'
        f"   <dc:language><rdf:Bag><rdf:li>{escape(meta.lang)}</rdf:li></rdf:Bag></dc:language>\n"
        "  </rdf:Description>\n"
        '  <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">\n'
        f"   <xmp:CreateDate>{DATE}</xmp:CreateDate>\n   <xmp:ModifyDate>{DATE}</xmp:ModifyDate>\n"
        f"   <xmp:MetadataDate>{DATE}</xmp:MetadataDate>\n"
        "  </rdf:Description>\n"
        '  <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">\n'
        "   <pdf:Trapped>False</pdf:Trapped>\n  </rdf:Description>\n"
        '  <rdf:Description rdf:about="" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/">\n'
        f"   <xmpMM:DocumentID>uuid:{ident}</xmpMM:DocumentID>\n"
        f"   <xmpMM:InstanceID>uuid:{ident}</xmpMM:InstanceID>\n"
        "   <xmpMM:VersionID>1</xmpMM:VersionID>\n   <xmpMM:RenditionClass>default</xmpMM:RenditionClass>\n"
        "  </rdf:Description>\n"
        f"{extra}"
        " </rdf:RDF>\n</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    )
