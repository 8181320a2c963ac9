"""Encrypted model fields and blind indexes (after the CipherSweet design).

    class Child(EncryptedRecord):
        organisation = models.ForeignKey(Organisation, ...)
        full_name = EncryptedTextField(max_chars=200)
        birth_date = EncryptedDateField(null=True, blank=True)
        name_index = BlindIndexField(sources=["full_name"], transform="lindungi.crypto.normalise.name")

Values are decrypted lazily, on first attribute access, and encrypted in `pre_save` (so
`bulk_create` encrypts too). Every model with encrypted fields has a UUID primary key (see
`EncryptedRecord`) and a direct foreign key to its organisation: both go into the associated data.

What the fields refuse, on purpose:
- database lookups on encrypted columns other than `isnull` (search through a blind index) and
  the internal `sealed_with=<key id>` used by `rotate_keys`;
- plaintext on its way to the database outside a model save (`QuerySet.update`, `bulk_update`):
  only complete ciphertext tokens pass.

A record remembers the organisation and primary key its ciphertexts were loaded under: when either
changes (a transfer, a copy), the next save decrypts with the old ones and re-encrypts with the new.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
from functools import cached_property

from django import forms
from django.core import checks
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured, ValidationError
from django.db import models
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import class_prepared, post_init
from django.utils.module_loading import import_string

from lindungi.crypto import cipher, keys

_ORIGIN = "_crypto_origin"
_UNKNOWN = object()


class Sealed(str):
    """A ciphertext token as read from the database, not yet decrypted."""


# --- model introspection ---------------------------------------------------------------------
def encrypted_fields(model) -> list[EncryptedField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedField)]


def blind_index_fields(model) -> list[BlindIndexField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, BlindIndexField)]


def _org_attname(model, organisation_field: str) -> str:
    try:
        return model._meta.get_field(organisation_field).attname
    except FieldDoesNotExist:
        return f"{organisation_field}_id"


# --- where a record's ciphertexts were made --------------------------------------------------
def _remember_origin(sender, instance, **kwargs):
    """post_init: note the primary key and organisation(s) the record's ciphertexts are bound to,
    so that a change of either (a transfer, a copy) re-encrypts them on the next save."""
    data = instance.__dict__
    orgs = {}
    for f in encrypted_fields(sender):
        orgs[f.org_attname] = data.get(f.org_attname, _UNKNOWN)  # _UNKNOWN: deferred when loaded
    data[_ORIGIN] = (data.get(sender._meta.pk.attname), orgs)


def reset_origin(instance) -> None:
    """After a save, the ciphertexts in the database are bound to the record as it is now."""
    if instance.__dict__.get(_ORIGIN) is not None:
        _remember_origin(type(instance), instance)


def _origin(instance, field: EncryptedField) -> tuple[object, int | None]:
    """(pk, organisation id) that a Sealed value of `field` on `instance` was encrypted under."""
    data = instance.__dict__
    attname = field.org_attname
    origin = data.get(_ORIGIN)
    if origin is None:
        return instance.pk, getattr(instance, attname)
    pk, orgs = origin
    org_id = orgs.get(attname, _UNKNOWN)
    if org_id is _UNKNOWN:
        if attname not in data:
            org_id = getattr(instance, attname)  # still deferred: loading it gives the stored value
        else:
            org_id = (
                type(instance)._base_manager.filter(pk=pk).values_list(attname, flat=True).first()
            )
    return pk, org_id


def _watch_model(sender, **kwargs):
    """class_prepared: models (and their proxies) with encrypted fields remember their origin."""
    if encrypted_fields(sender):
        post_init.connect(_remember_origin, sender=sender, weak=False, dispatch_uid=f"crypto-origin-{sender._meta.label}")


class_prepared.connect(_watch_model, weak=False, dispatch_uid="crypto-watch-models")


class _EncryptedAttribute(DeferredAttribute):
    """Decrypts on first read and keeps the plaintext on the instance from then on."""

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        field = self.field
        data = instance.__dict__
        attname = field.attname
        if attname not in data:
            # Deferred: load it, together with the organisation when that is deferred too (one
            # query instead of two; never overwriting an organisation changed on this instance).
            names = [attname]
            if field.org_attname not in data:
                names.append(field.org_attname)
            instance.refresh_from_db(fields=names)
        raw = data[attname]
        if isinstance(raw, Sealed):
            raw = field.open(instance, raw)
            # Keep the plaintext from now on; the next save encrypts it afresh (new nonce).
            data[attname] = raw
        return raw

    def __set__(self, instance, value):
        if value is not None and not isinstance(value, Sealed):
            value = self.field.coerce(value)
        instance.__dict__[self.field.attname] = value


# --- lookups ---------------------------------------------------------------------------------
class SealedWith(models.Lookup):
    """`field__sealed_with=<key id>`: rows whose ciphertext was made with that data key (a prefix
    match on the token, which never reveals anything about the plaintext). Used by rotate_keys."""

    lookup_name = "sealed_with"
    prepare_rhs = False

    def __init__(self, lhs, rhs):
        if isinstance(rhs, bool) or not isinstance(rhs, int):
            raise TypeError("sealed_with takes a data key id (an integer).")
        super().__init__(lhs, rhs)

    def as_sql(self, compiler, connection):
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs_sql} LIKE %s", [*lhs_params, cipher.token_prefix(self.rhs) + "%"]


# --- encrypted fields ------------------------------------------------------------------------
class EncryptedField(models.TextField):
    """Base class: subclasses say how a plaintext value becomes bytes and back."""

    descriptor_class = _EncryptedAttribute
    form_class = forms.CharField

    def __init__(self, *args, organisation_field: str = "organisation", **kwargs):
        self.organisation_field = organisation_field
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.organisation_field != "organisation":
            kwargs["organisation_field"] = self.organisation_field
        return name, path, args, kwargs

    @cached_property
    def org_attname(self) -> str:
        return _org_attname(self.model, self.organisation_field)

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        if self.unique or self.db_index or self.primary_key:
            errors.append(checks.Error(
                "Encrypted fields cannot be unique, indexed or a primary key (ciphertexts are random).",
                hint="Add a BlindIndexField over it instead.", obj=self, id="crypto.E001",
            ))
        try:
            target = self.model._meta.get_field(self.organisation_field)
        except FieldDoesNotExist:
            target = None
        if target is None or not target.many_to_one:
            errors.append(checks.Error(
                f"{self.model.__name__} needs a foreign key {self.organisation_field!r} to its organisation "
                "(part of every ciphertext's associated data).", obj=self, id="crypto.E002",
            ))
        return errors

    # plaintext <-> bytes -------------------------------------------------------------------
    def coerce(self, value):
        """On assignment: the Python type of a valid value (a date given as text becomes a date);
        an invalid one is kept as it is, for full_clean to report."""
        return value

    def to_bytes(self, value) -> bytes:
        return str(value).encode()

    def from_bytes(self, data: bytes):
        return data.decode()

    # encryption ----------------------------------------------------------------------------
    def _aad(self, instance, org_id, pk) -> bytes:
        if org_id is None:
            raise ImproperlyConfigured(f"{type(instance).__name__}.{self.name}: the record has no organisation yet.")
        if pk is None:
            raise ImproperlyConfigured(
                f"{type(instance).__name__} must know its primary key before saving (use EncryptedRecord)."
            )
        return cipher.associated_data(org_id, instance._meta.db_table, self.column, pk)

    def seal(self, instance, value) -> str:
        """Encrypt `value` for `instance` as it is now (its current organisation and key)."""
        org_id = getattr(instance, self.org_attname)
        return cipher.encrypt(org_id, self.to_bytes(value), self._aad(instance, org_id, instance.pk))

    def open(self, instance, token: str):
        """Decrypt `token`, read from `instance`, under the organisation and row it was loaded with."""
        pk, org_id = _origin(instance, self)
        return self.from_bytes(cipher.decrypt(org_id, token, self._aad(instance, org_id, pk)))

    def open_stored(self, token: str, *, pk, organisation_id: int):
        """Decrypt a value read without its model instance (values()/values_list() give the
        stored token), bound to the row's primary key and organisation as stored beside it. For a
        list that shows one decrypted column of many rows without building their instances."""
        if organisation_id is None or pk is None:
            raise ImproperlyConfigured(f"{self.model.__name__}.{self.name}: a stored value needs its row and organisation.")
        aad = cipher.associated_data(organisation_id, self.model._meta.db_table, self.column, pk)
        return self.from_bytes(cipher.decrypt(organisation_id, str(token), aad))

    def _moved(self, instance) -> bool:
        origin = instance.__dict__.get(_ORIGIN)
        if origin is None:
            return False
        pk, orgs = origin
        if pk != instance.pk:
            return True
        loaded_org = orgs.get(self.org_attname, _UNKNOWN)
        if self.org_attname not in instance.__dict__:
            return False  # still deferred: unchanged
        if loaded_org is _UNKNOWN:
            loaded_org = _origin(instance, self)[1]
        return loaded_org != instance.__dict__[self.org_attname]

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
            if not self._moved(model_instance):
                return str(raw)  # unchanged and not read: keep the stored ciphertext
            raw = self.open(model_instance, raw)
            model_instance.__dict__[self.attname] = raw
        return self.seal(model_instance, raw)

    def get_prep_value(self, value):
        if value is None or value == "" or cipher.is_token(value):
            return value
        # Reaching here means an unencrypted value on its way to the database outside pre_save
        # (QuerySet.update, bulk_update, a filter value): refuse rather than store plaintext.
        raise ValueError(f"{self.name}: encrypted fields are written only through model saves.")

    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        if lookup_name == SealedWith.lookup_name:
            return SealedWith
        return None  # no equality or text search over ciphertexts; use a blind index

    def get_transform(self, lookup_name):
        return None

    def value_to_string(self, obj):
        # Serialisers (dumpdata) get the ciphertext, never the plaintext.
        return self.pre_save(obj, add=False)

    def to_python(self, value):
        return value

    def formfield(self, **kwargs):
        # models.Field.formfield, not TextField's: no Textarea or max_length forced on subclasses.
        return models.Field.formfield(self, **{"form_class": self.form_class, **kwargs})


class EncryptedTextField(EncryptedField):
    """Text; `max_chars` limits the plaintext length (validation and forms). Without it the
    form shows a text area (notes, narratives)."""

    def __init__(self, *args, max_chars: int | None = None, **kwargs):
        self.max_chars = max_chars
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.max_chars is not None:
            kwargs["max_chars"] = self.max_chars
        return name, path, args, kwargs

    def to_python(self, value):
        if value is None or isinstance(value, str):
            return value
        return str(value)

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        if self.max_chars is not None and value and len(value) > self.max_chars:
            raise ValidationError(
                _max_chars_message(self.max_chars), code="max_length", params={"limit_value": self.max_chars}
            )

    def formfield(self, **kwargs):
        defaults = {"max_length": self.max_chars}
        if self.max_chars is None:
            defaults["widget"] = forms.Textarea
        return super().formfield(**{**defaults, **kwargs})


def _max_chars_message(limit):
    from django.utils.translation import gettext

    return gettext("Ensure this value has at most %(limit_value)d characters.") % {"limit_value": limit}


class EncryptedDateField(EncryptedField):
    form_class = forms.DateField

    def coerce(self, value):
        try:
            return self.to_python(value)
        except ValidationError:
            return value

    def to_bytes(self, value) -> bytes:
        if isinstance(value, datetime.datetime):
            value = value.date()
        if not isinstance(value, datetime.date):
            value = self.to_python(value)
        return value.isoformat().encode()

    def from_bytes(self, data: bytes):
        return datetime.date.fromisoformat(data.decode())

    def to_python(self, value):
        if value is None or value == "":
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError as exc:
            raise ValidationError(_invalid_date_message(), code="invalid") from exc

    def value_from_object(self, obj):
        # Text, not a date: serialisers copy dates as they are but turn text into
        # value_to_string() (the ciphertext); forms accept ISO 8601 text as a date.
        value = super().value_from_object(obj)
        return value.isoformat() if isinstance(value, datetime.date) else value

    def formfield(self, **kwargs):
        # An HTML date input always speaks ISO 8601, whatever the language of the page.
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        return super().formfield(**kwargs)


def _invalid_date_message():
    from django.utils.translation import gettext

    return gettext("Enter a valid date.")


class EncryptedJSONField(EncryptedField):
    """Any JSON value (lists of aliases, a guardian's contact details). Mutating the value in place
    (`child.aliases.append(...)`) and saving stores the new value."""

    form_class = forms.JSONField

    def to_bytes(self, value) -> bytes:
        return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str).encode()

    def from_bytes(self, data: bytes):
        return json.loads(data)

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        try:
            self.to_bytes(value)
        except (TypeError, ValueError) as exc:
            raise ValidationError(_invalid_json_message(), code="invalid") from exc


def _invalid_json_message():
    from django.utils.translation import gettext

    return gettext("Enter a valid JSON value.")


# --- blind indexes ---------------------------------------------------------------------------
class BlindIndexField(models.CharField):
    """Truncated HMAC-SHA256 of a normalised value (or of several fields, for compound indexes).

    `transform` is the dotted path of a function taking the source values and returning the
    normalised string, or None when there is nothing to index. `network=True` keys the index with
    the network key instead of the organisation's, so that it matches across organisations (a
    deliberate choice for duplicate detection; it needs at least 32 bits, see docs/security.md).
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

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        if not self.sources:
            errors.append(checks.Error("BlindIndexField needs at least one source field.", obj=self, id="crypto.E010"))
        for source in self.sources:
            try:
                self.model._meta.get_field(source)
            except FieldDoesNotExist:
                errors.append(checks.Error(f"Unknown blind-index source {source!r}.", obj=self, id="crypto.E011"))
        try:
            import_string(self.transform)
        except ImportError:
            errors.append(checks.Error(f"Cannot import the transform {self.transform!r}.", obj=self, id="crypto.E012"))
        if self.network and self.bits < 32:
            errors.append(checks.Error(
                "A network-wide blind index needs at least 32 bits: it is shared by every organisation's rows.",
                obj=self, id="crypto.E013",
            ))
        return errors

    @cached_property
    def org_attname(self) -> str:
        return _org_attname(self.model, self.organisation_field)

    def normalise(self, *values) -> str | None:
        return import_string(self.transform)(*values)

    def key_for(self, org_id) -> keys.DataKeyMaterial:
        return keys.active(keys.NETWORK if self.network else org_id)

    def digest(self, org_id, normalised: str, key: keys.DataKeyMaterial | None = None) -> str:
        """The stored index value of `normalised` (with `key`, or the active key of its owner)."""
        key = key or self.key_for(org_id)
        mac = hmac.new(key.index_key(self.model._meta.db_table, self.column), normalised.encode(), hashlib.sha256)
        return mac.hexdigest()[: self.bits // 4]

    def search_digests(self, org_id, normalised: str) -> set[str]:
        """Every value `normalised` may be stored as right now (active key, and any key a
        rotation is still moving away from)."""
        owner = keys.NETWORK if self.network else org_id
        return {self.digest(org_id, normalised, key) for key in keys.searchable(owner)}

    def compute(self, instance) -> str | None:
        normalised = self.normalise(*(getattr(instance, source) for source in self.sources))
        if not normalised:
            return None
        org_id = None if self.network else getattr(instance, self.org_attname)
        if org_id is None and not self.network:
            raise ImproperlyConfigured(f"{type(instance).__name__}.{self.name}: the record has no organisation yet.")
        return self.digest(org_id, normalised)

    def pre_save(self, model_instance, add):
        value = self.compute(model_instance)
        setattr(model_instance, self.attname, value)
        return value


# --- saving ----------------------------------------------------------------------------------
def _names(model, names) -> set[str]:
    """Field names for a mix of names and attnames (update_fields accepts both)."""
    result = set()
    for name in names:
        try:
            result.add(model._meta.get_field(name).name)
        except FieldDoesNotExist:
            by_attname = {f.attname: f.name for f in model._meta.concrete_fields}
            result.add(by_attname.get(name, name))
    return result


def prepare_save(instance, update_fields):
    """The update_fields a save of `instance` really needs (EncryptedRecord.save calls this).

    - a record that changed organisation or primary key re-encrypts every encrypted field, so
      deferred ones are loaded first and all of them are written;
    - a blind index is recomputed whenever one of its sources (or the organisation) is saved.
    """
    model = type(instance)
    enc = encrypted_fields(model)
    indexes = blind_index_fields(model)
    if (not enc and not indexes) or (update_fields is not None and not update_fields):
        return update_fields  # nothing encrypted here, or an empty update_fields (Django saves nothing)
    moved = any(f._moved(instance) for f in enc)
    if moved:
        for f in enc:
            getattr(instance, f.attname)  # loads a deferred value under its old organisation
    deferred = instance.get_deferred_fields()
    if update_fields is None and not deferred:
        return None  # every field is saved anyway
    if update_fields is None:
        # Django would save the loaded fields only: say so explicitly, then widen it.
        wanted = {f.name for f in model._meta.concrete_fields if f.attname not in deferred and not f.primary_key}
    else:
        wanted = _names(model, update_fields)
    if moved:
        wanted |= {f.name for f in enc}
    for index in indexes:
        org_field = model._meta.get_field(index.organisation_field).name if not index.network else None
        if wanted & set(index.sources) or (moved and not index.network) or (org_field and org_field in wanted):
            wanted.add(index.name)
    return wanted


# --- search ----------------------------------------------------------------------------------
def index_value(model, index_name: str, org_id, *values) -> str | None:
    """The blind-index value that `values` would have in `org_id` (None: nothing to search)."""
    field = model._meta.get_field(index_name)
    normalised = field.normalise(*values)
    return field.digest(org_id, normalised) if normalised else None


def blind_search(queryset, index_name: str, org_ids, *values) -> list:
    """Rows of `queryset` whose blind index matches `values` exactly, in any of `org_ids`.

    Truncation makes the index return a few candidates; they are decrypted and compared on the
    normalised value, so collisions never surface as false matches. The queryset should already
    be scoped to what the user may see (`policy.scope_filter`); for a per-organisation index only
    rows of `org_ids` can match, for a network index `org_ids` is ignored.
    """
    model = queryset.model
    field = model._meta.get_field(index_name)
    if not isinstance(field, BlindIndexField):
        raise TypeError(f"{model.__name__}.{index_name} is not a blind index.")
    normalised = field.normalise(*values)
    if not normalised:
        return []
    if field.network:
        candidates = queryset.filter(**{f"{index_name}__in": field.search_digests(None, normalised)})
    else:
        q = models.Q()
        for org_id in sorted({o for o in org_ids if o is not None}):
            q |= models.Q(**{field.org_attname: org_id, f"{index_name}__in": field.search_digests(org_id, normalised)})
        if not q:
            return []
        candidates = queryset.filter(q)
    return [row for row in candidates if field.normalise(*(getattr(row, s) for s in field.sources)) == normalised]
