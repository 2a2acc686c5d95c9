"""The plan's Word document never prints the follow-up (the official template has no such column)."""

from __future__ import annotations

import copy

from secondyear import NOTE, followed_data

from odplan_xl import schema
from odplan_xl.app.convert import convert
from odplan_xl.word import document_text, open_document
from odplan_xl.workbook.template import build_workbook


def test_followed_plan_prints_as_the_plan_without_follow_up(tmp_path):
    followed = followed_data()
    plain = copy.deepcopy(followed)
    for rows in plain["sections"].values():
        for row in rows:
            row.pop("progress", None)
            row.pop("follow_note", None)
    texts = []
    for name, data in (("followed", followed), ("plain", plain)):
        xlsx = build_workbook(tmp_path / f"{name}.xlsx", data)
        texts.append(document_text(open_document(convert(xlsx, tmp_path / f"{name}.docx").output)))
    assert NOTE not in texts[0] and schema.FOLLOW_UP_COLUMNS[0].ar not in texts[0]
    assert texts[0] == texts[1]
