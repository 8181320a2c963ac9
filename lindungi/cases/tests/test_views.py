import csv
import datetime
import io

import pytest
from django.urls import reverse

from lindungi.audit.models import AuditEvent
from lindungi.cases.models import Case
from lindungi.cases.testing import register
from lindungi.cases.tests.conftest import reauthenticated

pytestmark = pytest.mark.django_db


def _registration(**overrides):
    data = {
        "full_name": "Melati Kusuma", "sex": "female", "birth_date": "2012-04-05", "nik": "9911112222333344",
        "nationality": "ID", "has_disability": "no", "school_status": "enrolled", "province": "31", "regency": "31.71",
        "registered_on": datetime.date.today().isoformat(), "source": "hotline", "concerns": ["online"],
        "risk_level": "medium", "legal_basis": "guardian_consent",
        "consent_purposes": ["services", "referral", "statistics"], "consent_given_by_kind": "guardian",
        "consent_given_by_name": "Ibu Kusuma", "consent_given_on": datetime.date.today().isoformat(),
        "caregiver_name": "Ibu Kusuma", "caregiver_relationship": "mother", "caregiver_safety": "safe",
    }
    data.update(overrides)
    return data


def test_registering_through_the_page_opens_the_case(w, client_for):
    client = client_for(w.caseworker_a)
    response = client.post(reverse("cases:register"), _registration())
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[case.pk])
    assert case.assigned_caseworker == w.caseworker_a and case.referral_consent


def test_the_registration_page_shows_a_possible_duplicate_before_registering(w, client_for, case_a):
    client = client_for(w.caseworker_a)
    data = _registration(full_name="Ani Lestari", birth_date="2012-05-17", nik="")
    response = client.post(reverse("cases:register"), data)
    assert response.status_code == 200
    assert case_a.number in response.content.decode()
    assert Case.objects.count() == 1
    response = client.post(reverse("cases:register"), {**data, "confirm_duplicate": "on"})
    assert response.status_code == 302 and Case.objects.count() == 2


def test_another_organisations_duplicate_shows_only_the_organisation(w, client_for, case_a):
    client = client_for(w.caseworker_b)
    response = client.post(reverse("cases:register"), _registration(full_name="Ani Lestari", birth_date="2012-05-17",
                                                                     province="18", regency=""))
    content = response.content.decode()
    assert w.org_a.name in content and case_a.number not in content


def test_the_case_page_shows_everything_and_records_the_view(w, client_for, case_a):
    response = client_for(w.supervisor_a).get(reverse("cases:detail", args=[case_a.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Ani Lestari" in content and case_a.number in content and "Ibu Wali (test)" in content
    assert response["Cache-Control"].count("no-store")
    assert AuditEvent.objects.filter(action="cases.case.viewed", object_id=str(case_a.pk), actor=w.supervisor_a).exists()


def test_high_risk_shows_on_the_list_and_the_page(w, client_for):
    case = register(w.caseworker_a, risk_level="high", risk_reason="Pelaku mengancam")
    client = client_for(w.caseworker_a)
    assert 'class="badge high"' in client.get(reverse("cases:list")).content.decode()
    assert "Pelaku mengancam" in client.get(reverse("cases:detail", args=[case.pk])).content.decode()


def test_an_invalid_transition_is_explained_on_the_page(w, client_for, case_a):
    client = client_for(w.caseworker_a)
    response = client.post(reverse("cases:transition", args=[case_a.pk]), {"status": "closed"}, follow=True)
    assert "cannot move" in response.content.decode() or "tidak dapat" in response.content.decode()
    case_a.refresh_from_db()
    assert case_a.status == "registered"


def _rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_export_leaves_out_identifying_fields_and_is_audited(w, client_for, case_a):
    response = client_for(w.caseworker_a).get(reverse("cases:export") + "?format=csv")
    rows = _rows(response)
    assert len(rows) == 2 and rows[1][0] == case_a.number
    text = str(rows)
    assert "Ani Lestari" not in text and "9912345678901234" not in text
    event = AuditEvent.objects.get(action="cases.case.exported")
    assert event.payload["identifying"] is False and event.payload["rows"] == 1


def test_the_identifying_export_needs_a_supervisor_and_re_authentication(w, client_for, case_a):
    assert client_for(w.caseworker_a).get(reverse("cases:export_identifying") + "?format=csv").status_code == 403
    client = client_for(w.supervisor_a)
    response = client.get(reverse("cases:export_identifying") + "?format=csv")
    assert response.status_code == 302 and "reauthenticate" in response["Location"]
    response = reauthenticated(client, w.supervisor_a).get(reverse("cases:export_identifying") + "?format=csv")
    rows = _rows(response)
    assert "Ani Lestari" in str(rows) and "9912345678901234" in str(rows)
    assert AuditEvent.objects.get(action="cases.case.exported").payload["identifying"] is True


def test_the_xlsx_export_opens(w, client_for, case_a):
    from openpyxl import load_workbook

    response = client_for(w.supervisor_a).get(reverse("cases:export") + "?format=xlsx&status=registered")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[0] for row in sheet.iter_rows(values_only=True)][1] == case_a.number


def test_a_csv_cell_cannot_start_a_formula(w, client_for):
    from lindungi.cases.exports import _safe

    assert _safe("=HYPERLINK(1)") == "'=HYPERLINK(1)" and _safe("-1") == "'-1" and _safe("Ani") == "Ani"


def test_the_home_page_lists_the_caseworkers_overdue_tasks(w, client_for):
    case = register(w.caseworker_a, registered_on=datetime.date.today() - datetime.timedelta(days=20))
    content = client_for(w.caseworker_a).get(reverse("core:home")).content.decode()
    assert case.number in content
    assert case.number not in client_for(w.caseworker2_a).get(reverse("core:home")).content.decode()


def test_the_caseworkers_home_uses_a_fixed_number_of_queries(w, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(client):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("core:home")).status_code == 200
        return [q["sql"] for q in captured.captured_queries if "crypto_datakey" not in q["sql"]]

    long_ago = datetime.date.today() - datetime.timedelta(days=20)
    client = client_for(w.caseworker_a)
    register(w.caseworker_a, full_name="Anak Pertama", registered_on=long_ago, nik="")
    client.get(reverse("core:home"))  # the first request of a session writes its session records
    one = queries(client)
    for index in range(15):
        register(w.caseworker_a, full_name=f"Anak {index}", registered_on=long_ago, nik="")
    many = queries(client)
    assert len(many) == len(one), "\n".join(many)
    # The statistics are loaded lazily: none of their aggregate queries runs with the home page.
    assert not [sql for sql in many if "COUNT(" in sql.upper()], "\n".join(many)


def test_a_share_is_approved_after_re_authentication_and_accepted_on_the_pages(w, client_for, case_a):
    from lindungi.cases import services

    share = services.share_request(actor=w.caseworker_a, case=case_a, to_organisation=w.org_b, kind="share",
                                   reason="Koordinasi",
                                   expires_on=datetime.date.today() + datetime.timedelta(days=10))
    supervisor = client_for(w.supervisor_a)
    url = reverse("cases:share_approve", args=[share.pk])
    response = supervisor.post(url, {"approve": "1"})
    assert response.status_code == 302 and "reauthenticate" in response["Location"]
    share.refresh_from_db()
    assert share.status == "requested"
    assert reauthenticated(supervisor, w.supervisor_a).post(url, {"approve": "1"}).status_code == 302
    share.refresh_from_db()
    assert share.status == "approved"
    receiver = client_for(w.supervisor_b)
    assert receiver.get(reverse("cases:shares")).content.decode().count(case_a.number) >= 1
    assert receiver.post(reverse("cases:share_answer", args=[share.pk]), {"accept": "1"}).status_code == 302
    page = receiver.get(reverse("cases:detail", args=[case_a.pk]))
    assert page.status_code == 200 and "Ani Lestari" in page.content.decode()
    assert AuditEvent.objects.filter(action="cases.share.accessed", actor=w.supervisor_b).exists()


def test_uploading_and_downloading_a_file_through_the_pages(w, client_for, case_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(w.caseworker_a)
    upload = SimpleUploadedFile("ktp-ani.pdf", b"%PDF-1.4\nisi\n%%EOF\n", content_type="application/pdf")
    response = client.post(reverse("cases:attachment_upload", args=[case_a.pk]),
                           {"kind": "document", "title": "Surat polisi", "file": upload})
    assert response.status_code == 302
    attachment = case_a.attachments.get()
    download = client.get(reverse("cases:attachment_download", args=[case_a.pk, attachment.pk]))
    assert download.content == b"%PDF-1.4\nisi\n%%EOF\n"
    assert "ktp-ani" not in download["Content-Disposition"] and download["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.filter(action="cases.attachment.downloaded", actor=w.caseworker_a).count() == 1
    refused = client.post(reverse("cases:attachment_upload", args=[case_a.pk]), {
        "kind": "document", "title": "Skrip", "file": SimpleUploadedFile("a.pdf", b"<script>", content_type="application/pdf")})
    assert refused.status_code == 200 and case_a.attachments.count() == 1


def test_the_case_page_reads_the_childs_address_regions_with_the_case(w, client_for, case_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(w.supervisor_a)
    url = reverse("cases:detail", args=[case_a.pk])
    client.get(url)  # the first request of a session writes its session records
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url)
    assert case_a.child.regency.name in page.content.decode()
    one_by_one = [q["sql"] for q in captured.captured_queries if q["sql"].startswith('SELECT "geo_region"')]
    assert one_by_one == []
