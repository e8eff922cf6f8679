#!/bin/sh
# mkcred.sh - writes an unsigned Open Badges 3.0 AchievementCredential (W3C VC 2.0) to stdout.
#
# usage: sh mkcred.sh ISSUER_DID SERIAL [PAD]
#   ISSUER_DID  the issuer's did:key (skl keygen --json -> .didKey); sign with that key
#   SERIAL      a non-negative integer that makes the credential's id unique
#   PAD         optional: the description gets PAD extra bytes (to build oversized credentials)
# The worker is named only by a salted-hash placeholder (no personal data).
set -eu
if [ $# -lt 2 ] || [ $# -gt 3 ]; then
    echo "usage: mkcred.sh ISSUER_DID SERIAL [PAD]" >&2
    exit 2
fi
did=$1
serial=$2
pad=${3:-0}
case $serial in ''|*[!0-9]*) echo "mkcred.sh: SERIAL must be an integer" >&2; exit 2;; esac
case $pad in ''|*[!0-9]*) echo "mkcred.sh: PAD must be an integer" >&2; exit 2;; esac

# Deterministic placeholders that vary with the serial.
n=$((serial % 1000000000000))
uuid=$(printf '5b1e7c2a-0d4f-4b6e-9a3c-%012d' "$n")
# 64 hex digits, like the SHA-256 of a salted ID number (a placeholder: nothing is hashed).
hash=$(printf 'a3f1c9e07b2d4e8f%016d6c5b4a39281706f5%016d' "$n" "$((n * 7919 % 10000000000000000))")
extra=""
if [ "$pad" -gt 0 ]; then
    # POSIX: dd + tr make PAD bytes of filler.
    extra=$(dd if=/dev/zero bs=1 count="$pad" 2>/dev/null | tr '\0' 'x')
fi

printf '{\n'
printf '  "@context": [\n'
printf '    "https://www.w3.org/ns/credentials/v2",\n'
printf '    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"\n'
printf '  ],\n'
printf '  "id": "urn:uuid:%s",\n' "$uuid"
printf '  "type": ["VerifiableCredential", "OpenBadgeCredential"],\n'
printf '  "name": "职业技能等级证书",\n'
printf '  "issuer": {\n'
printf '    "id": "%s",\n' "$did"
printf '    "type": ["Profile"],\n'
printf '    "name": "重庆市北碚区职业技能鉴定中心"\n'
printf '  },\n'
printf '  "validFrom": "2024-06-%02dT08:00:00Z",\n' "$((n % 28 + 1))"
printf '  "credentialSubject": {\n'
printf '    "type": ["AchievementSubject"],\n'
printf '    "identifier": [{\n'
printf '      "type": "IdentityObject",\n'
printf '      "identityHash": "sha256$%s",\n' "$hash"
printf '      "identityType": "identifier",\n'
printf '      "hashed": true\n'
printf '    }],\n'
printf '    "achievement": {\n'
printf '      "id": "urn:skl:achievement:6-31-01-03:4",\n'
printf '      "type": ["Achievement"],\n'
printf '      "achievementType": "Certificate",\n'
printf '      "name": "电工 四级/中级工",\n'
printf '      "description": "职业技能等级认定：电工（6-31-01-03），四级/中级工。%s",\n' "$extra"
printf '      "criteria": {"narrative": "理论知识考试与操作技能考核均合格（60分及以上）"}\n'
printf '    },\n'
printf '    "result": [{"type": ["Result"], "value": "合格"}],\n'
printf '    "creditsEarned": %d\n' "$((n % 5 + 1))"
printf '  }\n'
printf '}\n'
