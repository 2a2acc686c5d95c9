"""The base document: styles, settings, A4 right-to-left page; a --base letterhead made ready for the plan."""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import docx
from docx.document import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.oxml import serialize_part_xml
from docx.opc.package import Unmarshaller
from docx.opc.part import Part, PartFactory
from docx.opc.pkgreader import PackageReader
from docx.oxml.parser import parse_xml
from docx.package import Package
from docx.parts.styles import StylesPart
from lxml import etree

from odplan_xl.errors import OdplanError
from odplan_xl.word.oxml import (
    SECTPR_ORDER,
    W_NAME,
    W_SECTPR,
    W_STYLE,
    W_STYLE_ID,
    W_VAL,
    el,
    insert_in_order,
    page_margins,
    page_size,
    qn,
    val,
)

FONT_CS = "Simplified Arabic"      # what Tunisian administrations use; free look-alikes stand in on Linux
FONT_LATIN = "Arial"

# One colour per meaning.
DARK_BLUE = "1F3864"       # title and headings
GAP_RED = "C00000"         # a missing or invalid value, a gap in the plan
NOTE_GREY = "595959"       # notes (not applicable, empty part)
MARGIN_GREY = "404040"     # header and footer text
RULE_GREY = "808080"       # the header's bottom rule
BORDER_GREY = "7F7F7F"     # table borders
HEAD_FILL = "D9E2F3"       # table header rows

# Style ids the builder writes; built-in ones are looked up by name in a base document.
BUILTIN = {"Normal": "normal", "Title": "title", "Subtitle": "subtitle", "Heading1": "heading 1",
           "Heading2": "heading 2", "Heading3": "heading 3", "TOC1": "toc 1", "TOC2": "toc 2",
           "TOC3": "toc 3", "TOCHeading": "toc heading", "Header": "header", "Footer": "footer"}

Children = list[etree._Element]


# --- property builders --------------------------------------------------------------------------------------
def size(half_points: int) -> Children:
    return [val("w:sz", half_points), val("w:szCs", half_points)]


def bold() -> Children:
    return [el("w:b"), el("w:bCs")]


def italic() -> Children:
    return [el("w:i"), el("w:iCs")]


def color(rgb: str) -> etree._Element:
    return val("w:color", rgb)


def spacing(**attrs: int | str) -> etree._Element:
    """w:spacing; before=, after=, line=, lineRule= (line in 240ths of a line with lineRule "auto")."""
    return el("w:spacing", {f"w:{k}": v for k, v in attrs.items()})


def fonts() -> etree._Element:
    return el("w:rFonts", {"w:ascii": FONT_LATIN, "w:hAnsi": FONT_LATIN, "w:eastAsia": FONT_LATIN,
                           "w:cs": FONT_CS})


def style(kind: str, sid: str, name: str, based: str | None, ppr: Children = (), rpr: Children = (),
          *, custom: bool = True, ui_priority: int | None = None) -> etree._Element:
    """A w:style with its paragraph and run properties (children given in schema order)."""
    attrs = {"w:type": kind, **({"w:customStyle": "1"} if custom else {}), "w:styleId": sid}
    return el("w:style", attrs, val("w:name", name), val("w:basedOn", based) if based else None,
              val("w:uiPriority", ui_priority) if ui_priority is not None else None, el("w:qFormat"),
              el("w:pPr", None, *ppr) if ppr else None, el("w:rPr", None, *rpr) if rpr else None)


def _cell_ppr() -> Children:
    return [el("w:bidi"), spacing(before=20, after=20, line=240, lineRule="auto")]


# Styles of the document's own parts, added to any base that lacks them: id -> builder(normal style id).
OWN_STYLES: dict[str, Callable[[str], etree._Element]] = {
    "OdplanCell": lambda n: style("paragraph", "OdplanCell", "Odplan Cell", n, _cell_ppr(), size(18)),
    "OdplanCellCenter": lambda n: style("paragraph", "OdplanCellCenter", "Odplan Cell Center", "OdplanCell",
                                        [val("w:jc", "center")]),
    # amounts on the left edge (the end of a right-to-left line), so their digits line up
    "OdplanCellNumber": lambda n: style("paragraph", "OdplanCellNumber", "Odplan Cell Number", "OdplanCell",
                                        [val("w:jc", "end")]),
    "OdplanGanttCenter": lambda n: style("paragraph", "OdplanGanttCenter", "Odplan Gantt Center",
                                         "OdplanGantt", [val("w:jc", "center")]),
    "OdplanHead": lambda n: style("paragraph", "OdplanHead", "Odplan Head", "OdplanCell",
                                  [val("w:jc", "center")], bold() + size(18)),
    "OdplanGantt": lambda n: style("paragraph", "OdplanGantt", "Odplan Gantt", "OdplanCell",
                                   [spacing(before=0, after=0, line=240, lineRule="auto")], size(14)),
    "OdplanNote": lambda n: style("paragraph", "OdplanNote", "Odplan Note", n, [el("w:bidi")],
                                  italic() + [color(NOTE_GREY)]),
    "OdplanGap": lambda n: style("paragraph", "OdplanGap", "Odplan Gap", n, [el("w:bidi")],
                                 italic() + [color(GAP_RED)]),
    "OdplanLabel": lambda n: style("paragraph", "OdplanLabel", "Odplan Label", n,
                                   [el("w:keepNext"), el("w:bidi"), spacing(before=160, after=80)],
                                   bold()),
    "OdplanBullet": lambda n: style("paragraph", "OdplanBullet", "Odplan Bullet", n,
                                    [el("w:bidi"), spacing(after=60), el("w:ind", {"w:start": 567,
                                                                                   "w:hanging": 283})]),
    "OdplanSpacer": lambda n: style("paragraph", "OdplanSpacer", "Odplan Spacer", n,
                                    [el("w:bidi"), spacing(before=0, after=0, line=120, lineRule="exact")],
                                    size(4)),
    "OdplanMissing": lambda n: style("character", "OdplanMissing", "Odplan Missing", None, (),
                                     italic() + [color(GAP_RED)]),
    "OdplanFlag": lambda n: style("character", "OdplanFlag", "Odplan Flag", None, (),
                                  bold() + [color(GAP_RED), val("w:u", "dotted")]),
    "OdplanStrong": lambda n: style("character", "OdplanStrong", "Odplan Strong", None, (), bold()),
}


def _heading(before: int, after: int, level: int, half_points: int) -> tuple[Children, Children]:
    return ([el("w:keepNext"), el("w:keepLines"), el("w:bidi"), spacing(before=before, after=after),
             val("w:outlineLvl", level)], bold() + [color(DARK_BLUE)] + size(half_points))


# Built-in styles as the default base sets them (a --base keeps its own): id -> (pPr, rPr) builders.
DEFAULT_BUILTINS: dict[str, Callable[[], tuple[Children, Children]]] = {
    "Title": lambda: ([el("w:bidi"), spacing(before=240, after=240), val("w:jc", "center")],
                      bold() + [color(DARK_BLUE)] + size(52)),
    "Subtitle": lambda: ([el("w:bidi"), spacing(before=120, after=120), val("w:jc", "center")],
                         [color(DARK_BLUE)] + size(36)),
    "Heading1": lambda: _heading(360, 200, 0, 32),
    "Heading2": lambda: _heading(280, 120, 1, 28),
    "Heading3": lambda: _heading(200, 100, 2, 26),
    "TOCHeading": lambda: ([el("w:bidi"), spacing(before=240, after=240), val("w:jc", "center"),
                            val("w:outlineLvl", 9)], bold() + [color(DARK_BLUE)] + size(32)),
    "Header": lambda: ([el("w:pBdr", None, el("w:bottom", {"w:val": "single", "w:sz": 4, "w:space": 4,
                                                          "w:color": RULE_GREY})),
                        el("w:bidi"), spacing(after=0, line=240, lineRule="auto"), val("w:jc", "center")],
                       [color(MARGIN_GREY)] + size(18)),
    "Footer": lambda: ([el("w:bidi"), spacing(after=0, line=240, lineRule="auto"), val("w:jc", "center")],
                       [color(MARGIN_GREY)] + size(18)),
}


def _toc_style(level: int, normal: str) -> etree._Element:
    # the tab stop is set on each entry paragraph, where the text width is known
    ppr = [el("w:bidi"), spacing(before=80 if level == 1 else 20, after=20)]
    if level > 1:
        ppr.append(el("w:ind", {"w:start": (level - 1) * 425}))
    return style("paragraph", f"TOC{level}", f"toc {level}", normal, ppr, bold() if level == 1 else [])


# --- base document ---------------------------------------------------------------------------------------
def find_style(doc: Document, name: str) -> str | None:
    """Style id of the style whose name is `name` (case-insensitive; ids differ in localized Word)."""
    for node in doc.styles.element.iterchildren(W_STYLE):
        n = node.find(W_NAME)
        if n is not None and n.get(W_VAL, "").lower() == name:
            return node.get(W_STYLE_ID)
    return None


def _ids_by_name(doc: Document) -> dict[str, str | None]:
    """`find_style` for every name at once: lower-cased name -> id of the first style of that name."""
    out: dict[str, str | None] = {}
    for node in doc.styles.element.iterchildren(W_STYLE):
        n = node.find(W_NAME)
        if n is not None:
            out.setdefault(n.get(W_VAL, "").lower(), node.get(W_STYLE_ID))
    return out


def builtin_ids(doc: Document) -> dict[str, str]:
    """The document's style id of each built-in style the builder writes (BUILTIN's keys)."""
    part = doc.part.part_related_by(_RT_STYLES)
    if isinstance(part, _StylesAsLoaded) and part.known_ids is not None and part.untouched:
        return dict(part.known_ids)
    names = _ids_by_name(doc)
    return {sid: names.get(name) or sid for sid, name in BUILTIN.items()}


def _set_style(doc: Document, sid: str, name: str, ppr: Children, rpr: Children) -> None:
    """Create or overwrite a built-in style's paragraph and run properties (default base only)."""
    styles = doc.styles.element
    node = next((s for s in styles.iterchildren(W_STYLE) if s.get(W_STYLE_ID) == sid), None)
    if node is None:
        node = style("paragraph", sid, name, "Normal", custom=False, ui_priority=39)
        styles.append(node)
    for tag in ("w:pPr", "w:rPr"):
        old = node.find(qn(tag))
        if old is not None:
            node.remove(old)
    node.append(el("w:pPr", None, *ppr))
    node.append(el("w:rPr", None, *rpr))


def _strip_theme_fonts(root: etree._Element) -> None:
    """Theme font attributes win over w:cs/w:ascii: remove them so the named fonts apply."""
    for rfonts in root.iter(qn("w:rFonts")):
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(attr), None)


def _default_built() -> tuple[bytes, dict[str, str]]:
    """The default base's bytes, and its built-in style ids (built once per process: `_default_package`)."""
    buffer = io.BytesIO()
    doc = _default_base()
    _ensure_styles(doc)
    ids = builtin_ids(doc)
    doc.save(buffer)
    return buffer.getvalue(), ids


_RT_STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"


class _StylesAsLoaded(StylesPart):
    """styles.xml kept as the bytes it was read from until something reads its XML.

    Every document of the default base has the same 340 KB of styles, which the builder only looks
    up (through `builtin_ids`): parsing and writing them again was a fifth of a typical plan's time.
    Read from an already serialized package, the bytes are what serializing the parsed part gives
    (checked once, `_default_package`); after any access to the XML, the part is written from it.
    """

    known_ids: dict[str, str] | None = None

    def __init__(self, partname, content_type, blob, package):  # type: ignore[no-untyped-def]
        Part.__init__(self, partname, content_type, package=package)
        self._raw = blob
        self._tree: etree._Element | None = None

    @classmethod
    def load(cls, partname, content_type, blob, package):  # type: ignore[no-untyped-def]
        return cls(partname, content_type, blob, package)

    @property
    def untouched(self) -> bool:
        return self._tree is None

    @property
    def _element(self) -> etree._Element:  # type: ignore[override]
        if self._tree is None:
            self._tree = parse_xml(self._raw)
        return self._tree

    @_element.setter
    def _element(self, element: etree._Element) -> None:
        self._tree = element

    @property
    def blob(self) -> bytes:
        return self._raw if self._tree is None else serialize_part_xml(self._tree)


class _Factory(PartFactory):
    """python-docx's part factory, but for styles (`_StylesAsLoaded`)."""

    def __new__(cls, partname, content_type, reltype, blob, package):  # type: ignore[no-untyped-def]
        if content_type == CT.WML_STYLES:
            return _StylesAsLoaded.load(partname, content_type, blob, package)
        return PartFactory.__new__(cls, partname, content_type, reltype, blob, package)


def _open_as_loaded(reader: PackageReader) -> Document:
    """docx.Document() of the package `reader` has read, styles left as bytes.

    A reader only holds what it read (each part's bytes, the relationships): new parts are made from
    them for each document, so one reader serves every document of a process.
    """
    package = Package()
    Unmarshaller.unmarshal(reader, package, _Factory)
    return package.main_document_part.document


@lru_cache(maxsize=1)
def _default_package() -> tuple[bytes, PackageReader, dict[str, str] | None]:
    """The default base: its bytes, the package read from them, its built-in style ids when its
    styles can stay bytes."""
    blob, ids = _default_built()
    reader = PackageReader.from_file(io.BytesIO(blob))
    raw = _open_as_loaded(reader).part.part_related_by(_RT_STYLES).blob
    if serialize_part_xml(parse_xml(raw)) != raw:         # never seen; then parsed as python-docx does
        return blob, reader, None
    return blob, reader, ids


def _default_base() -> Document:
    """python-docx's default template made A4, right-to-left, with Arabic fonts."""
    doc = docx.Document()
    compat = doc.settings.element.find(qn("w:compat"))
    if compat is not None:          # Word 2010's (mode 14): Word 2013+ writes its own, below
        compat.getparent().remove(compat)
    _as_word_2013(doc)
    styles = doc.styles.element
    _strip_theme_fonts(styles)
    defaults = styles.find(qn("w:docDefaults"))
    defaults.getparent().replace(defaults, el(
        "w:docDefaults", None,
        el("w:rPrDefault", None, el("w:rPr", None, fonts(), *size(24),
                                    el("w:lang", {"w:val": "fr-FR", "w:eastAsia": "en-US", "w:bidi": "ar-TN"}))),
        el("w:pPrDefault", None, el("w:pPr", None, el("w:bidi"),
                                    spacing(after=120, line=264, lineRule="auto")))))
    for sid, props in DEFAULT_BUILTINS.items():
        _set_style(doc, sid, BUILTIN[sid], *props())
    sectpr = doc.sections[0]._sectPr
    for tag in ("w:pgSz", "w:pgMar"):
        old = sectpr.find(qn(tag))
        if old is not None:
            sectpr.remove(old)
    insert_in_order(sectpr, page_size(), SECTPR_ORDER)
    insert_in_order(sectpr, page_margins(), SECTPR_ORDER)
    insert_in_order(sectpr, el("w:bidi"), SECTPR_ORDER)
    return doc


def load_base(base: str | Path | None = None) -> Document:
    """The document to write into: `base` (.docx) emptied but keeping its page setup, or the default."""
    if base is None:
        blob, reader, ids = _default_package()
        if ids is None:
            return docx.Document(io.BytesIO(blob))
        doc = _open_as_loaded(reader)
        doc.part.part_related_by(_RT_STYLES).known_ids = ids
        return doc
    doc = _open_base(Path(base))
    body = doc.element.body
    for child in list(body):
        if child.tag != W_SECTPR:
            body.remove(child)
    _as_word_2013(doc)
    _ensure_styles(doc)
    return doc


# Word 2010's copy of styles.xml (python-docx's template has one): Word 2013+ neither writes nor reads it,
# and it is out of step as soon as styles are added, which Word may report as unreadable content.
_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


def _as_word_2013(doc: Document) -> None:
    """What Word 2013+ needs of any base: no style-level direction, no stylesWithEffects, mode 15."""
    # [MS-OI29500] 2.1.260: Word does not allow w:rtl (nor w:cs) in a style's or docDefaults' run
    # properties; runs carry their own direction (oxml.run).
    for tag in ("w:rtl", "w:cs"):
        for node in list(doc.styles.element.iter(qn(tag))):
            node.getparent().remove(node)
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype == _STYLES_WITH_EFFECTS:
            doc.part.drop_rel(rid)
    compatibility_mode(doc)


def _open_base(path: Path) -> Document:
    try:
        doc = docx.Document(str(path))
        if doc.element.body.find(W_SECTPR) is None:
            doc.element.body.append(el("w:sectPr", None, page_size(), page_margins()))
        return doc
    except Exception as exc:    # not a zip, not a Word document, a macro-enabled or damaged file...
        raise OdplanError("bad-base", name=path.name, where=str(path)) from exc


def _ensure_styles(doc: Document) -> None:
    styles = doc.styles.element
    present = {s.get(W_STYLE_ID) for s in styles.iterchildren(W_STYLE)}
    names = _ids_by_name(doc)

    def add(node: etree._Element) -> None:
        styles.append(node)
        names.setdefault(node.find(W_NAME).get(W_VAL, "").lower(), node.get(W_STYLE_ID))

    normal = names.get("normal") or "Normal"
    for sid, build in OWN_STYLES.items():
        if sid not in present:
            add(build(normal))
    for level in (1, 2, 3):
        if names.get(f"toc {level}") is None:
            add(_toc_style(level, normal))
    for sid, name in BUILTIN.items():
        if names.get(name) is None:
            ppr, rpr = DEFAULT_BUILTINS[sid]() if sid in DEFAULT_BUILTINS else ([el("w:bidi")], [])
            add(style("paragraph", sid, name, normal, ppr, rpr))


SETTINGS_ORDER = (
    "writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime",
    "doNotDisplayPageBoundaries", "displayBackgroundShape", "printPostScriptOverText",
    "printFractionalCharacterWidth", "printFormsData", "embedTrueTypeFonts", "embedSystemFonts",
    "saveSubsetFonts", "saveFormsData", "mirrorMargins", "alignBordersAndEdges", "bordersDoNotSurroundHeader",
    "bordersDoNotSurroundFooter", "gutterAtTop", "hideSpellingErrors", "hideGrammaticalErrors",
    "activeWritingStyle", "proofState", "formsDesign", "attachedTemplate", "linkStyles",
    "stylePaneFormatFilter", "stylePaneSortMethod", "documentType", "mailMerge", "revisionView",
    "trackRevisions", "doNotTrackMoves", "doNotTrackFormatting", "documentProtection", "autoFormatOverride",
    "styleLockTheme", "styleLockQFSet", "defaultTabStop", "autoHyphenation", "consecutiveHyphenLimit",
    "hyphenationZone", "doNotHyphenateCaps", "showEnvelope", "summaryLength", "clickAndTypeStyle",
    "defaultTableStyle", "evenAndOddHeaders", "bookFoldRevPrinting", "bookFoldPrinting",
    "bookFoldPrintingSheets", "drawingGridHorizontalSpacing", "drawingGridVerticalSpacing",
    "displayHorizontalDrawingGridEvery", "displayVerticalDrawingGridEvery",
    "doNotUseMarginsForDrawingGridOrigin", "drawingGridHorizontalOrigin", "drawingGridVerticalOrigin",
    "doNotShadeFormData", "noPunctuationKerning", "characterSpacingControl", "printTwoOnOne",
    "strictFirstAndLastChars", "noLineBreaksAfter", "noLineBreaksBefore", "savePreviewPicture",
    "doNotValidateAgainstSchema", "saveInvalidXml", "ignoreMixedContent", "alwaysShowPlaceholderText",
    "doNotDemarcateInvalidXml", "saveXmlDataOnly", "useXSLTWhenSaving", "saveThroughXslt", "showXMLTags",
    "alwaysMergeEmptyNamespace", "updateFields", "hdrShapeDefaults", "footnotePr", "endnotePr", "compat",
    "docVars", "rsids", "mathPr", "attachedSchema", "themeFontLang", "clrSchemeMapping",
    "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade", "captions",
    "readModeInkLockDown", "smartTagType", "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags",
    "decimalSymbol", "listSeparator")


# The compatibility settings Word 2013 and later write in a new document (compatibilityMode 15: no
# «Compatibility Mode» in Word's title bar, today's layout rules).
_MS_WORD = "http://schemas.microsoft.com/office/word"
WORD_2013_COMPAT = (("compatibilityMode", "15"), ("overrideTableStyleFontSizeAndJustification", "1"),
                    ("enableOpenTypeFeatures", "1"), ("doNotFlipMirrorIndents", "1"),
                    ("differentiateMultirowTableHeaders", "1"), ("useWord2013TrackBottomHyphenation", "0"))


def compatibility_mode(doc: Document) -> None:
    """Raise a document older than Word 2013 (compatibilityMode < 15 or none) to 15; newer ones keep theirs.

    Settings the document already has are kept; those Word 2013 writes and it lacks are added.
    """
    root = doc.settings.element
    compat = root.find(qn("w:compat"))
    if compat is None:
        compat = el("w:compat")
        insert_in_order(root, compat, SETTINGS_ORDER)
    present = {node.get(qn("w:name")): node for node in compat.iterchildren(qn("w:compatSetting"))
               if node.get(qn("w:uri")) == _MS_WORD}
    mode = present.get("compatibilityMode")
    try:
        current = int(mode.get(W_VAL)) if mode is not None else 0
    except (TypeError, ValueError):
        current = 0
    if current >= 15:
        return
    for name, value in WORD_2013_COMPAT:
        if name == "compatibilityMode" and mode is not None:
            mode.set(W_VAL, value)
        elif name not in present:
            compat.append(el("w:compatSetting", {"w:name": name, "w:uri": _MS_WORD, "w:val": value}))


def update_fields_on_open(doc: Document) -> None:
    """Ask Word to update fields (the table of contents) when the document is opened."""
    root = doc.settings.element
    if root.find(qn("w:updateFields")) is None:
        insert_in_order(root, val("w:updateFields", "true"), SETTINGS_ORDER)
