"""Unusable files, each built for real: the CLI must answer each in one sentence."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl


def encrypted(source: Path, path: Path) -> Path:
    """``source`` protected with a password, encrypted as Excel does (agile
    encryption, by msoffcrypto-tool)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    with open(source, "rb") as fh, open(path, "wb") as out:
        OOXMLFile(fh).encrypt("secret", out)
    return path


def word_document(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return path


def no_actions_sheet(path: Path) -> Path:
    wb = openpyxl.Workbook()
    wb.active.title = "Risks"
    wb.active.append(["Risk ref", "Risk"])
    wb.save(path)
    return path


def actions_without_headers(path: Path) -> Path:
    wb = openpyxl.Workbook()
    wb.active.title = "Actions"
    for _ in range(12):
        wb.active.append(["something", "else"])
    wb.save(path)
    return path
