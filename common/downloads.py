"""The one safe way to send a private upload back to a browser.

No permission logic here: the calling view checks who may see the file (through a selector
scoped to the actor) and then returns `private_file_response(...)`.

Every response carries an explicit type with nosniff, is never cached, and has a CSP whose
`sandbox` gives the document an opaque origin with no script, so a hostile PDF or image
opened inline cannot reach the portal's cookies or pages. Chromium 156 and Firefox ESR 153
were checked to still render a PDF inline under this CSP, top-level and in a same-origin iframe.
"""

import os
import unicodedata
from urllib.parse import quote

from django.http import FileResponse

from common.services import access_log_record
from common.uploads import ACCEPTED_TYPES, sanitize_filename

CONTENT_SECURITY_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
# Types a browser may show in the page; anything else is always downloaded.
INLINE_TYPES = frozenset(ACCEPTED_TYPES)


def private_file_response(field_file, *, download_name: str, content_type: str, inline: bool) -> FileResponse:
    """Stream a stored file (FieldFile or File) with safe headers.

    inline=True shows a PDF/JPEG/PNG in the browser (the review screen may embed it in an
    iframe of the portal's own pages); every other type, and inline=False, is an attachment.
    download_name is the person's name for the file, e.g. CleanUpload.download_name.
    """
    inline = inline and content_type in INLINE_TYPES
    response = FileResponse(field_file.open("rb"), content_type=content_type)
    response["Content-Disposition"] = content_disposition(download_name, inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # The review screen frames inline files from its own origin; nobody else may frame them.
    frame_ancestors = "'self'" if inline else "'none'"
    response["Content-Security-Policy"] = f"{CONTENT_SECURITY_POLICY}; frame-ancestors {frame_ancestors}"
    response["X-Frame-Options"] = "SAMEORIGIN" if inline else "DENY"
    # Other sites cannot pull the file in with <img> or <embed> and a logged-in visitor's cookies.
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def content_disposition(name: str, *, inline: bool) -> str:
    """RFC 6266 header: an ASCII `filename` for old clients and RFC 5987 `filename*` for 中文."""
    disposition = "inline" if inline else "attachment"
    name = sanitize_filename(name) or "download"
    fallback = _ascii_fallback(name)
    if fallback == name:
        return f'{disposition}; filename="{name}"'
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def _ascii_fallback(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    ascii_stem = "".join(ch if ch.isalnum() or ch in " ._-()" else "_" for ch in ascii_stem).strip(" ._")
    ascii_ext = "".join(ch for ch in ext if ch.isascii() and ch.isalnum())
    if not ascii_stem.strip("_"):
        ascii_stem = "download"
    return f"{ascii_stem}.{ascii_ext}" if ascii_ext else ascii_stem


def download_name(document) -> str:
    """The uploader's file name with the extension its checked content type has (an upload row)."""
    stem = os.path.splitext(document.original_name)[0] or document.kind
    return f"{stem}{ACCEPTED_TYPES.get(document.content_type, '')}"


def document_response(document, *, viewer, case_number: str, inline: bool = True) -> FileResponse:
    """An uploaded document (a registration's or a claim's) for someone a selector let see it.

    Staff and admins looking at a person's document is recorded in the access log; the
    enrollee's own look is not.
    """
    if viewer.is_window_staff or viewer.is_portal_admin:
        access_log_record(actor=viewer, action="view_document", obj=document, detail=f"{case_number} {document.kind}")
    return private_file_response(
        document.file, download_name=download_name(document), content_type=document.content_type, inline=inline
    )
