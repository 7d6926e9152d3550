#!/usr/bin/env python3
"""Build the fonts bundled with nodkort (dev-time tool, not used at run time).

    python tools/build_fonts.py            # (re)build fonts/ in place
    python tools/build_fonts.py --check    # build to a temp dir, compare with fonts/

Writes into fonts/:
  * static TrueType (glyf) instances of the variable Noto fonts shipped on PyPI
    (fontpkg-noto-sans 2.15, fontpkg-noto-sans-arabic 2.012, fontpkg-noto-sans-thai 2.002)
    and of Noto Sans Ethiopic 2.102 (Google Fonts build, from the wheel of
    justmytype-intl-africa 0.1.0 on PyPI; falls back to Debian's fonts-noto-core),
  * Noto Sans Hebrew and Noto Nastaliq Urdu from Debian fonts-noto-core (copied unchanged), plus check marks and
    geometric shapes from Debian's Noto Sans Symbols 2 grafted into Noto Sans,
  * Noto Sans CJK SC Regular and Bold from Debian fonts-noto-cjk, subset to GB2312 hanzi and the zh catalogs'
    characters and converted from CFF to TrueType outlines (cu2qu),
  * OFL.txt, fonts.toml and FONTS.md.

reportlab can only embed TrueType outlines, so no CFF/OTF and no variable fonts.
The output is deterministic: the same inputs and fontTools version give
byte-identical files (head.modified is kept from the source font).

Needs: fontTools, the three fontpkg-* packages at the versions pinned below,
and the Debian packages fonts-noto-core and fonts-noto-cjk.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import importlib.metadata
import importlib.util
import io
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import fontTools
from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables import ttProgram
from fontTools.varLib import instancer

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "fonts"

# --------------------------------------------------------------------------
# Sources
# --------------------------------------------------------------------------

# Versions as in the packages' metadata (pip shows them normalised: 2.012 -> 2.12).

PYPI_FONTS = {
    # key: (distribution name, expected version, import package, file in files/)
    "sans": ("fontpkg-noto-sans", "2.15", "fontpkg_noto_sans", "NotoSans[wdth,wght].ttf"),
    "arabic": ("fontpkg-noto-sans-arabic", "2.012", "fontpkg_noto_sans_arabic", "NotoSansArabic[wdth,wght].ttf"),
    "thai": ("fontpkg-noto-sans-thai", "2.002", "fontpkg_noto_sans_thai", "NotoSansThai[wdth,wght].ttf"),
}

# Noto Sans Ethiopic 2.102 (Google Fonts build: has digits + ASCII punctuation).
ETHIOPIC_DIST = "justmytype-intl-africa"
ETHIOPIC_DIST_VERSION = "0.1.0"
ETHIOPIC_WHEEL_SHA256 = "2c74cf28f84e9a67b93fee36a066508a31b915c103b7fc023cbc444b09e1c550"
ETHIOPIC_MEMBER = "justmytype_intl_africa/fonts/ofl/notosansethiopic/NotoSansEthiopic[wdth,wght].ttf"
ETHIOPIC_TTF_SHA256 = "0dbccc00b22d180ebd6a4bd8a733918a29e709fa6798023adc3e6cd40da65077"

DEBIAN_NOTO = Path("/usr/share/fonts/truetype/noto")
DEBIAN_CJK = Path("/usr/share/fonts/opentype/noto")
CJK_FACE = 2  # NotoSansCJK-*.ttc: 0 jp, 1 kr, 2 sc, 3 tc, 4 hk
CUBIC_MAX_ERR = 1.0  # font units: cu2qu's tolerance when turning cubic curves into quadratic ones
SYMBOLS2 = DEBIAN_NOTO / "NotoSansSymbols2-Regular.ttf"

CJK_MAX_BYTES = 4_000_000  # keep GB2312 level 2 only while the subset stays under this

# --------------------------------------------------------------------------
# Unicode coverage
# --------------------------------------------------------------------------

SANS_RANGES = [
    (0x0020, 0x007E, "Basic Latin"),
    (0x00A0, 0x00FF, "Latin-1 Supplement"),
    (0x0100, 0x017F, "Latin Extended-A"),
    (0x0180, 0x024F, "Latin Extended-B"),
    (0x0250, 0x02AF, "IPA Extensions"),
    (0x02B0, 0x02FF, "Spacing Modifier Letters"),
    (0x0300, 0x036F, "Combining Diacritical Marks"),
    (0x0370, 0x03FF, "Greek and Coptic"),
    (0x0400, 0x04FF, "Cyrillic"),
    (0x0500, 0x052F, "Cyrillic Supplement"),
    (0x1E00, 0x1EFF, "Latin Extended Additional"),
    (0x2000, 0x206F, "General Punctuation"),
    (0x2070, 0x209F, "Superscripts and Subscripts"),
    (0x20A0, 0x20CF, "Currency Symbols"),
    (0x2100, 0x214F, "Letterlike Symbols"),
    (0x2150, 0x218F, "Number Forms"),
    (0x2190, 0x21FF, "Arrows"),
    (0x2212, 0x2212, "minus sign"),
    (0x25A0, 0x25FF, "Geometric Shapes"),
    (0x2713, 0x2714, "check marks"),
    (0xFEFF, 0xFEFF, "BOM / ZWNBSP"),
    (0xFFFD, 0xFFFD, "replacement character"),
]

# Noto Sans has no check marks / ballot boxes and, of Geometric Shapes, only U+25CC.
# These are grafted (outlines unchanged, regular weight) from Noto Sans Symbols 2.
SYMBOL_GRAFT = [*range(0x25A0, 0x2600), 0x2610, 0x2611, 0x2612, 0x2713, 0x2714, 0x2717, 0x2718]

CJK_RANGES = [
    (0x3000, 0x303F, "CJK Symbols and Punctuation"),
    (0xFF00, 0xFFEF, "Halfwidth and Fullwidth Forms"),
]


def cps(ranges):
    out = []
    for lo, hi, _ in ranges:
        out.extend(range(lo, hi + 1))
    return out


def assigned(lo, hi):
    return [c for c in range(lo, hi + 1) if unicodedata.category(chr(c)) != "Cn"]


def gb2312_hanzi(first_lo, first_hi):
    """Hanzi of GB2312 rows first_lo..first_hi (0xB0-0xD7 = level 1, 0xD8-0xF7 = level 2)."""
    out = []
    for b1 in range(first_lo, first_hi + 1):
        for b2 in range(0xA1, 0xFF):
            try:
                ch = bytes([b1, b2]).decode("gb2312")
            except UnicodeDecodeError:
                continue
            out.append(ord(ch))
    return out


BIDI_CONTROLS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

# Characters every built font must map (checked after building).
SANS_REQUIRED = {
    "sv/fi/fit": "åäöÅÄÖ",
    "tr": "çğıİöşüÇĞÖŞÜ",
    "fr": "àâæçéèêëîïôœùûüÿÀÂÆÇÉÈÊËÎÏÔŒÙÛÜŸ«»",
    "rom": "čšžćśźřθʒǯ",
    "es": "ñÑáéíóúü¿¡",
    "pl": "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ",
    "sq": "ëçËÇ",
    "kmr": "çêîşûÇÊÎŞÛ",
    "bs/hr": "čćđšžČĆĐŠŽ",
    "sr": "абвгдђежзијклљмнњопрстћуфхцчџшЂЈЉЊЋЏ",
    "ru": "абвгдеёжзийклмнопрстуфхцчшщъыьэюяЁЯ",
    "uk": "ґєіїҐЄІЇʼ",
    "se": "áčđŋšŧžÁČĐŊŠŦŽ",
    "ro": "ăâîșțĂÂÎȘȚ",
    "so/en": "ABCXYZabcxyz0123456789",
    "punct": "\u00a0\u202f\u200b\u200c\u200d" + BIDI_CONTROLS + "„“”‘’‚–—…•€№−\ufeff",
    "symbols": "✓✔■□▲●◌☐☑",
}
ARABIC_REQUIRED = {
    "ar/fa/prs": "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئةىپچژگکی",
    "ckb": "ڕڵێەۆ",
    "ps": "ټځډښڅږګڼۍې",
    "ur": "ٹڈڑںےۓھ",
    "digits": "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹",
    "punct": "؟،؛ـ\u200c\u200d",
    "latin": "ABCXYZabcxyz0123456789.,:;!?()-/%",
}
ETHIOPIC_REQUIRED = {
    "ethiopic": "".join(map(chr, assigned(0x1200, 0x137F))),
    "punct": "።፣፤፧",
}
ETHIOPIC_REQUIRED_GOOGLE = {"digits/ascii": "0123456789.,:;!?()-"}
HEBREW_REQUIRED = {
    "points": "".join(map(chr, assigned(0x05B0, 0x05C7))),
    "letters": "".join(map(chr, assigned(0x05D0, 0x05EA))),
    "yiddish": "".join(map(chr, assigned(0x05F0, 0x05F2) + assigned(0xFB1D, 0xFB4F))),
}
NASTALIQ_REQUIRED = {
    "urdu": "ٹڈڑںھہۂۃیےۓ۔",
    "arabic": "".join(map(chr, assigned(0x0621, 0x063A) + assigned(0x0641, 0x064A))),
    "digits": "0123456789۰۱۲۳۴۵۶۷۸۹",
}
THAI_REQUIRED = {"thai": "".join(map(chr, assigned(0x0E01, 0x0E3A) + assigned(0x0E3F, 0x0E5B)))}
# The space and no-break space, and the General Punctuation that Chinese text sets full width: – — ‘ ’ “ ” … ·
CJK_EXTRA = [0x0020, 0x00A0, 0x00B7, 0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026]
CJK_REQUIRED = {"sample": "你好紧急电话，。、：；！？（）《》「」【】　０９ＡＺ“”…"}
LOCALES = ROOT / "locales"


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def sha256(data_or_path) -> str:
    if isinstance(data_or_path, (bytes, bytearray)):
        return hashlib.sha256(data_or_path).hexdigest()
    return hashlib.sha256(Path(data_or_path).read_bytes()).hexdigest()


def die(msg: str):
    sys.exit(f"build_fonts: error: {msg}")


def dpkg_version(pkg: str) -> str:
    try:
        return (
            subprocess.run(
                ["dpkg-query", "-W", "-f=${Version}", pkg], check=True, capture_output=True, text=True
            ).stdout.strip()
            or "unknown"
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def need_file(path: Path, hint: str) -> Path:
    if not path.is_file():
        die(f"{path} not found ({hint})")
    return path


def load(data: bytes) -> TTFont:
    return TTFont(io.BytesIO(data), recalcTimestamp=False)


def to_bytes(font: TTFont) -> bytes:
    font.recalcTimestamp = False
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()


def static_instance(src: bytes, wght: int) -> TTFont:
    """Same as `fonttools varLib.instancer SRC wght=W wdth=100 --static --update-name-table`."""
    vf = load(src)
    font = instancer.instantiateVariableFont(vf, {"wght": wght, "wdth": 100}, static=True, updateFontNames=True)
    font = load(to_bytes(font))
    fix_style_bits(font, bold=wght >= 700)
    return font


def fix_style_bits(font: TTFont, bold: bool):
    os2, head = font["OS/2"], font["head"]
    os2.usWeightClass = 700 if bold else 400
    # fsSelection: bit0 italic, bit5 bold, bit6 regular. macStyle: bit0 bold.
    os2.fsSelection &= ~((1 << 5) | (1 << 6))
    os2.fsSelection |= (1 << 5) if bold else (1 << 6)
    head.macStyle = (head.macStyle & ~1) | (1 if bold else 0)


def subset_options(glyph_names=True) -> subset.Options:
    """What every bundled subset keeps: all names, a drawn .notdef, no new timestamp (reproducible bytes)."""
    opts = subset.Options()
    opts.glyph_names = glyph_names
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.notdef_outline = True
    opts.recalc_timestamp = False
    opts.ignore_missing_unicodes = True
    return opts


def subset_font(font: TTFont, unicodes, glyph_names=True) -> TTFont:
    opts = subset_options(glyph_names)
    opts.layout_features = ["*"]
    opts.layout_scripts = ["*"]
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=unicodes)
    sub.subset(font)
    return load(to_bytes(font))


def catalog_hanzi() -> list[int]:
    """Every character of the zh catalogs' translations that the CJK face must draw (Latin is Noto Sans')."""
    out: set[int] = set()
    for po in sorted(LOCALES.glob("zh*/LC_MESSAGES/nodkort.po")):
        for line in po.read_text(encoding="utf-8").splitlines():
            if line.startswith(("msgstr", '"')):
                out.update(ord(c) for c in line if ord(c) >= 0x2E80)
    return sorted(out)


def keep_language_system(font: TTFont, tag: str) -> None:
    """Drop every language system but `tag` (and each script's default) from GSUB and GPOS.

    The subsetter keeps every glyph a kept feature can reach; without this the Japanese, Korean and Traditional
    `locl` forms of every kept hanzi would come along.
    """
    for table in ("GSUB", "GPOS"):
        if table in font:
            for record in font[table].table.ScriptList.ScriptRecord:
                kept = [r for r in record.Script.LangSysRecord if r.LangSysTag == tag]
                record.Script.LangSysRecord = kept
                record.Script.LangSysCount = len(kept)


def cjk_truetype(ttc: Path, unicodes) -> TTFont:
    """Noto Sans CJK SC from Debian's collection → a subset with TrueType (glyf) outlines reportlab can embed.

    CFF cubic curves become quadratic ones with cu2qu (as fontTools' otf2ttf snippet does); the outlines are
    reversed to TrueType's clockwise direction. Hinting is not carried over (CFF hints do not convert).
    """
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    font = TTFont(ttc, fontNumber=CJK_FACE, recalcTimestamp=False)
    keep_language_system(font, "ZHS ")
    opts = subset_options()
    opts.hinting = False
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=unicodes)
    sub.subset(font)
    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, CUBIC_MAX_ERR, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"
    return load(to_bytes(font))


def graft_glyphs(target: TTFont, donor: TTFont, codepoints) -> list[int]:
    """Copy outlines for `codepoints` that target lacks from donor (same UPM required)."""
    if target["head"].unitsPerEm != donor["head"].unitsPerEm:
        die("graft: unitsPerEm differ")
    tcmap, dcmap = target.getBestCmap(), donor.getBestCmap()
    tglyf, dglyf = target["glyf"], donor["glyf"]
    order = list(target.getGlyphOrder())
    names = set(order)
    renamed: dict[str, str] = {}

    def add(gname: str) -> str:
        if gname in renamed:
            return renamed[gname]
        new = gname
        n = 0
        while new in names:
            n += 1
            new = f"{gname}.sym{n}"
        names.add(new)
        renamed[gname] = new
        glyph = copy.deepcopy(dglyf[gname])
        glyph.expand(dglyf)
        if glyph.isComposite():
            for comp in glyph.components:
                comp.glyphName = add(comp.glyphName)
            if hasattr(glyph, "program"):
                del glyph.program  # donor hinting would call donor's fpgm
        elif glyph.numberOfContours:
            glyph.program = ttProgram.Program()
            glyph.program.fromBytecode(b"")
        order.append(new)
        tglyf.glyphs[new] = glyph
        target["hmtx"].metrics[new] = donor["hmtx"].metrics[gname]
        return new

    added = []
    for cp in codepoints:
        if cp in tcmap or cp not in dcmap:
            continue
        new = add(dcmap[cp])
        for table in target["cmap"].tables:
            if table.isUnicode():
                table.cmap[cp] = new
        added.append(cp)
    target.setGlyphOrder(order)
    tglyf.glyphOrder = order
    target["OS/2"].recalcUnicodeRanges(target)
    return added


def check_font(path: Path, required: dict[str, str], bold: bool | None):
    f = TTFont(path)
    problems = []
    if "glyf" not in f or "CFF " in f or "CFF2" in f or "fvar" in f:
        problems.append("not a static TrueType (glyf) font")
    cmap = f.getBestCmap()
    for label, chars in required.items():
        missing = [c for c in chars if ord(c) not in cmap]
        if missing:
            problems.append(f"{label}: missing {' '.join(f'U+{ord(c):04X}' for c in missing)}")
    ps = f["name"].getDebugName(6) or ""
    if bold is True and not ps.endswith("-Bold"):
        problems.append(f"bold face has PostScript name {ps!r}")
    if bold is False and ps.endswith("-Bold"):
        problems.append(f"regular face has PostScript name {ps!r}")
    if problems:
        die(f"{path.name}: " + "; ".join(problems))


# --------------------------------------------------------------------------
# Source discovery
# --------------------------------------------------------------------------


@dataclass
class Source:
    data: bytes
    origin: str  # e.g. "PyPI fontpkg-noto-sans 2.15"
    detail: str = ""  # file name inside the package
    licence_text: str | None = None
    extra: dict = field(default_factory=dict)


def _release(v: str) -> tuple:
    return tuple(int(x) for x in v.split("."))


def pypi_source(key: str) -> Source:
    dist, want, pkg, fname = PYPI_FONTS[key]
    try:
        have = importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        die(f"{dist} is not installed: pip install '{dist}=={want}'")
    if _release(have) != _release(want):
        die(f"{dist} {have} is installed, the bundle is built from {want}: pip install '{dist}=={want}'")
    spec = importlib.util.find_spec(pkg)
    base = Path(spec.origin).parent
    path = need_file(base / "files" / fname, f"pip install --force-reinstall '{dist}=={want}'")
    licence = (base / "LICENSE").read_text(encoding="utf-8")
    return Source(path.read_bytes(), f"PyPI {dist} {want}", fname, licence)


def ethiopic_from_wheel(wheel: Path) -> Source:
    if sha256(wheel) != ETHIOPIC_WHEEL_SHA256:
        raise ValueError(f"{wheel.name}: unexpected SHA-256")
    with zipfile.ZipFile(wheel) as z:
        data = z.read(ETHIOPIC_MEMBER)
        licence = z.read(str(Path(ETHIOPIC_MEMBER).parent / "OFL.txt")).decode("utf-8")
    if sha256(data) != ETHIOPIC_TTF_SHA256:
        raise ValueError("NotoSansEthiopic[wdth,wght].ttf in the wheel: unexpected SHA-256")
    return Source(
        data,
        f"PyPI {ETHIOPIC_DIST} {ETHIOPIC_DIST_VERSION} (wheel)",
        "fonts/ofl/notosansethiopic/NotoSansEthiopic[wdth,wght].ttf (Google Fonts build)",
        licence,
    )


def ethiopic_google(wheel_arg: str | None) -> Source:
    if wheel_arg:
        return ethiopic_from_wheel(Path(wheel_arg))
    spec = importlib.util.find_spec("justmytype_intl_africa")
    if spec and spec.origin:  # installed: same file, check its hash
        base = Path(spec.origin).parent
        path = base / "fonts/ofl/notosansethiopic/NotoSansEthiopic[wdth,wght].ttf"
        if path.is_file() and sha256(path) == ETHIOPIC_TTF_SHA256:
            return Source(
                path.read_bytes(),
                f"PyPI {ETHIOPIC_DIST} {ETHIOPIC_DIST_VERSION}",
                "fonts/ofl/notosansethiopic/NotoSansEthiopic[wdth,wght].ttf (Google Fonts build)",
                (path.parent / "OFL.txt").read_text(encoding="utf-8"),
            )
    with tempfile.TemporaryDirectory() as tmp:
        # Only the wheel is needed (no install, no dependencies).
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                "--only-binary=:all:",
                f"{ETHIOPIC_DIST}=={ETHIOPIC_DIST_VERSION}",
                "-d",
                tmp,
            ],
            check=True,
        )
        wheels = list(Path(tmp).glob("*.whl"))
        if len(wheels) != 1:
            raise RuntimeError("pip download gave no wheel")
        return ethiopic_from_wheel(wheels[0])


def ethiopic_debian(weight: str) -> Source:
    path = need_file(DEBIAN_NOTO / f"NotoSansEthiopic-{weight}.ttf", "apt-get install fonts-noto-core")
    return Source(path.read_bytes(), f"Debian fonts-noto-core {dpkg_version('fonts-noto-core')}", str(path))


# --------------------------------------------------------------------------
# Build
# --------------------------------------------------------------------------


@dataclass
class Built:
    name: str
    family_key: str
    style: str
    source: str
    licence: str
    contents: str
    required: dict
    bold: bool | None


def build(out: Path, ethiopic_mode: str, ethiopic_wheel: str | None, cjk_level2: str) -> list[Built]:
    out.mkdir(parents=True, exist_ok=True)
    built: list[Built] = []
    ofl_texts: dict[str, str] = {}  # family -> copyright line(s)
    ofl_body: str | None = None

    def take_ofl(family: str, text: str):
        nonlocal ofl_body
        head, sep, body = text.partition("This Font Software is licensed under the SIL Open Font License")
        if not sep or "SIL OPEN FONT LICENSE Version 1.1" not in body:
            die(f"{family}: licence text is not the SIL OFL 1.1")
        if "Reserved Font Name" in head:
            die(f"{family}: declares a Reserved Font Name; renaming would be required")
        body = sep + body
        if ofl_body is None:
            ofl_body = body
        elif body.strip() != ofl_body.strip():
            die(f"{family}: OFL body differs from the other packages' LICENSE")
        ofl_texts[family] = head.strip()

    def write(name: str, data: bytes):
        (out / name).write_bytes(data)

    # --- Noto Sans (Latin / Greek / Cyrillic) ---------------------------------
    src = pypi_source("sans")
    take_ofl("Noto Sans", src.licence_text)
    donor = TTFont(need_file(SYMBOLS2, "apt-get install fonts-noto-core"), recalcTimestamp=False)
    ofl_texts["Noto Sans Symbols 2 (glyphs grafted into NotoSans-*.ttf)"] = donor["name"].getDebugName(0)
    sym_origin = f"Debian fonts-noto-core {dpkg_version('fonts-noto-core')}"
    ranges_txt = ", ".join(
        f"{n} (U+{lo:04X}–{hi:04X})" if lo != hi else f"{n} (U+{lo:04X})" for lo, hi, n in SANS_RANGES
    )
    for style, wght in (("Regular", 400), ("Bold", 700)):
        font = subset_font(static_instance(src.data, wght), cps(SANS_RANGES))
        added = graft_glyphs(font, donor, SYMBOL_GRAFT)
        name = f"NotoSans-{style}.ttf"
        write(name, to_bytes(font))
        built.append(
            Built(
                name,
                "sans",
                style,
                f"{src.origin} (`{src.detail}`), static instance wght={wght} wdth=100",
                "OFL-1.1",
                f"Subset to {ranges_txt}; all OpenType layout features, glyph names and name records kept. "
                f"{len(added)} symbol glyphs (U+25A0–25FF geometric shapes, ✓ ✔ ✗ ✘ ☐ ☑ ☒; U+25CC is Noto Sans' own) "
                f"grafted unchanged, regular weight in both faces, from Noto Sans Symbols 2 "
                f"{donor['name'].getDebugName(5)} ({sym_origin}), which Noto Sans lacks.",
                SANS_REQUIRED,
                style == "Bold",
            )
        )

    # --- Arabic ----------------------------------------------------------------
    src = pypi_source("arabic")
    take_ofl("Noto Sans Arabic", src.licence_text)
    for style, wght in (("Regular", 400), ("Bold", 700)):
        name = f"NotoSansArabic-{style}.ttf"
        write(name, to_bytes(static_instance(src.data, wght)))
        built.append(
            Built(
                name,
                "arabic",
                style,
                f"{src.origin} (`{src.detail}`), static instance wght={wght} wdth=100",
                "OFL-1.1",
                "Not subset: full character set (Arabic, Arabic Supplement/Extended-A/B, "
                "Presentation Forms-A/B, Latin + ASCII punctuation) and all layout features.",
                ARABIC_REQUIRED,
                style == "Bold",
            )
        )

    # --- Ethiopic --------------------------------------------------------------
    eth = None
    if ethiopic_mode in ("auto", "google"):
        try:
            eth = ethiopic_google(ethiopic_wheel)
        except Exception as exc:  # network / pip / hash problems
            if ethiopic_mode == "google":
                die(f"Noto Sans Ethiopic 2.102 unavailable: {exc}")
            print(
                f"build_fonts: warning: Noto Sans Ethiopic 2.102 unavailable ({exc}); "
                "using Debian's NotoSansEthiopic (no digits / ASCII punctuation)",
                file=sys.stderr,
            )
    for style, wght in (("Regular", 400), ("Bold", 700)):
        name = f"NotoSansEthiopic-{style}.ttf"
        req = dict(ETHIOPIC_REQUIRED)
        if eth is not None:
            take_ofl("Noto Sans Ethiopic", eth.licence_text)
            write(name, to_bytes(static_instance(eth.data, wght)))
            req.update(ETHIOPIC_REQUIRED_GOOGLE)
            built.append(
                Built(
                    name,
                    "ethiopic",
                    style,
                    f"{eth.origin} (`{eth.detail}`), static instance wght={wght} wdth=100",
                    "OFL-1.1",
                    "Not subset: Ethiopic, Ethiopic Supplement/Extended/Extended-A/B, "
                    "digits, Basic Latin and punctuation; all layout features.",
                    req,
                    style == "Bold",
                )
            )
        else:
            deb = ethiopic_debian(style)
            ofl_texts["Noto Sans Ethiopic"] = TTFont(io.BytesIO(deb.data))["name"].getDebugName(0)
            write(name, deb.data)
            built.append(
                Built(
                    name,
                    "ethiopic",
                    style,
                    f"{deb.origin} (`{deb.detail}`)",
                    "OFL-1.1",
                    "Copied unchanged. NOTE: this build has no digits and no ASCII "
                    "punctuation; nodkort falls back to Noto Sans for those per character.",
                    req,
                    style == "Bold",
                )
            )

    # --- Hebrew (Yiddish) --------------------------------------------------------
    for style in ("Regular", "Bold"):
        path = need_file(DEBIAN_NOTO / f"NotoSansHebrew-{style}.ttf", "apt-get install fonts-noto-core")
        name = f"NotoSansHebrew-{style}.ttf"
        write(name, path.read_bytes())
        ofl_texts["Noto Sans Hebrew"] = TTFont(path)["name"].getDebugName(0)
        built.append(
            Built(
                name,
                "hebrew",
                style,
                f"Debian fonts-noto-core {dpkg_version('fonts-noto-core')} (`{path}`)",
                "OFL-1.1",
                "Copied unchanged (hinted). Hebrew points U+05B0–05C7, letters, Yiddish "
                "ligatures U+05F0–05F2, presentation forms U+FB1D–FB4F. No digits/Latin "
                "(fall back to Noto Sans).",
                HEBREW_REQUIRED,
                style == "Bold",
            )
        )

    # --- Urdu: Nastaliq --------------------------------------------------------------
    for style in ("Regular", "Bold"):
        path = need_file(DEBIAN_NOTO / f"NotoNastaliqUrdu-{style}.ttf", "apt-get install fonts-noto-core")
        name = f"NotoNastaliqUrdu-{style}.ttf"
        write(name, path.read_bytes())
        ofl_texts["Noto Nastaliq Urdu"] = TTFont(path)["name"].getDebugName(0)
        built.append(
            Built(
                name,
                "nastaliq",
                style,
                f"Debian fonts-noto-core {dpkg_version('fonts-noto-core')} (`{path}`)",
                "OFL-1.1",
                "Copied unchanged (hinted). Arabic and Urdu letters, Urdu and Arabic-Indic digits, "
                "ASCII digits; all layout features. Its ink reaches far above and below the baseline "
                "(hhea 1.904 / 0.596 em): line spacing follows the glyphs' ink, not these metrics.",
                NASTALIQ_REQUIRED,
                style == "Bold",
            )
        )

    # --- Thai ----------------------------------------------------------------------
    src = pypi_source("thai")
    take_ofl("Noto Sans Thai", src.licence_text)
    for style, wght in (("Regular", 400), ("Bold", 700)):
        name = f"NotoSansThai-{style}.ttf"
        write(name, to_bytes(static_instance(src.data, wght)))
        built.append(
            Built(
                name,
                "thai",
                style,
                f"{src.origin} (`{src.detail}`), static instance wght={wght} wdth=100",
                "OFL-1.1",
                "Not subset: Thai, Basic Latin/punctuation; all layout features.",
                THAI_REQUIRED,
                style == "Bold",
            )
        )

    # --- CJK: Noto Sans CJK SC, Regular and Bold, converted to TrueType outlines ----------------
    level1 = gb2312_hanzi(0xB0, 0xD7)
    level2 = gb2312_hanzi(0xD8, 0xF7)
    assert len(level1) == 3755 and len(level2) == 3008, (len(level1), len(level2))
    catalog = catalog_hanzi()
    ofl_cjk = None
    for style in ("Regular", "Bold"):
        ttc = need_file(DEBIAN_CJK / f"NotoSansCJK-{style}.ttc", "apt-get install fonts-noto-cjk")

        def cjk(with_level2: bool, ttc: Path = ttc) -> bytes:
            chars = sorted(set(cps(CJK_RANGES) + CJK_EXTRA + level1 + (level2 if with_level2 else []) + catalog))
            return to_bytes(cjk_truetype(ttc, chars))

        data = None
        if cjk_level2 in ("auto", "yes"):
            data = cjk(True)
            if cjk_level2 == "auto" and len(data) > CJK_MAX_BYTES:
                data = None
        with_l2 = data is not None
        if data is None:
            data = cjk(False)
        font = load(data)
        ofl_cjk = font["name"].getDebugName(0)
        cjk_cmap = font.getBestCmap()
        wanted = level1 + (level2 if with_l2 else [])
        covered = [c for c in wanted if c in cjk_cmap]
        lacking = [c for c in wanted + catalog if c not in cjk_cmap]
        if lacking:
            die(f"Noto Sans CJK SC {style} lacks {len(lacking)} wanted characters: " + "".join(map(chr, lacking[:40])))
        name = f"NotoSansCJKsc-{style}.ttf"
        write(name, data)
        hanzi = (
            "all 6,763 GB2312 hanzi (level 1: 3,755, lead bytes 0xB0–0xD7; level 2: 3,008, lead bytes 0xD8–0xF7)"
            if with_l2
            else "the 3,755 GB2312 level-1 hanzi (lead bytes 0xB0–0xD7) only"
        )
        built.append(
            Built(
                name,
                "cjk",
                style,
                f"Debian fonts-noto-cjk {dpkg_version('fonts-noto-cjk')} (`{ttc}`, face {CJK_FACE}: Noto Sans CJK SC)",
                "OFL-1.1",
                f"Subset to {hanzi}, plus every character of the zh catalogs ({len(catalog):,} "
                "characters), CJK Symbols and Punctuation U+3000–303F, Halfwidth/Fullwidth "
                "Forms U+FF00–FFEF, the space, no-break space and the quotation marks, dashes, ellipsis and "
                f"middle dot of General Punctuation ({len(covered):,} hanzi mapped). Latin letters and digits "
                "are left to Noto Sans. CFF outlines converted to TrueType quadratics "
                f"(fontTools cu2qu, max error {CUBIC_MAX_ERR} unit of 1000); no hinting. OpenType layout "
                "features kept for the Simplified Chinese language system (`ZHS`, with its `locl`) only: the "
                "Japanese, Korean and Traditional alternates are dropped. Glyph names (`cidNNNNN`, the CIDs "
                "of the source) kept.",
                CJK_REQUIRED,
                style == "Bold",
            )
        )
        built[-1].extra_hanzi = (with_l2, len(covered))  # type: ignore[attr-defined]
    ofl_texts["Noto Sans CJK SC"] = ofl_cjk or ""

    # --- Licences ------------------------------------------------------------------
    lines = [
        "Noto fonts in this folder are licensed under the SIL Open Font License 1.1 below.",
        "No Reserved Font Name is declared for any of them.",
        "",
    ]
    for family, cr in ofl_texts.items():
        lines.append(f"{family}: {cr}")
    (out / "OFL.txt").write_text("\n".join(lines) + "\n\n" + ofl_body, encoding="utf-8")

    # --- Registry ---------------------------------------------------------------------
    (out / "fonts.toml").write_text(FONTS_TOML, encoding="utf-8")

    # --- Checks + FONTS.md -------------------------------------------------------------
    for b in built:
        check_font(out / b.name, b.required, b.bold)
    write_fonts_md(out, built)
    return built


FONTS_TOML = """\
# Font families bundled with nodkort. A language lists families in fallback order (locales/languages.toml).
# size: the family is drawn, shaped and measured at nominal size × size, because its letters look smaller than
# Latin ones at one nominal size. The legibility floor applies to the drawn size, so a field in such a family may
# shrink to floor ÷ size nominal points; nodkort check keeps every card fitting with it.
# leading: the style's line spacing is multiplied by it on lines set in the family, to leave room for marks above
# and below (Arabic harakat and tanween, Thai vowels and tone marks) and for Nastaliq's tall, sloping words. In text
# fields every line is also moved down until its ink clears the line above (layout/text_field.py). The values are
# the largest with which every draft card still fits at the floor (nodkort check): Arabic at 1.16 overflows three
# Sorani fields, Thai at 1.2 three contacts tables, Nastaliq at 1.3 one Urdu table. Arabic's size is 1.10, the
# low end of the 10-15 % the script needs: at 1.12 with the two-line contacts table, the Sorani and Pashto large
# action pages (six contacts at the 12 pt low-vision floor) overflowed by 1-16 mm.
[families.sans]
regular = "NotoSans-Regular.ttf"
bold = "NotoSans-Bold.ttf"
[families.arabic]
size = 1.10
leading = 1.1
regular = "NotoSansArabic-Regular.ttf"
bold = "NotoSansArabic-Bold.ttf"
[families.ethiopic]
size = 1.12
leading = 1.15
regular = "NotoSansEthiopic-Regular.ttf"
bold = "NotoSansEthiopic-Bold.ttf"
[families.hebrew]
regular = "NotoSansHebrew-Regular.ttf"
bold = "NotoSansHebrew-Bold.ttf"
[families.nastaliq]
leading = 1.25
regular = "NotoNastaliqUrdu-Regular.ttf"
bold = "NotoNastaliqUrdu-Bold.ttf"
[families.thai]
size = 1.1
leading = 1.14
regular = "NotoSansThai-Regular.ttf"
bold = "NotoSansThai-Bold.ttf"
[families.cjk]
regular = "NotoSansCJKsc-Regular.ttf"
bold = "NotoSansCJKsc-Bold.ttf"
"""


def write_fonts_md(out: Path, built: list[Built]):
    rows = []
    for b in built:
        path = out / b.name
        f = TTFont(path)
        n = f["name"]
        version = (n.getDebugName(5) or "").split(";")[0]
        rows.append(
            f"| `{b.name}` | {n.getDebugName(1)} | {n.getDebugName(2)} | {version} | "
            f"`{n.getDebugName(6)}` | {b.source} | {b.licence} | {path.stat().st_size:,} | "
            f"`{sha256(path)}` |"
        )
    details = "\n".join(f"- `{b.name}`: {b.contents}" for b in built)
    total = sum((out / b.name).stat().st_size for b in built)
    with_l2, n_hanzi = built[-1].extra_hanzi  # type: ignore[attr-defined]
    cjk_total = sum((out / b.name).stat().st_size for b in built if b.family_key == "cjk")
    eth = next(b for b in built if b.family_key == "ethiopic")
    eth_note = (
        "Noto Sans Ethiopic is the Google Fonts build 2.102 (digits and ASCII punctuation "
        "included), taken from the wheel of the PyPI package `justmytype-intl-africa` 0.1.0 "
        f"(wheel SHA-256 `{ETHIOPIC_WHEEL_SHA256}`, font SHA-256 `{ETHIOPIC_TTF_SHA256}`)."
        if "PyPI" in eth.source
        else "Noto Sans Ethiopic is Debian's build, which has **no digits and no ASCII punctuation**: "
        "nodkort falls back to Noto Sans for those characters."
    )
    text = f"""# Bundled fonts

Generated by `python tools/build_fonts.py` (fontTools {fontTools.version}); do not edit by hand.
`python tools/build_fonts.py --check` rebuilds into a temporary folder and verifies that the
result is byte-identical to this folder.

All fonts are static TrueType (`glyf`) fonts: reportlab embeds only TrueType outlines, and
cannot use CFF/OTF or variable fonts. Variable sources were pinned with
`fontTools.varLib.instancer` (`wght=400|700 wdth=100 --static --update-name-table`, so the bold
instances carry their own `-Bold` PostScript names and reportlab does not reuse the regular face)
and then saved without touching `head.modified`, so rebuilding is reproducible.
Families and their roles are listed in `fonts.toml`.

| File | Family | Style | Version (name ID 5) | PostScript name | Source | Licence | Size (bytes) | SHA-256 |
| --- | --- | --- | --- | --- | --- | --- | ---: | --- |
{chr(10).join(rows)}

Total: {total:,} bytes in {len(built)} font files.

## Contents of each file

{details}

## Notes

- {eth_note}
- Chinese (Simplified): `NotoSansCJKsc-Regular.ttf` and `NotoSansCJKsc-Bold.ttf` (a real bold cut) cover
  {"the 6,763 hanzi of GB2312 levels 1 and 2" if with_l2 else "only the 3,755 GB2312 level-1 hanzi"}
  ({n_hanzi:,} mapped) and every character of the zh catalogs; a character outside that set (a rare name, a
  Traditional-only form) is refused by nodkort's glyph gate with a named error, never printed as tofu: add it to
  the zh catalog and rebuild, and the build takes it in. Their punctuation is the Simplified Chinese form (the
  SC face's default, and its `locl` under language `ZHS`, which nodkort asks for with `zh-Hans`): comma, full
  stop and enumeration comma low and left in the em, colon, semicolon, ! and ? at the left. The source is CFF,
  which reportlab cannot embed; the build converts it to TrueType quadratic curves (fontTools cu2qu, within
  {CUBIC_MAX_ERR:g} unit of the 1000-unit em, invisible at card sizes). The two files together are
  {cjk_total:,} bytes (the Droid Sans Fallback subset they replace, which had no bold, was 1,004,756 bytes).
- Licences: all the fonts here are under the SIL Open Font License 1.1 (`OFL.txt`, with the copyright
  line of every family). No Noto family declares a Reserved Font Name, so the modified static instances and
  subsets may keep the name "Noto". Noto Sans CJK SC's name table reads "© 2014-2021 Adobe
  (http://www.adobe.com/)." and names the OFL 1.1 (name ID 13); Debian's copyright file for fonts-noto-cjk
  lists it under SIL-1.1 with no Reserved Font Name.
- Noto Sans has no check marks, ballot boxes or (apart from U+25CC) geometric shapes; those
  glyphs are copied into `NotoSans-Regular.ttf` and `NotoSans-Bold.ttf` from Noto Sans Symbols 2
  (OFL 1.1), at regular weight in both.
- Static instances keep overlapping contours (the TrueType overlap flag is set); this renders
  correctly with the non-zero fill rule PDF viewers use for glyphs.

## Rebuilding

```
pip install 'fontpkg-noto-sans==2.15' 'fontpkg-noto-sans-arabic==2.012' 'fontpkg-noto-sans-thai==2.002' fonttools
apt-get install fonts-noto-core fonts-noto-cjk
python tools/build_fonts.py
```

The Ethiopic wheel is fetched with `pip download --no-deps justmytype-intl-africa==0.1.0` into a
temporary folder (or pass `--ethiopic-wheel PATH`); its SHA-256 is checked. Options:
`--ethiopic debian` forces Debian's Ethiopic, `--cjk-level2 no` keeps only GB2312 level 1.
"""
    (out / "FONTS.md").write_text(text, encoding="utf-8")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=OUT_DIR, help="output folder (default: fonts/)")
    ap.add_argument(
        "--check",
        action="store_true",
        help="build into a temporary folder and compare with --out; exit 1 on differences",
    )
    ap.add_argument(
        "--ethiopic",
        choices=("auto", "google", "debian"),
        default="auto",
        help="Ethiopic source: Google Fonts 2.102 wheel, Debian, or auto (google, else debian)",
    )
    ap.add_argument("--ethiopic-wheel", help="path to justmytype_intl_africa-0.1.0-py3-none-any.whl")
    ap.add_argument(
        "--cjk-level2",
        choices=("auto", "yes", "no"),
        default="auto",
        help=f"include GB2312 level-2 hanzi (auto: if the file stays under {CJK_MAX_BYTES:,} bytes)",
    )
    args = ap.parse_args()

    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            build(Path(tmp), args.ethiopic, args.ethiopic_wheel, args.cjk_level2)
            bad = []
            for p in sorted(Path(tmp).iterdir()):
                other = args.out / p.name
                if not other.is_file() or other.read_bytes() != p.read_bytes():
                    bad.append(p.name)
            extra = sorted({p.name for p in args.out.iterdir()} - {p.name for p in Path(tmp).iterdir()})
            if bad or extra:
                print("differs: " + " ".join(bad) + ("  not built: " + " ".join(extra) if extra else ""))
                sys.exit(1)
            print(f"{args.out}: identical to a fresh build")
        return

    built = build(args.out, args.ethiopic, args.ethiopic_wheel, args.cjk_level2)
    width = max(len(b.name) for b in built)
    print(f"{'file':<{width}}  {'bytes':>10}")
    for b in built:
        print(f"{b.name:<{width}}  {(args.out / b.name).stat().st_size:>10,}")
    total_all = sum(p.stat().st_size for p in args.out.iterdir() if p.is_file())
    print(f"{'total (whole folder)':<{width}}  {total_all:>10,}")


if __name__ == "__main__":
    main()
