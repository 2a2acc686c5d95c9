"""A new workbook of several sheet descriptions, with their Excel Tables, colour scales and native charts."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import openpyxl
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.series import SeriesLabel
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.worksheet.table import Table, TableStyleInfo

from odplan_xl.files import atomic_path
from odplan_xl.sheets.spec import Block, Chart, SheetSpec, a1
from odplan_xl.xlsx.write import fill_sheet

_CM = 1.0        # openpyxl chart sizes are in centimetres


def write_book(path: str | Path, specs: Sequence[SheetSpec]) -> Path:
    """Write `specs` as the sheets of a new workbook at `path` (atomically), the first one active."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for spec in specs:
        ws = wb.create_sheet(spec.title)
        fill_sheet(ws, spec)
        for table in spec.tables:
            ref = f"{a1(table.block[0], table.block[1])}:{a1(table.block[2], table.block[3])}"
            item = Table(displayName=table.name, ref=ref)
            item.tableStyleInfo = TableStyleInfo(name=table.style, showRowStripes=True)
            ws.add_table(item)
        for scale in spec.color_scales:
            ws.conditional_formatting.add(_ref(scale.block), ColorScaleRule(
                start_type="min", start_color=f"FF{scale.low}", end_type="max", end_color=f"FF{scale.high}"))
        for chart in spec.charts:
            ws.add_chart(_chart(ws, chart), a1(*chart.anchor))
    wb.active = 0
    path = Path(path)
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path


def _ref(block: Block) -> str:
    return f"{a1(block[0], block[1])}:{a1(block[2], block[3])}"


def _reference(ws, block: Block) -> Reference:
    return Reference(ws, min_row=block[0], min_col=block[1], max_row=block[2], max_col=block[3])


def _chart(ws, spec: Chart):
    chart = LineChart() if spec.kind == "line" else BarChart()
    if spec.kind != "line":
        chart.type = "bar" if spec.kind == "bar" else "col"
        chart.gapWidth = 60
    chart.title = spec.title
    chart.width, chart.height = spec.width_cm * _CM, spec.height_cm * _CM
    for series in spec.series:
        chart.add_data(_reference(ws, series.values), titles_from_data=False)
        chart.series[-1].tx = SeriesLabel(v=series.name)
        if series.color:
            chart.series[-1].graphicalProperties.solidFill = series.color
            chart.series[-1].graphicalProperties.line.solidFill = series.color
    if spec.stacked and spec.kind != "line":
        chart.grouping, chart.overlap = "stacked", 100
    chart.set_categories(_reference(ws, spec.categories))
    if spec.value_title:
        chart.y_axis.title = spec.value_title
    if spec.value_format:
        chart.y_axis.number_format = spec.value_format
    if spec.value_range:
        chart.y_axis.scaling.min, chart.y_axis.scaling.max = spec.value_range
    # openpyxl marks both axes deleted unless told otherwise: recent Excel then draws no axis at all
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    if spec.rtl:
        # categories from the right (columns, lines) or from the top (bars), values growing leftwards for
        # bars: the chart reads in the direction of the sheet
        chart.x_axis.scaling.orientation = "maxMin"
        if spec.kind == "bar":
            chart.y_axis.scaling.orientation = "maxMin"
    if not spec.legend:
        chart.legend = None
    else:
        chart.legend.position = "b"
    if spec.kind != "line" and not spec.stacked:
        # the value only: LibreOffice otherwise adds the series and category names to every label
        chart.dataLabels = DataLabelList(showVal=True, showSerName=False, showCatName=False,
                                         showLegendKey=False, showPercent=False)
    return chart
