#!/usr/bin/env python3
"""tlogcheck.py - checks a published C2SP tlog-tiles directory independently of skl: Python's
standard library plus the `openssl` command line.

usage: tlogcheck.py DIR VKEY                 a published tiles directory
       tlogcheck.py --proof FILE VKEY        a c2sp.org/tlog-proof@v1 (skl prove)
       tlogcheck.py --consistency FILE       an RFC 6962 consistency proof (skl consistency --json)
(VKEY: the log's vkey, or a file holding it)

For a tiles directory it checks:
  - the checkpoint note (c2sp.org/signed-note): text, blank line, lines
    "— <name> base64(key id || signature)"; the vkey's key id is
    SHA-256(name || 0x0A || 0x01 || pub)[:4]; the Ed25519 signature of the text by that
    key, verified with `openssl pkeyutl -verify -rawin`; and the log's own cosignature/v1
    (key id with type 0x04, 8-byte time || signature of
    "cosignature/v1\\ntime <t>\\n" || text), when present;
  - the checkpoint text (c2sp.org/tlog-checkpoint): origin, size, base64 root;
  - every entry bundle tile/entries/<N>[.p/<W>] (uint16 big-endian length-prefixed entries),
    each leaf hash SHA-256(0x00 || entry) against the level-0 tiles tile/0/<N>[.p/<W>];
  - every higher tile level L against the RFC 6962 subtrees of 256^L leaves below it
    (node hash SHA-256(0x01 || left || right));
  - the RFC 6962 root of all leaves against the checkpoint's root;
  - each entry: canonical JSON skl/leaf/v1 record whose "index" is its position and whose
    "prev" is the hex leaf hash of the entry before it (64 zeros for the first).

For a tlog-proof: the checkpoint's signatures as above, then the RFC 9162 inclusion proof of
SHA-256(0x00 || extra) (the extra line is the leaf record) at the index, against the
checkpoint's root, and the record's own "index". For a consistency proof: the RFC 9162
consistency proof between the two roots it names.

Prints one line and exits 0 when all is well; prints the first problem and exits 1
otherwise; exits 2 on a usage error.
"""
import base64
import binascii
import hashlib
import json
import os
import sys

from ed25519_openssl import openssl_verify

TILE = 256
DASH = "\u2014 "


class Bad(Exception):
    pass


def b64(s, what):
    try:
        raw = base64.b64decode(s, validate=True)
    except (binascii.Error, ValueError):
        raise Bad("%s is not base64" % what)
    if base64.b64encode(raw).decode() != s:
        raise Bad("%s is not canonical base64" % what)
    return raw


def key_id(name, typ, pub):
    return hashlib.sha256(name.encode() + b"\n" + bytes([typ]) + pub).digest()[:4]


def parse_vkey(vkey):
    parts = vkey.split("+", 2)
    if len(parts) != 3:
        raise Bad("vkey is not name+id+key")
    name, hexid, key = parts
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raise Bad("vkey name is not UTF-8")
    raw = b64(key, "vkey key")
    if len(raw) != 33 or raw[0] != 0x01:
        raise Bad("vkey is not an Ed25519 (type 0x01) key")
    pub = raw[1:]
    if key_id(name, 0x01, pub).hex() != hexid:
        raise Bad("vkey key id %s is not SHA-256(name||0x0A||0x01||pub)[:4] = %s"
                  % (hexid, key_id(name, 0x01, pub).hex()))
    return name, pub


def check_note(note, name, pub):
    """Returns the checkpoint text (bytes) after verifying the log's signature(s)."""
    try:
        s = note.decode("utf-8")
    except UnicodeDecodeError:
        raise Bad("checkpoint is not UTF-8")
    cut = s.rfind("\n\n")
    if cut < 0 or not s.endswith("\n"):
        raise Bad("checkpoint is not a signed note (no blank line before signatures)")
    text = s[:cut + 1]
    lines = s[cut + 2:].split("\n")[:-1]
    if not lines:
        raise Bad("checkpoint has no signature lines")
    sig_id = key_id(name, 0x01, pub)
    cosig_id = key_id(name, 0x04, pub)
    signed = cosigned = False
    for line in lines:
        if not line.startswith(DASH):
            raise Bad("checkpoint signature line does not start with an em dash: %r" % line)
        lname, _, b = line[len(DASH):].partition(" ")
        raw = b64(b, "signature line")
        if len(raw) < 5:
            raise Bad("signature line too short")
        if lname != name:
            continue
        if raw[:4] == sig_id:
            if len(raw) != 68:
                raise Bad("Ed25519 signature line is %d bytes, not 68" % len(raw))
            if not openssl_verify(pub, text.encode(), raw[4:]):
                raise Bad("checkpoint: the log's Ed25519 signature does not verify")
            signed = True
        elif raw[:4] == cosig_id:
            if len(raw) != 76:
                raise Bad("cosignature line is %d bytes, not 76" % len(raw))
            t = int.from_bytes(raw[4:12], "big")
            msg = ("cosignature/v1\ntime %d\n" % t).encode() + text.encode()
            if not openssl_verify(pub, msg, raw[12:]):
                raise Bad("checkpoint: the log's cosignature/v1 does not verify")
            cosigned = True
    if not signed:
        raise Bad("checkpoint has no signature by the vkey")
    return text, cosigned


def parse_checkpoint(text):
    lines = text.split("\n")
    if len(lines) < 4:
        raise Bad("checkpoint text is not origin, size, root")
    origin, size_s, root_s = lines[0], lines[1], lines[2]
    if not size_s.isdigit() or (size_s != "0" and size_s.startswith("0")):
        raise Bad("checkpoint size %r is not a decimal number" % size_s)
    root = b64(root_s, "checkpoint root")
    if len(root) != 32:
        raise Bad("checkpoint root is not 32 bytes")
    return origin, int(size_s), root


def tile_path(n):
    s = "%03d" % (n % 1000)
    n //= 1000
    while n > 0:
        s = "x%03d/%s" % (n % 1000, s)
        n //= 1000
    return s


def read_tile(d, level, n, width):
    path = os.path.join(d, "tile", level, tile_path(n))
    if width < TILE:
        path += ".p/%d" % width
    try:
        with open(path, "rb") as f:
            return f.read(), path
    except OSError as e:
        raise Bad("%s: %s" % (path, e.strerror))


def node(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def mth(hashes):
    """RFC 6962 Merkle tree hash of a list of leaf hashes."""
    if not hashes:
        return hashlib.sha256(b"").digest()
    if len(hashes) == 1:
        return hashes[0]
    k = 1
    while k * 2 < len(hashes):
        k *= 2
    return node(mth(hashes[:k]), mth(hashes[k:]))


def check_entry(i, entry, prev_hash):
    try:
        rec = json.loads(entry.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise Bad("entry %d is not JSON" % i)
    if not isinstance(rec, dict):
        raise Bad("entry %d is not a JSON object" % i)
    canon = json.dumps(rec, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    if canon != entry:
        raise Bad("entry %d is not in canonical form" % i)
    if rec.get("type") != "skl/leaf/v1":
        raise Bad("entry %d is not an skl/leaf/v1 record" % i)
    if rec.get("index") != i or isinstance(rec.get("index"), bool):
        raise Bad("entry %d says index %r" % (i, rec.get("index")))
    if rec.get("prev") != prev_hash.hex():
        raise Bad("entry %d: prev is not the leaf hash of entry %d (chain broken)" % (i, i - 1))
    if not isinstance(rec.get("credential"), dict):
        raise Bad("entry %d has no credential" % i)


def check(d, vkey):
    name, pub = parse_vkey(vkey)
    try:
        with open(os.path.join(d, "checkpoint"), "rb") as f:
            note = f.read()
    except OSError as e:
        raise Bad("checkpoint: %s" % e.strerror)
    text, cosigned = check_note(note, name, pub)
    origin, size, root = parse_checkpoint(text)

    # Entries and level 0.
    leaves = []
    prev = bytes(32)
    for t in range((size + TILE - 1) // TILE):
        width = min(TILE, size - t * TILE)
        bundle, bpath = read_tile(d, "entries", t, width)
        tile, tpath = read_tile(d, "0", t, width)
        if len(tile) != 32 * width:
            raise Bad("%s is %d bytes, not %d" % (tpath, len(tile), 32 * width))
        off = 0
        for k in range(width):
            if off + 2 > len(bundle):
                raise Bad("%s ends before entry %d" % (bpath, t * TILE + k))
            n = int.from_bytes(bundle[off:off + 2], "big")
            entry = bundle[off + 2:off + 2 + n]
            if len(entry) != n:
                raise Bad("%s ends inside entry %d" % (bpath, t * TILE + k))
            off += 2 + n
            h = hashlib.sha256(b"\x00" + entry).digest()
            if h != tile[32 * k:32 * k + 32]:
                raise Bad("entry %d does not hash to its level-0 tile hash in %s"
                          % (t * TILE + k, tpath))
            check_entry(t * TILE + k, entry, prev)
            prev = h
            leaves.append(h)
        if off != len(bundle):
            raise Bad("%s has %d bytes after its %d entries" % (bpath, len(bundle) - off, width))

    # Higher levels: level L holds the roots of complete subtrees of 256^L leaves.
    below = leaves
    level = 1
    while len(below) >= TILE:
        full = [mth(below[i:i + TILE]) for i in range(0, len(below) - TILE + 1, TILE)]
        for t in range((len(full) + TILE - 1) // TILE):
            width = min(TILE, len(full) - t * TILE)
            tile, tpath = read_tile(d, str(level), t, width)
            if tile != b"".join(full[t * TILE:t * TILE + width]):
                raise Bad("%s does not hold the level-%d subtree hashes" % (tpath, level))
        below = full
        level += 1

    if mth(leaves) != root:
        raise Bad("the RFC 6962 root of the %d entries is not the checkpoint's root" % size)
    return origin, size, level, cosigned


def verify_inclusion(index, size, leaf_hash, path, root):
    """RFC 9162 section 2.1.3.2."""
    if index >= size:
        raise Bad("index %d is not below the tree size %d" % (index, size))
    fn, sn, r = index, size - 1, leaf_hash
    for p in path:
        if sn == 0:
            raise Bad("inclusion proof is too long")
        if fn & 1 or fn == sn:
            r = node(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise Bad("inclusion proof is too short")
    if r != root:
        raise Bad("inclusion proof does not lead to the checkpoint's root")


def verify_consistency(first, second, first_hash, second_hash, path):
    """RFC 9162 section 2.1.4.2."""
    if not 0 < first <= second:
        raise Bad("sizes %d and %d are not 0 < first <= second" % (first, second))
    if first == second:
        if path:
            raise Bad("consistency proof between equal sizes is not empty")
        if first_hash != second_hash:
            raise Bad("equal sizes, different roots")
        return
    if not path:
        raise Bad("consistency proof is empty")
    if first & (first - 1) == 0:
        path = [first_hash] + path
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise Bad("consistency proof is too long")
        if fn & 1 or fn == sn:
            fr = node(c, fr)
            sr = node(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise Bad("consistency proof is too short")
    if fr != first_hash:
        raise Bad("consistency proof does not lead to the first root")
    if sr != second_hash:
        raise Bad("consistency proof does not lead to the second root")


def check_proof(path, vkey):
    name, pub = parse_vkey(vkey)
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise Bad("%s: %s" % (path, e.strerror))
    head, sep, note = data.partition(b"\n\n")
    if not sep:
        raise Bad("tlog-proof has no blank line before the checkpoint")
    lines = head.decode("utf-8", errors="replace").split("\n")
    if lines[0] != "c2sp.org/tlog-proof@v1":
        raise Bad("not a c2sp.org/tlog-proof@v1")
    i = 1
    extra = None
    if i < len(lines) and lines[i].startswith("extra "):
        extra = b64(lines[i][len("extra "):], "extra")
        i += 1
    if i >= len(lines) or not lines[i].startswith("index "):
        raise Bad("tlog-proof has no index line")
    idx_s = lines[i][len("index "):]
    if not idx_s.isdigit():
        raise Bad("tlog-proof index is not a number")
    index = int(idx_s)
    hashes = [b64(h, "proof hash") for h in lines[i + 1:]]
    if any(len(h) != 32 for h in hashes):
        raise Bad("a proof hash is not 32 bytes")
    if extra is None:
        raise Bad("tlog-proof has no extra line: the leaf record is unknown")
    text, _ = check_note(note, name, pub)
    origin, size, root = parse_checkpoint(text)
    verify_inclusion(index, size, hashlib.sha256(b"\x00" + extra).digest(), hashes, root)
    rec = json.loads(extra.decode("utf-8"))
    if not isinstance(rec, dict) or rec.get("index") != index:
        raise Bad("the leaf record does not say index %d" % index)
    return origin, index, size


def check_consistency(path):
    try:
        with open(path, "rb") as f:
            doc = json.loads(f.read().decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as e:
        raise Bad("%s: %s" % (path, e))
    try:
        first, second = doc["from"], doc["to"]
        r1, r2 = b64(doc["fromRoot"], "fromRoot"), b64(doc["toRoot"], "toRoot")
        proof = [b64(h, "proof hash") for h in doc["proof"]]
    except (KeyError, TypeError):
        raise Bad("not a consistency proof object")
    verify_consistency(first, second, r1, r2, proof)
    return first, second


def read_vkey(vkey):
    if os.path.isfile(vkey):
        with open(vkey, "rb") as f:
            return f.readline().decode("utf-8").strip()
    return vkey


def main(argv):
    try:
        if len(argv) == 3 and argv[0] == "--proof":
            origin, index, size = check_proof(argv[1], read_vkey(argv[2]))
            print("%s: ok: leaf %d is in %s at size %d" % (argv[1], index, origin, size))
            return 0
        if len(argv) == 2 and argv[0] == "--consistency":
            first, second = check_consistency(argv[1])
            print("%s: ok: size %d is a prefix of size %d" % (argv[1], first, second))
            return 0
    except (OSError, UnicodeDecodeError) as e:
        print("tlogcheck.py: %s" % e, file=sys.stderr)
        return 2
    except Bad as e:
        print("%s: FAILED: %s" % (argv[1], e))
        return 1
    if len(argv) != 2 or argv[0].startswith("--"):
        print("usage: tlogcheck.py DIR VKEY | --proof FILE VKEY | --consistency FILE",
              file=sys.stderr)
        return 2
    d, vkey = argv
    if os.path.isfile(vkey):
        try:
            with open(vkey, "rb") as f:
                vkey = f.readline().decode("utf-8").strip()
        except (OSError, UnicodeDecodeError) as e:
            print("tlogcheck.py: cannot read the vkey file: %s" % e, file=sys.stderr)
            return 2
    try:
        origin, size, levels, cosigned = check(d, vkey)
    except Bad as e:
        print("%s: FAILED: %s" % (d, e))
        return 1
    print("%s: ok: %s, %d entries, %d tile level(s), signature%s verified"
          % (d, origin, size, levels, " and cosignature" if cosigned else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
