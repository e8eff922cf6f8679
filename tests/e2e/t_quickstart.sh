#!/bin/sh
# t_quickstart.sh - the README path end to end: keys, a signed credential, a ledger of three,
# a checkpoint, proofs, tiles and both audits; plus help/version and usage errors.
. "$E2E/lib.sh"

# json_field FILE KEY: the string value of "KEY" in the one-line JSON object in FILE.
json_field() {
    sed -n "s/.*\"$2\":\"\\([^\"]*\\)\".*/\\1/p" "$1"
}

# Keys (unencrypted: keygen warns on stderr).
expect_exit 0 "$SKL" keygen --out issuer.key --name beibei-skills-center --json
cp "$WORK/out" issuer.json
expect_in "$WORK/err" "not encrypted"
did=$(json_field issuer.json didKey)
case $did in did:key:z6Mk*) ;; *) fail "keygen --json gave no did:key: $did" ;; esac
expect_exit 0 "$SKL" keygen --out log.key --name ledger.beibei.example/skills

# One credential: sign, then verify it on its own.
sh "$E2E/mkcred.sh" "$did" 1 >c1.json
expect_exit 0 "$SKL" sign --key issuer.key c1.json
cp "$WORK/out" s1.json
expect_in s1.json '"proof":{'
expect_in s1.json '"cryptosuite":"eddsa-jcs-2022"'
expect_in s1.json '电工 四级/中级工'
expect_exit 0 "$SKL" verify-credential s1.json
expect_in "$WORK/out" "valid, signed by $did"

# Two more, in one file holding a JSON array.
sh "$E2E/mkcred.sh" "$did" 2 >c2.json
sh "$E2E/mkcred.sh" "$did" 3 >c3.json
{
    printf '[\n'
    "$SKL" sign --key issuer.key c2.json
    printf ',\n'
    "$SKL" sign --key issuer.key c3.json
    printf ']\n'
} >pair.json
expect_exit 0 "$SKL" verify-credential pair.json

# The ledger.
expect_exit 0 "$SKL" ledger init --db ledger.db --origin ledger.beibei.example/skills \
    --log-key log.key
vkey=$(head -n 1 "$WORK/out")
case $vkey in
ledger.beibei.example/skills+????????+*) ;;
*) fail "ledger init printed no vkey: $vkey" ;;
esac
expect_exit 2 "$SKL" ledger init --db ledger.db --origin ledger.beibei.example/skills \
    --log-key log.key
expect_in "$WORK/err" "already exists"

expect_exit 0 "$SKL" append --db ledger.db pair.json s1.json
cut -f 1 "$WORK/out" >indices
printf '0\n1\n2\n' | cmp -s - indices || { cat "$WORK/out"; fail "append printed indices other than 0,1,2"; }
expect_in "$WORK/out" "pair.json["
expect_in "$WORK/out" "s1.json"
[ "$(sqlite3 ledger.db 'select count(*) from leaves')" = 3 ] || fail "ledger should hold 3 leaves"

# Checkpoint.
expect_exit 0 "$SKL" checkpoint --db ledger.db --log-key log.key
cp "$WORK/out" checkpoint.txt
[ "$(sed -n 1p checkpoint.txt)" = "ledger.beibei.example/skills" ] || fail "checkpoint origin line"
[ "$(sed -n 2p checkpoint.txt)" = 3 ] || fail "checkpoint size line is not 3"
[ "$(grep -c '^— ledger.beibei.example/skills ' checkpoint.txt)" -ge 1 ] || fail "no signature line"

# Inclusion proof of leaf 1.
expect_exit 0 "$SKL" prove --db ledger.db --index 1
[ "$(head -n 1 "$WORK/out")" = "c2sp.org/tlog-proof@v1" ] || fail "prove: wrong first line"
grep -qx "index 1" "$WORK/out" || { cat "$WORK/out"; fail "prove: no 'index 1' line"; }
grep -q "^extra " "$WORK/out" || fail "prove: no extra line"
expect_in "$WORK/out" "ledger.beibei.example/skills"
expect_exit 2 "$SKL" prove --db ledger.db --index 3
expect_exit 2 "$SKL" prove --db ledger.db --index -1

# Consistency proof from 1 to now.
expect_exit 0 "$SKL" consistency --db ledger.db --from 1 --json
expect_in "$WORK/out" '"from":1'
expect_in "$WORK/out" '"to":3'
expect_in "$WORK/out" '"proof":['
expect_exit 2 "$SKL" consistency --db ledger.db --from 4

# Publish and audit both ways.
expect_exit 0 "$SKL" publish --db ledger.db --out tiles
[ -f tiles/checkpoint ] || fail "publish wrote no checkpoint"
cmp -s tiles/checkpoint checkpoint.txt || fail "published checkpoint differs from the latest one"
[ -f tiles/tile/0/000.p/3 ] || { find tiles; fail "no partial level-0 tile of width 3"; }
[ -f tiles/tile/entries/000.p/3 ] || { find tiles; fail "no partial entry bundle of width 3"; }
expect_exit 0 "$SKL" audit --db ledger.db
expect_in "$WORK/out" "3 leaves"
expect_exit 0 "$SKL" audit --db ledger.db --json
expect_in "$WORK/out" '"valid":true'
expect_exit 0 "$SKL" audit --tiles tiles --vkey "$vkey"
expect_in "$WORK/out" "3 leaves"
printf '%s\n' "$vkey" >vkey.txt
expect_exit 0 "$SKL" audit --tiles tiles --vkey vkey.txt

# help, version, usage errors.
expect_exit 0 "$SKL" help
expect_in "$WORK/out" "skl append"
for c in keygen sign verify-credential ledger append checkpoint prove consistency publish audit; do
    expect_exit 0 "$SKL" help "$c"
    expect_in "$WORK/out" "usage:"
done
expect_exit 0 "$SKL" version
expect_in "$WORK/out" "skl "
expect_exit 2 "$SKL" frobnicate
expect_exit 2 "$SKL"
expect_exit 2 "$SKL" append ledger.db s1.json
expect_in "$WORK/err" "usage: skl append"
expect_exit 2 "$SKL" checkpoint --db ledger.db
expect_in "$WORK/err" "usage: skl checkpoint"
expect_exit 2 "$SKL" prove --db ledger.db
expect_in "$WORK/err" "usage: skl prove"
expect_exit 2 "$SKL" audit --tiles tiles
expect_in "$WORK/err" "usage: skl audit"
expect_exit 2 "$SKL" sign c1.json
expect_in "$WORK/err" "usage: skl sign"
expect_exit 2 "$SKL" keygen
expect_in "$WORK/err" "usage: skl keygen"
expect_exit 2 "$SKL" append --db ledger.db --bogus s1.json
expect_in "$WORK/err" "unknown option"
expect_exit 2 "$SKL" audit --db nosuch.db
expect_in "$WORK/err" "nosuch.db"
# The ledger did not change through all of that.
expect_exit 0 "$SKL" audit --db ledger.db
expect_in "$WORK/out" "3 leaves"
echo "quickstart ok"
