"""Key rotation, KEK re-wrapping and crypto-shredding (driven by `rotate_keys` and
`shred_organisation`; see docs/security.md for the procedures).

Rotating an organisation's data key:
1. a new key becomes active; the old one becomes *pending* (still decrypts, still searched);
2. wait until every process has dropped its cached "active key" (keys.ACTIVE_TTL_SECONDS), so no
   new ciphertext is made with the old key any more;
3. one pass over every row of every model with encrypted fields: re-encrypt the values made with
   a pending key and recompute the blind indexes (in batches, row locks, keyset pagination);
4. sweep until no row carries a token of a pending key (`field__sealed_with=<key id>`);
5. re-encrypt files through the models' `rotate_encrypted_blobs` hook;
6. retire the pending keys.
An interrupted run is resumed by running the command again: a pending key means "resume", and
rows already re-encrypted are skipped.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models, transaction
from django.utils import timezone

from lindungi.crypto import cipher, keys
from lindungi.crypto.fields import BlindIndexField, EncryptedField, blind_index_fields, encrypted_fields
from lindungi.crypto.models import DataKey

Log = Callable[[str], None]


def _quiet(_message: str) -> None:
    pass


@dataclass
class Rotation:
    org_id: int | None
    active_key_id: int
    stale_key_ids: list[int]
    activated_at: object
    resumed: bool
    rows_checked: int = 0
    rows_rewritten: int = 0
    blobs_rewritten: int = 0
    blobs_unreadable: int = 0  # files missing or damaged: no key reads them
    per_model: dict[str, int] = field(default_factory=dict)  # rows rewritten, by model
    checked_per_model: dict[str, int] = field(default_factory=dict)


def encrypted_models() -> list[type[models.Model]]:
    """Every installed model with an encrypted field or a blind index."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or model._meta.abstract:
            continue
        if encrypted_fields(model) or blind_index_fields(model):
            found.append(model)
    return sorted(found, key=lambda m: m._meta.label)


# --- 1. a new key ------------------------------------------------------------------------------
def begin(org_id: int | None) -> Rotation | None:
    """Make a new key active (or resume an unfinished rotation). None: the owner has no key yet,
    so nothing was ever encrypted for it."""
    with transaction.atomic():
        rows = list(DataKey.objects.select_for_update().filter(organisation_id=org_id).order_by("key_id"))
        if not rows:
            return None
        current = next((r for r in rows if r.is_active), None)
        pending = [r.key_id for r in rows if not r.is_active and r.retired_at is None]
        if current is not None and pending:
            rotation = Rotation(org_id, current.key_id, pending, current.created_at, resumed=True)
        else:
            new_id = max(r.key_id for r in rows) + 1
            DataKey.objects.filter(organisation_id=org_id, is_active=True).update(is_active=False)
            new = DataKey.objects.create(
                organisation_id=org_id, key_id=new_id, wrapped=keys.wrap(os.urandom(32), org_id, new_id),
                kek_id=keys.kek_id(keys.current_kek()), is_active=True,
            )
            stale = [r.key_id for r in rows if r.retired_at is None]
            rotation = Rotation(org_id, new_id, stale, new.created_at, resumed=False)
    keys.forget_cached_keys()
    return rotation


# --- 2. let every process see it -------------------------------------------------------------
def settle(rotation: Rotation, seconds: float, log: Log = _quiet) -> None:
    deadline = rotation.activated_at.timestamp() + seconds
    remaining = deadline - timezone.now().timestamp()
    if remaining > 0:
        log(f"  waiting {remaining:.0f} s until every process uses the new key…")
        time.sleep(remaining)


# --- 3./4. re-encrypt --------------------------------------------------------------------------
def _groups(model, network: bool):
    """(organisation attname, encrypted fields, blind indexes) per organisation field of `model`."""
    groups: dict[str, tuple[list[EncryptedField], list[BlindIndexField]]] = {}
    if not network:
        for f in encrypted_fields(model):
            groups.setdefault(f.org_attname, ([], []))[0].append(f)
    for f in blind_index_fields(model):
        if f.network == network:
            groups.setdefault(None if network else f.org_attname, ([], []))[1].append(f)
    return groups


def _columns(model, org_attname, enc, indexes) -> list[str]:
    names = {model._meta.pk.attname, *(f.attname for f in enc), *(f.attname for f in indexes)}
    for index in indexes:
        names.update(model._meta.get_field(s).attname for s in index.sources)
        names.add(index.org_attname)
    if org_attname:
        names.add(org_attname)
    for f in enc:
        names.add(f.org_attname)
    return sorted(names)


def _rewrite(row, active_key_id: int | None, enc, indexes) -> bool:
    """Re-encrypt `row`'s stale values and recompute its indexes; True when something changed."""
    data = row.__dict__
    tokens = {f: data.get(f.attname) for f in enc}
    stale = [f for f, token in tokens.items() if token and cipher.key_id_of(token) != active_key_id]
    if enc and not stale and any(tokens.values()):
        return False  # already under the active key; its indexes were written in the same save
    changes = {}
    for f in stale:
        changes[f.attname] = f.seal(row, getattr(row, f.attname))
    for index in indexes:
        value = index.compute(row)
        if value != data.get(index.attname):
            changes[index.attname] = value
    if changes:
        type(row)._base_manager.filter(pk=row.pk).update(**changes)
    return bool(changes)


def _process(model, queryset, active_key_id, enc, indexes, batch_size, log, label, rotation) -> None:
    last = None
    while True:
        with transaction.atomic():
            batch_qs = queryset.order_by("pk")
            if last is not None:
                batch_qs = batch_qs.filter(pk__gt=last)
            batch = list(batch_qs.select_for_update()[:batch_size])
            for row in batch:
                rotation.rows_checked += 1
                rotation.checked_per_model[label] = rotation.checked_per_model.get(label, 0) + 1
                if _rewrite(row, active_key_id, enc, indexes):
                    rotation.rows_rewritten += 1
                    rotation.per_model[label] = rotation.per_model.get(label, 0) + 1
        if not batch:
            break
        last = batch[-1].pk
        log(f"  {label}: {rotation.checked_per_model[label]} rows checked, {rotation.per_model.get(label, 0)} rewritten")
        if len(batch) < batch_size:
            break


def _stale_q(enc, stale_key_ids) -> models.Q:
    q = models.Q()
    for f in enc:
        for key_id in stale_key_ids:
            q |= models.Q(**{f"{f.name}__sealed_with": key_id})
    return q


def remaining_rows(org_id: int, stale_key_ids) -> int:
    """How many rows still hold a ciphertext made with one of `stale_key_ids` of `org_id`."""
    total = 0
    for model in encrypted_models():
        for org_attname, (enc, _indexes) in _groups(model, network=False).items():
            if enc and stale_key_ids:
                total += model._base_manager.filter(**{org_attname: org_id}).filter(_stale_q(enc, stale_key_ids)).count()
    return total


def reencrypt(rotation: Rotation, batch_size: int = 500, log: Log = _quiet) -> None:
    org_id = rotation.org_id
    for model in encrypted_models():
        for org_attname, (enc, indexes) in _groups(model, network=False).items():
            label = model._meta.label_lower
            base = model._base_manager.filter(**{org_attname: org_id}).only(*_columns(model, org_attname, enc, indexes))
            _process(model, base, rotation.active_key_id, enc, indexes, batch_size, log, label, rotation)
            # Sweep: rows written with a pending key behind the pass (by a process that had not yet
            # seen the new key), until none is left.
            if enc:
                while base.filter(_stale_q(enc, rotation.stale_key_ids)).exists():
                    _process(model, base.filter(_stale_q(enc, rotation.stale_key_ids)), rotation.active_key_id,
                             enc, indexes, batch_size, log, label, rotation)


def reindex_network(rotation: Rotation, batch_size: int = 500, log: Log = _quiet) -> None:
    for model in encrypted_models():
        for _none, (_enc, indexes) in _groups(model, network=True).items():
            if not indexes:
                continue
            label = model._meta.label_lower
            base = model._base_manager.all().only(*_columns(model, None, [], indexes))
            _process(model, base, None, [], indexes, batch_size, log, label, rotation)


# --- 5. files ----------------------------------------------------------------------------------
def rotate_blobs(rotation: Rotation, batch_size: int = 500, log: Log = _quiet) -> None:
    """Models that keep encrypted files define

        @classmethod
        def rotate_encrypted_blobs(cls, *, organisation_id, stale_key_ids, batch_size, log) -> FileRotation

    (usually by calling `reencrypt_files`), which re-encrypts with the active key every file of the
    organisation whose cipher.blob_key_id() is in stale_key_ids."""
    for model in apps.get_models():
        hook = getattr(model, "rotate_encrypted_blobs", None)
        if callable(hook):
            done = hook(organisation_id=rotation.org_id, stale_key_ids=list(rotation.stale_key_ids),
                        batch_size=batch_size, log=log)
            rotation.blobs_rewritten += done.rewritten
            rotation.blobs_unreadable += len(done.unreadable)
            log(f"  {model._meta.label_lower}: {done.checked} files checked, {done.rewritten} re-encrypted"
                + (f", {len(done.unreadable)} missing or damaged: {', '.join(map(str, done.unreadable))}"
                   if done.unreadable else ""))


@dataclass
class FileRotation:
    checked: int = 0
    rewritten: int = 0
    unreadable: list = field(default_factory=list)  # primary keys whose file is missing or damaged


# Enough of a file for its header ("v1.<key id>.").
_HEADER_BYTES = 16


def reencrypt_files(model, *, name_field: str, organisation_id: int, stale_key_ids, batch_size: int = 500,
                    log: Log = _quiet) -> FileRotation:
    """Re-encrypt with the active key every file of `model` (of `organisation_id`) still sealed with
    one of `stale_key_ids`. `name_field` holds the file's name in the default storage, and the
    model's `blob_context` is the file's associated data.

    Each file is rewritten under a new name and its row repointed in a transaction holding the row's
    lock; the old file is deleted only after the commit, so an interruption leaves either the old
    file or the new one in use, never a half-written one, and a transaction that fails (also at its
    commit) deletes the new copy it had written. A file that is missing or cannot be
    decrypted is reported, not retried: no key can read it, so it keeps no key in use."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    done = FileRotation()
    stale = set(stale_key_ids)
    rows = model._base_manager.filter(organisation_id=organisation_id).order_by("pk")
    last = None
    while True:
        page = rows.filter(pk__gt=last) if last is not None else rows
        batch = list(page.values_list("pk", flat=True)[:batch_size])
        for pk in batch:
            done.checked += 1
            new_name = None
            try:
                with transaction.atomic():
                    row = model._base_manager.select_for_update().filter(pk=pk, organisation_id=organisation_id).first()
                    if row is None:  # deleted or transferred meanwhile: no longer this organisation's file
                        continue
                    old_name = str(getattr(row, name_field))
                    try:
                        with default_storage.open(old_name, "rb") as handle:
                            if cipher.blob_key_id(handle.read(_HEADER_BYTES)) not in stale:
                                continue
                            handle.seek(0)
                            data = cipher.decrypt_blob(organisation_id, row.blob_context, handle.read())
                    except (OSError, cipher.DecryptionError):
                        done.unreadable.append(pk)
                        continue
                    folder = old_name.rsplit("/", 1)[0] + "/" if "/" in old_name else ""
                    new_name = default_storage.save(
                        f"{folder}{uuid.uuid4().hex}.bin",
                        ContentFile(cipher.encrypt_blob(organisation_id, row.blob_context, data)),
                    )
                    model._base_manager.filter(pk=pk).update(**{name_field: new_name})
                    # robust: a deletion that fails after the commit must not reach the handler
                    # below, which would delete the copy the committed row now names.
                    transaction.on_commit(lambda name=old_name: default_storage.delete(name), robust=True)
            except BaseException:
                # The row still names the old file (the update was rolled back, or its commit
                # failed), so the new copy would be an orphan no row points to.
                if new_name is not None:
                    default_storage.delete(new_name)
                raise
            if new_name is not None:
                done.rewritten += 1
        if len(batch) < batch_size:
            break
        last = batch[-1]
        log(f"  {model._meta.label_lower}: {done.checked} files checked, {done.rewritten} re-encrypted")
    return done


# --- 6. retire ---------------------------------------------------------------------------------
def retire(rotation: Rotation) -> int:
    if rotation.org_id is not None:
        left = remaining_rows(rotation.org_id, rotation.stale_key_ids)
        if left:
            raise RuntimeError(f"{left} rows still use a pending key; run rotate_keys again.")
    count = DataKey.objects.filter(
        organisation_id=rotation.org_id, key_id__in=rotation.stale_key_ids, retired_at__isnull=True
    ).update(retired_at=timezone.now())
    keys.forget_cached_keys()
    return count


def rotate(org_id: int | None, *, batch_size: int = 500, settle_seconds: float | None = None,
           log: Log = _quiet) -> Rotation | None:
    """The whole rotation of one organisation's key (or of the network key, org_id=None)."""
    from lindungi.audit.services import record

    rotation = begin(org_id)
    if rotation is None:
        return None
    verb = "resuming rotation to" if rotation.resumed else "new active key"
    log(f"  {verb} {rotation.active_key_id}; replacing {', '.join(map(str, rotation.stale_key_ids)) or '-'}")
    settle(rotation, keys.ACTIVE_TTL_SECONDS + 2 if settle_seconds is None else settle_seconds, log)
    if org_id is None:
        reindex_network(rotation, batch_size, log)
    else:
        reencrypt(rotation, batch_size, log)
        rotate_blobs(rotation, batch_size, log)
    retired = retire(rotation)
    record(
        "crypto.key.rotated", organisation=org_id,
        payload={"scope": "network" if org_id is None else "organisation", "active_key": rotation.active_key_id,
                 "retired_keys": rotation.stale_key_ids, "rows_rewritten": rotation.rows_rewritten,
                 "files_rewritten": rotation.blobs_rewritten,
                 "files_unreadable": rotation.blobs_unreadable, "resumed": rotation.resumed},
    )
    log(f"  done: {rotation.rows_checked} rows checked, {rotation.rows_rewritten} rewritten, "
        f"{retired} key(s) retired")
    return rotation


# --- KEK rotation ------------------------------------------------------------------------------
def rewrap(org_ids: list[int] | None, *, include_network: bool, log: Log = _quiet) -> int:
    """Re-wrap data keys with the current KEK (the old one is given as LINDUNGI_KEK_PREVIOUS).
    `org_ids=None`: every organisation. Returns how many keys were re-wrapped."""
    from lindungi.audit.services import record

    current = keys.kek_id(keys.current_kek())
    selection = DataKey.objects.exclude(kek_id=current)
    owners = models.Q(organisation__isnull=True) if include_network else models.Q(pk__in=[])
    if org_ids is None:
        owners |= models.Q(organisation__isnull=False)
    else:
        owners |= models.Q(organisation_id__in=org_ids)
    count = 0
    for pk in selection.filter(owners).order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            row = DataKey.objects.select_for_update().get(pk=pk)
            if row.kek_id == current:
                continue
            dek = keys.unwrap(row.wrapped, row.organisation_id, row.key_id, row.kek_id)
            row.wrapped = keys.wrap(dek, row.organisation_id, row.key_id)
            row.kek_id = current
            row.save(update_fields=["wrapped", "kek_id"])
            count += 1
        log(f"  key {row.key_id} of {'the network' if row.organisation_id is None else f'organisation {row.organisation_id}'}"
            " re-wrapped")
    keys.forget_cached_keys()
    if count:
        record("crypto.kek.rewrapped", payload={"keys": count, "kek_id": current})
    return count


# --- crypto-shredding --------------------------------------------------------------------------
class StillActive(Exception):
    """Only an inactive organisation can be shredded: its users must be signed out first."""


def shred(organisation) -> int:
    """Delete every data key of `organisation`: its ciphertexts, files and blind indexes become
    noise for good (backups too, once the backups holding the wrapped keys have expired). The
    organisation must have been deactivated; it is marked shredded, so that it is never given a
    new key (keys.active would otherwise make one at its next write) nor reactivated."""
    from lindungi.accounts.models import Organisation
    from lindungi.audit.services import record

    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if organisation.is_active:
            raise StillActive(organisation.code)
        count, _ = DataKey.objects.filter(organisation=organisation).delete()
        if organisation.shredded_at is None:
            organisation.shredded_at = timezone.now()
            organisation.save(update_fields=["shredded_at"])
        record("crypto.organisation.shredded", organisation=organisation.pk, obj=organisation,
               payload={"keys_deleted": count})
    keys.forget_cached_keys()
    return count
