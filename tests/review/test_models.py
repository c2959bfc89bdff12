"""The standard reasons moved from common to review with every row (review 0001–0002, common 0006)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from review.models import ReasonTemplate

BEFORE = [("common", "0005_accesslog_immutable"), ("review", None)]
AFTER = [("common", "0006_reasontemplate_to_review"), ("review", "0002_reasontemplate_table")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()  # the graph as it is on disk, after the last migration run
    executor.migrate(targets)
    return executor.loader.project_state([target for target in targets if target[1]]).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_standard_reason_and_its_admin_permissions_survive_the_move():
    old_apps = _migrate(BEFORE)
    try:
        old = old_apps.get_model("common", "ReasonTemplate")
        old.objects.create(code="kept-across", text_zh="保留的理由", text_en="kept", applies_to="claim", position=7)
        codes = set(old.objects.values_list("code", flat=True))
        content_types = old_apps.get_model("contenttypes", "ContentType")
        content_types.objects.get_or_create(app_label="common", model="reasontemplate")
    finally:
        _migrate(AFTER)
    assert set(ReasonTemplate.objects.values_list("code", flat=True)) == codes
    moved = ReasonTemplate.objects.get(code="kept-across")
    assert (moved.text_zh, moved.applies_to, moved.position) == ("保留的理由", "claim", 7)
    assert ReasonTemplate._meta.db_table == "review_reasontemplate"
    from django.contrib.contenttypes.models import ContentType

    assert ContentType.objects.filter(app_label="review", model="reasontemplate").exists()
    assert not ContentType.objects.filter(app_label="common", model="reasontemplate").exists()
