"""Peak memory of the web process while it receives a 10 MiB upload.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench .venv/bin/python bench/upload.py

For each upload it serves the portal with a fresh gunicorn (one sync worker, DEBUG off), warms the
worker up with a small upload, then sends a 10 MiB PDF or a large photo to `POST /api/v1/registrations/{id}/documents/`
as an enrollee with a token. The worker's peak resident memory (VmHWM in /proc) before and after
each upload (the mark reset before each) gives the extra memory the upload cost; the budget is
at most twice the file.
Django streams a file part over 2.5 MiB to a temporary file; the checks then read the file once
(capped at 10 MiB), so the file itself is the one copy in memory, plus what the PDF or image
library needs to inspect it.
"""

import io
import os
import random
import subprocess
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.dataset import setup_django  # noqa: E402
from bench.http_load import free_port, serve, server_env  # noqa: E402

MiB = 2**20


def big_pdf(size: int) -> bytes:
    """A valid one-page PDF padded to `size` with an incompressible image stream."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    stream = DecodedStreamObject()
    stream.set_data(random.Random(1).randbytes(size - 2_000))
    writer._add_object(stream)
    writer.pages[0][NameObject("/PieceInfo")] = stream.indirect_reference
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def big_photo() -> bytes:
    """A phone-camera-sized JPEG (4000 × 3000, 12 megapixels) of noise, so it does not compress:
    about 9 MiB, near the 10 MiB limit."""
    from PIL import Image

    pixels = random.Random(2).randbytes(4000 * 3000 * 3)
    buffer = io.BytesIO()
    Image.frombytes("RGB", (4000, 3000), pixels).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def multipart(fields: dict, file_name: str, content: bytes, content_type: str) -> tuple[bytes, str]:
    boundary = "bench-boundary-7d2f"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file_name}"\r\n'
        f"Content-Type: {content_type}\r\n\r\n".encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def peak_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM")


def reset_peak(pid: int) -> None:
    """Start the worker's high-water mark again from its present size (Linux: clear_refs 5), so
    each upload is measured on its own and not against an earlier, bigger one."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def worker_pid(master: int) -> int:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return int(children[0])


def main() -> int:
    port = free_port()
    os.environ.update(server_env(port))
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, check=True)  # noqa: S603
    setup_django()
    from accounts.models import User

    if not User.objects.filter(username__startswith="bench-e").exists():  # any bench population will do
        subprocess.run([sys.executable, str(ROOT / "bench" / "dataset.py"), "--scale", "1000"], check=True)  # noqa: S603
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from registrations import services

    # An enrollee of its own (not `bench-e…`), so the dataset's counts stay as dataset.py left them.
    model = User.objects.filter(username__startswith="bench-e", office__code="nantong-urban").first()
    enrollee, _ = User.objects.get_or_create(
        username="bench-upload",
        defaults={"role": model.role, "office": model.office, "jurisdiction": model.jurisdiction, "scheme": "employee"},
    )
    token, _ = Token.objects.get_or_create(user=enrollee)
    registration = services.registration_create(
        actor=enrollee,
        enrollee=enrollee,
        registration_type="referral",
        care_scope="cross_province",
        care_province="上海市",
        care_city="上海市",
        referral_hospital="南通大学附属医院",
        referral_hospital_level=3,
        start_date=timezone.localdate(),
    )
    url = f"http://127.0.0.1:{port}/api/v1/registrations/{registration.uuid}/documents/"

    def send(content: bytes, name: str, content_type: str) -> int:
        body, header = multipart({"kind": "referral_certificate"}, name, content, content_type)
        request = urllib.request.Request(  # noqa: S310
            url, data=body, method="POST", headers={"Authorization": f"Token {token.key}", "Content-Type": header}
        )
        try:
            with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310  # nosec B310 - loopback
                return response.status
        except urllib.error.HTTPError as error:
            print(error.read()[:300])
            return error.code

    results = []
    for label, content, name, content_type in (
        ("PDF", big_pdf(10 * MiB - 4096), "scan.pdf", "application/pdf"),
        ("JPEG photo", big_photo(), "photo.jpg", "image/jpeg"),
    ):
        # A fresh worker for each: memory freed by one upload and kept by the allocator would
        # hide the next one's.
        with serve(port, workers=1, timeout=120) as server:
            pid = worker_pid(server.pid)
            if send(big_pdf(200_000), "warm-up.pdf", "application/pdf") != 201:
                raise SystemExit("the warm-up upload was refused")
            reset_peak(pid)
            before = peak_kib(pid)
            status = send(content, name, content_type)
            after = peak_kib(pid)
            results.append((label, len(content) / MiB, status, (after - before) / 1024))
    print(f"\n{'upload':<12} {'file MiB':>9} {'answer':>7} {'extra peak MiB':>15} {'÷ file':>7}")
    failed = 0
    for label, size, status, extra in results:
        print(f"{label:<12} {size:>9.1f} {status:>7} {extra:>15.1f} {extra / size:>7.2f}")
        failed += status != 201 or extra > 2 * size
    print("\nbudget: extra peak ≤ 2 × the file —", "met" if not failed else "NOT met")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
