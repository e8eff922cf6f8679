#!/usr/bin/env python3
"""vccheck.py - verifies eddsa-jcs-2022 Data Integrity proofs on W3C VC 2.0 credentials
independently of skl: Python's standard library plus the `openssl` command line.

usage: vccheck.py [--did DID] [--issuer-is-signer] [--quiet] FILE...

Each FILE holds one credential or a JSON array of them. For each credential, following W3C
vc-di-eddsa "Verify Proof (eddsa-jcs-2022)":

  proofOptions = proof without proofValue
  if proofOptions has "@context": the credential's "@context" must start with it, and it
      replaces the credential's "@context"; otherwise proofOptions gets the credential's
  signed bytes = SHA-256(JCS(proofOptions)) || SHA-256(JCS(credential without proof))
  public key   = the did:key of verificationMethod (base58btc, multicodec 0xed01)

JCS (RFC 8785) is json.dumps(sort_keys=True, separators=(',', ':'), ensure_ascii=False),
which is exactly RFC 8785 for documents whose numbers are all integers of at most 2^53 and
whose object keys are all in the Basic Multilingual Plane; this checks that they are (and
refuses duplicate keys, as I-JSON does). With --did, every proof must be by that did:key;
with --issuer-is-signer, each credential's issuer (or issuer.id) must be its signer's did:key
(the skl ledger's profile).

Exit status: 0 all valid, 1 one or more invalid, 2 usage or I/O error.
"""
import hashlib
import json
import sys

from ed25519_openssl import openssl_verify

USAGE = "usage: vccheck.py [--did DID] [--issuer-is-signer] [--quiet] FILE..."
B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


class Invalid(Exception):
    pass


def b58decode(s):
    n = 0
    for ch in s:
        i = B58.find(ch)
        if i < 0:
            raise Invalid("not base58btc: %r" % ch)
        n = n * 58 + i
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    pad = len(s) - len(s.lstrip("1"))
    return b"\x00" * pad + body


def multibase_b58(s):
    if not isinstance(s, str) or not s.startswith("z"):
        raise Invalid("not a base58btc multibase value: %r" % (s,))
    return b58decode(s[1:])


def did_key_public(did):
    """The 32-byte Ed25519 public key of a did:key (z6Mk... form)."""
    if not isinstance(did, str) or not did.startswith("did:key:"):
        raise Invalid("verificationMethod is not a did:key: %r" % (did,))
    raw = multibase_b58(did[len("did:key:"):])
    if len(raw) != 34 or raw[:2] != b"\xed\x01":
        raise Invalid("did:key is not an Ed25519 multikey (0xed01 + 32 bytes)")
    return raw[2:]


def no_duplicates(pairs):
    seen = {}
    for k, v in pairs:
        if k in seen:
            raise Invalid("duplicate key %r" % k)
        seen[k] = v
    return seen


def bad_constant(name):
    raise Invalid("not JSON: %s" % name)


def check_jcs_safe(v, where="$"):
    """Asserts the subset where json.dumps(sort_keys) is RFC 8785."""
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return
    if isinstance(v, float):
        raise Invalid("%s: non-integer number %r: this checker only handles integers" % (where, v))
    if isinstance(v, int):
        if abs(v) > 2 ** 53:
            raise Invalid("%s: integer %d beyond 2^53" % (where, v))
        return
    if isinstance(v, list):
        for i, x in enumerate(v):
            check_jcs_safe(x, "%s[%d]" % (where, i))
        return
    if isinstance(v, dict):
        for k, x in v.items():
            if any(ord(c) > 0xFFFF for c in k):
                raise Invalid("%s: key outside the BMP: UTF-16 order would differ" % where)
            check_jcs_safe(x, "%s.%s" % (where, k))
        return
    raise Invalid("%s: unexpected value" % where)


def jcs(v):
    return json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def verify(cred, want_did=None, issuer_is_signer=False):
    """Returns the signer's did:key, or raises Invalid."""
    if not isinstance(cred, dict):
        raise Invalid("not a JSON object")
    check_jcs_safe(cred)
    proof = cred.get("proof")
    if not isinstance(proof, dict):
        raise Invalid("no proof object")
    if proof.get("type") != "DataIntegrityProof":
        raise Invalid("proof type is not DataIntegrityProof")
    if proof.get("cryptosuite") != "eddsa-jcs-2022":
        raise Invalid("cryptosuite is not eddsa-jcs-2022")
    if proof.get("proofPurpose") != "assertionMethod":
        raise Invalid("proofPurpose is not assertionMethod")
    vm = proof.get("verificationMethod")
    if not isinstance(vm, str) or "#" not in vm:
        raise Invalid("verificationMethod is not a did:key URL with a fragment")
    did, frag = vm.split("#", 1)
    if frag != did[len("did:key:"):]:
        raise Invalid("verificationMethod fragment does not name the did:key itself")
    if want_did is not None and did != want_did:
        raise Invalid("signed by %s, not %s" % (did, want_did))
    if issuer_is_signer:
        issuer = cred.get("issuer")
        if isinstance(issuer, dict):
            issuer = issuer.get("id")
        if issuer != did:
            raise Invalid("issuer %r is not the signer %s" % (issuer, did))
    pub = did_key_public(did)
    sig = multibase_b58(proof.get("proofValue"))
    if len(sig) != 64:
        raise Invalid("proofValue is %d bytes, not 64" % len(sig))

    unsecured = {k: v for k, v in cred.items() if k != "proof"}
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    if "@context" in options:
        pctx, dctx = options["@context"], cred.get("@context")
        if not isinstance(pctx, list) or not isinstance(dctx, list) or dctx[:len(pctx)] != pctx:
            raise Invalid("the credential's @context does not start with the proof's")
        unsecured["@context"] = pctx
    elif "@context" in cred:
        options["@context"] = cred["@context"]
    signed = hashlib.sha256(jcs(options)).digest() + hashlib.sha256(jcs(unsecured)).digest()
    if not openssl_verify(pub, signed, sig):
        raise Invalid("Ed25519 signature does not verify")
    return did


def main(argv):
    want_did = None
    quiet = False
    issuer_is_signer = False
    files = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--did" and i + 1 < len(argv):
            want_did = argv[i + 1]
            i += 2
            continue
        if a == "--quiet":
            quiet = True
        elif a == "--issuer-is-signer":
            issuer_is_signer = True
        elif a.startswith("--"):
            print(USAGE, file=sys.stderr)
            return 2
        else:
            files.append(a)
        i += 1
    if not files:
        print(USAGE, file=sys.stderr)
        return 2
    rc = 0
    for path in files:
        try:
            with open(path, "rb") as f:
                raw = f.read()
        except OSError as e:
            print("%s: %s" % (path, e), file=sys.stderr)
            return 2
        try:
            doc = json.loads(raw.decode("utf-8", errors="strict"), object_pairs_hook=no_duplicates,
                             parse_constant=bad_constant)
        except (Invalid, ValueError) as e:
            print("%s: invalid: not strict JSON: %s" % (path, e))
            rc = 1
            continue
        items = doc if isinstance(doc, list) else [doc]
        for n, cred in enumerate(items):
            label = "%s[%d]" % (path, n + 1) if isinstance(doc, list) else path
            try:
                did = verify(cred, want_did, issuer_is_signer)
                if not quiet:
                    print("%s: valid, signed by %s" % (label, did))
            except Invalid as e:
                print("%s: invalid: %s" % (label, e))
                rc = 1
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
