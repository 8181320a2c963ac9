import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from lindungi.audit.models import AuditEvent
from lindungi.cases import selectors, services
from lindungi.cases.services.attachments import sniff_content_type
from lindungi.core.errors import DomainError
from lindungi.core.policy import OutOfScope
from lindungi.crypto import cipher
from lindungi.crypto.models import DataKey

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


def _key_of(name: str) -> int:
    with default_storage.open(name, "rb") as handle:
        return cipher.blob_key_id(handle.read())


def test_a_key_rotation_re_encrypts_the_organisations_files_and_reports_the_missing_one(
        w, case_a, django_capture_on_commit_callbacks):
    from lindungi.cases.testing import register

    def upload(actor, case, title):
        return services.attachment_upload(actor=actor, case=case, kind="document", title=title,
                                          file=SimpleUploadedFile("f.pdf", PDF))

    kept = upload(w.caseworker_a, case_a, "Surat")
    lost = upload(w.caseworker_a, case_a, "Hilang")
    other = upload(w.caseworker_b, register(w.caseworker_b, full_name="Rina Contoh", supervisor=w.supervisor_b), "Lain")
    default_storage.delete(lost.storage_name)
    old_name, old_key, other_name, other_key = kept.storage_name, _key_of(kept.storage_name), \
        other.storage_name, _key_of(other.storage_name)
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rotate_keys", "--organisation", w.org_a.code, "--settle-seconds", "0", stdout=out)
    kept.refresh_from_db()
    new_key = DataKey.objects.get(organisation=w.org_a, is_active=True).key_id
    assert new_key != old_key and kept.storage_name != old_name
    assert _key_of(kept.storage_name) == new_key
    assert not default_storage.exists(old_name)  # the file sealed with the retired key is gone
    assert selectors.attachment_open(user=w.supervisor_a, pk=kept.pk)[1] == PDF
    other.refresh_from_db()
    assert (other.storage_name, _key_of(other.storage_name)) == (other_name, other_key)
    assert f"1 missing or damaged: {lost.pk}" in out.getvalue()
    payload = AuditEvent.objects.get(action="crypto.key.rotated").payload
    assert (payload["files_rewritten"], payload["files_unreadable"]) == (1, 1)
    call_command("rotate_keys", "--organisation", w.org_a.code, "--settle-seconds", "0", stdout=io.StringIO())
    kept.refresh_from_db()
    assert selectors.attachment_open(user=w.supervisor_a, pk=kept.pk)[1] == PDF


def test_a_rotation_whose_transaction_fails_keeps_the_old_file_and_leaves_no_copy(w, case_a, monkeypatch):
    from lindungi.cases.models import Attachment
    from lindungi.crypto import rotation

    kept = services.attachment_upload(actor=w.caseworker_a, case=case_a, kind="document", title="Surat",
                                      file=SimpleUploadedFile("f.pdf", PDF))
    folder = kept.storage_name.rsplit("/", 1)[0]
    files_before = default_storage.listdir(folder)[1]
    started = rotation.begin(w.org_a.pk)

    def failing_commit_hook(*args, **kwargs):  # anything failing after the new copy was written
        raise RuntimeError("the transaction failed")

    monkeypatch.setattr(rotation.transaction, "on_commit", failing_commit_hook)
    with pytest.raises(RuntimeError):
        Attachment.rotate_encrypted_blobs(organisation_id=w.org_a.pk, stale_key_ids=started.stale_key_ids,
                                          batch_size=10)
    monkeypatch.undo()
    kept.refresh_from_db()
    assert default_storage.listdir(folder)[1] == files_before  # no orphaned copy under the new key
    assert selectors.attachment_open(user=w.supervisor_a, pk=kept.pk)[1] == PDF


@pytest.mark.django_db(transaction=True)
def test_a_rotation_keeps_the_new_file_when_the_old_one_cannot_be_deleted_after_the_commit(w, case_a, monkeypatch):
    kept = services.attachment_upload(actor=w.caseworker_a, case=case_a, kind="document", title="Surat",
                                      file=SimpleUploadedFile("f.pdf", PDF))
    old_name = kept.storage_name
    delete = default_storage.delete

    def storage_refusing_the_old_file(name):
        if name == old_name:
            raise OSError("permission denied")
        delete(name)

    monkeypatch.setattr(default_storage, "delete", storage_refusing_the_old_file)
    call_command("rotate_keys", "--organisation", w.org_a.code, "--settle-seconds", "0", stdout=io.StringIO())
    monkeypatch.undo()
    kept.refresh_from_db()
    assert kept.storage_name != old_name and default_storage.exists(old_name)  # left behind, reported in the log
    assert selectors.attachment_open(user=w.supervisor_a, pk=kept.pk)[1] == PDF
