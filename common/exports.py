"""Tables as downloads: CSV (UTF-8 with a byte-order mark, so Excel on Windows reads Chinese) and
Excel (openpyxl). A table is a title, a header and rows of plain values; the caller decides what
goes in (masked identity numbers unless an admin asked for them in full, which is logged)."""

import csv
import io
import re
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

FORMATS = ("csv", "xlsx")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Table:
    title: str
    header: list[str]
    rows: list[list] = field(default_factory=list)


def _cell(value):
    """Spreadsheet cells take numbers and dates as they are; everything else as text. Control
    characters are dropped: Excel files cannot hold them, and one in a name typed before names
    were checked must not make the whole office's export fail."""
    if value is None:
        return ""
    if isinstance(value, int | float) or hasattr(value, "quantize") or hasattr(value, "isoformat"):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def _csv_cell(value):
    """Text a spreadsheet would run as a formula (=, +, -, @) opens as text (CSV injection)."""
    value = _cell(value)
    return "'" + value if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def download(tables: list[Table], *, name: str, file_format: str) -> HttpResponse:
    """One file: CSV holds the first table (and the others after a blank line), Excel a sheet each."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if file_format == "xlsx":
        book = Workbook()
        book.remove(book.active)
        for table in tables:
            sheet = book.create_sheet(re.sub(r"[\[\]:*?/\\]", " ", table.title)[:31])
            sheet.append(table.header)
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            for row in table.rows:
                sheet.append([_cell(value) for value in row])
                for cell in sheet[sheet.max_row]:
                    if cell.data_type == "f":  # text beginning with "=" stays text, never a formula
                        cell.data_type = "s"
            sheet.freeze_panes = "A2"
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(out.getvalue(), content_type=XLSX)
    else:
        out = io.StringIO()
        writer = csv.writer(out)
        for index, table in enumerate(tables):
            if index:
                writer.writerow([])
                writer.writerow([table.title])
            writer.writerow(table.header)
            writer.writerows([_csv_cell(value) for value in row] for row in table.rows)
        response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.{file_format}"'
    return response
