"""Ed25519 signature checks through the openssl command line: no skl code involved.

Shared by tlogcheck.py and vccheck.py, the independent checkers of skl's output.
"""
import os
import subprocess
import tempfile

# DER SubjectPublicKeyInfo of an Ed25519 key, less the 32 key bytes (RFC 8410).
ED25519_SPKI_PREFIX = bytes.fromhex("302a300506032b6570032100")


def openssl_verify(pub, msg, sig):
    """True if sig is a valid Ed25519 signature of msg under the 32-byte key pub."""
    with tempfile.TemporaryDirectory() as d:
        paths = {}
        for name, data in (("pub.der", ED25519_SPKI_PREFIX + pub), ("msg", msg), ("sig", sig)):
            paths[name] = os.path.join(d, name)
            with open(paths[name], "wb") as f:
                f.write(data)
        r = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", paths["pub.der"],
                            "-keyform", "DER", "-rawin", "-in", paths["msg"],
                            "-sigfile", paths["sig"]],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        return r.returncode == 0
