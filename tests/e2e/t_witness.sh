#!/bin/sh
# t_witness.sh - a C2SP tlog-witness over files: the log builds add-checkpoint requests, the
# witness cosigns them against its state, the log attaches the lines; then the refusals
# (rollback, bad proof, unknown log, tampered state) and usage errors.
. "$E2E/lib.sh"

# Keys: the log's, an issuer's, the witness's (whose cosignature vkey verifiers trust).
"$SKL" keygen --out log.key --name ledger.beibei.example/skills >/dev/null 2>&1
"$SKL" keygen --out issuer.key --name issuer --json >issuer.json 2>/dev/null
did=$(sed -n 's/.*"didKey":"\([^"]*\)".*/\1/p' issuer.json)
"$SKL" keygen --out witness.key --name audit.example/witness --json >witness.json 2>/dev/null
wvkey=$(sed -n 's/.*"cosignatureVkey":"\([^"]*\)".*/\1/p' witness.json)
case $wvkey in audit.example/witness+????????+*) ;; *) fail "no witness cosignature vkey" ;; esac

expect_exit 0 "$SKL" ledger init --db ledger.db --origin ledger.beibei.example/skills \
    --log-key log.key
head -n 1 "$WORK/out" >log.vkey

# add CREDENTIAL-SERIALS...: signs and appends them.
add() {
    for i in "$@"; do
        sh "$E2E/mkcred.sh" "$did" "$i" | "$SKL" sign --key issuer.key - >"c$i.json"
        expect_exit 0 "$SKL" append --db ledger.db "c$i.json"
    done
}

# First contact at size 3: old 0, no proof lines.
add 1 2 3
expect_exit 0 "$SKL" checkpoint --db ledger.db --log-key log.key
cp "$WORK/out" cp3.txt
expect_exit 0 "$SKL" witness request --db ledger.db cp3.txt
cp "$WORK/out" req3
[ "$(sed -n 1p req3)" = "old 0" ] || fail "request: first line is not 'old 0'"
[ -z "$(sed -n 2p req3)" ] || fail "request: old 0 must have no proof lines"
tail -n +3 req3 | cmp -s - cp3.txt || fail "request: the checkpoint does not follow the blank line"
expect_exit 0 "$SKL" witness cosign --key witness.key --vkey log.vkey --out w.state req3
cp "$WORK/out" resp3
[ "$(wc -l <resp3)" -eq 1 ] || fail "response: not one line"
grep -q '^— audit.example/witness ' resp3 || fail "response: not the witness's line"
[ "$(stat -c %a w.state)" = 600 ] || fail "state file is not mode 600"
grep -q '^ledger.beibei.example/skills 3 ' w.state || fail "state does not hold size 3"

expect_exit 0 "$SKL" witness attach --vkey "$wvkey" cp3.txt resp3
cp "$WORK/out" witnessed3.txt
[ "$(grep -c '^— ' witnessed3.txt)" -eq 3 ] || fail "attached note: not three signature lines"
head -c "$(wc -c <cp3.txt)" witnessed3.txt | cmp -s - cp3.txt || fail "attach changed the note"

# 3 -> 5 with a consistency proof, read from stdin.
add 4 5
expect_exit 0 "$SKL" checkpoint --db ledger.db --log-key log.key
cp "$WORK/out" cp5.txt
"$SKL" witness request --db ledger.db --from 3 - <cp5.txt >req5 || fail "request from stdin"
[ "$(sed -n 1p req5)" = "old 3" ] || fail "request: first line is not 'old 3'"
sed -n 2p req5 | grep -Eq '^[A-Za-z0-9+/]{43}=$' || fail "request: no proof hash on line 2"

# A tampered proof hash is unprocessable (422), and nothing is recorded.
awk 'NR == 2 { $0 = (substr($0, 1, 1) == "A" ? "B" : "A") substr($0, 2) } { print }' req5 >bad5
expect_exit 1 "$SKL" witness cosign --key witness.key --vkey log.vkey --out w.state bad5
expect_in "$WORK/err" "422"
grep -q '^ledger.beibei.example/skills 3 ' w.state || fail "a refused request changed the state"

expect_exit 0 "$SKL" witness cosign --key witness.key --vkey log.vkey --out w.state req5
cp "$WORK/out" resp5
expect_exit 0 "$SKL" witness attach --vkey "$wvkey" cp5.txt resp5
grep -q '^ledger.beibei.example/skills 5 ' w.state || fail "state does not hold size 5"

# Sent again, the same checkpoint is cosigned again.
expect_exit 0 "$SKL" witness request --db ledger.db --from 5 cp5.txt
cp "$WORK/out" req5again
expect_exit 0 "$SKL" witness cosign --key witness.key --vkey log.vkey --out w.state req5again

# Rollback to size 3: refused, with the witness's size as the 409 body.
expect_exit 1 "$SKL" witness cosign --key witness.key --vkey log.vkey --out w.state req3
expect_in "$WORK/err" "rollback"
expect_in "$WORK/err" "409"
[ "$(cat "$WORK/out")" = 5 ] || fail "409 body is not the witness's size"

# The wrong log key: another vkey for the origin (403), a log the witness does not know (404).
"$SKL" keygen --out other.key --name ledger.beibei.example/skills --json >other.json 2>/dev/null
sed -n 's/.*"vkey":"\([^"]*\)".*/\1/p' other.json >other.vkey
expect_exit 1 "$SKL" witness cosign --key witness.key --vkey other.vkey --out w.state req5again
expect_in "$WORK/err" "403"
issuer_vkey=$(sed -n 's/.*"vkey":"\([^"]*\)".*/\1/p' issuer.json)
expect_exit 1 "$SKL" witness cosign --key witness.key --vkey "$issuer_vkey" --out w.state req5again
expect_in "$WORK/err" "404"

# Attaching the response to another checkpoint does not verify.
expect_exit 1 "$SKL" witness attach --vkey "$wvkey" cp3.txt resp5
expect_exit 2 "$SKL" witness attach cp3.txt cp3.txt

# A tampered state file stops the witness (exit 2), whatever the request.
cp w.state w.good
sed 's/^\(ledger.beibei.example\/skills\) 5 /\1 9 /' w.good >w.state
cmp -s w.state w.good && fail "tampering did not change the state"
expect_exit 2 "$SKL" witness cosign --key witness.key --vkey log.vkey --out w.state req5again
expect_in "$WORK/err" "state file"
cp w.good w.state
expect_exit 0 "$SKL" witness cosign --key witness.key --vkey log.vkey --out w.state req5again

# Malformed requests are bad requests (400).
printf 'old 0\n' >short
expect_exit 1 "$SKL" witness cosign --key witness.key --vkey log.vkey --out w.state short
expect_in "$WORK/err" "400"

# Usage.
expect_exit 2 "$SKL" witness
expect_exit 2 "$SKL" witness frobnicate
expect_exit 2 "$SKL" witness request cp5.txt
expect_in "$WORK/err" "usage: skl witness request"
expect_exit 2 "$SKL" witness request --db ledger.db --from 9 cp5.txt
expect_exit 2 "$SKL" witness cosign --key witness.key --out w.state req5
expect_in "$WORK/err" "usage: skl witness cosign"
expect_exit 2 "$SKL" witness cosign --key witness.key --vkey log.vkey --out w.state --db x req5
expect_exit 2 "$SKL" witness attach cp5.txt
expect_exit 2 "$SKL" witness cosign --key witness.key --vkey log.vkey --out w.state nosuch
expect_in "$WORK/err" "nosuch"
echo "witness ok"
