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
