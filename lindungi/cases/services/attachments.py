"""Attachments: consent forms, documents, photos. Encrypted at rest under the organisation's key,
stored under a server-generated name, content type checked from the bytes, size limited."""

from __future__ import annotations

import io
import uuid
import zipfile

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from lindungi.audit import services as audit
from lindungi.cases.models import Attachment, AttachmentKind, Case, Child
from lindungi.cases.services.common import event, lock, require_case, require_open, required_text
from lindungi.core.errors import DomainError, validate
from lindungi.crypto import cipher

IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp"}
ALLOWED_TYPES = {"application/pdf", *IMAGE_TYPES,
                 "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp",
              "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx"}


def sniff_content_type(data: bytes) -> str | None:
    """The type the bytes really are (never the name or the browser's claim), or None."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return None


def max_bytes() -> int:
    return settings.LINDUNGI_MAX_ATTACHMENT_BYTES


def _read(upload) -> bytes:
    limit = max_bytes()
    if isinstance(upload, bytes | bytearray):
        data = bytes(upload)
    else:
        if getattr(upload, "size", 0) and upload.size > limit:
            data = b"x" * (limit + 1)
        else:
            upload.seek(0)
            data = upload.read(limit + 1)
    if len(data) > limit:
        message = _("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)}
        raise DomainError(message, code="too_large", fields={"file": [str(message)]})
    if not data:
        raise DomainError(_("The file is empty."), fields={"file": [str(_("The file is empty."))]})
    return data


def store_blob(attachment: Attachment, data: bytes) -> str:
    """Encrypt and store; returns the new storage name (server-generated, says nothing)."""
    sealed = cipher.encrypt_blob(attachment.organisation_id, attachment.blob_context, data)
    name = f"cases/{uuid.uuid4().hex}.bin"
    return default_storage.save(name, ContentFile(sealed))


def read_blob(attachment: Attachment) -> bytes:
    with default_storage.open(attachment.storage_name, "rb") as handle:
        return cipher.decrypt_blob(attachment.organisation_id, attachment.blob_context, handle.read())


def attachment_upload(*, actor, case: Case, kind: str, title: str, file, set_as_photo: bool = False) -> Attachment:
    require_case(actor, "cases.case.edit", case)
    title = required_text(title, "title", _("Give the file a title."))
    data = _read(file)
    content_type = sniff_content_type(data)
    if content_type not in ALLOWED_TYPES:
        message = _("This kind of file is not accepted. Upload a PDF, a JPEG, PNG or WebP image, or a Word document.")
        raise DomainError(message, code="file_type", fields={"file": [str(message)]})
    if kind == AttachmentKind.PHOTO and content_type not in IMAGE_TYPES:
        message = _("A photo must be a JPEG, PNG or WebP image.")
        raise DomainError(message, code="file_type", fields={"file": [str(message)]})
    if set_as_photo and kind != AttachmentKind.PHOTO:
        message = _("Only a photo can be the child's photo.")
        raise DomainError(message, fields={"set_as_photo": [str(message)]})
    with transaction.atomic():
        case = lock(case)
        require_open(case)
        attachment = Attachment(organisation_id=case.organisation_id, case=case, kind=kind, title=title,
                                content_type=content_type, size=len(data), uploaded_by=actor, storage_name="-")
        validate(attachment)
        attachment.storage_name = store_blob(attachment, data)
        try:
            attachment.save()
            if set_as_photo and case.child_id:
                Child.objects.filter(pk=case.child_id).update(photo=attachment)
            event(case, "attachment_added", actor, attachment_id=str(attachment.pk), kind=kind)
            audit.record("cases.attachment.uploaded", actor=actor, obj=attachment, payload={
                "case_id": str(case.pk), "kind": kind, "content_type": content_type, "size": len(data)})
        except Exception:
            default_storage.delete(attachment.storage_name)
            raise
    return attachment


def content_disposition_name(attachment: Attachment) -> str:
    """The download's file name: generated, never the title (which may name the child)."""
    return f"{attachment.kind}-{str(attachment.pk)[:8]}.{EXTENSIONS.get(attachment.content_type, 'bin')}"
