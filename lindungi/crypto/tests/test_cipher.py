import pytest

from lindungi.crypto import cipher, keys


@pytest.fixture
def org(orgs):
    return orgs.a


def test_a_value_round_trips(org):
    aad = cipher.associated_data(org.pk, "t", "c", "row-1")
    token = cipher.encrypt(org.pk, b"Bunga Fiktif", aad)
    assert cipher.is_token(token)
    assert "Bunga" not in token
    assert cipher.decrypt(org.pk, token, aad) == b"Bunga Fiktif"


def test_each_encryption_uses_a_fresh_nonce(org):
    aad = cipher.associated_data(org.pk, "t", "c", "row-1")
    assert cipher.encrypt(org.pk, b"same", aad) != cipher.encrypt(org.pk, b"same", aad)


def test_a_tampered_ciphertext_is_rejected(org):
    aad = cipher.associated_data(org.pk, "t", "c", "row-1")
    token = cipher.encrypt(org.pk, b"secret", aad)
    head, body = token.rsplit(".", 1)
    flipped = body[:20] + ("A" if body[20] != "A" else "B") + body[21:]
    with pytest.raises(cipher.DecryptionError):
        cipher.decrypt(org.pk, f"{head}.{flipped}", aad)


@pytest.mark.parametrize("where", ["org", "table", "column", "row"])
def test_a_ciphertext_is_bound_to_its_place(orgs, where):
    place = {"org": orgs.a.pk, "table": "t", "column": "c", "row": "row-1"}
    token = cipher.encrypt(orgs.a.pk, b"secret", cipher.associated_data(*place.values()))
    moved = dict(place, **{where: orgs.b.pk if where == "org" else "other"})
    with pytest.raises(cipher.DecryptionError):
        cipher.decrypt(moved["org"], token, cipher.associated_data(*moved.values()))


@pytest.mark.parametrize("token", ["", "plaintext", "v2.1.AAAA", "v1.x.AAAA", "v1.1.!!!", "v1.999.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"])
def test_malformed_or_unknown_tokens_raise_decryption_error(org, token):
    with pytest.raises(cipher.DecryptionError):
        cipher.decrypt(org.pk, token, b"aad")


def test_is_token_accepts_only_whole_tokens(org):
    token = cipher.encrypt(org.pk, b"x", b"aad")
    assert cipher.is_token(token)
    assert not cipher.is_token("v1.1.short")
    assert not cipher.is_token("v1.1. a name with spaces that is long enough to pass")
    assert not cipher.is_token(token + "\n")


def test_organisations_have_different_data_keys(orgs):
    assert keys.active(orgs.a.pk).dek != keys.active(orgs.b.pk).dek
    assert keys.active(orgs.a.pk).encryption_key != keys.active(orgs.a.pk).index_key("t", "c")


def test_a_blob_round_trips_and_is_bound_to_its_context(orgs):
    blob = cipher.encrypt_blob(orgs.a.pk, "cases.attachment|1", b"%PDF-1.7 fictional")
    assert b"fictional" not in blob
    assert cipher.blob_key_id(blob) == keys.active(orgs.a.pk).key_id
    assert cipher.decrypt_blob(orgs.a.pk, "cases.attachment|1", blob) == b"%PDF-1.7 fictional"
    with pytest.raises(cipher.DecryptionError):
        cipher.decrypt_blob(orgs.a.pk, "cases.attachment|2", blob)
    with pytest.raises(cipher.DecryptionError):
        cipher.decrypt_blob(orgs.b.pk, "cases.attachment|1", blob)
    tampered = blob[:-1] + bytes([blob[-1] ^ 1])
    with pytest.raises(cipher.DecryptionError):
        cipher.decrypt_blob(orgs.a.pk, "cases.attachment|1", tampered)
    with pytest.raises(cipher.DecryptionError):
        cipher.decrypt_blob(orgs.a.pk, "cases.attachment|1", b"not a blob")
