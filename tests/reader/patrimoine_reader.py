#!/usr/bin/env python3
"""An independent reader of Patrimoine backup files (`.patrimoine-backup`).

Written from docs/backup-format.md and docs/vault-format.md only, to prove that those
pages are a complete spec: with the file and the password *or* the recovery key it
recovers the vault's 32-byte master key, decrypts the payload and opens it as the
SQLCipher 4 database it is.

    python3 patrimoine_reader.py FILE (--password-file F | --recovery-key-file F)
                                 [--out-db DB] [--print-key] [--max-schema N]
    python3 patrimoine_reader.py --slot-file keyslots.a.json (--password-file F | ...)
    python3 patrimoine_reader.py --self-test

On success it prints one JSON object (header summary, slot used, table row counts,
and the raw key in hex with --print-key) and exits 0. On failure it prints
{"ok": false, "error": CLASS, "detail": ...} on stdout, "patrimoine_reader: CLASS: ..."
on stderr, and exits with the code of CLASS (EXIT_CODES below).

Needs: cryptography (AES-GCM, HKDF, X25519), argon2-cffi, sqlcipher3 (sqlcipher3-binary).
"""

import argparse
import base64
import binascii
import datetime
import hashlib
import hmac
import json
import os
import re
import shutil
import struct
import sys
import tempfile
import unicodedata

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

EXIT_CODES = {
    "usage": 2,
    "io": 3,
    "not_a_backup": 10,
    "too_new": 11,
    "damaged": 12,
    "truncated": 13,
    "wrong_password": 14,
    "wrong_recovery_key": 15,
    "kdf_out_of_bounds": 16,
    "recovery_key_format": 17,
    "recovery_key_typo": 18,
    "slots_corrupt": 19,
    "key_check_mismatch": 20,
}

# --- backup-format.md: layout -------------------------------------------------------
MAGIC = b"\x89PATBK\r\n"
MAJOR = 1
PREAMBLE_LEN = 16
MAX_HEADER_LEN = 65536
CHUNK_SIZE = 65536
TAG_LEN = 16
MAX_PLAINTEXT_LEN = 1 << 44
SALT_LEN = 32
KINDS = ("manual", "automatic", "pre_migration", "export")
INFO_HEADER = b"patrimoine backup v1 header mac"
INFO_PAYLOAD = b"patrimoine backup v1 payload"
# Schema versions published in vault-format.md ("1 to 3 as of this writing").
KNOWN_SCHEMA = 3

# --- backup-format.md: KDF bounds on read ----------------------------------------------
M_KIB_MIN, M_KIB_MAX = 65536, 1048576
T_MIN, T_MAX = 3, 16
P_MIN, P_MAX = 1, 8
MAX_WORK = 4194304  # m_kib * t
MAX_SLOTS = 2
ARGON2_MIN_SALT = 8

# --- vault-format.md ----------------------------------------------------------------
KEY_CHECK_MSG = b"patrimoine key-check v1"
INFO_KEK_V1 = b"patrimoine slot kek v1"
INFO_SECRET_V2 = b"patrimoine slot x25519 v2"
INFO_KEK_V2 = b"patrimoine slot kek v2"
INFO_MAC = b"patrimoine slot mac v1"
AAD_V2_PREFIX = b"patrimoine slot v2\x00"
MAC_PREFIX = b"patrimoine slot mac v1\x00"
SLOT_KINDS = {"password": 1, "recovery": 2, "keychain": 3}
KDF_CODES = {"argon2id": 1, "hkdf_sha256": 2}
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# Unicode White_Space (what the parser strips besides '-').
WHITE_SPACE = set(
    [chr(c) for c in range(0x09, 0x0E)]
    + ["\u0020", "\u0085", "\u00a0", "\u1680"]
    + [chr(c) for c in range(0x2000, 0x200B)]
    + ["\u2028", "\u2029", "\u202f", "\u205f", "\u3000"]
)

U32_MAX = 2**32 - 1
U64_MAX = 2**64 - 1
I64_MIN, I64_MAX = -(2**63), 2**63 - 1


class ReadError(Exception):
    def __init__(self, cls, detail):
        super().__init__(detail)
        self.cls = cls
        self.detail = detail


def damaged(detail):
    return ReadError("damaged", detail)


# --- primitives ---------------------------------------------------------------------


def hkdf_sha256(ikm, salt, info):
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(ikm)


def hmac_sha256(key, data):
    return hmac.new(key, data, hashlib.sha256).digest()


def b64_canonical(text):
    """Standard base64 with padding; only the canonical form (re-encodes to itself)."""
    if not isinstance(text, str):
        return None
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return None
    if base64.b64encode(raw).decode("ascii") != text:
        return None
    return raw


def key_check(mk):
    return hmac_sha256(mk, KEY_CHECK_MSG).hex()


# --- the recovery key (vault-format.md) ---------------------------------------------


def group_crc(index, data):
    crc = index & 0xFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = ((crc << 1) ^ 0x07) & 0xFF if crc & 0x80 else (crc << 1) & 0xFF
    return crc


def encode_recovery_key(key):
    groups = []
    for i in range(8):
        data = key[4 * i : 4 * i + 4]
        n = int.from_bytes(data + bytes([group_crc(i, data)]), "big")
        groups.append("".join(CROCKFORD[(n >> (35 - 5 * k)) & 31] for k in range(8)))
    return "-".join(groups)


def parse_recovery_key(text):
    cleaned = []
    for c in text:
        if c in WHITE_SPACE or c == "-":
            continue
        if "a" <= c <= "z":
            c = c.upper()
        cleaned.append({"O": "0", "I": "1", "L": "1"}.get(c, c))
    cleaned = "".join(cleaned)
    if len(cleaned) != 64 or not cleaned.isascii():
        raise ReadError("recovery_key_format", "a recovery key is 8 groups of 8 characters")
    key = bytearray()
    for i in range(8):
        group = cleaned[8 * i : 8 * i + 8]
        if any(c not in CROCKFORD for c in group):
            raise ReadError("recovery_key_typo", f"recovery key group {i + 1} has a typo")
        n = 0
        for c in group:
            n = (n << 5) | CROCKFORD.index(c)
        block = n.to_bytes(5, "big")
        if group_crc(i, block[:4]) != block[4]:
            raise ReadError("recovery_key_typo", f"recovery key group {i + 1} has a typo")
        key += block[:4]
    return bytes(key)


# --- strict JSON (backup-format.md "Header fields") -------------------------------------


class _NotInt:
    """A JSON number with a fraction or an exponent: never an integer."""

    def __init__(self, text):
        self.text = text


def _no_duplicates(pairs):
    out = {}
    for k, v in pairs:
        if k in out:
            raise ValueError(f"field {k!r} given twice")
        out[k] = v
    return out


def _reject_constant(name):
    raise ValueError(f"{name} is not JSON")


def _check_strings(value):
    if isinstance(value, str):
        if any("\ud800" <= c <= "\udfff" for c in value):
            raise ValueError("unpaired surrogate")
    elif isinstance(value, dict):
        for k, v in value.items():
            _check_strings(k)
            _check_strings(v)
    elif isinstance(value, list):
        for v in value:
            _check_strings(v)


def strict_json(data):
    try:
        text = data.decode("utf-8")
        value = json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_float=_NotInt,
            parse_constant=_reject_constant,
        )
        _check_strings(value)
    except (UnicodeDecodeError, ValueError, RecursionError) as e:
        raise damaged(f"header is not valid JSON ({e})")
    return value


def is_int(v, lo, hi):
    return isinstance(v, int) and not isinstance(v, bool) and lo <= v <= hi


RFC3339 = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})$"
)


def is_rfc3339(v):
    if not isinstance(v, str):
        return False
    m = RFC3339.match(v)
    if not m:
        return False
    y, mo, d, h, mi, s = (int(x) for x in m.groups()[:6])
    try:
        datetime.datetime(y, mo, d, h, mi, min(s, 59))
    except ValueError:
        return False
    return s <= 60


def text_ok(v, max_bytes):
    return (
        isinstance(v, str)
        and 1 <= len(v.encode("utf-8")) <= max_bytes
        and not any(unicodedata.category(c) == "Cc" for c in v)
    )


def require(obj, field):
    if field not in obj:
        raise damaged(f"header field {field} missing")
    return obj[field]


def parse_slot(s):
    """A slot's JSON (vault-format.md "A slot"); structural errors are damage."""
    if not isinstance(s, dict):
        raise damaged("a slot is not an object")
    for f in ("id", "kind", "kdf", "wrapped", "created_at"):
        if f not in s:
            raise damaged(f"slot field {f} missing")
    if not is_int(s["id"], 0, U32_MAX):
        raise damaged("slot id")
    if not isinstance(s["kind"], str) or s["kind"] not in SLOT_KINDS:
        raise damaged("slot kind")
    if not isinstance(s["wrapped"], str):
        raise damaged("slot wrapped key")
    if not is_rfc3339(s["created_at"]):
        raise damaged("slot created_at")
    aad = s.get("aad", 1)
    if not is_int(aad, 0, 255):
        raise damaged("slot aad version")
    for f in ("recipient", "ephemeral", "mac"):
        if s.get(f) is not None and not isinstance(s[f], str):
            raise damaged(f"slot {f}")
    kdf = s["kdf"]
    if not isinstance(kdf, dict) or "alg" not in kdf:
        raise damaged("slot kdf")
    alg = kdf["alg"]
    if alg == "argon2id":
        if "params" not in kdf or "salt" not in kdf or not isinstance(kdf["salt"], str):
            raise damaged("slot kdf")
        params = kdf["params"]
        if not isinstance(params, dict) or any(f not in params for f in ("m_kib", "t", "p")):
            raise damaged("slot kdf parameters")
        if not all(is_int(params[f], 0, U32_MAX) for f in ("m_kib", "t", "p")):
            raise damaged("slot kdf parameters")
        params = {f: params[f] for f in ("m_kib", "t", "p")}
    elif alg == "hkdf_sha256":
        if "salt" not in kdf or not isinstance(kdf["salt"], str):
            raise damaged("slot kdf")
        params = None
    else:
        raise damaged("slot kdf algorithm")
    return {
        "id": s["id"],
        "kind": s["kind"],
        "alg": alg,
        "params": params,
        "salt": kdf["salt"],
        "wrapped": s["wrapped"],
        "aad": aad,
        "recipient": s.get("recipient"),
        "ephemeral": s.get("ephemeral"),
        "mac": s.get("mac"),
    }


def parse_header(data):
    h = strict_json(data)
    if not isinstance(h, dict):
        raise damaged("header is not a JSON object")
    # Parsing: required fields, types, created_at, kind.
    for f in (
        "created_at",
        "app_version",
        "schema_version",
        "profile_id",
        "profile_name",
        "kind",
        "plaintext_len",
        "chunk_size",
        "salt",
        "key_check",
        "slots",
    ):
        require(h, f)
    if not is_rfc3339(h["created_at"]):
        raise damaged("created_at")
    if not isinstance(h["app_version"], str) or not isinstance(h["profile_name"], str):
        raise damaged("header text field")
    if not isinstance(h["profile_id"], str) or not isinstance(h["salt"], str):
        raise damaged("header field type")
    if not isinstance(h["key_check"], str):
        raise damaged("key check")
    if not is_int(h["schema_version"], I64_MIN, I64_MAX):
        raise damaged("schema version")
    if not is_int(h["plaintext_len"], 0, U64_MAX):
        raise damaged("payload length")
    if not is_int(h["chunk_size"], 0, U32_MAX):
        raise damaged("chunk size")
    if not isinstance(h["kind"], str) or h["kind"] not in KINDS:
        raise damaged("backup kind")
    if not isinstance(h["slots"], list):
        raise damaged("key slots")
    slots = [parse_slot(s) for s in h["slots"]]
    snapshot_checked = h.get("snapshot_checked", False)
    if not isinstance(snapshot_checked, bool):
        raise damaged("snapshot_checked")
    # Field rules.
    if not re.fullmatch(r"[0-9a-f]{1,64}", h["profile_id"]):
        raise damaged("profile id")
    if not text_ok(h["profile_name"], 200) or not text_ok(h["app_version"], 64):
        raise damaged("header text field")
    if h["chunk_size"] != CHUNK_SIZE:
        raise damaged("chunk size")
    if h["plaintext_len"] > MAX_PLAINTEXT_LEN:
        raise damaged("payload length")
    if h["schema_version"] < 1:
        raise damaged("schema version")
    salt = b64_canonical(h["salt"])
    if salt is None or len(salt) != SALT_LEN:
        raise damaged("salt")
    if len(h["key_check"]) != 64 or not re.fullmatch(r"[0-9a-fA-F]{64}", h["key_check"]):
        raise damaged("key check")
    passwords = sum(1 for s in slots if s["kind"] == "password")
    if not 1 <= len(slots) <= MAX_SLOTS or passwords > 1:
        raise damaged("key slots")
    # KDF bounds, before any KDF runs.
    for s in slots:
        if s["alg"] == "argon2id":
            m, t, p = s["params"]["m_kib"], s["params"]["t"], s["params"]["p"]
            if not (
                M_KIB_MIN <= m <= M_KIB_MAX
                and T_MIN <= t <= T_MAX
                and P_MIN <= p <= P_MAX
                and m * t <= MAX_WORK
            ):
                raise ReadError("kdf_out_of_bounds", f"Argon2id parameters m={m} KiB t={t} p={p}")
    return {
        "raw": h,
        "slots": slots,
        "salt": salt,
        "snapshot_checked": snapshot_checked,
    }


# --- slots (vault-format.md "Wrapping and the slot's associated data") -------------------


def aad_v1(owner, slot):
    def js(s):
        return json.dumps(s, ensure_ascii=False)[1:-1]

    if slot["alg"] == "argon2id":
        p = slot["params"]
        kdf = '{"alg":"argon2id","params":{"m_kib":%d,"p":%d,"t":%d},"salt":"%s"}' % (
            p["m_kib"],
            p["p"],
            p["t"],
            js(slot["salt"]),
        )
    else:
        kdf = '{"alg":"hkdf_sha256","salt":"%s"}' % js(slot["salt"])
    text = '{"kdf":%s,"kind":"%s","owner":"%s","slot":%d,"v":1}' % (
        kdf,
        slot["kind"],
        js(owner),
        slot["id"],
    )
    return text.encode("utf-8")


def key32(text):
    raw = b64_canonical(text) if text is not None else None
    return raw if raw is not None and len(raw) == 32 else None


def put_bytes(b):
    if len(b) > 0xFFFF:
        raise OverflowError
    return struct.pack(">H", len(b)) + b


def aad_v2(owner, slot):
    salt = b64_canonical(slot["salt"])
    recipient, ephemeral = key32(slot["recipient"]), key32(slot["ephemeral"])
    if salt is None or recipient is None or ephemeral is None:
        return None
    try:
        out = AAD_V2_PREFIX + put_bytes(owner.encode("utf-8"))
        out += struct.pack(">IBB", slot["id"], SLOT_KINDS[slot["kind"]], KDF_CODES[slot["alg"]])
        if slot["alg"] == "argon2id":
            p = slot["params"]
            out += struct.pack(">III", p["m_kib"], p["t"], p["p"])
        return out + put_bytes(salt) + put_bytes(recipient) + put_bytes(ephemeral)
    except OverflowError:
        return None


def slot_aad(owner, slot):
    if slot["aad"] == 1:
        return aad_v1(owner, slot)
    if slot["aad"] == 2:
        return aad_v2(owner, slot)
    return None


def x25519_public(secret):
    return X25519PrivateKey.from_private_bytes(secret).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def x25519(secret, public):
    """X25519(secret, public); None for an all-zero result (a low-order point)."""
    try:
        shared = X25519PrivateKey.from_private_bytes(secret).exchange(X25519PublicKey.from_public_bytes(public))
    except ValueError:
        return None
    return None if shared == bytes(32) else shared


def slot_kek(d, slot):
    """The slot's key-encryption key from the credential's key D, or None."""
    if slot["aad"] == 1:
        return d
    if slot["aad"] != 2:
        return None
    recipient, ephemeral = key32(slot["recipient"]), key32(slot["ephemeral"])
    if recipient is None or ephemeral is None or x25519_public(d) != recipient:
        return None
    shared = x25519(d, ephemeral)
    if shared is None:
        return None
    return hkdf_sha256(shared, ephemeral + recipient, INFO_KEK_V2)


def unwrap(d, owner, slot):
    aad = slot_aad(owner, slot)
    sealed = b64_canonical(slot["wrapped"])
    if aad is None or sealed is None or len(sealed) < 12 + 16:
        return None
    kek = slot_kek(d, slot)
    if kek is None:
        return None
    try:
        mk = AESGCM(kek).decrypt(sealed[:12], sealed[12:], aad)
    except InvalidTag:
        return None
    return mk if len(mk) == 32 else None


def slot_mac_ok(owner, slot, mk):
    """Whether a version-2 slot's MAC verifies under MK (not needed to open it)."""
    aad = slot_aad(owner, slot) if slot["aad"] == 2 else None
    sealed = b64_canonical(slot["wrapped"])
    found = b64_canonical(slot["mac"]) if slot["mac"] is not None else None
    if aad is None or sealed is None or found is None or len(found) != 32:
        return False
    k_mac = hkdf_sha256(mk, b"", INFO_MAC)
    data = MAC_PREFIX + struct.pack(">I", len(aad)) + aad + struct.pack(">I", len(sealed)) + sealed
    return hmac.compare_digest(hmac_sha256(k_mac, data), found)


def unlock_with_password(owner, slots, password):
    for slot in slots:
        if slot["kind"] != "password" or slot["alg"] != "argon2id":
            continue
        salt = b64_canonical(slot["salt"])
        if salt is None:
            raise damaged("password slot salt is not base64")
        if len(salt) < ARGON2_MIN_SALT:
            raise ReadError("kdf_out_of_bounds", "Argon2id salt shorter than 8 bytes")
        p = slot["params"]
        d = hash_secret_raw(
            secret=password.encode("utf-8"),
            salt=salt,
            time_cost=p["t"],
            memory_cost=p["m_kib"],
            parallelism=p["p"],
            hash_len=32,
            type=Type.ID,
            version=19,
        )
        mk = unwrap(d, owner, slot)
        if mk is not None:
            return mk, slot
    raise ReadError("wrong_password", "the password opens no slot of this backup")


def unlock_with_recovery_key(owner, slots, rk):
    for slot in slots:
        if slot["kind"] != "recovery" or slot["alg"] != "hkdf_sha256":
            continue
        salt = b64_canonical(slot["salt"])
        if salt is None:
            continue
        d = hkdf_sha256(rk, salt, INFO_KEK_V1 if slot["aad"] == 1 else INFO_SECRET_V2)
        mk = unwrap(d, owner, slot)
        if mk is not None:
            return mk, slot
    raise ReadError("wrong_recovery_key", "the recovery key opens no slot of this backup")


# --- the file -----------------------------------------------------------------------


def chunk_count(n):
    return max(1, -(-n // CHUNK_SIZE))


def read_exact(f, n, what):
    data = f.read(n)
    if len(data) < n:
        raise ReadError("truncated", f"the file ends inside {what}")
    return data


def read_header(f):
    first = f.read(len(MAGIC))
    if len(first) == 0 or first != MAGIC[: len(first)]:
        raise ReadError("not_a_backup", "not a Patrimoine backup file")
    if len(first) < len(MAGIC):
        raise ReadError("truncated", "the file ends inside the magic")
    rest = read_exact(f, PREAMBLE_LEN - len(MAGIC), "the preamble")
    major, minor, header_len = struct.unpack(">HHI", rest)
    if major > MAJOR:
        raise ReadError("too_new", f"file format {major}.{minor}")
    if major == 0:
        raise damaged("format version 0")
    if header_len == 0 or header_len > MAX_HEADER_LEN:
        raise damaged(f"header length {header_len}")
    covered = first + rest + read_exact(f, header_len, "the header")
    checksum = read_exact(f, 32, "the header checksum")
    mac = read_exact(f, 32, "the header MAC")
    if hashlib.sha256(covered).digest() != checksum:
        raise damaged("header checksum mismatch")
    parsed = parse_header(covered[PREAMBLE_LEN:])
    parsed.update(major=major, minor=minor, covered=covered, mac=mac)
    return parsed


def decrypt_payload(f, key, length, out):
    aead = AESGCM(key)
    chunks = chunk_count(length)
    remaining = length
    for i in range(chunks):
        last = i + 1 == chunks
        n = min(remaining, CHUNK_SIZE)
        ct = read_exact(f, n + TAG_LEN, f"chunk {i}")
        nonce = i.to_bytes(11, "big") + (b"\x01" if last else b"\x00")
        try:
            out.write(aead.decrypt(nonce, ct, b""))
        except InvalidTag:
            raise damaged(f"chunk {i} fails authentication")
        remaining -= n
    if f.read(1):
        raise damaged("data after the final chunk")
    return chunks


def open_vault(path, mk, profile_id, max_schema):
    from sqlcipher3 import dbapi2 as sqlcipher

    try:
        con = sqlcipher.connect(path)
        try:
            con.execute("PRAGMA key = \"x'%s'\"" % mk.hex())
            # The file may come from anyone: no schema-defined code runs on our behalf.
            con.execute("PRAGMA trusted_schema = OFF")
            cipher_version = con.execute("PRAGMA cipher_version").fetchone()[0]
            tables = [
                r[0]
                for r in con.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%' ORDER BY name"
                )
            ]
            if con.execute("PRAGMA cipher_integrity_check").fetchall():
                raise damaged("the vault fails SQLCipher's page check")
            if [r[0] for r in con.execute("PRAGMA integrity_check")] != ["ok"]:
                raise damaged("the vault fails integrity_check")
            if con.execute("PRAGMA foreign_key_check").fetchall():
                raise damaged("the vault fails foreign_key_check")
            user_version = con.execute("PRAGMA user_version").fetchone()[0]
            stored_id = None
            if "settings" in tables:
                row = con.execute("SELECT value FROM settings WHERE key = 'profile_id'").fetchone()
                stored_id = row[0] if row else None
            counts = {t: con.execute('SELECT count(*) FROM "%s"' % t.replace('"', '""')).fetchone()[0] for t in tables}
        finally:
            con.close()
    except sqlcipher.DatabaseError as e:
        raise damaged(f"the vault does not open: {e}")
    if stored_id is not None and stored_id != profile_id:
        raise damaged("the vault belongs to another profile")
    if user_version > max_schema:
        raise ReadError("too_new", f"vault schema {user_version}")
    return {"cipher_version": cipher_version, "user_version": user_version, "counts": counts}


def read_backup(path, password=None, recovery_key=None, out_db=None, max_schema=KNOWN_SCHEMA):
    """Opens a backup; returns (summary, master key). Raises ReadError."""
    try:
        f = open(path, "rb")
    except OSError as e:
        raise ReadError("io", f"cannot open {path}: {e}")
    with f:
        size = os.fstat(f.fileno()).st_size
        parsed = read_header(f)
        h = parsed["raw"]
        length = h["plaintext_len"]
        expected = len(parsed["covered"]) + 64 + length + chunk_count(length) * TAG_LEN
        if size < expected:
            raise ReadError("truncated", f"{size} bytes, the header announces {expected}")
        if size > expected:
            raise damaged(f"{size} bytes, the header announces {expected}")
        if h["schema_version"] > max_schema:
            raise ReadError("too_new", f"schema {h['schema_version']}")
        owner = h["profile_id"]
        if password is not None:
            mk, slot = unlock_with_password(owner, parsed["slots"], password)
        else:
            mk, slot = unlock_with_recovery_key(owner, parsed["slots"], recovery_key)
        if key_check(mk) != h["key_check"]:
            raise damaged("key check mismatch")
        k_header = hkdf_sha256(mk, parsed["salt"], INFO_HEADER)
        if not hmac.compare_digest(hmac_sha256(k_header, parsed["covered"]), parsed["mac"]):
            raise damaged("header authentication fails")
        k_payload = hkdf_sha256(mk, parsed["salt"], INFO_PAYLOAD)
        scratch = None
        if out_db is None:
            scratch = tempfile.mkdtemp(prefix="patrimoine-reader-")
            db_path = os.path.join(scratch, "vault.db")
        else:
            db_path = out_db
        try:
            try:
                fd = os.open(db_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except OSError as e:
                raise ReadError("io", f"cannot create {db_path}: {e}")
            with os.fdopen(fd, "wb") as out:
                f.seek(len(parsed["covered"]) + 64)
                chunks = decrypt_payload(f, k_payload, length, out)
                out.flush()
                os.fsync(out.fileno())
            vault = open_vault(db_path, mk, owner, max_schema)
        except ReadError:
            if out_db is not None and os.path.exists(db_path):
                os.remove(db_path)
            raise
        finally:
            if scratch is not None:
                shutil.rmtree(scratch, ignore_errors=True)
    summary = {
        "ok": True,
        "file": path,
        "format": f"{parsed['major']}.{parsed['minor']}",
        "created_at": h["created_at"],
        "app_version": h["app_version"],
        "profile_id": owner,
        "profile_name": h["profile_name"],
        "kind": h["kind"],
        "schema_version": h["schema_version"],
        "snapshot_checked": parsed["snapshot_checked"] and parsed["minor"] >= 1,
        "plaintext_len": length,
        "chunks": chunks,
        "slot": {
            "id": slot["id"],
            "kind": slot["kind"],
            "aad": slot["aad"],
            "mac_ok": slot_mac_ok(owner, slot, mk) if slot["aad"] == 2 else None,
        },
        "key_check": h["key_check"],
        **vault,
    }
    if out_db is not None:
        summary["out_db"] = out_db
    return summary, mk


# --- the vectors of the two docs ------------------------------------------------------


def self_test():
    """Checks this reader against every test vector in docs/vault-format.md and
    docs/backup-format.md. Returns the number of vectors checked."""
    checks = []

    def check(what, got, want):
        checks.append(what)
        if got != want:
            raise AssertionError(f"{what}: got {got!r}, want {want!r}")

    k00 = bytes(range(32))
    k20 = bytes(range(0x20, 0x40))
    owner = "0123456789abcdef"
    t00 = "000G40T8-0G2GC1Z5-104GM2RN-1G6GW3XR-208H44ZJ-2GAHC5TZ-30CHM6XF-3GEHW7R2"
    t20 = "40GJ48WB-4GJJC9S6-50MJMAYP-5GPJWBVV-60RK4CSH-6GTKCDWW-70WKMEVC-7GYKWFY1"
    # vault-format.md
    check("key_check", key_check(k00), "7451706032407c5161cdb8fa99c3e19fcf5c516050bfa7c7d21d3cb674593a85")
    check("CRC-8/SMBUS", group_crc(0, b"123456789"), 0xF4)
    check("group CRCs", bytes(group_crc(i, k00[4 * i : 4 * i + 4]) for i in range(8)).hex(), "48e515b8f25faf02")
    check("recovery key text 00..1f", encode_recovery_key(k00), t00)
    check("recovery key text 20..3f", encode_recovery_key(k20), t20)
    check("recovery key parse", parse_recovery_key(t20), k20)
    check("recovery key parse, typed", parse_recovery_key("ooog 40t8 " + t00[9:].lower() + "\n"), k00)
    for bad, cls in (("ABCD", "recovery_key_format"), (t00.replace("40T8", "40T9"), "recovery_key_typo")):
        try:
            parse_recovery_key(bad)
            check("recovery key refused", "parsed", cls)
        except ReadError as e:
            check("recovery key refused", e.cls, cls)
    d_pw = hash_secret_raw(b"correct horse battery staple", bytes([0x11] * 16), 3, 65536, 1, 32, Type.ID, 19)
    check("D password", d_pw.hex(), "52788f97e33c4b7303bf44bb477bf48441100c40f106ed6509fd2c02f8f5e298")
    d_rk2 = hkdf_sha256(k20, bytes([3] * 16), INFO_SECRET_V2)
    check("D recovery v2", d_rk2.hex(), "4f075ef7e75d43bbaacd926f558c04bba94851c4a1b593cc4263a1d4c77f13f8")
    d_rk1 = hkdf_sha256(k20, bytes([3] * 16), INFO_KEK_V1)
    check("D recovery v1", d_rk1.hex(), "f6d0149929c057f39a0b7390907672597a8cdf9c885981654ebed05ecc2eea72")
    check("K_mac", hkdf_sha256(k00, b"", INFO_MAC).hex(), "21df12981a58164a882acfa4077acdb25fd74e72c0ab028f37ff3ccd97357086")
    base = {
        "password": {"id": 1, "kind": "password", "alg": "argon2id", "params": {"m_kib": 65536, "t": 3, "p": 1},
                     "salt": "EREREREREREREREREREREQ=="},
        "recovery": {"id": 2, "kind": "recovery", "alg": "hkdf_sha256", "params": None,
                     "salt": "AwMDAwMDAwMDAwMDAwMDAw=="},
    }
    v2 = {
        "password": dict(
            base["password"], aad=2,
            recipient="cs39X7io5rfpiZDgt7t+D0Z1uoeik2gWbPmdgyLlMWI=",
            ephemeral="Z13VdO13iTELPS52gfN5C0ZsdzsVIf7PNld5WDcepS8=",
            wrapped="oKGio6SlpqeoqaqrLkkoN3uLotX6EjyDJCj5IJRIPK5vt4/nR6axZcJgq+B1WbqTcn/oBx4TDptDBoCe",
            mac="MQnV403tmBVrm05V8rKp01X+7wbEyLsjD9VilBFxKIw=",
        ),
        "recovery": dict(
            base["recovery"], aad=2,
            recipient="sZTlPo2LwNOJ1T/AdE188r2A1U1Q8+HxoI8tfBun1QE=",
            ephemeral="eaYx7t4b+cmPEgMs3q3Q56B5OY/HhriMyEbsia+FpRo=",
            wrapped="AAECAwQFBgcICQoLMtjrMDo/MHw78eFz6bB5e3INd4d+4CwXnWD0CkZD7kof8JFsDDYDzeLcK0QG7kPg",
            mac="DYSe3XfeFcKHAvuTQavedDgv1y7OWCmBzSmHyM11kBs=",
        ),
    }
    v1 = {
        "password": dict(base["password"], aad=1, recipient=None, ephemeral=None, mac=None,
                         wrapped="oKGio6SlpqeoqaqrmExV3b8Yt4MMeugbtmDXFc2I4cXfV0kj/4L8d5L+SGnatJ3+HUuba6wkOplZSXiP"),
        "recovery": dict(base["recovery"], aad=1, recipient=None, ephemeral=None, mac=None,
                         wrapped="AAECAwQFBgcICQoLRV1kmKE+yH9ZMdRMzPgdxcsz+0nHf9Tdpr8VSXh8PUbOL1vhSnrEICCj5tXkOwZw"),
    }
    check("recipient password", base64.b64encode(x25519_public(d_pw)).decode(), v2["password"]["recipient"])
    check("recipient recovery", base64.b64encode(x25519_public(d_rk2)).decode(), v2["recovery"]["recipient"])
    e_pw, e_rk = bytes(range(0x60, 0x80)), bytes(range(0x40, 0x60))
    check("ephemeral password", base64.b64encode(x25519_public(e_pw)).decode(), v2["password"]["ephemeral"])
    check("ephemeral recovery", base64.b64encode(x25519_public(e_rk)).decode(), v2["recovery"]["ephemeral"])
    shared_pw = x25519(d_pw, key32(v2["password"]["ephemeral"]))
    check("shared password", shared_pw.hex(), "dbc0061df212504f253d9e8eb9460497377c8abff379c947ea86f739c946fc51")
    check("shared, sealing side", x25519(e_pw, key32(v2["password"]["recipient"])), shared_pw)
    check("shared recovery", x25519(d_rk2, key32(v2["recovery"]["ephemeral"])).hex(),
          "09b668ba789449cc05a6aa375b1277b1808aedd7fa89e081a3532efcc281730d")
    check("KEK v2 password", slot_kek(d_pw, v2["password"]).hex(),
          "9c4234335a793f4a50694a30bb9db0ffdd3d1ede56cc01daed3d35f7d125bb12")
    check("KEK v2 recovery", slot_kek(d_rk2, v2["recovery"]).hex(),
          "9e0cf3e0ded152f1154ae0941a0d849f555287f98a1a647ff59e913509c92db2")
    check(
        "AAD v2 password",
        aad_v2(owner, v2["password"]).hex(),
        "70617472696d6f696e6520736c6f7420763200" "0010" "30313233343536373839616263646566" "00000001" "01" "01"
        "00010000" "00000003" "00000001" "0010" "11111111111111111111111111111111"
        "0020" "72cdfd5fb8a8e6b7e98990e0b7bb7e0f4675ba87a29368166cf99d8322e53162"
        "0020" "675dd574ed7789310b3d2e7681f3790b466c773b1521fecf36577958371ea52f",
    )
    check(
        "AAD v2 recovery",
        aad_v2(owner, v2["recovery"]).hex(),
        "70617472696d6f696e6520736c6f7420763200" "0010" "30313233343536373839616263646566" "00000002" "02" "02"
        "0010" "03030303030303030303030303030303"
        "0020" "b194e53e8d8bc0d389d53fc0744d7cf2bd80d54d50f3e1f1a08f2d7c1ba7d501"
        "0020" "79a631eede1bf9c98f12032cdeadd0e7a079398fc786b88cc846ec89af85a51a",
    )
    check(
        "AAD v1 password",
        aad_v1(owner, v1["password"]).decode(),
        '{"kdf":{"alg":"argon2id","params":{"m_kib":65536,"p":1,"t":3},"salt":"EREREREREREREREREREREQ=="},'
        '"kind":"password","owner":"0123456789abcdef","slot":1,"v":1}',
    )
    check(
        "AAD v1 recovery",
        aad_v1(owner, v1["recovery"]).decode(),
        '{"kdf":{"alg":"hkdf_sha256","salt":"AwMDAwMDAwMDAwMDAwMDAw=="},"kind":"recovery",'
        '"owner":"0123456789abcdef","slot":2,"v":1}',
    )
    for version, slots in ((1, v1), (2, v2)):
        for kind, slot in slots.items():
            if kind == "password":
                mk = unlock_with_password(owner, [slot], "correct horse battery staple")[0]
                d = d_pw
            else:
                mk = unlock_with_recovery_key(owner, [slot], k20)[0]
                d = d_rk1 if version == 1 else d_rk2
            check(f"{kind} slot v{version} opens", mk, k00)
            if version == 2:
                check(f"{kind} slot v2 MAC", slot_mac_ok(owner, slot, k00), True)
                check(f"{kind} slot v2 MAC, other MK", slot_mac_ok(owner, slot, k20), False)
            # Another version, owner or id: nothing opens.
            for other_owner, other in ((owner, dict(slot, aad=3 - version)), (owner, dict(slot, id=slot["id"] + 1)),
                                       ("p2", slot)):
                check(f"{kind} slot v{version} bound", unwrap(d, other_owner, other), None)
    # A low-order ephemeral key (here 0) gives an all-zero shared secret: nothing opens.
    check("low-order point", unwrap(d_rk2, owner, dict(v2["recovery"], ephemeral=base64.b64encode(bytes(32)).decode())),
          None)
    # backup-format.md
    salt = bytes([7] * 32)
    k_header = hkdf_sha256(k00, salt, INFO_HEADER)
    k_payload = hkdf_sha256(k00, salt, INFO_PAYLOAD)
    check("K_header", k_header.hex(), "c5025469067bda5d2cb14f4f585f994e33c824d8ddd042a94cefa8439145b4b1")
    check("K_payload", k_payload.hex(), "04377b3b9fe4e48724cbed2a907e0310ebdf1ec1e65b4ab7da2859b4beb38d80")
    chunk = AESGCM(k_payload).encrypt(bytes(11) + b"\x01", b"Patrimoine", b"")
    check("one chunk", chunk.hex(), "a277834b43900c83285c6dc9f9393a6bdbfaab2d243ce289c1b9")
    big = bytes(i % 256 for i in range(CHUNK_SIZE + 1))
    two = AESGCM(k_payload).encrypt(bytes(12), big[:CHUNK_SIZE], b"") + AESGCM(k_payload).encrypt(
        (1).to_bytes(11, "big") + b"\x01", big[CHUNK_SIZE:], b""
    )
    check("two chunks", hashlib.sha256(two).hexdigest(), "9e12073cefc1340ea5d4819cbf3920976c6769face81b4b3e119dcded1d6ca22")
    header = (
        '{"created_at":"2026-01-01T00:00:00Z","app_version":"0.1.0","schema_version":2,'
        '"profile_id":"0123456789abcdef","profile_name":"Vector","kind":"manual","plaintext_len":10,'
        '"chunk_size":65536,"salt":"BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=",'
        '"key_check":"7451706032407c5161cdb8fa99c3e19fcf5c516050bfa7c7d21d3cb674593a85",'
        '"slots":[{"id":2,"kind":"recovery","kdf":{"alg":"hkdf_sha256","salt":"AAAAAAAAAAAAAAAAAAAAAA=="},'
        '"wrapped":"' + "A" * 80 + '","created_at":"2026-01-01T00:00:00Z"}]}'
    ).encode()
    covered = MAGIC + struct.pack(">HHI", 1, 0, len(header)) + header
    check("vector preamble", covered[:16].hex(), "89504154424b0d0a0001000000000225")
    mac = hmac_sha256(k_header, covered)
    check("vector header MAC", mac.hex(), "9128bf0598462a8cef6b9c4905af3e93e48bac2691bc64f29fff77b791083af8")
    whole = covered + hashlib.sha256(covered).digest() + mac + chunk
    check("whole file", (len(whole), hashlib.sha256(whole).hexdigest()),
          (655, "aa21d07b8e94eff12f4c8be8397c498a3488c73847455775bf67040f24c4d70a"))
    # The header parses under the rules of the spec.
    check("vector header parses", parse_header(header)["raw"]["profile_name"], "Vector")
    return len(checks)


# --- the key-slot file (vault-format.md "The key-slot file") -----------------------------

SLOT_FIELDS = ("id", "kind", "kdf", "wrapped", "created_at")


def canonical_body(body):
    """The canonical compact serialization of a slot file's body, which its checksum covers."""
    slots = []
    for s in body["slots"]:
        kdf = s["kdf"]
        if kdf.get("alg") == "argon2id":
            p = kdf["params"]
            k = {"alg": "argon2id", "params": {"m_kib": p["m_kib"], "t": p["t"], "p": p["p"]}, "salt": kdf["salt"]}
        else:
            k = {"alg": kdf.get("alg"), "salt": kdf["salt"]}
        out = {f: s[f] for f in SLOT_FIELDS}
        out["kdf"] = k
        out = {f: out[f] for f in SLOT_FIELDS}
        if s.get("aad", 1) != 1:
            out["aad"] = s["aad"]
        for f in ("recipient", "ephemeral", "mac"):
            if s.get(f) is not None:
                out[f] = s[f]
        slots.append(out)
    canonical = {f: body[f] for f in ("format", "owner", "seq", "key_check")}
    canonical["slots"] = slots
    return json.dumps(canonical, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def read_slot_file(path, password=None, recovery_key=None):
    """Opens one copy of a profile's key-slot file; returns (summary, master key)."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise ReadError("io", f"cannot open {path}: {e}")
    try:
        env = strict_json(raw)
        body = env["body"]
        if not isinstance(env.get("sha256"), str) or not isinstance(body, dict):
            raise damaged("envelope")
        if not is_int(body.get("format"), 0, U32_MAX) or not is_int(body.get("seq"), 0, U64_MAX):
            raise damaged("format or seq")
        if not isinstance(body.get("owner"), str) or not isinstance(body.get("key_check"), str):
            raise damaged("owner or key check")
        if not isinstance(body.get("slots"), list):
            raise damaged("slots")
        slots = [parse_slot(s) for s in body["slots"]]
        if hashlib.sha256(canonical_body(body)).hexdigest() != env["sha256"]:
            raise damaged("checksum mismatch")
        if body["format"] != 1:
            raise damaged(f"format {body['format']}")
    except (ReadError, KeyError, TypeError) as e:
        raise ReadError("slots_corrupt", f"not a valid key-slot file copy ({e})")
    owner = body["owner"]
    try:
        if password is not None:
            mk, slot = unlock_with_password(owner, slots, password)
        else:
            mk, slot = unlock_with_recovery_key(owner, slots, recovery_key)
    except ReadError as e:
        if e.cls == "damaged":
            raise ReadError("slots_corrupt", e.detail)
        raise
    if key_check(mk) != body["key_check"]:
        raise ReadError("key_check_mismatch", "the slot opened to a key that is not this file's")
    summary = {
        "ok": True,
        "slot_file": path,
        "owner": owner,
        "seq": body["seq"],
        "slots": [{"id": s["id"], "kind": s["kind"], "aad": s["aad"]} for s in slots],
        "slot": {
            "id": slot["id"],
            "kind": slot["kind"],
            "aad": slot["aad"],
            "mac_ok": slot_mac_ok(owner, slot, mk) if slot["aad"] == 2 else None,
        },
        "key_check": body["key_check"],
    }
    return summary, mk


def read_password_file(path):
    """The first line of the file, without its line ending (as the CLI reads it)."""
    with open(path, "rb") as f:
        text = f.read().decode("utf-8")
    line, nl, _ = text.partition("\n")
    if nl and line.endswith("\r"):
        line = line[:-1]
    return line


def main(argv=None):
    ap = argparse.ArgumentParser(description="Open a Patrimoine backup without Patrimoine.")
    ap.add_argument("file", nargs="?", help="the backup file")
    ap.add_argument("--slot-file", help="open this key-slot file copy (keyslots.a.json) instead of a backup")
    ap.add_argument("--self-test", action="store_true", help="check the docs' test vectors, then exit")
    cred = ap.add_mutually_exclusive_group()
    cred.add_argument("--password-file")
    cred.add_argument("--recovery-key-file")
    ap.add_argument("--out-db", help="write the decrypted SQLCipher vault here (a new file)")
    ap.add_argument("--print-key", action="store_true", help="include the raw master key in hex")
    ap.add_argument("--max-schema", type=int, default=KNOWN_SCHEMA, help="newest vault schema accepted")
    args = ap.parse_args(argv)
    if args.self_test:
        try:
            n = self_test()
        except (AssertionError, ReadError) as e:
            print(f"patrimoine_reader: self-test failed: {e}", file=sys.stderr)
            return 1
        print(json.dumps({"ok": True, "vectors": n}))
        return 0
    if (args.file is None) == (args.slot_file is None) or (args.password_file is None) == (
        args.recovery_key_file is None
    ):
        ap.error("give FILE or --slot-file F, and one of --password-file, --recovery-key-file")
    try:
        password = recovery_key = None
        try:
            if args.password_file is not None:
                password = read_password_file(args.password_file)
            else:
                with open(args.recovery_key_file, "rb") as f:
                    text = f.read().decode("utf-8")
                recovery_key = parse_recovery_key(text)
        except (OSError, UnicodeDecodeError) as e:
            raise ReadError("io", f"cannot read the credential: {e}")
        if args.slot_file is not None:
            summary, mk = read_slot_file(args.slot_file, password, recovery_key)
        else:
            summary, mk = read_backup(args.file, password, recovery_key, args.out_db, args.max_schema)
        if args.print_key:
            summary["raw_key"] = mk.hex()
        print(json.dumps(summary, indent=2, ensure_ascii=False))
        return 0
    except ReadError as e:
        print(json.dumps({"ok": False, "error": e.cls, "detail": e.detail}))
        print(f"patrimoine_reader: {e.cls}: {e.detail}", file=sys.stderr)
        return EXIT_CODES[e.cls]


if __name__ == "__main__":
    sys.exit(main())
