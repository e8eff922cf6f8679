# t_issuers.sh - the authority accredits an evaluation body; the ledger enforces its scope,
# its validity and its revocation at the door; workers stay out of the public log.
. "$E2E/lib.sh"

echo "authority-secret" >auth.pass
echo "vault-secret" >vault.pass
export SKL_VAULT_PASSPHRASE=vault-secret
unset SKL_PASSPHRASE || true

"$SKL" keygen --out log.key --name log >/dev/null
"$SKL" authority init --dir auth --name "北碚区人力资源和社会保障局" --pass-file auth.pass >/dev/null
[ -f auth/authority.key ] && [ -f auth/authority.pem ] || fail "authority init made no files"
openssl x509 -in auth/authority.pem -noout -subject | grep -q "北碚区\|\\\\" ||
    fail "authority certificate has no subject"
"$SKL" ledger init --db l.db --origin test.example/skills --log-key log.key \
    --authority auth/authority.pem >/dev/null

# An evaluation body (S) for electricians 6-31-*, levels 五级 to 三级.
"$SKL" keygen --out center.key --name center --json >center.json
CENTER=$(sed -n 's/.*"didKey":"\([^"]*\)".*/\1/p' center.json)
[ -n "$CENTER" ] || fail "keygen printed no didKey"
cat >scope.json <<'EOF'
{"kinds":["certification"],"occupations":[{"edition":"2015","prefix":"6-31"}],
 "levels":{"scale":"skill","min":"L5","max":"L3"},"evaluator":"S"}
EOF
expect_exit 0 "$SKL" issuer enroll --db l.db --authority-key auth/authority.key \
    --pass-file auth.pass --did "$CENTER" --name "重庆市北碚区职业技能鉴定中心" \
    --scope scope.json --directory evaluation-bodies --cert-out center.pem --json
ACCRED=$(sed -n 's/.*"accreditation":"\([^"]*\)".*/\1/p' "$WORK/out")
[ -n "$ACCRED" ] || fail "enroll printed no accreditation id"
# The certificate chains to the root for stock OpenSSL too (the scope is a critical
# extension OpenSSL does not know, hence -ignore_critical).
openssl verify -CAfile auth/authority.pem -ignore_critical center.pem >/dev/null ||
    fail "openssl does not verify the issuer certificate"
# Only the authority's key enrolls.
"$SKL" keygen --out rogue.key --name rogue >/dev/null
expect_exit 2 "$SKL" issuer enroll --db l.db --authority-key rogue.key --did "$CENTER" \
    --name "冒名机构" --scope scope.json --directory evaluation-bodies --cert-out rogue.pem
expect_in "$WORK/err" "not the key of this ledger's authority root"

# Workers live in the vault.
expect_exit 0 "$SKL" worker add --db l.db --id-type resident-id \
    --id-number 11010519491231002X --name 张三丰
expect_exit 1 "$SKL" worker add --db l.db --id-type resident-id \
    --id-number 110105194912310021 --name 李四
expect_in "$WORK/err" "check"

cert() { # cert LEVEL OCCUPATION [extra --set ...]: issue one certification for 张三丰
    lvl=$1 occ=$2
    shift 2
    # 22-character S number: body 1234, province 50, site 010900, year 26, level, serial
    no="S12345001090026${lvl#L}000123"
    "$SKL" issue --db l.db --key center.key --id-type resident-id \
        --id-number 11010519491231002X --set kind=certification \
        --set evaluationType=skill-level --set occupation="$occ" --set edition=2015 \
        --set level="$lvl" --set certificateNumber="$no" --set issueDate=2026-05-01 \
        --set evaluator=S "$@"
}
expect_exit 0 cert L4 6-31-01-03
expect_in "$WORK/out" "index 1"
FIRST=$(sed -n 's/^skl issue \(urn:uuid:[^ ]*\) index.*/\1/p' "$WORK/out")

# Out of scope: each refusal names its rule, and nothing is appended.
expect_exit 1 cert L2 6-31-01-03
expect_in "$WORK/err" "L2"
expect_exit 1 cert L4 6-18-02-04
expect_in "$WORK/err" "6-18-02-04"
expect_exit 1 cert L4 6-31-01-03 --set evaluator=Y --set employer=91500109MA5U5WXX1C
# Not accredited at all.
expect_exit 1 "$SKL" issue --db l.db --key rogue.key --id-type resident-id \
    --id-number 11010519491231002X --set kind=certification --set evaluationType=skill-level \
    --set occupation=6-31-01-03 --set edition=2015 --set level=L4 --set issueDate=2026-05-01 \
    --set certificateNumber=S123450010900264000123 --set evaluator=S
expect_in "$WORK/err" "no accreditation"
"$SKL" audit --db l.db --json >audit.json || fail "audit failed"
expect_in audit.json '"leaves":2'

# The worker's lookup finds the credential.
expect_exit 0 "$SKL" worker show --db l.db --id-type resident-id --id-number 11010519491231002x
expect_in "$WORK/out" "$FIRST"
expect_in "$WORK/out" "张三丰"

# Two credentials of one worker share no value that marks them as the same person: every
# value they have in common also appears in another worker's credential.
expect_exit 0 cert L3 6-31-01-03
SECOND=$(sed -n 's/^skl issue \(urn:uuid:[^ ]*\) index.*/\1/p' "$WORK/out")
"$SKL" worker add --db l.db --id-type resident-id --id-number 500109198807150016 \
    --name 李小龙 >/dev/null
expect_exit 0 "$SKL" issue --db l.db --key center.key --id-type resident-id \
    --id-number 500109198807150016 --set kind=certification --set evaluationType=skill-level \
    --set occupation=6-31-01-03 --set edition=2015 --set level=L4 \
    --set certificateNumber=S123450010900264000123 --set issueDate=2026-05-01 --set evaluator=S
OTHER=$(sed -n 's/^skl issue \(urn:uuid:[^ ]*\) index.*/\1/p' "$WORK/out")
for id in "$FIRST" "$SECOND" "$OTHER"; do
    sqlite3 l.db "SELECT l.data FROM leaves l JOIN credential_ids c ON c.idx = l.idx
                  WHERE c.id = '$id'" >"cred-$id.json"
done
python3 - "cred-$FIRST.json" "cred-$SECOND.json" "cred-$OTHER.json" <<'PY' ||
import json, sys
def values(path):
    out = set()
    def walk(v):
        if isinstance(v, dict):
            for k, x in v.items():
                # Left out: the log's facts, the proof, and issuance times (which any two
                # credentials issued in the same second share, whoever they name).
                if k not in ("proof", "index", "prev", "time", "validFrom", "validUntil"):
                    walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)
        else:
            out.add(json.dumps(v, ensure_ascii=False))
    walk(json.load(open(path))["credential"])
    return out
a1, a2, b = (values(p) for p in sys.argv[1:])
marks = (a1 & a2) - b
if marks:
    sys.exit("shared only by one worker's credentials: %s" % sorted(marks))
PY
    fail "two credentials of one worker are linkable"

# The issuer revokes its own credential; nobody else can.
expect_exit 1 "$SKL" revoke --db l.db --key rogue.key --target "$FIRST" --reason "not mine"
expect_exit 0 "$SKL" revoke --db l.db --key center.key --target "$FIRST" --reason "issued in error"
expect_exit 1 "$SKL" revoke --db l.db --key center.key --target "$FIRST" --reason "again"
expect_in "$WORK/err" "already revoked"

# The authority revokes the accreditation: the centre's later credentials are refused.
expect_exit 0 "$SKL" issuer revoke --db l.db --authority-key auth/authority.key \
    --pass-file auth.pass --target "$ACCRED" --reason "licence withdrawn"
expect_exit 1 cert L4 6-31-01-03
expect_in "$WORK/err" "revoked"
"$SKL" audit --db l.db >/dev/null || fail "audit failed after revocations"

# Nothing identifying in the public log: not in the leaves, not in the tiles.
"$SKL" checkpoint --db l.db --log-key log.key >/dev/null
"$SKL" publish --db l.db --out tiles >/dev/null
if grep -rqF -e 11010519491231002X -e 张三丰 tiles; then fail "personal data in the tiles"; fi
if sqlite3 l.db "SELECT data FROM leaves" | grep -qF -e 11010519491231002X -e 张三丰; then
    fail "personal data in a leaf"
fi
