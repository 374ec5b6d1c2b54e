"""What a screen reader finds in a PDF, read with pikepdf (qpdf): the structure tree, its tags
(H1, L, Table, TH…) in document order, the document language and title settings, and the text
drawn outside marked content (what PDF/A-a checkers such as veraPDF flag first).

poppler shows only «Tagged: yes/no»; this is the tree itself.
"""

import io
import os
from collections import Counter
from dataclasses import dataclass

import pikepdf

Pdf = bytes | os.PathLike | str
TEXT_OPERATORS = {"Tj", "TJ", "'", '"'}


@dataclass(frozen=True)
class Element:
    tag: str  # the standard structure type (custom types mapped through /RoleMap)
    depth: int  # 0 for the children of the root
    actual_text: str | None
    alt: str | None
    lang: str | None


@dataclass(frozen=True)
class Structure:
    lang: str | None  # the catalog's /Lang
    marked: bool  # /MarkInfo /Marked true
    display_doc_title: bool  # viewers show the title, not the file name
    elements: list[Element]  # the structure tree in document order ([] when there is none)

    @property
    def tags(self) -> Counter:
        return Counter(e.tag for e in self.elements)

    @property
    def tagged(self) -> bool:
        return bool(self.elements)


def _open(pdf: Pdf) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf)


def _text(value) -> str | None:
    return str(value) if value is not None else None


def structure(pdf: Pdf) -> Structure:
    with _open(pdf) as document:
        root = document.Root
        tree = root.get("/StructTreeRoot")
        role_map = {}
        elements: list[Element] = []
        if tree is not None:
            role_map = {str(k): str(v) for k, v in tree.get("/RoleMap", {}).items()}
            seen: set[tuple[int, int]] = set()

            def walk(kids, depth: int) -> None:
                if isinstance(kids, pikepdf.Array):
                    for kid in kids:
                        walk(kid, depth)
                    return
                if not isinstance(kids, pikepdf.Dictionary) or "/S" not in kids:
                    return  # a marked-content id or reference: content, not structure
                if kids.is_indirect:
                    if kids.objgen in seen:
                        return
                    seen.add(kids.objgen)
                tag = str(kids.S)
                for _ in range(10):  # RoleMap chains end at a standard type
                    if tag not in role_map:
                        break
                    tag = role_map[tag]
                elements.append(
                    Element(
                        tag=tag.lstrip("/"),
                        depth=depth,
                        actual_text=_text(kids.get("/ActualText")),
                        alt=_text(kids.get("/Alt")),
                        lang=_text(kids.get("/Lang")),
                    )
                )
                if "/K" in kids:
                    walk(kids.K, depth + 1)

            if "/K" in tree:
                walk(tree.K, 0)
        mark_info = root.get("/MarkInfo", {})
        preferences = root.get("/ViewerPreferences", {})
        return Structure(
            lang=_text(root.get("/Lang")),
            marked=bool(mark_info.get("/Marked", False)),
            display_doc_title=bool(preferences.get("/DisplayDocTitle", False)),
            elements=elements,
        )


def text_outside_marked_content(pdf: Pdf) -> dict[int, int]:
    """Page number → how many text drawings are outside any marked content (BDC/BMC … EMC);
    {} when all text is tagged content or an artifact."""
    found = {}
    with _open(pdf) as document:
        for number, page in enumerate(document.pages, 1):
            depth, untagged = 0, 0
            for _operands, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                if op in ("BDC", "BMC"):
                    depth += 1
                elif op == "EMC":
                    depth -= 1
                elif op in TEXT_OPERATORS and depth == 0:
                    untagged += 1
            if untagged:
                found[number] = untagged
    return found
