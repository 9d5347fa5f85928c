"""A spreadsheet's rows come out as the sheet shows them, whatever the columns mean (the
postulate import's own tests, tests/postulates/test_importing.py, try the limits)."""

import datetime
import io

import pytest
from openpyxl import Workbook

from files.spreadsheets import UnreadableFile, open_spreadsheet


def read(data):
    with open_spreadsheet(data) as spreadsheet:
        return spreadsheet.file_format, spreadsheet.description, list(spreadsheet.rows)


def test_csv_rows_keep_their_numbers_and_skip_blank_ones():
    data = "Nazwa;Kwota\r\n\r\nŻółw;12\r\n;\r\nKoń;7\r\n".encode("cp1250")

    assert read(data) == (
        "csv",
        "CSV, kodowanie Windows-1250, separator średnik",
        [(1, ["Nazwa", "Kwota"]), (3, ["Żółw", "12"]), (5, ["Koń", "7"])],
    )


def test_xlsx_cells_keep_their_types():
    workbook = Workbook()
    workbook.active.append(["Data", "Liczba"])
    workbook.active.append([datetime.date(2025, 3, 5), 3])
    buffer = io.BytesIO()
    workbook.save(buffer)

    file_format, _, [header, (row_number, cells)] = read(buffer.getvalue())

    assert file_format == "xlsx"
    assert header[1][:2] == ("Data", "Liczba")
    assert row_number == 2
    assert (cells[0].date(), cells[1]) == (datetime.date(2025, 3, 5), 3)


def test_an_unreadable_file_raises_with_a_message_for_the_editor():
    with pytest.raises(UnreadableFile, match="To plik PDF, a nie arkusz"):
        read(b"%PDF-1.7\n")
