"""AES-256-GCM with associated data binding organisation, table, column and row.

Token format (ASCII, stored in a text column): `v1.<key id>.<base64url(nonce ‖ ciphertext+tag)>`.
The associated data is not stored: it is rebuilt from where the token is found, so a token copied
to another row, column or organisation fails to decrypt.
"""

from __future__ import annotations

import base64
import binascii
import os
import re

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from lindungi.crypto import keys

VERSION = "v1"
# A whole token: version, key id, then at least nonce (12 bytes) + tag (16 bytes) in base64url.
TOKEN_RE = re.compile(r"\Av1\.[0-9]{1,9}\.[A-Za-z0-9_-]{38,}\Z")


class DecryptionError(Exception):
    """The ciphertext was tampered with, moved, or its key is gone."""


def associated_data(org_id: int | None, table: str, column: str, row_id) -> bytes:
    return f"lindungi|{org_id}|{table}|{column}|{row_id}".encode()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def is_token(value) -> bool:
    """Whether `value` is a complete ciphertext token (not a plaintext that happens to start with "v1.")."""
    return isinstance(value, str) and TOKEN_RE.match(value) is not None


def token_prefix(key_id: int) -> str:
    """What every token made with data key `key_id` starts with (to find rows still using it)."""
    return f"{VERSION}.{int(key_id)}."


def encrypt(org_id: int | None, plaintext: bytes, aad: bytes) -> str:
    return sealer(org_id)(plaintext, aad)


def sealer(org_id: int | None, *, random_bytes=os.urandom):
    """`encrypt` for many values of one organisation: `sealer(org_id)(plaintext, aad)` gives the
    same tokens, with the active key looked up and the cipher set up once (bulk loading).
    `random_bytes(12)` gives each value's random nonce: the operating system's randomness, asked
    for per value unless a bulk loader passes a pool of it (`synthetic.ids.random_bytes`), which
    must never hand out the same bytes twice."""
    key = keys.active(org_id)
    aead = AESGCM(key.encryption_key)
    prefix = f"{VERSION}.{key.key_id}."

    def seal(plaintext: bytes, aad: bytes) -> str:
        nonce = random_bytes(12)
        return prefix + _b64(nonce + aead.encrypt(nonce, plaintext, aad))

    return seal


def key_id_of(token: str) -> int:
    try:
        version, key_id, _ = token.split(".", 2)
        if version != VERSION:
            raise ValueError(version)
        return int(key_id)
    except ValueError as exc:
        raise DecryptionError("Malformed ciphertext.") from exc


def decrypt(org_id: int | None, token: str, aad: bytes) -> bytes:
    key_id = key_id_of(token)
    try:
        body = _unb64(token.split(".", 2)[2])
        key = keys.material(org_id, key_id)
        return AESGCM(key.encryption_key).decrypt(body[:12], body[12:], aad)
    except (InvalidTag, keys.KeyError_, ValueError, binascii.Error) as exc:
        raise DecryptionError("The ciphertext cannot be decrypted here (tampered, moved or key missing).") from exc


def encrypt_blob(org_id: int, context: str, data: bytes) -> bytes:
    """Encrypt a file's bytes; `context` (e.g. "cases.attachment|<uuid>") binds it to its record."""
    key = keys.active(org_id)
    nonce = os.urandom(12)
    header = f"{VERSION}.{key.key_id}.".encode()
    return header + nonce + AESGCM(key.encryption_key).encrypt(nonce, data, f"lindungi-blob|{org_id}|{context}".encode())


def blob_key_id(blob: bytes) -> int:
    """The data key an encrypted file was made with (for re-encrypting files on rotation)."""
    try:
        version, key_id, _rest = blob.split(b".", 2)
        if version.decode() != VERSION:
            raise ValueError(version)
        return int(key_id)
    except ValueError as exc:
        raise DecryptionError("Malformed encrypted file.") from exc


def decrypt_blob(org_id: int, context: str, blob: bytes) -> bytes:
    try:
        version, key_id, rest = blob.split(b".", 2)
        if version.decode() != VERSION:
            raise ValueError
        key = keys.material(org_id, int(key_id))
        return AESGCM(key.encryption_key).decrypt(rest[:12], rest[12:], f"lindungi-blob|{org_id}|{context}".encode())
    except (InvalidTag, keys.KeyError_, ValueError) as exc:
        raise DecryptionError("The file cannot be decrypted here (tampered, moved or key missing).") from exc
