"""The switches of docs/scaling.md: uploads in an S3-compatible bucket, a read replica for reports."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from common import storage

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def bucket(settings):
    settings.UPLOADS_BUCKET = "portal-uploads"
    settings.UPLOADS_S3_OPTIONS = {**settings.UPLOADS_S3_OPTIONS, "bucket_name": "portal-uploads"}
    storage._bucket_storage.cache_clear()
    yield
    storage._bucket_storage.cache_clear()


def test_uploads_go_to_a_private_bucket_when_one_is_named(bucket):
    from storages.backends.s3 import S3Storage

    chosen = storage.get_private_storage()
    assert isinstance(chosen, S3Storage)
    assert chosen.bucket_name == "portal-uploads"
    assert chosen.default_acl == "private"  # never world-readable
    assert chosen.location == "private"
    assert chosen.file_overwrite is False  # generated names; an upload never replaces another


def test_without_a_bucket_uploads_stay_on_the_private_disk():
    assert storage.get_private_storage() is storage.private_storage


def _settings_with(env_overrides: dict) -> str:
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    env.update({"DEBUG": "true", "DJANGO_SETTINGS_MODULE": "config.settings", **env_overrides})
    script = "import django; django.setup(); from common.db import reports_db; print(reports_db())"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True
    )
    return result.stdout.strip()


def test_reports_read_from_the_replica_when_there_is_one():
    assert _settings_with({}) == "default"
    replica = "postgres://reader@replica.example.cn:5432/portal"
    assert _settings_with({"DATABASE_REPLICA_URL": replica}) == "replica"
