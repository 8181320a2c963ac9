"""Rows without Django's per-instance overhead, encoded by the application's own field code.

`new(Model, **values)` makes a `Row`: the model's field defaults, then the values given (a
foreign key given as an object also sets its `<name>_id`), as plain attributes, so the builder reads
and changes it like a model instance. Building a model instance costs more than everything else a
row needs (signals, descriptors, per-field pre_save and get_db_prep_save); a row costs a dict.

`encode(model, rows, connection)` turns a batch of rows into tuples in column order, with exactly
what `bulk_create` would store:
- identifying fields (`crypto.fields.EncryptedField`) are encrypted column by column with
  `crypto.cipher.sealer` (the function `cipher.encrypt` uses: the organisation's active data key,
  AES-GCM with a random nonce per value, taken from the pooled operating-system randomness of
  `synthetic.ids.random_bytes`; the same token format) over the field's own `to_bytes` and `cipher.associated_data`
  (organisation, table, column, row id), as `EncryptedField.seal` does; empty values stay empty
  as in `EncryptedField.pre_save`;
- blind indexes (`crypto.fields.BlindIndexField`) are the field's own `digest` of the field's own
  transform of its sources (the active key of the organisation, or the network key);
- `auto_now`/`auto_now_add` timestamps are the time of writing, as `pre_save` sets them;
- other columns go through the field's `get_db_prep_save` unless the value is already what the
  database takes (text, numbers, booleans; dates, times and UUIDs on PostgreSQL).
`to_model(row)` gives the model instance of a row, for the models' validators (`full_clean`) and
for the test that checks `encode` against Django's own path.
"""

from __future__ import annotations

import operator

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils import timezone
from django.utils.module_loading import import_string

from lindungi.crypto import cipher, keys
from lindungi.crypto import models as crypto_models
from lindungi.crypto.fields import BlindIndexField, EncryptedField
from lindungi.synthetic import ids


class Row:
    """A row of `model` (a subclass per model sets it). Attributes are the model's attnames."""

    model = None
    _pk_att = "id"

    @property
    def pk(self):
        return self.__dict__[self._pk_att]


class _Plan:
    """What making and encoding rows of one model needs, worked out once per model."""

    def __init__(self, model):
        self.model = model
        meta = model._meta
        self.fields = list(meta.concrete_fields)
        self.row_class = type(f"{model.__name__}Row", (Row,), {"model": model, "_pk_att": meta.pk.attname,
                                                               "__slots__": ()})
        self.defaults = {}
        self.callables = []  # (attname, default function): called per row, as Model.__init__ does
        for f in self.fields:
            if f.has_default() and callable(f.default):
                # The application's UUIDv7 keys, from the bulk source of the same format.
                default = ids.uuid7 if f.default is crypto_models.uuid7 else f.default
                self.callables.append((f.attname, default))
            else:
                self.defaults[f.attname] = f.get_default()
        self.foreign_keys = {f.name: f.attname for f in self.fields if f.is_relation}
        self.encoders = {}

    def new(self, values: dict) -> Row:
        row = self.row_class()
        data = row.__dict__
        data.update(self.defaults)
        for attname, default in self.callables:
            if attname not in values:
                data[attname] = default()
        data.update(values)
        for name in self.foreign_keys.keys() & values.keys():  # given as objects: their ids
            target = values[name]
            data[self.foreign_keys[name]] = None if target is None else target.pk
        return row


_PLANS: dict = {}


def plan(model) -> _Plan:
    found = _PLANS.get(model)
    if found is None:
        found = _PLANS[model] = _Plan(model)
    return found


def new(model, **values) -> Row:
    return plan(model).new(values)


def to_model(row: Row):
    """The model instance holding the row's values (plaintext; nothing is computed or saved)."""
    data = row.__dict__
    return row.model(**{f.attname: data[f.attname] for f in plan(row.model).fields})


# --- encoding --------------------------------------------------------------------------------

# Field classes whose get_db_prep_save leaves a value of the right Python type as it is, on every
# backend (exact classes: a subclass may override it).
_AS_IS = {models.CharField, models.TextField, models.BooleanField, models.IntegerField, models.SmallIntegerField,
          models.BigIntegerField, models.PositiveIntegerField, models.PositiveSmallIntegerField,
          models.PositiveBigIntegerField, models.AutoField, models.BigAutoField, models.SlugField,
          models.EmailField}
# ... and on PostgreSQL (psycopg adapts them natively; Django's adapt_*_value return them unchanged).
_AS_IS_POSTGRESQL = {models.DateField, models.TimeField, models.UUIDField}

# Fields whose values are hashable and whose conversion depends on the value only.
_HASHABLE = (models.DateField, models.TimeField, models.UUIDField)  # DateTimeField is a DateField


def _as_is(field, vendor: str) -> bool:
    target = field.target_field if field.is_relation else field
    kind = type(target)
    if kind in _AS_IS or (vendor == "postgresql" and kind in _AS_IS_POSTGRESQL):
        return True
    # Aware datetimes go to PostgreSQL as they are (SQLite stores them as text in UTC).
    return vendor == "postgresql" and kind is models.DateTimeField


class _Encoder:
    def __init__(self, model, with_pk: bool, vendor: str):
        self.fields = fields = columns(model, with_pk)
        self.table = model._meta.db_table
        self.get = operator.itemgetter(*[f.attname for f in fields])
        self.single = len(fields) == 1
        self.now = [i for i, f in enumerate(fields) if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
        self.encrypted = [(i, f, f.org_attname) for i, f in enumerate(fields) if isinstance(f, EncryptedField)]
        self.indexes = []
        for i, f in enumerate(fields):
            if isinstance(f, BlindIndexField):
                sources = operator.itemgetter(*[model._meta.get_field(s).attname for s in f.sources])
                # The field's own transform (BlindIndexField.normalise imports it on every call).
                self.indexes.append((i, f, sources, len(f.sources) == 1, import_string(f.transform)))
        special = {i for i, *_rest in self.encrypted} | {i for i, *_rest in self.indexes} | set(self.now)
        self.convert = [(i, f, isinstance(f.target_field if f.is_relation else f, _HASHABLE))
                        for i, f in enumerate(fields) if i not in special and not _as_is(f, vendor)]

    def encode(self, rows: list, connection) -> list[list]:
        now = timezone.now()
        out = [[self.get(row.__dict__)] if self.single else list(self.get(row.__dict__)) for row in rows]
        for i in self.now:
            field = self.fields[i]
            attname, stored = field.attname, field.get_db_prep_save(now, connection)  # one time for the batch
            for row, values in zip(rows, out, strict=True):
                row.__dict__[attname] = now
                values[i] = stored
        # Several indexes of a row often normalise the same values (a child's name and birth year
        # for the organisation's and the network's index; the NIK for both): once per batch.
        normalised_values = {}
        for i, field, sources, single, normalise in self.indexes:
            index_keys = {}
            for row, values in zip(rows, out, strict=True):
                data = row.__dict__
                source = sources(data)
                memo_key = (normalise, source)
                normalised = normalised_values.get(memo_key, normalised_values)
                if normalised is normalised_values:
                    normalised = normalised_values[memo_key] = normalise(source) if single else normalise(*source)
                if not normalised:
                    digest = None
                else:
                    owner = keys.NETWORK if field.network else data[field.org_attname]
                    if owner is None and not field.network:
                        raise ImproperlyConfigured(f"{self.table}.{field.name}: a row without an organisation.")
                    key = index_keys.get(owner)
                    if key is None:
                        key = index_keys[owner] = field.key_for(owner)
                    digest = field.digest(owner, normalised, key)
                data[field.attname] = values[i] = digest
        # The row's id as the associated data spells it (f"{row_id}"), once per row, not per column.
        row_ids = [str(row.pk) for row in rows] if self.encrypted else ()
        for i, field, org_attname in self.encrypted:
            sealers = {}
            column, table = field.column, self.table
            for row, values, row_id in zip(rows, out, row_ids, strict=True):
                plaintext = values[i]
                if plaintext is None or plaintext == "":
                    continue  # EncryptedField.pre_save keeps empty values empty
                org_id = row.__dict__[org_attname]
                seal = sealers.get(org_id)
                if seal is None:
                    if org_id is None:  # as EncryptedField refuses it: never under the network key
                        raise ImproperlyConfigured(f"{self.table}.{field.name}: a row without an organisation.")
                    seal = sealers[org_id] = cipher.sealer(org_id, random_bytes=ids.random_bytes)
                values[i] = seal(field.to_bytes(plaintext), cipher.associated_data(org_id, table, column, row_id))
        for i, field, memo in self.convert:
            prep = field.get_db_prep_save
            if memo:  # dates, times and ids repeat within a batch: convert each value once
                seen = {}
                for values in out:
                    value = values[i]
                    found = seen.get(value, seen)
                    if found is seen:
                        found = seen[value] = prep(value, connection)
                    values[i] = found
            else:
                for values in out:
                    values[i] = prep(values[i], connection)
        return out


def encode(model, rows: list, connection) -> list[list]:
    """The rows as `bulk_create` would store them, in the order of `columns(model, ...)`."""
    return _encoder(model, rows[0].pk is not None, connection.vendor).encode(rows, connection)


def columns(model, with_pk: bool) -> list:
    """The fields `encode` gives values for, in order (without an automatic primary key)."""
    return [f for f in plan(model).fields if with_pk or not f.primary_key]


def _encoder(model, with_pk: bool, vendor: str) -> _Encoder:
    encoders = plan(model).encoders
    found = encoders.get((with_pk, vendor))
    if found is None:
        found = encoders[(with_pk, vendor)] = _Encoder(model, with_pk, vendor)
    return found
