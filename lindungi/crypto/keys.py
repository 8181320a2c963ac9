"""Key hierarchy: KEK (environment or file, never in the database) wraps one data key per
organisation (and one network key); HKDF derives purpose-specific sub-keys from a data key.

    LINDUNGI_KEK (or LINDUNGI_KEK_FILE)           32 random bytes, base64; outside the database
      └─ wraps (AES-256-GCM, AAD "lindungi-dek|<org>|<key id>")
         DataKey(organisation, key_id)            one active per organisation, plus the network key
           └─ HKDF-SHA256 "lindungi|encryption"              → AES-256-GCM key for field values/files
           └─ HKDF-SHA256 "lindungi|blind-index|<table>|<column>" → HMAC key of one blind index

A data key has three states: *active* (new ciphertexts and blind indexes are made with it),
*pending* (replaced by a newer key, rows still being re-encrypted by `rotate_keys`: it still
decrypts and is still searched) and *retired* (`retired_at` set: no row references it any more;
its wrapped copy stays so that files encrypted under it stay readable, until the organisation
is crypto-shredded). See docs/security.md.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import IntegrityError, connection, transaction

NETWORK = None  # the organisation id of the network key
# Another process's rotation is picked up within this time: `rotate_keys` waits this long after
# activating a new key before it checks that no row still uses the old one.
ACTIVE_TTL_SECONDS = 30
_ACTIVE_TTL_SECONDS = ACTIVE_TTL_SECONDS  # older name, kept for callers
# Unwrapped keys are kept in memory this long, so that shredding an organisation (deleting its
# wrapped keys) takes effect in running processes without a restart.
MATERIAL_TTL_SECONDS = 300

_lock = threading.Lock()
_material: dict[tuple[int | None, int], tuple[DataKeyMaterial, float]] = {}
_active: dict[int | None, tuple[int, float]] = {}
_searchable: dict[int | None, tuple[tuple[int, ...], float]] = {}
# Organisations whose first key this thread created in a transaction that has not committed yet.
# Their keys are not cached: if the transaction rolls back, the key is gone, and a cached copy
# would go on encrypting rows with a key that no other process can ever read.
_uncommitted = threading.local()


class KeyError_(Exception):
    """A key is missing or cannot be unwrapped (wrong KEK)."""


# --- key-encryption keys ---------------------------------------------------------------------
def kek_id(kek: bytes) -> str:
    """A public fingerprint of a KEK, stored next to each wrapped key (which KEK unwraps it)."""
    return hashlib.sha256(b"lindungi-kek-id|" + kek).hexdigest()[:16]


def current_kek() -> bytes:
    return settings.LINDUNGI_KEK


def known_keks() -> dict[str, bytes]:
    """The configured KEKs by id: the current one and, during a KEK change, the previous one."""
    current = current_kek()
    keks = {kek_id(current): current}
    previous = getattr(settings, "LINDUNGI_KEK_PREVIOUS", None)
    if previous:
        keks.setdefault(kek_id(previous), previous)
    return keks


def _wrap_aad(org_id: int | None, key_id: int) -> bytes:
    return f"lindungi-dek|{'network' if org_id is None else org_id}|{key_id}".encode()


def wrap(dek: bytes, org_id: int | None, key_id: int, kek: bytes | None = None) -> bytes:
    kek = kek or current_kek()
    nonce = os.urandom(12)
    return nonce + AESGCM(kek).encrypt(nonce, dek, _wrap_aad(org_id, key_id))


def unwrap(wrapped: bytes, org_id: int | None, key_id: int, wrapped_kek_id: str) -> bytes:
    kek = known_keks().get(wrapped_kek_id)
    if kek is None:
        raise KeyError_(
            f"The key-encryption key {wrapped_kek_id} is not configured (set it as LINDUNGI_KEK_PREVIOUS "
            "while `rotate_keys --rewrap-only` runs)."
        )
    wrapped = bytes(wrapped)
    try:
        return AESGCM(kek).decrypt(wrapped[:12], wrapped[12:], _wrap_aad(org_id, key_id))
    except InvalidTag as exc:
        raise KeyError_("A data key could not be unwrapped: wrong key-encryption key?") from exc


def derive(dek: bytes, purpose: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"lindungi|" + purpose.encode()).derive(dek)


# --- data keys -------------------------------------------------------------------------------
@dataclass(frozen=True)
class DataKeyMaterial:
    org_id: int | None
    key_id: int
    dek: bytes = field(repr=False)  # never in a log line or a traceback
    _derived: dict = field(default_factory=dict, repr=False, compare=False, hash=False)

    def _sub_key(self, purpose: str) -> bytes:
        found = self._derived.get(purpose)
        if found is None:
            found = self._derived[purpose] = derive(self.dek, purpose)
        return found

    @property
    def encryption_key(self) -> bytes:
        return self._sub_key("encryption")

    def index_key(self, table: str, column: str) -> bytes:
        return self._sub_key(f"blind-index|{table}|{column}")


def _pending_orgs() -> set:
    if not hasattr(_uncommitted, "orgs"):
        _uncommitted.orgs = set()
    return _uncommitted.orgs


def _may_cache(org_id: int | None) -> bool:
    pending = _pending_orgs()
    if org_id not in pending:
        return True
    if not connection.in_atomic_block:
        pending.discard(org_id)  # outside a transaction, whatever we read is committed
        return True
    return False


def _load(org_id: int | None, key_id: int) -> DataKeyMaterial:
    from lindungi.crypto.models import DataKey

    row = DataKey.objects.filter(organisation_id=org_id, key_id=key_id).first()
    if row is None:
        raise KeyError_(f"No data key {key_id} for organisation {org_id}.")
    dek = unwrap(row.wrapped, org_id, key_id, row.kek_id)
    return DataKeyMaterial(org_id, key_id, dek)


def material(org_id: int | None, key_id: int) -> DataKeyMaterial:
    """The unwrapped key `key_id` of `org_id` (active, pending or retired)."""
    now = time.monotonic()
    cached = _material.get((org_id, key_id))
    if cached is not None and cached[1] > now:
        return cached[0]
    found = _load(org_id, key_id)
    if _may_cache(org_id):
        with _lock:
            _material[(org_id, key_id)] = (found, now + MATERIAL_TTL_SECONDS)
    return found


class Shredded(Exception):
    """The organisation's keys were deleted on purpose; nothing may be encrypted for it again."""


def _create_first_key(org_id: int | None) -> None:
    from lindungi.accounts.models import Organisation
    from lindungi.crypto.models import DataKey

    if org_id is not None and Organisation.objects.filter(pk=org_id, shredded_at__isnull=False).exists():
        raise Shredded(org_id)
    try:
        with transaction.atomic():
            DataKey.objects.create(
                organisation_id=org_id, key_id=1, wrapped=wrap(os.urandom(32), org_id, 1),
                kek_id=kek_id(current_kek()), is_active=True,
            )
    except IntegrityError:
        return  # another process created it first: use theirs
    if connection.in_atomic_block:
        _pending_orgs().add(org_id)
        transaction.on_commit(lambda: _pending_orgs().discard(org_id))


def active(org_id: int | None) -> DataKeyMaterial:
    """The key new ciphertexts and blind indexes for `org_id` are made with (created on first use)."""
    from lindungi.crypto.models import DataKey

    cached = _active.get(org_id)
    if cached is not None and cached[1] > time.monotonic():
        return material(org_id, cached[0])
    key_id = DataKey.objects.filter(organisation_id=org_id, is_active=True).values_list("key_id", flat=True).first()
    if key_id is None:
        _create_first_key(org_id)
        key_id = DataKey.objects.get(organisation_id=org_id, is_active=True).key_id
    if _may_cache(org_id):
        with _lock:
            _active[org_id] = (key_id, time.monotonic() + ACTIVE_TTL_SECONDS)
    return material(org_id, key_id)


def searchable(org_id: int | None) -> list[DataKeyMaterial]:
    """The keys whose blind-index digests may be stored right now: the active key first, then the
    keys a rotation is still moving away from. Searching with all of them keeps search complete
    while `rotate_keys` runs. Empty when the organisation has no key yet (nothing is encrypted)."""
    from lindungi.crypto.models import DataKey

    cached = _searchable.get(org_id)
    if cached is not None and cached[1] > time.monotonic():
        key_ids = cached[0]
    else:
        key_ids = tuple(
            DataKey.objects.filter(organisation_id=org_id, retired_at__isnull=True)
            .order_by("-is_active", "-key_id").values_list("key_id", flat=True)
        )
        if key_ids and _may_cache(org_id):
            with _lock:
                _searchable[org_id] = (key_ids, time.monotonic() + ACTIVE_TTL_SECONDS)
    return [material(org_id, key_id) for key_id in key_ids]


def forget_cached_keys() -> None:
    with _lock:
        _material.clear()
        _active.clear()
        _searchable.clear()
    _pending_orgs().clear()
