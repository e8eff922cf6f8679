#!/bin/sh
# t_demo: `make demo`, the main job, run end to end in a scratch directory; what it must
# leave behind (tiles, the trust policy, bundles, plain VCs, the transcript) and the verdicts
# it must reach, each checked from its output and its files.
set -eu
. "$E2E/lib.sh"
SKL_DEMO_OUT="$WORK/out" sh "$E2E/../../tools/demo.sh" "$SKL" > demo.log 2>&1 || {
    tail -30 demo.log
    fail "the demo did not run to the end"
}
grep -q '^Done\.' demo.log || fail "the demo did not finish"
out=$WORK/out
for f in policy worker.bundle tampered.bundle revoked.bundle transcript.json tiles/checkpoint; do
    [ -s "$out/$f" ] || fail "the demo left no $f"
done
ls "$out"/vc/*.json > /dev/null 2>&1 || fail "the demo left no plain VCs in vc/"
# An employer's verdicts, again from the files it left, with nothing but the policy.
"$SKL" verify --policy "$out/policy" "$out/worker.bundle" > v.txt || fail "worker.bundle is not valid"
rc=0
"$SKL" verify --policy "$out/policy" "$out/tampered.bundle" > t.txt || rc=$?
[ "$rc" = 1 ] || fail "the tampered bundle: exit $rc, not 1 (invalid)"
rc=0
"$SKL" verify --policy "$out/policy" "$out/revoked.bundle" > r.txt || rc=$?
[ "$rc" = 1 ] || fail "the bundle with a revoked credential: exit $rc, not 1 (invalid)"
grep -q "revoked" r.txt || fail "the revoked credential's reason does not say revoked"
# The tiles mirror holds the whole log: its audit sees as many leaves as the database's.
db=$(grep '^ledger.db: ok:' demo.log | sed 's/.*ok: \([0-9]*\) leaves.*/\1/')
tl=$(grep '^tiles: ok:' demo.log | sed 's/.*ok: \([0-9]*\) leaves.*/\1/')
[ -n "$db" ] && [ "$db" = "$tl" ] || fail "database audit $db leaves, tiles audit $tl"
# No personal data in what is published.
tail -n +2 "$out/roster.csv" | cut -d, -f3 > ids.txt
[ "$(wc -l < ids.txt)" -ge 50 ] || fail "the roster has fewer than 50 workers"
if grep -rqF -f ids.txt "$out/tiles"; then fail "an ID number in the tiles"; fi
echo "demo ok: $db leaves"
