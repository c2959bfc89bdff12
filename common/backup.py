"""Backup and restore check: a PostgreSQL dump, the private uploads, and a manifest to verify both.

The manifest holds every table's row count and every stored file's SHA-256, so a restore can be
proved equal, not just assumed (see the `backup` and `restore_check` management commands and the
drill in .ci/run).
"""

import hashlib
import json
import os
import shutil

# pg_dump / pg_restore with fixed arguments and no shell.
import subprocess  # nosec B404
from pathlib import Path

from django.conf import settings
from django.db import connection

MANIFEST = "manifest.json"


def database_url_args(database: dict) -> tuple[list[str], dict]:
    """pg_dump/pg_restore connection arguments and environment (the password stays out of argv)."""
    args = ["-h", database.get("HOST") or "127.0.0.1", "-p", str(database.get("PORT") or 5432)]
    args += ["-U", database.get("USER") or "postgres"]
    env = {"PGPASSWORD": database.get("PASSWORD") or ""}
    return args, env


def table_counts(database: dict) -> dict[str, int]:
    """Rows per table of the public schema, straight from PostgreSQL."""
    import psycopg2
    from psycopg2 import sql

    with (
        psycopg2.connect(
            dbname=database["NAME"],
            host=database.get("HOST") or "127.0.0.1",
            port=database.get("PORT") or 5432,
            user=database.get("USER") or "postgres",
            password=database.get("PASSWORD") or None,
        ) as db,
        db.cursor() as cursor,
    ):
        cursor.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
        )
        counts = {}
        for (table,) in sorted(cursor.fetchall()):
            cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
            counts[table] = cursor.fetchone()[0]
    return counts


def file_hashes(root: Path) -> dict[str, str]:
    hashes = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        hashes[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


def _run(command: list[str], env: dict) -> None:
    subprocess.run(command, check=True, env={**os.environ, **env})  # noqa: S603  # nosec B603


def backup(target: Path) -> dict:
    """Dump the database and copy the uploads into `target`, with a manifest of both."""
    if connection.vendor != "postgresql":
        raise RuntimeError("backups are made of PostgreSQL (set DATABASE_URL)")
    target.mkdir(parents=True, exist_ok=False)
    database = connection.settings_dict
    args, env = database_url_args(database)
    _run(["pg_dump", "-Fc", "--no-owner", *args, "-f", str(target / "database.dump"), database["NAME"]], env)
    media = Path(settings.MEDIA_ROOT)
    if media.exists():
        shutil.copytree(media, target / "media")
    manifest = {"tables": table_counts(database), "files": file_hashes(target / "media")}
    (target / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return manifest


def restore_check(source: Path, *, database: dict, media_root: Path) -> list[str]:
    """Restore `source` into an empty database and media folder; returns every difference found."""
    manifest = json.loads((source / MANIFEST).read_text())
    args, env = database_url_args(database)
    _run(
        ["pg_restore", "--no-owner", "--exit-on-error", *args, "-d", database["NAME"], str(source / "database.dump")],
        env,
    )
    if (source / "media").exists():
        shutil.copytree(source / "media", media_root)
    differences = []
    counts = table_counts(database)
    for table, count in manifest["tables"].items():
        if counts.get(table) != count:
            differences.append(f"table {table}: {count} rows backed up, {counts.get(table)} restored")
    hashes = file_hashes(media_root) if media_root.exists() else {}
    for name, digest in manifest["files"].items():
        if hashes.get(name) != digest:
            differences.append(f"file {name}: checksum differs after restore")
    return differences
