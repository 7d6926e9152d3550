"""Structure: a PDF whose content is marked (render.py) and the record of its marks → a tagged PDF (PDF/UA-1).

Adds the structure tree (Document, then each field's elements in the order the template lists them, which is
the reading order), the parent tree that maps every marked-content sequence back to its element, and what
PDF/UA asks of the catalog and pages: /MarkInfo, /Lang, /ViewerPreferences /DisplayDocTitle, /Tabs /S.
The XMP identifier (pdfuaid:part 1) is written with the rest of the metadata by standards.py, which calls this.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nodkort.pdf.marked import Content, Marked, right_to_left

if TYPE_CHECKING:
    import pikepdf

# The label of a list item comes before its body, whatever order the two were drawn in.
_RANK = {"Lbl": 0, "LBody": 1}


def tag(doc: pikepdf.Pdf, marked: Marked, lang: str) -> None:
    """Give `doc` its structure tree from `marked`; `lang` is the document's language (BCP 47)."""
    import pikepdf

    root = doc.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
    document = doc.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Document, P=root))
    kids: dict[tuple[object, ...], pikepdf.Dictionary] = {}  # an element by page, field and path
    order: dict[int, list[tuple[tuple[int, int], pikepdf.Dictionary]]] = {}  # children of an element, ranked
    nums = pikepdf.Array()
    spans: dict[tuple[int, int], pikepdf.Dictionary] = {}  # a part's Span element, by page and first MCID
    for number, (page, contents) in enumerate(zip(doc.pages, marked.pages, strict=True)):
        page.obj.StructParents = number
        page.obj.Tabs = pikepdf.Name.S
        parents = pikepdf.Array()
        for content in contents:
            element = _element(doc, document, page.obj, number, content, kids, order)
            if content.part != content.mcid and (number, content.part) in spans:
                span = spans[(number, content.part)]  # a further word of a right-to-left part
                span.K.append(content.mcid)
                parents.append(span)
            elif content.lang or right_to_left(content.text):
                # A part in another language than the rest (a Swedish name on a Somali card): its own Span
                # element says so, in the structure as in the content. A right-to-left part says its text
                # here, in logical order: its content says each word in the order extraction tools need.
                span = pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Span, P=element, Pg=page.obj)
                if content.lang:
                    span.Lang = content.lang
                if right_to_left(content.text):
                    span.ActualText = content.text
                span.K = pikepdf.Array([content.mcid])
                span = doc.make_indirect(span)
                spans[(number, content.mcid)] = span
                element.K.append(span)
                parents.append(span)
            else:
                element.K.append(content.mcid)
                parents.append(element)
        nums.append(number)
        nums.append(doc.make_indirect(parents))
    _regular_tables(doc, kids, order)
    _order_children(document, order)
    root.K = document
    root.ParentTree = doc.make_indirect(pikepdf.Dictionary(Nums=nums))
    root.ParentTreeNextKey = len(marked.pages)
    doc.Root.StructTreeRoot = root
    doc.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
    doc.Root.Lang = lang
    doc.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)


def _element(
    doc: pikepdf.Pdf,
    document: pikepdf.Dictionary,
    page: pikepdf.Dictionary,
    number: int,
    content: Content,
    kids: dict[tuple[object, ...], pikepdf.Dictionary],
    order: dict[int, list[tuple[tuple[int, int], pikepdf.Dictionary]]],
) -> pikepdf.Dictionary:
    """The element a content belongs to, made with its ancestors the first time one of them is met."""
    import pikepdf

    path = content.path or (("Figure", 0),)
    parent = document
    element = document
    for depth in range(1, len(path) + 1):
        key = (number, content.field, path[:depth])
        element = kids.get(key, element)
        if key not in kids:
            role, index = path[depth - 1]
            element = doc.make_indirect(
                pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name("/" + role), P=parent, Pg=page)
            )
            element.K = pikepdf.Array()
            kids[key] = element
            # top-level elements keep the order they are met in; a cell or a list item's parts sort by index
            rank = (len(order.get(parent.objgen[0], [])), 0) if depth == 1 else (index, _RANK.get(role, 0))
            order.setdefault(parent.objgen[0], []).append((rank, element))
        parent = element
    if content.alt:
        element.Alt = content.alt
    if content.bbox is not None:
        element.A = pikepdf.Dictionary(O=pikepdf.Name.Layout, BBox=pikepdf.Array(list(content.bbox)))
    return element


def _regular_tables(
    doc: pikepdf.Pdf,
    kids: dict[tuple[object, ...], pikepdf.Dictionary],
    order: dict[int, list[tuple[tuple[int, int], pikepdf.Dictionary]]],
) -> None:
    """Give every row of a table as many cells as its widest row, empty ones where a row has nothing to say
    (a contact without hours): a screen reader then announces each column in the same place in every row."""
    import pikepdf

    width: dict[tuple[object, ...], int] = {}  # a table's key → its number of cells
    rows: dict[tuple[object, ...], set[int]] = {}  # a row's key → the cells it has
    for key in kids:
        _, _, path = key
        assert isinstance(path, tuple)
        if len(path) >= 3 and path[-1][0] == "TD" and path[-2][0] == "TR" and path[-3][0] == "Table":
            table = (*key[:2], path[:-2])
            width[table] = max(width.get(table, 0), path[-1][1] + 1)
            rows.setdefault((*key[:2], path[:-1]), set()).add(path[-1][1])
    for (page, field, row_path), cells in rows.items():
        assert isinstance(row_path, tuple)
        row = kids[(page, field, row_path)]
        for index in range(width[(page, field, row_path[:-1])]):
            if index not in cells:
                cell = pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.TD, P=row, Pg=row.Pg)
                cell.K = pikepdf.Array()
                order.setdefault(row.objgen[0], []).append(((index, 0), doc.make_indirect(cell)))


def _order_children(
    element: pikepdf.Dictionary, order: dict[int, list[tuple[tuple[int, int], pikepdf.Dictionary]]]
) -> None:
    """Rank each element's child elements (an element has either children or content of its own); recursively."""
    import pikepdf

    children = [child for _, child in sorted(order.get(element.objgen[0], []), key=lambda pair: pair[0])]
    if children:
        element.K = pikepdf.Array(children)
    for child in children:
        _order_children(child, order)
