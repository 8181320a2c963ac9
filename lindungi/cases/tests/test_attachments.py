import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from lindungi.audit.models import AuditEvent
from lindungi.cases import selectors, services
from lindungi.cases.services.attachments import sniff_content_type
from lindungi.core.errors import DomainError
from lindungi.core.policy import OutOfScope

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
PDF = b"%PDF-1.4\nNama: Ani Lestari\n%%EOF\n"


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(("data", "expected"), [
    (PDF, "application/pdf"), (PNG, "image/png"), (b"\xff\xd8\xff\xe0rest", "image/jpeg"),
    (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"), (_docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (b"<html><script>alert(1)</script>", None), (b"MZ\x90\x00", None), (b"PK\x03\x04broken", None),
])
def test_the_content_type_comes_from_the_bytes(data, expected):
    assert sniff_content_type(data) == expected


def test_a_file_is_encrypted_at_rest_and_every_download_is_audited(w, case_a):
    upload = SimpleUploadedFile("ani-lestari-ktp.pdf", PDF, content_type="image/png")
    attachment = services.attachment_upload(actor=w.caseworker_a, case=case_a, kind="consent_form",
                                            title="Formulir persetujuan", file=upload)
    assert attachment.content_type == "application/pdf"  # not the browser's claim
    assert "ani" not in attachment.storage_name and attachment.storage_name.endswith(".bin")
    with default_storage.open(attachment.storage_name, "rb") as handle:
        stored = handle.read()
    assert b"Ani Lestari" not in stored and b"%PDF" not in stored
    _, data = selectors.attachment_open(user=w.supervisor_a, pk=attachment.pk)
    assert data == PDF
    assert AuditEvent.objects.filter(action="cases.attachment.downloaded", object_id=str(attachment.pk)).count() == 1
    with pytest.raises(OutOfScope):
        selectors.attachment_open(user=w.supervisor_b, pk=attachment.pk)


def test_unknown_types_and_large_files_are_refused(w, case_a, settings):
    with pytest.raises(DomainError) as error:
        services.attachment_upload(actor=w.caseworker_a, case=case_a, kind="document", title="x",
                                   file=b"<html>hello</html>")
    assert error.value.code == "file_type"
    with pytest.raises(DomainError) as error:
        services.attachment_upload(actor=w.caseworker_a, case=case_a, kind="photo", title="x", file=PDF)
    assert error.value.code == "file_type"
    settings.LINDUNGI_MAX_ATTACHMENT_BYTES = 10
    with pytest.raises(DomainError) as error:
        services.attachment_upload(actor=w.caseworker_a, case=case_a, kind="document", title="x", file=PDF)
    assert error.value.code == "too_large"
    assert not case_a.attachments.exists()


def test_a_photo_can_be_the_childs_photo(w, case_a):
    photo = services.attachment_upload(actor=w.caseworker_a, case=case_a, kind="photo", title="Foto", file=PNG,
                                       set_as_photo=True)
    case_a.child.refresh_from_db()
    assert case_a.child.photo_id == photo.pk
