"""docker-compose.yml and the Dockerfile must point at things that exist in the project.

Docker does not run here, so this checks what it can: every service command names a module,
app or management command the project has, and every app service shares the upload volume.
"""

import importlib
import shlex
from pathlib import Path

import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
APP_SERVICES = ["migrate", "web", "worker", "beat"]


def _command(service: str) -> list[str]:
    command = COMPOSE["services"][service]["command"]
    return command if isinstance(command, list) else shlex.split(command)


def _assert_wsgi_target(target: str):
    module_name, attr = target.split(":")
    assert callable(getattr(importlib.import_module(module_name), attr))


def test_web_serves_the_projects_wsgi_application():
    command = _command("web")
    assert command[0] == "gunicorn"
    _assert_wsgi_target(command[1])


def test_worker_and_beat_use_the_projects_celery_app():
    for service, verb in (("worker", "worker"), ("beat", "beat")):
        command = _command(service)
        assert command[:2] == ["celery", "-A"]
        assert command[3] == verb
        module = importlib.import_module(command[2])
        assert module.celery_app.main == "portal"


def test_migrate_runs_an_existing_management_command():
    command = _command("migrate")
    assert command[:2] == ["python", "manage.py"]
    assert (ROOT / "manage.py").exists()
    assert command[2] in get_commands()


def test_app_services_are_built_from_the_dockerfile_with_uploads_volume():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "requirements.txt" in dockerfile
    cmd = next(line for line in dockerfile.splitlines() if line.startswith("CMD"))
    _assert_wsgi_target(yaml.safe_load(cmd.removeprefix("CMD "))[1])
    for service in APP_SERVICES:
        definition = COMPOSE["services"][service]
        assert definition["build"] == "."
        assert "uploads:/data/media" in definition["volumes"]
        assert definition["environment"]["MEDIA_ROOT"] == "/data/media"
    assert {"postgres", "redis"} <= set(COMPOSE["services"])
    for service in ("web", "worker", "postgres", "redis"):
        assert "healthcheck" in COMPOSE["services"][service], service
