"""The region data file, its loader, `manage.py load_regions` and the reference data after a flush."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.core.management.sql import emit_post_migrate_signal

from lindungi.audit.models import AuditEvent
from lindungi.geo.loader import DATA_FILE, RegionDataError, load_regions, read_regions
from lindungi.geo.models import Region

HEADER = "code,name,level,parent_code\n"


def write(tmp_path, body: str, header: str = HEADER) -> Path:
    path = tmp_path / "regions.csv"
    path.write_text(header + body, encoding="utf-8")
    return path


def test_the_data_file_has_every_province_regency_and_district():
    rows = read_regions()
    counts = {level: sum(1 for row in rows if row["level"] == level) for level in ("province", "regency", "district")}
    assert counts == {"province": 38, "regency": 514, "district": 7285}


def test_the_data_file_keeps_its_licence_notice():
    licence = (DATA_FILE.parent / "LICENSE").read_text()
    assert "MIT License" in licence and "Cahya DSN" in licence


@pytest.mark.django_db
def test_the_migration_loaded_every_region_with_its_chain():
    assert Region.objects.count() == 38 + 514 + 7285
    gambir = Region.objects.select_related("parent__parent").get(code="31.71.01")
    assert (gambir.name, gambir.level) == ("Gambir", "district")
    assert gambir.parent.code == "31.71" and gambir.parent.parent.code == "31"
    assert gambir.province_code == "31"


@pytest.mark.parametrize(("body", "message"), [
    ("31,DKI Jakarta,provinsi,\n", "unknown level"),
    ("3,DKI Jakarta,province,\n", "is not a province code"),
    ("31.71,Kota Jakarta Pusat,regency,\n", "parent of 31.71 must be 31"),
    ("31.71,Kota Jakarta Pusat,regency,31\n", "parent 31 of 31.71 is not in the file"),
    ("31,DKI Jakarta,province,\n31,DKI Jakarta,province,\n", "appears twice"),
    ("31,,province,\n", "needs a name"),
])
def test_invalid_data_is_refused_with_the_line(tmp_path, body, message):
    with pytest.raises(RegionDataError, match=message):
        read_regions(write(tmp_path, body))


def test_a_file_with_other_columns_is_refused(tmp_path):
    with pytest.raises(RegionDataError, match="Expected the columns"):
        read_regions(write(tmp_path, "31,DKI Jakarta,province\n", header="code,name,level\n"))


@pytest.mark.django_db
def test_loading_again_changes_nothing():
    result = load_regions(Region)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 7837)
    assert result.missing_from_file == []


@pytest.mark.django_db
def test_loading_adds_new_regions_renames_changed_ones_and_reports_missing_ones(tmp_path):
    path = write(tmp_path, "31,Daerah Khusus Jakarta,province,\n31.71,Kota Administrasi Jakarta Pusat,regency,31\n"
                           "31.71.99,Kecamatan Fiktif,district,31.71\n")
    result = load_regions(Region, path)
    assert (result.total, result.created, result.updated, result.unchanged) == (3, 1, 1, 1)
    assert Region.objects.get(code="31").name == "Daerah Khusus Jakarta"
    assert Region.objects.get(code="31.71.99").parent_id == "31.71"
    assert "31.71.01" in result.missing_from_file
    assert Region.objects.filter(code="31.71.01").exists()  # reported, never deleted


@pytest.mark.django_db
def test_the_command_refreshes_reports_and_audits(tmp_path):
    path = write(tmp_path, "31,Daerah Khusus Jakarta,province,\n")
    out = StringIO()
    call_command("load_regions", "--file", str(path), stdout=out)
    assert "1 regions in regions.csv: 0 new, 1 updated, 0 unchanged." in out.getvalue()
    assert "not in the file (kept)" in out.getvalue()
    event = AuditEvent.objects.filter(action="geo.regions.loaded").get()
    assert event.payload == {"file": "regions.csv", "created": 0, "updated": 1, "missing_from_file": 7836}


@pytest.mark.django_db
def test_the_command_dry_run_changes_nothing(tmp_path):
    path = write(tmp_path, "31,Daerah Khusus Jakarta,province,\n")
    out = StringIO()
    call_command("load_regions", "--file", str(path), "--dry-run", stdout=out)
    assert "Dry run" in out.getvalue() and "1 updated" in out.getvalue()
    assert Region.objects.get(code="31").name == "Daerah Khusus Ibukota Jakarta"
    assert not AuditEvent.objects.filter(action="geo.regions.loaded").exists()


@pytest.mark.django_db
def test_the_command_refuses_a_bad_file_and_changes_nothing(tmp_path):
    path = write(tmp_path, "31,Daerah Khusus Jakarta,province,\n31.71,Kota,regency,32\n")
    with pytest.raises(CommandError, match="parent of 31.71 must be 31"):
        call_command("load_regions", "--file", str(path), stdout=StringIO())
    assert Region.objects.get(code="31").name == "Daerah Khusus Ibukota Jakarta"


@pytest.mark.django_db
def test_regions_come_back_after_a_flush():
    Region.objects.all()._raw_delete("default")
    assert not Region.objects.exists()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")  # what flush sends
    assert Region.objects.count() == 7837
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")  # there: nothing happens
    assert Region.objects.count() == 7837
