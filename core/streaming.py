"""Writers producing CSV, JSON and ZIP piece by piece, so an export of any size is sent while
it is read from the database instead of being built in memory first."""

import csv
import datetime
import json
import zipfile

from django.core.serializers.json import DjangoJSONEncoder

# Pieces smaller than this are joined before being sent: fewer, larger writes to the socket.
CHUNK_CHARS = 64 * 1024
# Rows read from the database at a time; prefetches run once per chunk.
DB_CHUNK_SIZE = 2000
CSV_DELIMITER = ";"
CSV_LIST_SEPARATOR = "; "
# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection"):
# such text gets a leading apostrophe, which spreadsheets show as plain text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def dumps(value):
    # ensure_ascii=False: Polish letters are written as themselves, the file is UTF-8.
    return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)


def joined(pieces, size=CHUNK_CHARS):
    buffer, length = [], 0
    for piece in pieces:
        buffer.append(piece)
        length += len(piece)
        if length >= size:
            yield "".join(buffer)
            buffer, length = [], 0
    if buffer:
        yield "".join(buffer)


def json_document(envelope, records, serialize):
    """A JSON object: the envelope's members, then "dane", the records one at a time, each
    as `serialize(record)` makes it."""
    head = dumps(envelope)
    yield f'{head[:-1]}, "dane": ['
    separator = "\n"
    for record in records:
        yield separator + dumps(serialize(record))
        separator = ",\n"
    yield "\n]}\n"


def csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "tak" if value else "nie"
    if isinstance(value, list | tuple):
        return CSV_LIST_SEPARATOR.join(csv_value(item) for item in value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return f"'{value}" if value.startswith(FORMULA_STARTS) else value
    return str(value)  # numbers: a negative number is a number, not a formula


class _Line:
    """csv.writer writes into this and gets the formatted line back."""

    def write(self, line):
        return line


def csv_document(columns, rows):
    """CSV with a byte order mark (so spreadsheets read it as UTF-8), a header row and one
    row per record. `columns` are (header, row -> value) pairs."""
    writer = csv.writer(_Line(), delimiter=CSV_DELIMITER)
    yield "\ufeff" + writer.writerow([header for header, _ in columns])
    for row in rows:
        yield writer.writerow([csv_value(value(row)) for _, value in columns])


class _Sink:
    """A write-only file for zipfile: what it wrote is taken and sent. Without tell() and
    seek(), zipfile writes each entry's sizes after its data, so nothing is rewritten."""

    def __init__(self):
        self.pieces = []

    def write(self, data):
        self.pieces.append(bytes(data))
        return len(data)

    def flush(self):
        pass

    def take(self):
        data = b"".join(self.pieces)
        self.pieces.clear()
        return data


def zip_document(entries, modified):
    """A ZIP archive of `entries`, (file name, iterable of str pieces) pairs, as bytes."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, pieces in entries:
            info = zipfile.ZipInfo(name, date_time=modified.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w") as entry:
                for piece in joined(pieces):
                    entry.write(piece.encode())
                    if data := sink.take():
                        yield data
    # What closing wrote: the last entry's end and the central directory.
    yield sink.take()
