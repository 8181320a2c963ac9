"""The reference lists seeded by data migrations come back after a flush (which empties every
table and sends post_migrate): transactional tests and `manage.py flush` rely on it."""

import pytest
from django.apps import apps
from django.core.management.sql import emit_post_migrate_signal

pytestmark = pytest.mark.django_db

MARKERS = [("programs", "ActivityType"), ("incidents", "Platform"), ("legal", "Stage")]


@pytest.mark.parametrize(("app_label", "model_name"), MARKERS)
def test_a_reference_list_comes_back_after_a_flush(app_label, model_name):
    model = apps.get_model(app_label, model_name)
    seeded = set(model.objects.values_list("code", flat=True))
    assert seeded, "the data migration seeds the list"
    model.objects.all()._raw_delete("default")

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    assert set(model.objects.values_list("code", flat=True)) == seeded


def test_a_list_that_is_there_is_left_alone():
    model = apps.get_model("programs", "ActivityType")
    renamed = model.objects.order_by("pk").first()
    renamed.name_en = "Renamed by an administrator"
    renamed.save()
    count = model.objects.count()

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    assert model.objects.count() == count
    renamed.refresh_from_db()
    assert renamed.name_en == "Renamed by an administrator"
