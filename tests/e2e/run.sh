#!/bin/sh
# Runs every end-to-end test tests/e2e/t_*.sh against the skl binary given as $1.
# Each test is a POSIX shell script run with SKL (the binary), VECTORS (shared vectors),
# E2E (this directory) and WORK (a fresh empty directory) in its environment; it exits 0
# when it passes. Prints one line per test and a closing "N passed, N failed".
set -u
SKL=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
E2E=$(cd "$(dirname "$0")" && pwd)
VECTORS=${SKL_VECTORS:-$(cd "$E2E/../.." && pwd)/../shared/vectors}
export SKL E2E VECTORS
passed=0
failed=0
failures=""
for t in "$E2E"/t_*.sh; do
    [ -f "$t" ] || continue
    name=$(basename "$t" .sh)
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/skl-e2e-$name.XXXXXX")
    export WORK
    start=$(date +%s)
    if (cd "$WORK" && sh "$t") >"$WORK.log" 2>&1; then
        passed=$((passed + 1))
        echo "PASS $name ($(( $(date +%s) - start ))s)"
        rm -rf "$WORK" "$WORK.log"
    else
        failed=$((failed + 1))
        failures="$failures $name"
        echo "FAIL $name ($(( $(date +%s) - start ))s); its output:"
        sed 's/^/    /' "$WORK.log" | tail -40
        rm -rf "$WORK" "$WORK.log"
    fi
done
echo "e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
