"""Production mode must refuse to start without a secret key and pass Django's deploy check."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "x" * 20 + "-production-like-key-with-enough-entropy-1234567890",
    "ALLOWED_HOSTS": "portal.example.cn",
}


def _run(args, env_overrides):
    """Run manage.py in a fresh environment: only the basics, not the test run's variables."""
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_settings_refuse_to_start_without_secret_key_when_debug_off():
    result = _run(["manage.py", "check"], {"DEBUG": "false"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_settings_start_without_secret_key_in_debug():
    result = _run(["manage.py", "check"], {"DEBUG": "true"})
    assert result.returncode == 0, result.stderr


def test_malformed_setting_raises_improperly_configured():
    result = _run(["manage.py", "check"], {**PRODUCTION_ENV, "CONN_MAX_AGE": "forever"})
    assert result.returncode != 0
    assert "ImproperlyConfigured: CONN_MAX_AGE='forever' is not valid" in result.stderr


def test_malformed_boolean_is_refused_not_read_as_false():
    result = _run(["manage.py", "check"], {**PRODUCTION_ENV, "DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_deploy_check_is_clean_in_production_mode():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_logs_go_to_a_daily_file_kept_180_days(tmp_path):
    script = (
        "import logging, django; django.setup();"
        "from django.conf import settings; handler = settings.LOGGING['handlers']['file'];"
        "print(handler['backupCount'], handler['when']);"
        "logging.getLogger('portal').warning('written to the file')"
    )
    result = _run(
        ["-c", script], {"DEBUG": "true", "DJANGO_SETTINGS_MODULE": "config.settings", "LOG_DIR": str(tmp_path)}
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["180", "midnight"]
    assert "written to the file" in (tmp_path / "portal.log").read_text()


def test_a_log_retention_under_180_days_is_refused(tmp_path):
    result = _run(["manage.py", "check"], {"DEBUG": "true", "LOG_DIR": str(tmp_path), "LOG_RETENTION_DAYS": "30"})
    assert result.returncode != 0
    assert "LOG_RETENTION_DAYS must be at least 180" in result.stderr


def test_without_redis_the_processes_of_make_run_share_one_cache(tmp_path):
    """Web, worker and beat are separate processes: what one counts or keeps in the cache (rate
    limits, the dashboard's figures) the others must read, so the embedded default is a folder."""
    default = _run(
        ["-c", "import django; django.setup(); from django.conf import settings; print(settings.CACHES['default'])"],
        {"DEBUG": "true", "DJANGO_SETTINGS_MODULE": "config.settings"},
    )
    assert "FileBasedCache" in default.stdout, default.stderr
    env = {"DEBUG": "true", "DJANGO_SETTINGS_MODULE": "config.settings", "CACHE_URL": f"filecache://{tmp_path}"}
    setup = "import django; django.setup(); from django.core.cache import cache; "
    written = _run(["-c", setup + "cache.set('probe', 'from another process'); print(cache.get('probe'))"], env)
    read = _run(["-c", setup + "print(cache.get('probe'))"], env)
    assert written.returncode == read.returncode == 0, written.stderr + read.stderr
    assert written.stdout.strip() == read.stdout.strip() == "from another process"
