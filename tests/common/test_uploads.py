"""Upload rules shared by every document upload: type by content, cleaning, storage, download.

The corpus is generated here: good files (a phone JPEG with GPS, a PNG, PDFs) must come out
clean, hostile ones (polyglots, scripts in PDFs, bombs, executables renamed) must be refused
with a message for people, and nothing may reach MEDIA_ROOT on the way. Every detection test
runs twice: with libmagic and with the magic-number fallback used when libmagic1 is missing.
"""

import hashlib
import io
import os
import re
import socket
import socketserver
import stat
import struct
import subprocess
import sys
import tempfile
import threading
import tracemalloc
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.db.models.fields.files import FieldFile, FileField
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path
from django.utils.translation import override
from PIL import ExifTags, Image, PngImagePlugin
from pypdf import PdfWriter
from pypdf.annotations import Link
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    StreamObject,
    TextStringObject,
)

from common import uploads
from common.api import exception_handler
from common.downloads import CONTENT_SECURITY_POLICY, private_file_response
from common.storage import (
    PrivateStorage,
    PrivateUploadTo,
    private_storage,
    private_upload_path,
    save_private_upload,
)
from common.uploads import (
    UploadRejected,
    UploadScanFailed,
    UploadTooLarge,
    clamd_scan,
    sanitize_filename,
    validate_upload,
)
from tests.conftest import require
from tests.security.figures import report

ROOT = Path(__file__).resolve().parents[2]
MiB = 1024 * 1024

WRONG_TYPE = "Only PDF, JPEG or PNG files are accepted; this file is {}."
# libmagic and the magic numbers name executables differently (x-dosexec, portable-executable…)
WRONG_TYPE_ANY = r"^Only PDF, JPEG or PNG files are accepted; this file is application/\S+\.$"
EMPTY = "The file is empty."
TOO_LARGE = "The file is larger than 10 MiB."
MARKUP = "The file contains web page code (HTML or script) and was refused."
PDF_ACTIVE = "The PDF contains scripts, actions or attached files; please print it to a new PDF or scan it."
PDF_ENCRYPTED = "The PDF is password-protected; please upload an unprotected copy."
PDF_UNREADABLE = "The PDF could not be read; it may be damaged."
IMAGE_UNREADABLE = "The image could not be read; it may be damaged or incomplete."
IMAGE_TOO_BIG = "The image is too large (more than 40 megapixels); please scan or photograph it at a lower resolution."
INFECTED = "The file was refused by the virus scanner."
SCAN_FAILED = "The file could not be checked for viruses; please try again later."
FAKE_SIGNATURE = b"FAKE-VIRUS-SIGNATURE-FOR-TESTS"  # not EICAR: no scanner on a laptop should flag this file


# --- The corpus ------------------------------------------------------------------------------


def phone_jpeg(*, size=(40, 20), orientation=6) -> bytes:
    """A JPEG as a phone writes it: EXIF with GPS position, camera make and an orientation."""
    image = Image.new("RGB", size, "red")
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "PhoneCo"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (32.0, 1.0, 0.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (120.0, 52.0, 0.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, comment=b"taken at home")
    return out.getvalue()


def png(*, size=(30, 30), mode="RGB", text=None) -> bytes:
    image = Image.new(mode, size, "blue" if mode == "RGB" else 128)
    info = PngImagePlugin.PngInfo()
    for key, value in (text or {}).items():
        info.add_text(key, value)
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def noise_png(nbytes: int) -> bytes:
    """Random pixels do not compress: a PNG of about nbytes."""
    side = int((nbytes / 3) ** 0.5) + 1
    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(out, format="PNG", compress_level=1)
    return out.getvalue()


def bomb_png(width: int, height: int) -> bytes:
    """A valid 1-bit PNG of width x height, all black: a few KiB that claim billions of pixels."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack("!I", len(body)) + kind + body + struct.pack("!I", zlib.crc32(kind + body))

    row = b"\x00" * (1 + (width + 7) // 8)
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack("!IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def pdf(*, change=None) -> bytes:
    """A one-page PDF written by pypdf; `change(writer)` adds the hostile part."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if change:
        change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _name(value):
    return NameObject(value)


def _set_open_action(action: dict):
    def change(writer):
        writer._root_object[_name("/OpenAction")] = DictionaryObject(action)

    return change


def _with_document_javascript(writer):
    action = writer._add_object(
        DictionaryObject({_name("/S"): _name("/JavaScript"), _name("/JS"): TextStringObject("app.alert(1)")})
    )
    names = DictionaryObject({_name("/Names"): ArrayObject([TextStringObject("x"), action])})
    writer._root_object[_name("/Names")] = DictionaryObject({_name("/JavaScript"): names})


def _with_attachment(writer):
    writer.add_attachment("invoice.exe", b"MZ\x90\x00not really a program")


def pdf_html_polyglot() -> bytes:
    """A PDF that is also a web page: viewers ignore bytes after %%EOF, a sniffing browser does not.

    (pypdf escapes < and > in strings, so metadata cannot carry the markup.)
    """
    return pdf() + b"%<html><body><script>alert(document.cookie)</script></body></html>\n"


def _with_link_and_goto(writer):
    """What benign invoices carry: a web link and "open at page 1, fit to window"."""
    writer.add_annotation(0, Link(rect=(10, 10, 100, 30), url="https://ybj.jiangsu.gov.cn/"))
    page = writer.pages[0].indirect_reference
    writer._root_object[_name("/OpenAction")] = ArrayObject([page, _name("/Fit")])


def _encrypted(writer):
    writer.encrypt("secret", algorithm="RC4-128")


def _with_big_stream(nbytes: int):
    def change(writer):
        stream = StreamObject()
        stream.set_data(os.urandom(nbytes))
        ref = writer._add_object(stream)
        writer.pages[0][_name("/Resources")] = DictionaryObject(
            {_name("/XObject"): DictionaryObject({_name("/Im0"): ref})}
        )

    return change


def pdf_with_object_stream(catalog_extra: bytes = b"") -> bytes:
    """A hand-written PDF 1.5 whose catalog sits compressed in an object stream.

    The raw bytes then show nothing of the catalog: only a parser that opens object streams
    can see an /OpenAction there.
    """
    objects = [
        b"<< /Type /Catalog /Pages 3 0 R " + catalog_extra + b" >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 200 200] >>",
    ]
    offsets, body = [], b""
    for obj in objects:
        offsets.append(len(body))
        body += obj + b"\n"
    header = b" ".join(b"%d %d" % (num, off) for num, off in zip((2, 3, 4), offsets, strict=True)) + b"\n"
    packed = zlib.compress(header + body)
    out = b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n"
    objstm_offset = len(out)
    out += (
        b"1 0 obj\n<< /Type /ObjStm /N 3 /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
        % (len(header), len(packed))
        + packed
        + b"\nendstream\nendobj\n"
    )
    xref_offset = len(out)
    rows = [(0, 0, 0xFFFF), (1, objstm_offset, 0), (2, 1, 0), (2, 1, 1), (2, 1, 2), (1, xref_offset, 0)]
    entries = b"".join(struct.pack("!BIH", *row) for row in rows)
    out += (
        b"5 0 obj\n<< /Type /XRef /Size 6 /W [1 4 2] /Root 2 0 R /Length %d >>\nstream\n" % len(entries)
        + entries
        + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_offset
    )
    return out


def elf_header() -> bytes:
    ident = b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8)
    return ident + struct.pack("<HHIQQQIHHHHHH", 2, 0x3E, 1, 0x401000, 64, 0, 0, 64, 56, 1, 64, 0, 0) + bytes(200)


def pe_header() -> bytes:
    dos = bytearray(b"MZ" + bytes(62))
    struct.pack_into("<I", dos, 0x3C, 64)
    return bytes(dos) + b"PE\x00\x00" + struct.pack("<HH", 0x8664, 1) + bytes(300)


SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'
)
HTML = b"<!DOCTYPE html>\n<html><body><script>fetch('/api/v1/')</script></body></html>"


# --- Fixtures and helpers ---------------------------------------------------------------------


@pytest.fixture(params=["libmagic", "signatures"])
def detector(request, monkeypatch):
    """Run a test with libmagic, then as on a machine without libmagic1."""
    if request.param == "libmagic":
        require(uploads.magic is not None, "libmagic1 is not installed (apt-get install libmagic1)")
    else:
        monkeypatch.setattr(uploads, "magic", None)
    return request.param


@pytest.fixture
def media_root(settings):
    return Path(settings.MEDIA_ROOT)


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")  # the client's type is ignored


def validate(name: str, data: bytes, **kwargs):
    with override("en"):
        return validate_upload(upload(name, data), **kwargs)


def rejection(name: str, data: bytes, **kwargs) -> UploadRejected:
    with override("en"), pytest.raises(UploadRejected) as caught:
        validate_upload(upload(name, data), **kwargs)
    return caught.value


def assert_nothing_stored(media_root: Path):
    assert not media_root.exists() or not any(media_root.rglob("*"))


# --- Accepted files -----------------------------------------------------------------------------


def test_validate_upload_copies_jpeg_without_metadata_but_with_its_orientation(detector, media_root):
    original = phone_jpeg()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the corpus has GPS

    clean = validate("IMG_0001.JPG", original)

    assert (clean.content_type, clean.extension) == ("image/jpeg", ".jpg")
    image = Image.open(io.BytesIO(clean.content))
    assert image.format == "JPEG"
    assert dict(image.getexif()) == {ExifTags.Base.Orientation: 6}  # viewers still show it upright
    assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert "comment" not in image.info
    assert b"PhoneCo" not in clean.content
    assert image.size == (40, 20)  # the pixels are the camera's, untouched
    assert image.tobytes() == Image.open(io.BytesIO(original)).tobytes()
    assert clean.size == len(clean.content)
    assert clean.sha256 == hashlib.sha256(clean.content).hexdigest()
    assert clean.original_name == "IMG_0001.JPG"
    assert_nothing_stored(media_root)


def jpeg(**options) -> bytes:
    gradient = Image.linear_gradient("L").resize((96, 64)).convert("RGB")
    out = io.BytesIO()
    gradient.save(out, format="JPEG", **options)
    return out.getvalue()


@pytest.mark.parametrize(
    "options",
    [
        pytest.param({"progressive": True}, id="progressive"),
        pytest.param({"restart_marker_blocks": 2}, id="restart-markers"),
        pytest.param({"subsampling": 0, "quality": 95}, id="no-subsampling"),
        pytest.param({"icc_profile": b"\x00" * 600, "xmp": b"<x:xmpmeta>GPS 32N 120E</x:xmpmeta>"}, id="icc-and-xmp"),
    ],
)
def test_validate_upload_keeps_every_kind_of_jpeg_pixel_for_pixel(detector, options):
    original = jpeg(**options)

    clean = validate("x.jpg", original)

    image = Image.open(io.BytesIO(clean.content))
    assert image.tobytes() == Image.open(io.BytesIO(original)).tobytes()
    assert "icc_profile" not in image.info
    assert b"xmpmeta" not in clean.content
    assert len(clean.content) <= len(original)


def _segments(data: bytes) -> list[tuple[int, bytes]]:
    """The JPEG's segments before its first scan: (marker, body)."""
    found, at = [], 2
    while data[at + 1] != 0xDA:
        marker, length = data[at + 1], struct.unpack(">H", data[at + 2 : at + 4])[0]
        found.append((marker, data[at + 4 : at + 2 + length]))
        at += 2 + length
    return found


def _with_segment(data: bytes, marker: int, body: bytes, *, after: int = 2) -> bytes:
    return data[:after] + bytes((0xFF, marker)) + struct.pack(">H", len(body) + 2) + body + data[after:]


def test_validate_upload_keeps_jfif_first_without_its_thumbnail_and_drops_other_segments(detector):
    original = phone_jpeg()
    jfif = next(body for marker, body in _segments(original) if marker == 0xE0)
    with_thumbnail = jfif[:12] + b"\x02\x01" + bytes(2 * 1 * 3)  # a 2 × 1 thumbnail
    data = original[:2] + original[2:].replace(b"\xff\xe0" + struct.pack(">H", len(jfif) + 2) + jfif, b"", 1)
    data = _with_segment(data, 0xE0, with_thumbnail)
    data = _with_segment(
        data, 0xE0, b"JFXX\x00\x10" + b"thumbnail of the uncropped page", after=2 + 4 + len(with_thumbnail)
    )
    data = _with_segment(data, 0xE9, b"maker notes payload", after=2 + 4 + len(with_thumbnail))

    clean = validate("x.jpg", data).content

    segments = _segments(clean)
    assert segments[0] == (0xE0, jfif[:12] + b"\x00\x00")  # JFIF right after the start, no thumbnail
    assert segments[1][0] == 0xE1  # then the orientation alone
    assert b"uncropped" not in clean
    assert b"maker notes" not in clean
    assert Image.open(io.BytesIO(clean)).getexif() == {ExifTags.Base.Orientation: 6}


def test_validate_upload_accepts_stray_bytes_between_segments_as_libjpeg_does(detector):
    original = jpeg()
    first = _segments(original)[0]
    stray = original[: 4 + len(first[1]) + 2] + b"\x00\x00" + original[4 + len(first[1]) + 2 :]

    clean = validate("scan.jpg", stray)

    assert Image.open(io.BytesIO(clean.content)).tobytes() == Image.open(io.BytesIO(original)).tobytes()


@pytest.mark.parametrize("chunk", [1, 2, 7, 61])
def test_validate_upload_copies_scans_the_same_whatever_the_chunk_size(detector, monkeypatch, chunk):
    """A 0xFF at the very end of a chunk is looked at again with the byte after it."""
    from common import uploads

    original = jpeg(progressive=True, restart_marker_blocks=1)
    expected = validate("x.jpg", original).content
    monkeypatch.setattr(uploads, "_CHUNK", chunk)
    assert validate("x.jpg", original).content == expected


@pytest.mark.parametrize("cut", [0.5, 0.9, 0.999])
def test_validate_upload_refuses_a_truncated_jpeg(detector, cut):
    original = jpeg(progressive=True)
    assert rejection("x.jpg", original[: int(len(original) * cut)]).message == IMAGE_UNREADABLE


def test_validate_upload_holds_at_most_twice_a_large_photo():
    side = 1800  # random pixels barely compress: a photo of several MiB
    photo = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(photo, format="JPEG", quality=95)
    uploaded = upload("IMG_0002.jpg", photo.getvalue())
    del photo

    tracemalloc.start()
    try:
        clean = validate_upload(uploaded)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert clean.content_type == "image/jpeg"
    assert peak < 2.2 * uploaded.size  # decoding it would have taken 9.7 MB of pixels more


def test_validate_upload_detects_png_by_content_whatever_the_name(detector):
    clean = validate("scan.pdf", png(text={"Author": "someone"}))

    assert (clean.content_type, clean.extension) == ("image/png", ".png")
    assert clean.original_name == "scan.pdf"
    assert clean.download_name == "scan.png"
    image = Image.open(io.BytesIO(clean.content))
    assert image.format == "PNG"
    assert "Author" not in image.info


@pytest.mark.parametrize("mode", ["RGBA", "L", "P", "1"])
def test_validate_upload_keeps_png_modes(detector, mode):
    clean = validate("x.png", png(mode=mode))

    assert Image.open(io.BytesIO(clean.content)).mode == mode


def test_validate_upload_drops_bytes_after_the_image_end(detector):
    """Motion photos append a video after the JPEG: re-encoding keeps only the picture."""
    trailer = b"\x00\x00\x00\x18ftypmp42" + os.urandom(2000)

    clean = validate("PXL_0001.MP.jpg", phone_jpeg() + trailer)

    assert trailer not in clean.content
    assert clean.content.endswith(b"\xff\xd9")


def test_validate_upload_accepts_pdf_unchanged(detector):
    data = pdf()

    clean = validate("发票.pdf", data)

    assert (clean.content_type, clean.extension) == ("application/pdf", ".pdf")
    assert clean.content == data
    assert clean.original_name == "发票.pdf"


def test_validate_upload_accepts_pdf_with_link_and_goto_open_action(detector):
    validate("invoice.pdf", pdf(change=_with_link_and_goto))


def test_validate_upload_accepts_pdf_with_object_streams(detector):
    clean = validate("compressed.pdf", pdf_with_object_stream())

    assert clean.content_type == "application/pdf"


def test_validate_upload_streams_large_upload_from_temporary_file(detector, settings):
    """Uploads over FILE_UPLOAD_MAX_MEMORY_SIZE arrive as temporary files."""
    data = noise_png(3 * MiB)
    assert len(data) > settings.FILE_UPLOAD_MAX_MEMORY_SIZE
    temporary = TemporaryUploadedFile("big.png", "image/png", len(data), None)
    temporary.write(data)
    temporary.seek(0)

    with override("en"):
        clean = validate_upload(temporary)

    assert clean.content_type == "image/png"
    temporary.close()


def test_validate_upload_holds_at_most_twice_a_10_mib_pdf():
    data = pdf(change=_with_big_stream(10 * MiB - 4096))
    assert 9.9 * MiB < len(data) <= 10 * MiB
    uploaded = upload("big.pdf", data)
    del data

    tracemalloc.start()
    try:
        validate_upload(uploaded)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert peak < 2.2 * uploaded.size


# --- Refused files --------------------------------------------------------------------------------

HOSTILE = [
    pytest.param("empty.pdf", lambda: b"", EMPTY, id="zero-bytes"),
    pytest.param("logo.svg", lambda: SVG, WRONG_TYPE.format("an SVG drawing (image/svg+xml)"), id="svg"),
    pytest.param("x.pdf", lambda: HTML, WRONG_TYPE.format("a web page (text/html)"), id="html-named-pdf"),
    pytest.param("photo.jpg", elf_header, WRONG_TYPE_ANY, id="elf"),
    pytest.param("scan.pdf", pe_header, WRONG_TYPE_ANY, id="pe-named-pdf"),
    pytest.param("anim.gif", lambda: b"GIF89a" + bytes(100), WRONG_TYPE.format("a GIF image (image/gif)"), id="gif"),
    pytest.param("x.png", lambda: png() + b"<html><script>alert(1)</script></html>", MARKUP, id="png-html-polyglot"),
    pytest.param("x.jpg", lambda: phone_jpeg() + b"<script>alert(1)</script>", MARKUP, id="jpeg-trailing-script"),
    pytest.param("x.png", lambda: png(text={"Comment": "<script>alert(1)</script>"}), MARKUP, id="png-script-chunk"),
    pytest.param("x.pdf", pdf_html_polyglot, MARKUP, id="pdf-html-polyglot"),
    pytest.param("x.pdf", lambda: pdf(change=_with_document_javascript), PDF_ACTIVE, id="pdf-javascript"),
    pytest.param(
        "x.pdf",
        lambda: pdf(change=_set_open_action({_name("/S"): _name("/JavaScript"), _name("/JS"): TextStringObject("1")})),
        PDF_ACTIVE,
        id="pdf-open-action-js",
    ),
    pytest.param(
        "x.pdf",
        lambda: pdf(change=_set_open_action({_name("/S"): _name("/Launch"), _name("/F"): TextStringObject("cmd")})),
        PDF_ACTIVE,
        id="pdf-launch",
    ),
    pytest.param("x.pdf", lambda: pdf(change=_with_attachment), PDF_ACTIVE, id="pdf-embedded-file"),
    pytest.param(
        "x.pdf",
        lambda: pdf().replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /J#61vaScript /J#53 (1) >>"),
        PDF_ACTIVE,
        id="pdf-hex-escaped-names",
    ),
    pytest.param(
        "x.pdf",
        lambda: pdf_with_object_stream(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"),
        PDF_ACTIVE,
        id="pdf-script-in-object-stream",
    ),
    pytest.param("x.pdf", lambda: pdf(change=_encrypted), PDF_ENCRYPTED, id="pdf-encrypted"),
    pytest.param("x.pdf", lambda: b"%PDF-1.7\n%garbage, no objects, no trailer\n", PDF_UNREADABLE, id="pdf-broken"),
    pytest.param(
        "x.pdf",
        lambda: (
            b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] "
            b"/Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
        ),
        PDF_UNREADABLE,
        id="pdf-no-pages",
    ),
    pytest.param("x.jpg", lambda: phone_jpeg()[:300], IMAGE_UNREADABLE, id="jpeg-truncated"),
    pytest.param("bomb.png", lambda: bomb_png(20_000, 20_000), IMAGE_TOO_BIG, id="png-bomb-400-megapixels"),
    pytest.param("big.png", lambda: bomb_png(8_000, 6_300), IMAGE_TOO_BIG, id="png-50-megapixels"),
]


@pytest.mark.parametrize(("name", "make", "message"), HOSTILE)
def test_validate_upload_refuses_hostile_file(detector, media_root, name, make, message):
    refused = rejection(name, make())

    assert type(refused) is UploadRejected
    assert refused.status_code == 400
    if message.startswith("^"):
        assert re.match(message, str(refused.message))
    else:
        assert refused.message == message
    assert refused.errors == {"file": [refused.message]}
    assert_nothing_stored(media_root)
    REFUSED_HOSTILE.add(f"{name}:{detector}")
    report("hostile uploads", f"{len(REFUSED_HOSTILE)} refused with nothing stored, 0 accepted")


REFUSED_HOSTILE: set[str] = set()


def test_pdf_object_walk_finds_script_hidden_in_object_stream():
    """The raw bytes show nothing (the catalog is compressed): pypdf's object walk must."""
    data = pdf_with_object_stream(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>")

    assert not uploads._pdf_raw_active_content(data)
    assert rejection("x.pdf", data).message == PDF_ACTIVE


def test_pdf_raw_scan_finds_object_outside_the_xref():
    """A viewer rebuilding a damaged xref may use an object pypdf never indexes."""
    data = pdf() + b"\n99 0 obj\n<< /Type /Action /S /Launch /F (cmd.exe) >>\nendobj\n"

    assert uploads._pdf_raw_active_content(data)
    assert rejection("x.pdf", data).message == PDF_ACTIVE


def test_pdf_raw_scan_ignores_names_inside_stream_data():
    data = pdf(change=_with_big_stream(0)).replace(b"stream\n\nendstream", b"stream\n/JS /Launch\nendstream")

    assert not uploads._pdf_raw_active_content(data)


def test_validate_upload_refuses_pdf_header_after_junk(detector):
    refused = rejection("x.pdf", b"\r\n" + pdf())

    # libmagic still sees a PDF (then damaged); magic numbers alone see no known type.
    assert refused.message in (PDF_UNREADABLE, WRONG_TYPE.format("application/octet-stream"))


def test_validate_upload_refuses_11_mib_with_413(detector, media_root):
    refused = rejection("big.pdf", b"%PDF-1.4\n" + bytes(11 * MiB))

    assert isinstance(refused, UploadTooLarge)
    assert refused.status_code == 413
    assert refused.message == TOO_LARGE
    assert_nothing_stored(media_root)


def test_validate_upload_reads_no_more_than_the_limit_when_size_lies():
    class Lying(io.BytesIO):
        size = 10  # what a forged file object might claim
        reads = []

        def read(self, n=-1):
            self.reads.append(n)
            return super().read(n)

    with override("en"), pytest.raises(UploadTooLarge):
        validate_upload(Lying(b"%PDF-" + bytes(2 * MiB)), max_bytes=MiB)

    assert Lying.reads == [MiB + 1]


def test_validate_upload_respects_the_pixel_setting(settings):
    settings.UPLOAD_MAX_IMAGE_PIXELS = 1_000_000

    refused = rejection("x.png", png(size=(1001, 1000)))

    assert refused.message.startswith("The image is too large (more than 1 megapixels)")
    validate("x.png", png(size=(1000, 1000)))


def test_upload_rejected_becomes_api_error_shape():
    with override("en"):
        response = exception_handler(UploadTooLarge(TOO_LARGE), {})

    assert response.status_code == 413
    assert response.data == {"detail": TOO_LARGE, "errors": {"file": [TOO_LARGE]}}


def test_validate_upload_message_follows_language():
    with override("zh-hans"), pytest.raises(UploadRejected) as caught:
        validate_upload(upload("x.pdf", b""))

    assert caught.value.errors == {"file": [caught.value.message]}


def test_uploads_fall_back_to_magic_numbers_without_libmagic():
    """`make run` must work on a machine without libmagic1: a warning, then magic numbers."""
    code = (
        "import sys, io; sys.modules['magic'] = None\n"
        "import django; django.setup()\n"
        "from common.uploads import validate_upload, magic\n"
        "from PIL import Image\n"
        "buf = io.BytesIO(); Image.new('RGB', (5, 5)).save(buf, 'PNG'); buf.seek(0)\n"
        "print(magic, validate_upload(buf).content_type)\n"
    )
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    env.update(DEBUG="true", DJANGO_SETTINGS_MODULE="config.settings", PYTHONPATH=str(ROOT))
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "None image/png"
    assert "libmagic is not installed" in result.stderr


# --- Names ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\张三\\Desktop\\..\\发票.pdf", "发票.pdf"),
        ("invoice\r\nContent-Type: text/html.pdf", "html.pdf"),
        ("report\r\n.pdf", "report.pdf"),
        ("bad\x00name\x1b[31m.png", "badname[31m.png"),
        ("\u202egpj.exe", "gpj.exe"),  # a right-to-left override would show "exe.jpg"
        ("  ..hidden. ", "hidden"),
        ("..", ""),
        ("", ""),
        ("a" * 300 + ".pdf", "a" * 96 + ".pdf"),
        ("扫描件" * 50 + ".jpeg", "扫描件" * 31 + "扫描.jpeg"),
    ],
)
def test_sanitize_filename(raw, clean):
    assert sanitize_filename(raw) == clean


def test_validate_upload_sanitizes_the_client_name():
    class Named(io.BytesIO):
        name = "../../../var/www/报销单\r\n\u202e.png"

    with override("en"):
        clean = validate_upload(Named(png()))

    assert clean.original_name == "报销单.png"
    assert "/" not in clean.original_name


# --- Virus scan -------------------------------------------------------------------------------------


class _FakeClamd(socketserver.BaseRequestHandler):
    """Speaks clamd's zINSTREAM: length-prefixed chunks, then an answer ending in NUL."""

    def _exactly(self, n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = self.request.recv(n - len(data))
            if not chunk:
                raise ConnectionError("client went away")
            data += chunk
        return data

    def handle(self):
        command = b""
        while not command.endswith(b"\0"):
            command += self._exactly(1)
        self.server.commands.append(command)
        received = b""
        while size := struct.unpack("!L", self._exactly(4))[0]:
            self.server.chunk_sizes.append(size)
            received += self._exactly(size)
        self.server.received.append(received)
        mode = self.server.mode
        if mode == "silent":
            return
        if mode == "error":
            self.request.sendall(b"INSTREAM size limit exceeded. ERROR\0")
        elif FAKE_SIGNATURE in received:
            self.request.sendall(b"stream: Fake.Test-Signature FOUND\0")
        else:
            self.request.sendall(b"stream: OK\0")


def _serve(server):
    server.mode, server.commands, server.received, server.chunk_sizes = "answer", [], [], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


@pytest.fixture
def clamd_tcp(settings):
    server = _serve(socketserver.ThreadingTCPServer(("127.0.0.1", 0), _FakeClamd))
    settings.UPLOAD_VIRUS_SCANNER = "common.uploads.clamd_scan"
    settings.CLAMD_SOCKET = ""
    settings.CLAMD_HOST, settings.CLAMD_PORT = server.server_address
    settings.CLAMD_TIMEOUT = 5
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def clamd_unix(settings):
    folder = tempfile.mkdtemp(prefix="clamd-")  # short: unix socket paths are limited to ~100 bytes
    socket_path = os.path.join(folder, "clamd.sock")
    server = _serve(socketserver.ThreadingUnixStreamServer(socket_path, _FakeClamd))
    settings.UPLOAD_VIRUS_SCANNER = "common.uploads.clamd_scan"
    settings.CLAMD_SOCKET = socket_path
    settings.CLAMD_TIMEOUT = 5
    yield server
    server.shutdown()
    server.server_close()
    os.unlink(socket_path)
    os.rmdir(folder)


def test_clamd_scan_clean_file_over_tcp_in_chunks(clamd_tcp):
    data = noise_png(200 * 1024)

    clean = validate("x.png", data)

    assert clean.content_type == "image/png"
    assert clamd_tcp.commands == [b"zINSTREAM\0"]
    assert clamd_tcp.received == [data]  # the bytes as uploaded, before re-encoding
    assert max(clamd_tcp.chunk_sizes) <= 64 * 1024
    assert len(clamd_tcp.chunk_sizes) > 1


def test_clamd_scan_over_unix_socket(clamd_unix):
    data = pdf()

    validate("x.pdf", data)

    assert clamd_unix.received == [data]


def test_clamd_scan_infected_is_refused(clamd_tcp, media_root):
    refused = rejection("x.png", png() + FAKE_SIGNATURE)

    assert type(refused) is UploadRejected
    assert refused.message == INFECTED
    assert_nothing_stored(media_root)


@pytest.mark.parametrize("mode", ["error", "silent"])
def test_clamd_scan_error_fails_closed(clamd_tcp, media_root, mode):
    clamd_tcp.mode = mode

    refused = rejection("x.png", png())

    assert isinstance(refused, UploadScanFailed)
    assert refused.status_code == 503
    assert refused.message == SCAN_FAILED
    assert_nothing_stored(media_root)


def test_clamd_scan_unreachable_fails_closed(settings):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.UPLOAD_VIRUS_SCANNER = "common.uploads.clamd_scan"
    settings.CLAMD_SOCKET, settings.CLAMD_HOST, settings.CLAMD_PORT = "", "127.0.0.1", port

    refused = rejection("x.png", png())

    assert isinstance(refused, UploadScanFailed)


def test_clamd_scan_answers_directly(clamd_tcp):
    assert clamd_scan(b"hello") == "clean"
    assert clamd_scan(b"x" + FAKE_SIGNATURE) == "infected"


def broken_scanner(data):
    raise RuntimeError("scanner crashed")


def undecided_scanner(data):
    return None


def infected_scanner(data):
    return "infected"


@pytest.mark.parametrize(
    ("scanner", "failure"),
    [
        (f"{__name__}.broken_scanner", UploadScanFailed),
        (f"{__name__}.undecided_scanner", UploadScanFailed),
        (f"{__name__}.infected_scanner", UploadRejected),
        ("common.uploads.no_such_scanner", UploadScanFailed),
    ],
)
def test_virus_scanner_hook_fails_closed(settings, media_root, scanner, failure):
    settings.UPLOAD_VIRUS_SCANNER = scanner

    refused = rejection("x.pdf", pdf())

    assert type(refused) is failure
    assert_nothing_stored(media_root)


def test_virus_scanner_off_by_default(settings):
    assert settings.UPLOAD_VIRUS_SCANNER is None
    validate("x.pdf", pdf())


# --- Storage -----------------------------------------------------------------------------------------


def test_private_upload_path_is_generated_in_local_month():
    # 17:30 UTC on 31 January is already 1 February in Asia/Shanghai.
    with time_machine.travel(datetime(2026, 1, 31, 17, 30, tzinfo=UTC), tick=False):
        name = private_upload_path("claims/documents", ".pdf")

    assert re.fullmatch(r"claims/documents/2026/02/[0-9a-f]{32}\.pdf", name)
    assert private_upload_path("claims/documents", ".pdf") != private_upload_path("claims/documents", ".pdf")


@pytest.mark.parametrize(
    ("prefix", "extension"), [("../etc", ".pdf"), ("/abs", ".pdf"), ("Claims", ".pdf"), ("c", ".html")]
)
def test_private_upload_path_refuses_bad_parts(prefix, extension):
    with pytest.raises(ValueError, match="Invalid upload"):
        private_upload_path(prefix, extension)


def test_save_private_upload_writes_under_media_root_private_with_tight_modes(media_root):
    clean = validate("../../x.png", png())

    name = save_private_upload(clean, prefix="registrations")

    assert re.fullmatch(r"registrations/\d{4}/\d{2}/[0-9a-f]{32}\.png", name)
    stored = media_root / "private" / name
    assert stored.read_bytes() == clean.content
    assert stat.S_IMODE(stored.stat().st_mode) == 0o640
    for folder in (
        stored.parent,
        stored.parent.parent,
        media_root / "private" / "registrations",
        media_root / "private",
    ):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o750


def test_private_storage_has_no_url():
    with pytest.raises(NotImplementedError, match="no URL"):
        private_storage.url("registrations/2026/01/abc.pdf")
    field_file = FieldFile(None, FileField(storage=private_storage), "registrations/2026/01/abc.pdf")
    with pytest.raises(NotImplementedError):
        _ = field_file.url


def test_private_storage_follows_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "elsewhere"

    assert Path(PrivateStorage().location) == tmp_path / "elsewhere" / "private"
    assert Path(private_storage.location) == tmp_path / "elsewhere" / "private"


def test_private_upload_to_keeps_only_the_extension():
    upload_to = PrivateUploadTo("claims")

    name = upload_to(None, "../../evil.PNG")

    assert re.fullmatch(r"claims/\d{4}/\d{2}/[0-9a-f]{32}\.png", name)
    assert upload_to.deconstruct() == ("common.storage.PrivateUploadTo", ("claims",), {})
    assert upload_to == PrivateUploadTo("claims")
    with pytest.raises(ValueError, match="Invalid upload extension"):
        upload_to(None, "page.html")


# --- Downloads ---------------------------------------------------------------------------------------


def _stored(data: bytes, extension: str) -> FieldFile:
    name = private_storage.save(private_upload_path("tests", extension), io.BytesIO(data))
    return FieldFile(None, FileField(storage=private_storage), name)


def _body(response) -> bytes:
    body = b"".join(response.streaming_content)
    # Not response.close(): its request_finished signal touches the database. Through the test
    # client the response is already wrapped, and closed once its content is consumed.
    if response.file_to_stream is not None:
        response.file_to_stream.close()
    return body


def test_private_file_response_inline_pdf_headers():
    data = pdf()

    response = private_file_response(
        _stored(data, ".pdf"), download_name="invoice.pdf", content_type="application/pdf", inline=True
    )

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="invoice.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Security-Policy"] == (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox; frame-ancestors 'self'"
    )
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response["Content-Length"] == str(len(data))
    assert _body(response) == data


def test_private_file_response_chinese_name_as_attachment():
    response = private_file_response(
        _stored(png(), ".png"), download_name="报销 单据(1).png", content_type="image/png", inline=False
    )

    assert response["Content-Disposition"] == (
        "attachment; filename=\"(1).png\"; filename*=UTF-8''%E6%8A%A5%E9%94%80%20%E5%8D%95%E6%8D%AE%281%29.png"
    )
    assert response["Content-Security-Policy"] == f"{CONTENT_SECURITY_POLICY}; frame-ancestors 'none'"
    assert response["X-Frame-Options"] == "DENY"
    _body(response)


def test_private_file_response_chinese_only_name_gets_ascii_fallback():
    response = private_file_response(
        _stored(pdf(), ".pdf"), download_name="发票.pdf", content_type="application/pdf", inline=True
    )

    assert (
        response["Content-Disposition"] == "inline; filename=\"download.pdf\"; filename*=UTF-8''%E5%8F%91%E7%A5%A8.pdf"
    )
    _body(response)


def test_private_file_response_never_inlines_other_types():
    response = private_file_response(
        _stored(pdf(), ".pdf"), download_name="page.html", content_type="text/html", inline=True
    )

    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Security-Policy"].startswith(CONTENT_SECURITY_POLICY)
    _body(response)


def test_private_file_response_strips_header_injection_from_name():
    response = private_file_response(
        _stored(pdf(), ".pdf"),
        download_name='x"\r\nSet-Cookie: a=b;.pdf',
        content_type="application/pdf",
        inline=False,
    )

    disposition = response["Content-Disposition"]
    assert "\r" not in disposition
    assert "\n" not in disposition
    assert disposition == (
        "attachment; filename=\"x_Set-Cookie_ a_b.pdf\"; filename*=UTF-8''x%22Set-Cookie%3A%20a%3Db%3B.pdf"
    )
    _body(response)


def _download_view(request):
    field_file = FieldFile(None, FileField(storage=private_storage), request.GET["name"])
    return private_file_response(
        field_file, download_name="scan.png", content_type="image/png", inline=request.GET.get("inline") == "1"
    )


def _echo_view(request):
    return HttpResponse("ok")


urlpatterns = [path("download/", _download_view), path("api/v1/echo/", _echo_view), path("page/", _echo_view)]


@pytest.mark.urls(__name__)
def test_private_file_response_headers_survive_the_middleware(client):
    name = private_storage.save(private_upload_path("tests", ".png"), io.BytesIO(png()))

    inline = client.get("/download/", {"name": name, "inline": "1"})
    attachment = client.get("/download/", {"name": name})

    assert inline.status_code == 200
    assert inline["X-Frame-Options"] == "SAMEORIGIN"
    assert inline["Content-Security-Policy"].endswith("frame-ancestors 'self'")
    assert inline["Content-Disposition"] == 'inline; filename="scan.png"'
    assert attachment["X-Frame-Options"] == "DENY"
    assert attachment["Cache-Control"] == "private, no-store"
    for response in (inline, attachment):
        _body(response)


# --- Request size -------------------------------------------------------------------------------------


@pytest.mark.urls(__name__)
def test_oversized_api_request_gets_413_json(client):
    response = client.generic(
        "POST",
        "/api/v1/echo/",
        b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(11 * MiB + 1),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "The request is larger than 11 MiB.", "errors": {}}


@pytest.mark.urls(__name__)
def test_oversized_page_request_gets_413_text(client):
    response = client.generic("POST", "/page/", b"", CONTENT_LENGTH=str(50 * MiB), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 413
    assert response.content.decode() == "The request is larger than 11 MiB."


@pytest.mark.urls(__name__)
@override_settings(UPLOAD_MAX_REQUEST_BYTES=1000)
def test_request_within_the_limit_passes(client):
    assert client.post("/api/v1/echo/", {"a": "b" * 10}).status_code == 200
    assert client.generic("POST", "/api/v1/echo/", b"x", CONTENT_LENGTH="not-a-number").status_code == 200
