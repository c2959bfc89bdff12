"""The upload rules every document upload of the portal shares (registrations and claims).

`validate_upload()` decides by content, never by the client's name or content type:

1. size: empty files and files over `UPLOAD_MAX_BYTES` are refused before anything parses
   them (at most `max_bytes + 1` bytes are ever read, whatever the upload claims);
2. type: libmagic (python-magic) and a strict magic-number check must both say PDF, JPEG or
   PNG. Without libmagic the magic numbers alone decide, with a warning in the log;
3. no HTML or script anywhere in the raw bytes, so a PDF/HTML or PNG/HTML polyglot can never
   be rendered as a web page;
4. the optional virus scanner (`UPLOAD_VIRUS_SCANNER`) sees the bytes as uploaded and fails
   closed: an error, a timeout or an unexpected answer refuses the file;
5. images must be within a pixel cap and decode completely with Pillow. A JPEG is then copied
   segment by segment, keeping only what draws the picture (tables, frame, scans, JFIF/Adobe
   colour headers) plus a new EXIF block holding the orientation alone: GPS, camera data,
   XMP, ICC profiles, comments and anything appended after the image are dropped, and the
   pixels are never held (a 12-megapixel photo would take 36 MB). A PNG is decoded and
   re-encoded, which drops its text chunks and ICC profile. PDFs must open in pypdf, be
   unencrypted, have pages, and carry no JavaScript, launch/remote actions, embedded files,
   XFA or rich media.

Nothing is written anywhere: the caller stores `CleanUpload.content` with
`common.storage.save_private_upload()` (a generated name under MEDIA_ROOT/private).
Memory: at most two copies of the file (the raw bytes, then the cleaned ones), plus for a PNG the
decoded pixels, bounded by `UPLOAD_MAX_IMAGE_PIXELS`.
"""

import contextlib
import hashlib
import io
import json
import logging
import os
import re
import socket
import struct
import unicodedata
import warnings
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import ExifTags, Image, ImageOps
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from common.errors import ServiceError

logger = logging.getLogger(__name__)

try:
    import magic
except ImportError:  # python-magic raises ImportError when libmagic1 itself is missing
    magic = None
    logger.warning(
        "libmagic is not installed (apt-get install libmagic1): uploads are checked by their magic numbers only."
    )

MiB = 1024 * 1024

# The only types a document upload may be, with the extension the stored file gets.
ACCEPTED_TYPES = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}
_PILLOW_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}
# libmagic's names for variants of the accepted types.
_MIME_ALIASES = {"image/apng": "image/png", "image/pjpeg": "image/jpeg"}

_SIGNATURES = [
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
]
# Only to name a refused file when libmagic is missing; never to accept one.
_REFUSED_SIGNATURES = [
    (b"\x7fELF", "application/x-executable"),
    (b"MZ", "application/x-dosexec"),
    (b"GIF8", "image/gif"),
    (b"PK\x03\x04", "application/zip"),
]

# HTML a browser would run if it ever rendered the bytes as a page. Kept to tokens of six or
# more bytes so that compressed image or PDF data practically never matches by chance.
_MARKUP = re.compile(rb"<(?:script|iframe|html[\s>]|!doctype\s+html|svg[\s>][^<>]{0,200}xmlns)", re.IGNORECASE)

# PDF names that run code, open other files or carry files. /JS and /AA are too short to look
# for in compressed stream data: the object walk catches them instead.
_PDF_ACTIVE_NAMES = re.compile(
    rb"/(?:JS|JavaScript|Launch|EmbeddedFiles?|RichMedia|XFA|GoToE|GoToR|ImportData|SubmitForm)(?![A-Za-z0-9])"
)
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_ACTIVE_KEYS = {"/JS", "/JavaScript", "/EmbeddedFiles", "/EF", "/RichMedia", "/XFA"}
_PDF_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/GoToE", "/GoToR", "/ImportData", "/SubmitForm", "/RichMediaExecute"}
_PDF_ACTIVE_SUBTYPES = {"/FileAttachment", "/RichMedia"}
# A scanned or printed document has hundreds of objects, a long report tens of thousands.
_PDF_MAX_OBJECTS = 100_000

_NAME_MAX_LENGTH = 100

# Pillow checks this process-wide cap in Image.open(), before decoding any pixel.
Image.MAX_IMAGE_PIXELS = settings.UPLOAD_MAX_IMAGE_PIXELS


class UploadRejected(ServiceError):
    """The file is not accepted; `message` tells the person why (also under errors["file"])."""

    status_code = 400

    def __init__(self, message, *, field="file"):
        super().__init__(message, {field: [message]})


class UploadTooLarge(UploadRejected):
    status_code = 413


class UploadScanFailed(UploadRejected):
    """The virus scanner could not give an answer: the file is refused, and may be sent again."""

    status_code = 503


class ScanResult(StrEnum):
    CLEAN = "clean"
    INFECTED = "infected"


class ClamdError(Exception):
    """clamd answered with an error, or not at all."""


@dataclass(frozen=True)
class CleanUpload:
    """An accepted upload, ready to store: `content` is what gets written, never the raw upload."""

    content: bytes
    content_type: str
    extension: str
    size: int
    sha256: str
    original_name: str  # sanitised, for display only: the stored name is generated

    @property
    def download_name(self) -> str:
        """The person's name for the file with the extension of what it really is."""
        stem = os.path.splitext(self.original_name)[0] or "document"
        return f"{stem}{self.extension}"

    def as_content_file(self) -> ContentFile:
        return ContentFile(self.content, name=f"upload{self.extension}")


def validate_upload(uploaded_file, *, max_bytes: int | None = None, field: str = "file") -> CleanUpload:
    """Check an uploaded file (Django UploadedFile or any binary file object) and clean it.

    Raises UploadRejected (400), UploadTooLarge (413) or UploadScanFailed (503); the message
    is in the active language. Nothing is written to disk.
    """
    if max_bytes is None:
        max_bytes = settings.UPLOAD_MAX_BYTES
    original_name = sanitize_filename(getattr(uploaded_file, "name", "") or "")

    claimed_size = getattr(uploaded_file, "size", None)
    if claimed_size is not None and claimed_size > max_bytes:
        raise UploadTooLarge(_too_large_message(max_bytes), field=field)
    # One read, capped: a file object that lies about its size still cannot make us hold more.
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    data = uploaded_file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UploadTooLarge(_too_large_message(max_bytes), field=field)
    if not data:
        raise UploadRejected(_("The file is empty."), field=field)

    content_type = _detect_type(data, field=field)
    if _MARKUP.search(data):
        raise UploadRejected(_("The file contains web page code (HTML or script) and was refused."), field=field)
    _virus_scan(data, field=field)

    if content_type == "application/pdf":
        _check_pdf_raw(data, field=field)
        if hasattr(uploaded_file, "seek"):
            # pypdf holds the data of every object it walks: walk the file itself (on disk above
            # 2.5 MiB) with our copy released, then read it again, so at most one copy is in memory.
            del data
            uploaded_file.seek(0)
            _check_pdf_objects(uploaded_file, field=field)
            uploaded_file.seek(0)
            data = uploaded_file.read(max_bytes + 1)
        else:
            _check_pdf_objects(io.BytesIO(data), field=field)
        content = data
    elif content_type == "image/jpeg":
        # Photos are copied without their metadata, not decoded to pixels (36 MB for 12
        # megapixels): read again from the file itself, with our copy released.
        source = uploaded_file if hasattr(uploaded_file, "seek") else io.BytesIO(data)
        del data
        content = _clean_jpeg(source, field=field)
    else:
        content = _reencode_image(data, content_type, field=field)
    data = None  # the raw bytes are no longer needed: keep peak memory near 2x the file

    return CleanUpload(
        content=content,
        content_type=content_type,
        extension=ACCEPTED_TYPES[content_type],
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        original_name=original_name,
    )


def sanitize_filename(name: str, *, max_length: int = _NAME_MAX_LENGTH) -> str:
    """A client's file name made safe to show and to put in a header; never a storage path."""
    name = unicodedata.normalize("NFC", str(name))
    name = re.split(r"[/\\]", name)[-1]  # both separators: Windows browsers send C:\...\x.pdf
    # Control and format characters (CR/LF, NUL, bidi overrides that disguise "exe.pdf").
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Zl", "Zp"))
    name = re.sub(r"\s+", " ", name).strip(" .")
    if len(name) > max_length:
        stem, ext = os.path.splitext(name)
        ext = ext if len(ext) <= 10 else ""
        name = stem[: max_length - len(ext)].rstrip(" .") + ext
    return name


def _too_large_message(max_bytes: int) -> str:
    return _("The file is larger than %(limit)s MiB.") % {"limit": f"{max_bytes / MiB:g}"}


def _signature_type(data: bytes) -> str | None:
    return next((mime for prefix, mime in _SIGNATURES if data.startswith(prefix)), None)


def _detect_type(data: bytes, *, field: str) -> str:
    signature = _signature_type(data)
    if magic is None:
        if signature is None:
            label = next((m for prefix, m in _REFUSED_SIGNATURES if data.startswith(prefix)), None)
            raise UploadRejected(_wrong_type_message(label or _text_label(data)), field=field)
        return signature

    detected = magic.from_buffer(data[: 1 * MiB], mime=True)
    detected = _MIME_ALIASES.get(detected, detected)
    if detected not in ACCEPTED_TYPES:
        raise UploadRejected(_wrong_type_message(detected), field=field)
    if signature != detected:
        # libmagic is looser than the formats themselves (e.g. a PDF header after a few
        # bytes of junk): such a file is treated as damaged.
        raise UploadRejected(_unreadable_message(detected), field=field)
    return detected


def _text_label(data: bytes) -> str:
    head = data[:1024].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return "text/html"
    if b"<svg" in head:
        return "image/svg+xml"
    return "application/octet-stream"


# What people upload by mistake, named as they know it (the bare type is kept for the office).
KNOWN_TYPES = {
    "text/plain": gettext_lazy("a text file"),
    "text/html": gettext_lazy("a web page"),
    "image/svg+xml": gettext_lazy("an SVG drawing"),
    "image/gif": gettext_lazy("a GIF image"),
    "image/webp": gettext_lazy("a WebP image"),
    "image/heic": gettext_lazy("an HEIC photo (set the iPhone camera to “Most compatible”)"),
    "image/heif": gettext_lazy("an HEIC photo (set the iPhone camera to “Most compatible”)"),
    "image/tiff": gettext_lazy("a TIFF image"),
    "application/zip": gettext_lazy("a ZIP archive or an Office document"),
    "application/msword": gettext_lazy("a Word document"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": gettext_lazy("a Word document"),
}


def _wrong_type_message(label: str) -> str:
    if label in KNOWN_TYPES:
        return _("Only PDF, JPEG or PNG files are accepted; this file is %(kind)s (%(type)s).") % {
            "kind": KNOWN_TYPES[label],
            "type": label,
        }
    return _("Only PDF, JPEG or PNG files are accepted; this file is %(type)s.") % {"type": label}


def _unreadable_message(content_type: str) -> str:
    if content_type == "application/pdf":
        return _("The PDF could not be read; it may be damaged.")
    return _("The image could not be read; it may be damaged or incomplete.")


# --- Images -------------------------------------------------------------------------------


def _reencode_image(data: bytes, content_type: str, *, field: str) -> bytes:
    """Decode under the pixel cap and write a fresh image: only the pixels survive."""
    with (
        _image_errors(content_type, field=field),
        Image.open(io.BytesIO(data), formats=[_PILLOW_FORMATS[content_type]]) as image,
    ):
        _check_pixels(image, field=field)
        image.load()
        ImageOps.exif_transpose(image, in_place=True)
        return _encode(image, content_type)


def _too_big_message() -> str:
    return _(
        "The image is too large (more than %(megapixels)s megapixels); please scan or photograph it "
        "at a lower resolution."
    ) % {"megapixels": settings.UPLOAD_MAX_IMAGE_PIXELS // 1_000_000}


def _check_pixels(image: Image.Image, *, field: str) -> None:
    # Pillow's own check reads the global cap; this one reads the setting.
    if image.width * image.height > settings.UPLOAD_MAX_IMAGE_PIXELS:
        raise UploadRejected(_too_big_message(), field=field)


@contextlib.contextmanager
def _image_errors(content_type: str, *, field: str):
    """Whatever goes wrong in reading an image becomes the person's reason for the refusal."""
    try:
        # Pillow warns between 1x and 2x MAX_IMAGE_PIXELS and raises above: make both refuse.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            yield
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UploadRejected(_too_big_message(), field=field) from None
    except UploadRejected:
        raise
    except Exception:  # Pillow raises OSError, SyntaxError, ValueError… on damaged files
        logger.info("Refused an image that could not be read", exc_info=True)
        raise UploadRejected(_unreadable_message(content_type), field=field) from None


def _encode(image: Image.Image, content_type: str) -> bytes:
    # Only transparency is carried over: EXIF, XMP, ICC, comments and text chunks stay behind.
    transparency = image.info.get("transparency")
    image.info = {} if transparency is None else {"transparency": transparency}
    out = io.BytesIO()
    if content_type == "image/jpeg":
        if image.mode not in ("L", "RGB"):
            image = image.convert("RGB")
        image.save(out, format="JPEG", quality=90)
    else:
        image.save(out, format="PNG")
    return out.getvalue()


# --- JPEG without decoding: markers of ITU T.81, Annex B ------------------------------------

_SOI, _EOI, _SOS, _COM = 0xD8, 0xD9, 0xDA, 0xFE
_APP0, _APP14 = 0xE0, 0xEE
# What draws the picture: frames (SOFn), Huffman and arithmetic tables, quantisation tables,
# restart interval, number of lines, scans. Everything else (APPn, COM, reserved) stays behind,
# but for a JFIF APP0 cut to its pixel density (no thumbnail) and Adobe's APP14 (colour coding).
_PICTURE_MARKERS = {*range(0xC0, 0xD0), 0xDA, 0xDB, 0xDC, 0xDD} - {0xC8}
_CHUNK = 256 * 1024


class _JpegDamaged(ValueError):
    pass


def _clean_jpeg(source, *, field: str) -> bytes:
    """Check that every scan decodes (at an eighth of the size, so without holding the pixels),
    then copy the file without its metadata, keeping the orientation."""
    with _image_errors("image/jpeg", field=field):
        source.seek(0)
        with Image.open(source, formats=["JPEG"]) as image:
            _check_pixels(image, field=field)
            orientation = image.getexif().get(ExifTags.Base.Orientation)
            image.draft(image.mode, (max(1, image.width // 8), max(1, image.height // 8)))
            image.load()
        source.seek(0)
        return _jpeg_without_metadata(source, orientation)


def _jpeg_without_metadata(source, orientation: int | None) -> bytes:
    reader, out = _Reader(source), io.BytesIO()
    if reader.read(2) != b"\xff\xd8":
        raise _JpegDamaged("no start of image")
    out.write(b"\xff\xd8")
    exif = _orientation_segment(orientation) if orientation in range(2, 9) else b""
    while True:
        marker = reader.marker()
        if marker == _EOI:
            out.write(exif + b"\xff\xd9")
            return out.getvalue()  # anything after the end of the image stays behind
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # RSTn, TEM: markers without a segment
            out.write(bytes((0xFF, marker)))
            continue
        head = reader.read(2)
        length = struct.unpack(">H", head)[0] if len(head) == 2 else 0
        body = reader.read(length - 2) if length >= 2 else b""
        if length < 2 or len(body) != length - 2:
            raise _JpegDamaged("a segment runs past the end of the file")
        if marker == _APP0 and body.startswith(b"JFIF\x00") and len(body) >= 14:
            out.write(b"\xff\xe0\x00\x10" + body[:12] + b"\x00\x00")  # JFIF first, without a thumbnail
        elif marker == _APP14 and body.startswith(b"Adobe"):
            out.write(bytes((0xFF, marker)) + head + body)
        elif marker in _PICTURE_MARKERS:
            out.write(exif + bytes((0xFF, marker)) + head + body)  # the orientation after JFIF
            exif = b""
        if marker == _SOS:
            reader.copy_scan(out)


def _orientation_segment(orientation: int) -> bytes:
    tags = Image.Exif()
    tags[ExifTags.Base.Orientation] = orientation
    payload = tags.tobytes()
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


class _Reader:
    """Reads a JPEG a chunk at a time, so a photo is never held whole twice."""

    def __init__(self, source):
        self._source, self._buffer, self._at = source, b"", 0

    def _fill(self) -> bool:
        more = self._source.read(_CHUNK)
        if not more:
            return False
        self._buffer, self._at = self._buffer[self._at :] + more, 0
        return True

    def read(self, n: int) -> bytes:
        while len(self._buffer) - self._at < n and self._fill():
            pass
        data = self._buffer[self._at : self._at + n]
        self._at += len(data)
        return data

    def marker(self) -> int:
        # Stray bytes between segments are skipped, as libjpeg does; fill bytes (0xFF…) too.
        while (at := self._buffer.find(b"\xff", self._at)) == -1:
            self._at = len(self._buffer)
            if not self._fill():
                raise _JpegDamaged("the file ends before the end of the image")
        self._at = at + 1
        byte = self.read(1)
        while byte == b"\xff":
            byte = self.read(1)
        if not byte:
            raise _JpegDamaged("the file ends before the end of the image")
        return byte[0]

    def copy_scan(self, out) -> None:
        """Copy entropy-coded data up to the next marker other than a stuffed byte or RSTn."""
        start = self._at
        while True:
            at = self._buffer.find(b"\xff", start)
            if at == -1 or at + 1 == len(self._buffer):  # the end of the buffer: read on
                end = len(self._buffer) if at == -1 else at
                out.write(memoryview(self._buffer)[self._at : end])
                self._at = end
                if not self._fill():
                    raise _JpegDamaged("the file ends inside a scan")
                start = self._at  # a 0xFF left at the end is looked at again with its next byte
                continue
            follows = self._buffer[at + 1]
            if follows != 0x00 and not 0xD0 <= follows <= 0xD7:
                out.write(memoryview(self._buffer)[self._at : at])
                self._at = at
                return
            start = at + 2


# --- PDFs -----------------------------------------------------------------------------------


def _pdf_active_message() -> str:
    return _("The PDF contains scripts, actions or attached files; please print it to a new PDF or scan it.")


def _check_pdf_raw(data: bytes, *, field: str) -> None:
    if _pdf_raw_active_content(data):
        raise UploadRejected(_pdf_active_message(), field=field)


def _check_pdf_objects(source, *, field: str) -> None:
    """pypdf's reading of the PDF from a seekable binary file: encryption, active objects, pages."""
    active = _pdf_active_message()
    try:
        reader = PdfReader(source, strict=False)
        if reader.is_encrypted:
            raise UploadRejected(_("The PDF is password-protected; please upload an unprotected copy."), field=field)
        has_active_content = _pdf_object_active_content(reader)
        page_count = len(reader.pages)
    except UploadRejected:
        raise
    except Exception:  # pypdf raises many exception types on broken files
        logger.info("Refused a PDF pypdf could not read", exc_info=True)
        raise UploadRejected(_unreadable_message("application/pdf"), field=field) from None
    if has_active_content:
        raise UploadRejected(active, field=field)
    if page_count < 1:
        raise UploadRejected(_unreadable_message("application/pdf"), field=field)


def _pdf_raw_active_content(data: bytes) -> bool:
    """Active names in the bytes outside streams, also where no parser would find the object.

    A viewer that rebuilds a damaged cross-reference table can use objects pypdf never sees,
    so the raw text is searched too. Stream data is skipped: compressed bytes would match
    short names by chance.
    """
    position = 0
    while position < len(data):
        start = data.find(b"stream", position)
        if start < 0:
            return _pdf_segment_active(data[position:])
        if data[max(start - 3, 0) : start] == b"end":  # a stray "endstream"
            if _pdf_segment_active(data[position : start + 6]):
                return True
            position = start + 6
            continue
        if _pdf_segment_active(data[position:start]):
            return True
        end = data.find(b"endstream", start + 6)
        if end < 0:
            return False  # unterminated stream: pypdf decides whether the file is readable
        position = end + 9
    return False


def _pdf_segment_active(segment: bytes) -> bool:
    unescaped = _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), segment)
    return _PDF_ACTIVE_NAMES.search(unescaped) is not None


def _pdf_object_active_content(reader: PdfReader) -> bool:
    """Walk every object pypdf knows, including those packed in object streams."""
    references = [IndirectObject(num, gen, reader) for gen, entries in reader.xref.items() for num in entries]
    references += [IndirectObject(num, 0, reader) for num in reader.xref_objStm]
    if len(references) > _PDF_MAX_OBJECTS:
        raise ValueError(f"{len(references)} objects")
    stack = [reader.trailer, *references]
    seen = set()
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            if (obj.idnum, obj.generation) in seen:
                continue
            seen.add((obj.idnum, obj.generation))
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):
            if _PDF_ACTIVE_KEYS.intersection(obj.keys()):
                return True
            if (
                _pdf_name(obj, "/S") in _PDF_ACTIVE_ACTIONS
                or _pdf_name(obj, "/Subtype") in _PDF_ACTIVE_SUBTYPES
                or _pdf_name(obj, "/Type") == "/EmbeddedFile"
            ):
                return True
            stack.extend(dict.values(obj))  # raw values: references are followed once, above
        elif isinstance(obj, ArrayObject):
            stack.extend(list.__iter__(obj))
    return False


def _pdf_name(obj: DictionaryObject, key: str) -> str | None:
    value = obj.get(key)
    return str(value) if isinstance(value, str) else None


# --- Virus scan -------------------------------------------------------------------------------


def _virus_scan(data: bytes, *, field: str) -> None:
    """Ask the configured scanner; anything but a clear "clean" refuses the file."""
    path = settings.UPLOAD_VIRUS_SCANNER
    if not path:
        return
    sha256 = hashlib.sha256(data).hexdigest()
    failed = _("The file could not be checked for viruses; please try again later.")
    try:
        result = import_string(path)(data)
    except Exception:
        logger.exception("Virus scanner %s failed on %s; the upload is refused", path, sha256)
        raise UploadScanFailed(failed, field=field) from None
    if result == ScanResult.CLEAN:
        return
    if result == ScanResult.INFECTED:
        logger.warning("Virus scanner %s found %s infected; the upload is refused", path, sha256)
        raise UploadRejected(_("The file was refused by the virus scanner."), field=field)
    logger.error("Virus scanner %s answered %r for %s; the upload is refused", path, result, sha256)
    raise UploadScanFailed(failed, field=field)


_CLAMD_CHUNK = 64 * 1024


def clamd_scan(data: bytes) -> ScanResult:
    """Scan bytes with clamd's INSTREAM command, over CLAMD_SOCKET or CLAMD_HOST:CLAMD_PORT.

    Raises ClamdError (or OSError) when clamd cannot answer; validate_upload refuses the file
    then. clamd's StreamMaxLength (25 MiB by default) must exceed UPLOAD_MAX_BYTES.
    """
    with _clamd_connect() as sock:
        sock.sendall(b"zINSTREAM\0")
        view = memoryview(data)
        for start in range(0, len(view), _CLAMD_CHUNK):
            chunk = view[start : start + _CLAMD_CHUNK]
            sock.sendall(struct.pack("!L", len(chunk)))
            sock.sendall(chunk)
        sock.sendall(struct.pack("!L", 0))
        reply = _clamd_reply(sock)
    if reply == "stream: OK":
        return ScanResult.CLEAN
    if reply.startswith("stream: ") and reply.endswith(" FOUND"):
        logger.warning("clamd: %s", reply.removeprefix("stream: "))
        return ScanResult.INFECTED
    raise ClamdError(reply or "no answer")


def _clamd_connect() -> socket.socket:
    timeout = settings.CLAMD_TIMEOUT
    if settings.CLAMD_SOCKET:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        try:
            sock.connect(settings.CLAMD_SOCKET)
        except OSError:
            sock.close()
            raise
        return sock
    if not settings.CLAMD_HOST:
        raise ImproperlyConfigured("clamd_scan needs CLAMD_SOCKET or CLAMD_HOST.")
    return socket.create_connection((settings.CLAMD_HOST, settings.CLAMD_PORT), timeout=timeout)


def _clamd_reply(sock: socket.socket) -> str:
    reply = b""
    while not reply.endswith(b"\0") and len(reply) < 4096:
        chunk = sock.recv(4096)
        if not chunk:
            break
        reply += chunk
    return reply.rstrip(b"\0").decode("utf-8", "replace").strip()


# --- Request size -------------------------------------------------------------------------------


class RequestSizeLimitMiddleware:
    """Answer 413 before Django reads a body over UPLOAD_MAX_REQUEST_BYTES.

    Django streams file parts to temporary files without a total cap, so without this a
    client could fill the disk with one request. Requests without Content-Length have an
    empty body for Django, so the header is all there is to check.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads a malformed length as an empty body
        limit = settings.UPLOAD_MAX_REQUEST_BYTES
        if length <= limit:
            return self.get_response(request)
        with translation.override(translation.get_language_from_request(request)):
            message = _("The request is larger than %(limit)s MiB.") % {"limit": f"{limit / MiB:g}"}
        if request.path.startswith("/api/"):
            body = json.dumps({"detail": message, "errors": {}}, ensure_ascii=False)
            response = HttpResponse(body, status=413, content_type="application/json")
        else:
            response = HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return response
