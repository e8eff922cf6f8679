# lib.sh - helpers sourced by the end-to-end tests (. "$E2E/lib.sh").
set -eu

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# expect_exit CODE CMD...: runs CMD, fails the test unless it exits with CODE.
# Its stdout and stderr are kept in $WORK/out and $WORK/err.
expect_exit() {
    want=$1
    shift
    set +e
    "$@" >"$WORK/out" 2>"$WORK/err"
    got=$?
    set -e
    if [ "$got" -ne "$want" ]; then
        echo "--- stdout"; cat "$WORK/out"; echo "--- stderr"; cat "$WORK/err"
        fail "expected exit $want, got $got: $*"
    fi
}

# expect_in FILE TEXT: FILE must contain TEXT (fixed string).
expect_in() {
    grep -qF -- "$2" "$1" || { echo "--- $1:"; cat "$1"; fail "expected \"$2\" in $1"; }
}

# gen FROM TO OUT: writes credentials FROM..TO-1 of the issuer whose did:key is $A and whose
# key is a.key, each signed and followed by a comma (wrap in [ ] to make a batch).
gen() {
    i=$1
    : >"$3"
    while [ "$i" -lt "$2" ]; do
        sh "$E2E/mkcred.sh" "$A" "$i" | "$SKL" sign --key a.key - >>"$3" || exit 1
        printf ',' >>"$3"
        i=$((i + 1))
    done
}

# accredited_ledger: in the current directory, makes an authority (auth/, passphrase in
# auth.pass), a ledger l.db under it (log key log.key), and enrolls center.key as an S
# evaluation body for certifications of electricians (6-31-*, 2015) at levels L5..L3.
# Sets CENTER (its did:key) and ACCRED (its accreditation id), and the vault passphrase;
# the log's vkey is in log.vkey.
accredited_ledger() {
    echo "authority-secret" >auth.pass
    SKL_VAULT_PASSPHRASE=vault-secret
    export SKL_VAULT_PASSPHRASE
    # The log key is named after the origin, as witnesses and trust policies expect; its
    # vkey goes to log.vkey.
    "$SKL" keygen --out log.key --name test.example/skills 2>/dev/null | sed -n 2p >log.vkey
    "$SKL" authority init --dir auth --name "北碚区人力资源和社会保障局" \
        --pass-file auth.pass >/dev/null
    "$SKL" ledger init --db l.db --origin test.example/skills --log-key log.key \
        --authority auth/authority.pem >/dev/null 2>&1
    "$SKL" keygen --out center.key --name center --json >center.json 2>/dev/null
    CENTER=$(sed -n 's/.*"didKey":"\([^"]*\)".*/\1/p' center.json)
    [ -n "$CENTER" ] || fail "keygen printed no didKey"
    cat >scope.json <<'SCOPE'
{"kinds":["certification"],"occupations":[{"edition":"2015","prefix":"6-31"}],
 "levels":{"scale":"skill","min":"L5","max":"L3"},"evaluator":"S"}
SCOPE
    "$SKL" issuer enroll --db l.db --authority-key auth/authority.key \
        --pass-file auth.pass --did "$CENTER" --name "重庆市北碚区职业技能鉴定中心" \
        --scope scope.json --directory evaluation-bodies --cert-out center.pem \
        --json >enroll.json || fail "issuer enroll failed"
    ACCRED=$(sed -n 's/.*"accreditation":"\([^"]*\)".*/\1/p' enroll.json)
    [ -n "$ACCRED" ] || fail "enroll printed no accreditation id"
}

# leaves DB: the number of leaves in ledger DB.
leaves() {
    "$SKL" audit --db "$1" --json | sed -n 's/.*"leaves":\([0-9]*\).*/\1/p'
}
