"""Encrypted model fields and blind indexes (after the CipherSweet design).

    class Child(EncryptedRecord):
        organisation = models.ForeignKey(Organisation, ...)
        full_name = EncryptedTextField()
        birth_date = EncryptedDateField(null=True, blank=True)
        name_index = BlindIndexField(sources=["full_name"], transform="lindungi.crypto.normalise.name")

Values are decrypted lazily, on first attribute access, and encrypted in `pre_save` (so
`bulk_create` encrypts too). Every model with encrypted fields has a UUID primary key (see
`EncryptedRecord`) and a direct foreign key to its organisation: both go into the associated data.
Database lookups on encrypted columns are refused except `isnull`; search through blind indexes.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json

from django import forms
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models
from django.utils.module_loading import import_string

from lindungi.crypto import cipher, keys


class Sealed(str):
    """A ciphertext token as read from the database, not yet decrypted."""


class _EncryptedAttribute:
    def __init__(self, field: EncryptedField):
        self.field = field

    def __get__(self, instance, owner):
        if instance is None:
            return self
        attname = self.field.attname
        if attname not in instance.__dict__:
            instance.refresh_from_db(fields=[attname])
        raw = instance.__dict__[attname]
        if isinstance(raw, Sealed):
            raw = self.field.open(instance, raw)
            # Keep the plaintext from now on; the next save encrypts it afresh (new nonce), which
            # is also what moves a record to another organisation's key on transfer.
            instance.__dict__[attname] = raw
        return raw

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = value


class EncryptedField(models.TextField):
    """Base class: subclasses say how a plaintext value becomes bytes and back."""

    form_class = forms.CharField

    def __init__(self, *args, organisation_field: str = "organisation", **kwargs):
        self.organisation_field = organisation_field
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.organisation_field != "organisation":
            kwargs["organisation_field"] = self.organisation_field
        return name, path, args, kwargs

    def contribute_to_class(self, cls, name, private_only=False):
        super().contribute_to_class(cls, name, private_only)
        setattr(cls, self.attname, _EncryptedAttribute(self))

    # plaintext <-> bytes -------------------------------------------------------------------
    def to_bytes(self, value) -> bytes:
        return str(value).encode()

    def from_bytes(self, data: bytes):
        return data.decode()

    # encryption ----------------------------------------------------------------------------
    def _org_id(self, instance):
        org_id = getattr(instance, f"{self.organisation_field}_id")
        if org_id is None:
            raise ImproperlyConfigured(f"{type(instance).__name__}.{self.name}: the record has no organisation yet.")
        return org_id

    def _aad(self, instance, org_id) -> bytes:
        if instance.pk is None:
            raise ImproperlyConfigured(
                f"{type(instance).__name__} must know its primary key before saving (use EncryptedRecord)."
            )
        return cipher.associated_data(org_id, instance._meta.db_table, self.column, instance.pk)

    def seal(self, instance, value) -> str:
        org_id = self._org_id(instance)
        return cipher.encrypt(org_id, self.to_bytes(value), self._aad(instance, org_id))

    def open(self, instance, token: str):
        org_id = self._org_id(instance)
        return self.from_bytes(cipher.decrypt(org_id, token, self._aad(instance, org_id)))

    # Django field API ----------------------------------------------------------------------
    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return Sealed(value)

    def pre_save(self, model_instance, add):
        raw = model_instance.__dict__.get(self.attname)
        if raw is None or raw == "":
            return raw
        if isinstance(raw, Sealed):
            return str(raw)
        return self.seal(model_instance, raw)

    def get_prep_value(self, value):
        if value is None or value == "" or isinstance(value, str) and value.startswith(cipher.VERSION + "."):
            return value
        # Reaching here means an unencrypted value on its way to the database outside pre_save
        # (e.g. QuerySet.update or bulk_update): refuse rather than store plaintext.
        raise ValueError(f"{self.name}: encrypted fields are written only through model saves.")

    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        return None  # no equality or text search over ciphertexts; use a blind index

    def get_transform(self, lookup_name):
        return None

    def value_to_string(self, obj):
        # Serialisers (dumpdata) get the ciphertext, never the plaintext.
        raw = obj.__dict__.get(self.attname)
        return self.pre_save(obj, add=False) if raw not in (None, "") else raw

    def to_python(self, value):
        return value

    def formfield(self, **kwargs):
        defaults = {"form_class": self.form_class, "required": not self.blank}
        defaults.update(kwargs)
        defaults.pop("max_length", None)
        return models.Field.formfield(self, **defaults)


class EncryptedTextField(EncryptedField):
    def __init__(self, *args, max_chars: int | None = None, **kwargs):
        self.max_chars = max_chars
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.max_chars is not None:
            kwargs["max_chars"] = self.max_chars
        return name, path, args, kwargs

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        if self.max_chars is not None and value and len(value) > self.max_chars:
            raise ValidationError(
                _max_chars_message(self.max_chars), code="max_length", params={"limit_value": self.max_chars}
            )

    def formfield(self, **kwargs):
        if self.max_chars is not None:
            kwargs.setdefault("max_length", self.max_chars)
            field = super().formfield(**kwargs)
            field.max_length = self.max_chars
            return field
        return super().formfield(widget=forms.Textarea, **kwargs)


def _max_chars_message(limit):
    from django.utils.translation import gettext

    return gettext("Ensure this value has at most %(limit_value)d characters.") % {"limit_value": limit}


class EncryptedDateField(EncryptedField):
    form_class = forms.DateField

    def to_bytes(self, value) -> bytes:
        if isinstance(value, datetime.datetime):
            value = value.date()
        return value.isoformat().encode()

    def from_bytes(self, data: bytes):
        return datetime.date.fromisoformat(data.decode())

    def to_python(self, value):
        if value is None or value == "" or isinstance(value, datetime.date):
            return value or None
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError as exc:
            raise ValidationError(_invalid_date_message(), code="invalid") from exc

    def pre_save(self, model_instance, add):
        value = model_instance.__dict__.get(self.attname)
        if isinstance(value, str) and not isinstance(value, Sealed) and value:
            model_instance.__dict__[self.attname] = self.to_python(value)
        return super().pre_save(model_instance, add)

    def formfield(self, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}))
        return super().formfield(**kwargs)


def _invalid_date_message():
    from django.utils.translation import gettext

    return gettext("Enter a valid date.")


class EncryptedJSONField(EncryptedField):
    def to_bytes(self, value) -> bytes:
        return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str).encode()

    def from_bytes(self, data: bytes):
        return json.loads(data)

    def pre_save(self, model_instance, add):
        raw = model_instance.__dict__.get(self.attname)
        if raw in (None, "") or isinstance(raw, Sealed):
            return super().pre_save(model_instance, add)
        return self.seal(model_instance, raw)


class BlindIndexField(models.CharField):
    """Truncated HMAC-SHA256 of a normalised value (or of several fields, for compound indexes).

    `transform` is the dotted path of a function taking the source values and returning the
    normalised string, or None when there is nothing to index. `network=True` keys the index with
    the network key instead of the organisation's, so that it matches across organisations.
    """

    def __init__(self, *args, sources=(), transform: str = "", bits: int = 16, network: bool = False,
                 organisation_field: str = "organisation", **kwargs):
        if bits % 4 or not 8 <= bits <= 64:
            raise ImproperlyConfigured("BlindIndexField.bits must be a multiple of 4 between 8 and 64.")
        self.sources = tuple(sources)
        self.transform = transform
        self.bits = bits
        self.network = network
        self.organisation_field = organisation_field
        kwargs["max_length"] = bits // 4
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        kwargs["editable"] = False
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("max_length", None)
        kwargs.pop("editable", None)
        kwargs.update(sources=list(self.sources), transform=self.transform, bits=self.bits)
        if self.network:
            kwargs["network"] = True
        if self.organisation_field != "organisation":
            kwargs["organisation_field"] = self.organisation_field
        return name, path, args, kwargs

    def normalise(self, *values) -> str | None:
        return import_string(self.transform)(*values)

    def key_for(self, org_id) -> keys.DataKeyMaterial:
        return keys.active(keys.NETWORK if self.network else org_id)

    def digest(self, org_id, normalised: str) -> str:
        key = self.key_for(org_id).index_key(self.model._meta.db_table, self.column)
        mac = hmac.new(key, normalised.encode(), hashlib.sha256).hexdigest()
        return mac[: self.bits // 4]

    def compute(self, instance) -> str | None:
        normalised = self.normalise(*(getattr(instance, source) for source in self.sources))
        if not normalised:
            return None
        return self.digest(getattr(instance, f"{self.organisation_field}_id"), normalised)

    def pre_save(self, model_instance, add):
        value = self.compute(model_instance)
        setattr(model_instance, self.attname, value)
        return value


def index_value(model, index_name: str, org_id, *values) -> str | None:
    """The blind-index value that `values` would have in `org_id` (None: nothing to search)."""
    field = model._meta.get_field(index_name)
    normalised = field.normalise(*values)
    return field.digest(org_id, normalised) if normalised else None


def blind_search(queryset, index_name: str, org_ids, *values) -> list:
    """Rows of `queryset` whose blind index matches `values` exactly, in any of `org_ids`.

    Truncation makes the index return a few candidates; they are decrypted and compared on the
    normalised value, so collisions never surface as false matches.
    """
    model = queryset.model
    field = model._meta.get_field(index_name)
    normalised = field.normalise(*values)
    if not normalised:
        return []
    if field.network:
        digests = {field.digest(None, normalised)}
        candidates = queryset.filter(**{index_name: digests.pop()})
    else:
        q = models.Q()
        for org_id in set(org_ids):
            q |= models.Q(**{f"{field.organisation_field}_id": org_id, index_name: field.digest(org_id, normalised)})
        if not q:
            return []
        candidates = queryset.filter(q)
    return [row for row in candidates if field.normalise(*(getattr(row, s) for s in field.sources)) == normalised]
