#!/bin/sh
# t_interop.sh - what skl writes checks out with tools that share no code with it:
# tlogcheck.py (tiles, checkpoints, tlog-proofs, consistency proofs) and vccheck.py
# (eddsa-jcs-2022 credentials), Python's standard library and the openssl command line.
# The checkers are first checked against the shared vectors, so that they can be trusted to
# say no; then they must accept skl's output and refuse tampered copies of it.
. "$E2E/lib.sh"
command -v python3 >/dev/null || fail "python3 is needed"
command -v openssl >/dev/null || fail "openssl is needed"
tlog() { python3 "$E2E/tlogcheck.py" "$@"; }
vcc() { python3 "$E2E/vccheck.py" "$@"; }

# --- The checkers against the vectors --------------------------------------------------
python3 - "$E2E" "$VECTORS" <<'EOF' || fail "the checkers disagree with the vectors"
import glob, hashlib, json, os, sys
sys.path.insert(0, sys.argv[1])
import tlogcheck, vccheck
V = sys.argv[2]

# RFC 6962: leaf hashes, roots, inclusion and consistency proofs, and that bad ones fail.
t = json.load(open(os.path.join(V, "rfc6962.json")))
leaves = [hashlib.sha256(b"\x00" + bytes.fromhex(x)).digest() for x in t["leaves"]]
assert [h.hex() for h in leaves] == t["leaf_hashes"], "leaf hashes"
for n, root in t["roots"].items():
    assert tlogcheck.mth(leaves[:int(n)]).hex() == root, "root of %s" % n
roots = {int(n): bytes.fromhex(r) for n, r in t["roots"].items()}
for c in t["inclusion"]:
    path = [bytes.fromhex(h) for h in c["proof"]]
    tlogcheck.verify_inclusion(c["index"], c["size"], leaves[c["index"]], path, roots[c["size"]])
    for bad in range(len(path)):
        p2 = list(path)
        p2[bad] = bytes(32)
        try:
            tlogcheck.verify_inclusion(c["index"], c["size"], leaves[c["index"]], p2,
                                       roots[c["size"]])
            raise AssertionError("a bad inclusion proof passed")
        except tlogcheck.Bad:
            pass
for c in t["consistency"]:
    path = [bytes.fromhex(h) for h in c["proof"]]
    a, b = c["size1"], c["size2"]
    if a == 0:
        continue
    tlogcheck.verify_consistency(a, b, roots[a], roots[b], path)
    if path:
        try:
            tlogcheck.verify_consistency(a, b, roots[a], roots[b], path[:-1])
            raise AssertionError("a truncated consistency proof passed")
        except tlogcheck.Bad:
            pass
assert tlogcheck.tile_path(1234067) == "x001/x234/067"
assert tlogcheck.tile_path(0) == "000"

# JCS: where the checker claims RFC 8785 it must match the vectors; elsewhere it must refuse.
for f in sorted(glob.glob(os.path.join(V, "jcs", "input", "*.json"))):
    doc = json.loads(open(f, encoding="utf-8").read(), object_pairs_hook=vccheck.no_duplicates)
    want = open(f.replace("input", "output"), "rb").read()
    try:
        vccheck.check_jcs_safe(doc)
    except vccheck.Invalid:
        continue
    assert vccheck.jcs(doc) == want, "JCS of " + f
weird = json.loads(open(os.path.join(V, "jcs", "input", "weird.json"), encoding="utf-8").read())
try:
    vccheck.check_jcs_safe(weird)
    raise AssertionError("weird.json (keys outside the BMP) was not refused")
except vccheck.Invalid:
    pass

# vc-di-eddsa: the intermediate values of the eddsa-jcs-2022 example.
d = os.path.join(V, "vc-di-eddsa")
unsigned = json.load(open(os.path.join(d, "unsigned.json")))
config = json.load(open(os.path.join(d, "proofConfigJCS.json")))
strip = lambda name: open(os.path.join(d, name), "rb").read().strip()
assert vccheck.jcs(unsigned) == strip("canonDocJCS.txt"), "canonical document"
assert vccheck.jcs(config) == strip("proofCanonJCS.txt"), "canonical proof config"
combined = hashlib.sha256(vccheck.jcs(config)).digest() + hashlib.sha256(vccheck.jcs(unsigned)).digest()
assert combined.hex() == strip("combinedHashJCS.txt").decode(), "combined hash"
print("checkers agree with the vectors")
EOF

# vccheck on the W3C example, by its own key, and on a tampered copy of it.
vdid="did:key:$(sed -n 's/.*"publicKeyMultibase": *"\([^"]*\)".*/\1/p' "$VECTORS/vc-di-eddsa/keyPair.json")"
expect_exit 0 vcc --did "$vdid" "$VECTORS/vc-di-eddsa/signedJCS.json"
expect_in "$WORK/out" "valid, signed by $vdid"
sed 's/The School of Examples/The School of Exampler/' "$VECTORS/vc-di-eddsa/signedJCS.json" >vtampered.json
expect_exit 1 vcc "$VECTORS/vc-di-eddsa/signedJCS.json" vtampered.json
expect_in "$WORK/out" "vtampered.json: invalid"
expect_exit 1 vcc --did "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK" \
    "$VECTORS/vc-di-eddsa/signedJCS.json"
expect_exit 2 vcc

# --- skl output ------------------------------------------------------------------------
"$SKL" keygen --out a.key --name issuer-a --json >a.json 2>/dev/null
"$SKL" keygen --out b.key --name issuer-b --json >b.json 2>/dev/null
"$SKL" keygen --out log.key --name ledger.beibei.example/skills 2>/dev/null >/dev/null
A=$(sed -n 's/.*"didKey":"\([^"]*\)".*/\1/p' a.json)
B=$(sed -n 's/.*"didKey":"\([^"]*\)".*/\1/p' b.json)

N1=100
N=260 # > 256: a full level-0 tile, a partial one and a level-1 tile
gen 0 $((N / 2)) part1 &
g1=$!
gen $((N / 2)) $N part2 &
g2=$!
wait $g1 || fail "signing failed"
wait $g2 || fail "signing failed"
cat part1 part2 | sed '$ s/,$//' >items
{ printf '['; head -n $N1 items; printf ']\n'; } >first.json
{ printf '['; tail -n +$((N1 + 1)) items | sed '1 s/^,//'; printf ']\n'; } >rest.json

# Credentials, one by one and as arrays.
sh "$E2E/mkcred.sh" "$A" 5000 >u.json
"$SKL" sign --key a.key u.json >s.json
expect_exit 0 vcc --did "$A" --issuer-is-signer s.json
{ printf '['; head -n 20 items; printf ']\n'; } >twenty.json
expect_exit 0 vcc --quiet --did "$A" --issuer-is-signer twenty.json
sed 's/"value":"合格"/"value":"优秀"/' s.json >s-tampered.json
expect_exit 1 vcc s-tampered.json
expect_in "$WORK/out" "does not verify"
sed 's/"creditsEarned":[0-9]*/"creditsEarned":99/' s.json >s-credits.json
expect_exit 1 vcc s-credits.json
sed 's/"proofPurpose":"assertionMethod"/"proofPurpose":"authentication"/' s.json >s-purpose.json
expect_exit 1 vcc s-purpose.json
sh "$E2E/mkcred.sh" "$B" 5001 | "$SKL" sign --key a.key - >s-wrongissuer.json
expect_exit 1 vcc --issuer-is-signer s-wrongissuer.json
expect_in "$WORK/out" "is not the signer"
# And the other way round: what vccheck accepts, skl accepts.
expect_exit 0 "$SKL" verify-credential "$VECTORS/vc-di-eddsa/signedJCS.json"

# The ledger: a first checkpoint at N1, published; then the rest, published incrementally.
"$SKL" ledger init --db ledger.db --origin ledger.beibei.example/skills --log-key log.key >vkey.txt
expect_exit 0 "$SKL" append --db ledger.db first.json
expect_exit 0 "$SKL" checkpoint --db ledger.db --log-key log.key
cp "$WORK/out" cp1.txt
expect_exit 0 "$SKL" publish --db ledger.db --out tiles
expect_exit 0 tlog tiles vkey.txt
expect_in "$WORK/out" "$N1 entries"
expect_exit 0 "$SKL" prove --db ledger.db --index 42
cp "$WORK/out" proof42-old.txt
expect_exit 0 "$SKL" append --db ledger.db rest.json
expect_exit 0 "$SKL" checkpoint --db ledger.db --log-key log.key
cp "$WORK/out" cp2.txt
expect_exit 0 "$SKL" publish --db ledger.db --out tiles
[ -f tiles/tile/1/000.p/1 ] || { find tiles -type f; fail "no level-1 tile"; }
[ -f tiles/tile/0/000 ] || fail "no full level-0 tile"
expect_exit 0 tlog tiles vkey.txt
expect_in "$WORK/out" "$N entries, 2 tile level(s), signature and cosignature verified"
expect_exit 0 "$SKL" audit --tiles tiles --vkey vkey.txt
# Partial tiles of the old size may stay beside the new ones; the checkpoint is the new one.
cmp -s tiles/checkpoint cp2.txt || fail "tiles/checkpoint is not the latest checkpoint"

# Inclusion proofs, checked independently, and the credential inside their leaf record.
for i in 0 1 7 8 $((N1 - 1)) $N1 255 256 $((N - 1)); do
    "$SKL" prove --db ledger.db --index $i >"proof$i.txt" || fail "prove --index $i failed"
    expect_exit 0 tlog --proof "proof$i.txt" vkey.txt
    expect_in "$WORK/out" "leaf $i is in ledger.beibei.example/skills at size $N"
done
expect_exit 0 tlog --proof proof42-old.txt vkey.txt
expect_in "$WORK/out" "at size $N1"
"$SKL" prove --db ledger.db --index 42 --size $N1 >proof42-size.txt
expect_exit 0 tlog --proof proof42-size.txt vkey.txt
expect_in "$WORK/out" "at size $N1"
python3 - proof256.txt >leafcred.json <<'EOF' || fail "cannot take the credential out of the proof"
import base64, json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    if line.startswith("extra "):
        rec = json.loads(base64.b64decode(line[6:].strip()))
        print(json.dumps(rec["credential"], ensure_ascii=False))
        break
else:
    sys.exit(1)
EOF
expect_exit 0 vcc --did "$A" --issuer-is-signer leafcred.json
expect_in leafcred.json '9a3c-000000000256"'
# Tampered proofs.
sed 's/^index 256$/index 257/' proof256.txt >bad-index.txt
expect_exit 1 tlog --proof bad-index.txt vkey.txt
awk 'NR == 4 { $0 = (substr($0, 1, 1) == "A" ? "B" : "A") substr($0, 2) } { print }' proof256.txt \
    >bad-hash.txt
cmp -s proof256.txt bad-hash.txt && fail "setup: bad-hash.txt is not changed"
expect_exit 1 tlog --proof bad-hash.txt vkey.txt
python3 - proof7.txt proof8.txt >bad-extra.txt <<'EOF'
import sys
a = open(sys.argv[1], encoding="utf-8").read().split("\n")
b = open(sys.argv[2], encoding="utf-8").read().split("\n")
a[1] = b[1]  # leaf 8's record in leaf 7's proof
sys.stdout.write("\n".join(a))
EOF
expect_exit 1 tlog --proof bad-extra.txt vkey.txt
expect_exit 1 tlog --proof proof7.txt "$(cat a.json | sed -n 's/.*"vkey":"\([^"]*\)".*/\1/p')"

# Consistency proofs.
for from in 1 2 3 $N1 128 255 256 257 $N; do
    "$SKL" consistency --db ledger.db --from $from --json >"cons$from.json" ||
        fail "consistency --from $from failed"
    expect_exit 0 tlog --consistency "cons$from.json"
done
"$SKL" consistency --db ledger.db --from $N1 --to 256 --json >cons-to.json
expect_exit 0 tlog --consistency cons-to.json
# Its roots are the two checkpoints' roots.
grep -q "\"fromRoot\":\"$(sed -n 3p cp1.txt)\"" "cons$N1.json" || fail "fromRoot is not checkpoint 1's root"
grep -q "\"toRoot\":\"$(sed -n 3p cp2.txt)\"" "cons$N1.json" || fail "toRoot is not checkpoint 2's root"
sed 's/"from":100,/"from":99,/' "cons$N1.json" >bad-cons.json
expect_exit 1 tlog --consistency bad-cons.json
r8=$(sed -n 3p cp1.txt | cut -c 1-8)
sed "s|\"fromRoot\":\"$r8|\"fromRoot\":\"AAAAAAAA|" "cons$N1.json" >bad-cons2.json
cmp -s "cons$N1.json" bad-cons2.json && fail "setup: bad-cons2.json is not changed"
expect_exit 1 tlog --consistency bad-cons2.json

# --- Tampered tiles: tlogcheck must refuse each ---------------------------------------------
flip() {
    v=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
    [ -n "$v" ] || fail "flip: $1 has no byte at $2"
    printf "\\$(printf %o $((v ^ 1)))" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
# fliproot: changes the first character of the checkpoint's root line.
fliproot() {
    awk 'NR == 3 { $0 = (substr($0, 1, 1) == "A" ? "B" : "A") substr($0, 2) } { print }' \
        checkpoint >c
    mv c checkpoint
}
ttamper() {
    rm -rf "tt_$1"
    cp -R tiles "tt_$1"
    (cd "tt_$1" && eval "$2")
    expect_exit 1 tlog "tt_$1" vkey.txt
    expect_in "$WORK/out" "FAILED"
    echo "tlogcheck $1: $(cat "$WORK/out")"
    expect_exit 1 "$SKL" audit --tiles "tt_$1" --vkey vkey.txt
}
ttamper entry "flip tile/entries/000 500"
ttamper entry2 "flip tile/entries/001.p/$((N - 256)) 100"
ttamper tile0 "flip tile/0/000 100"
ttamper tile0p "flip tile/0/001.p/$((N - 256)) 0"
ttamper tile1 "flip tile/1/000.p/1 17"
ttamper checkpoint "flip checkpoint 25"
ttamper root fliproot
ttamper notile "rm tile/0/001.p/$((N - 256))"
ttamper nobundle "rm tile/entries/000"
# Another key's vkey does not verify the checkpoint.
expect_exit 1 tlog tiles "$(sed -n 's/.*"vkey":"\([^"]*\)".*/\1/p' b.json)"
expect_exit 0 tlog tiles vkey.txt
echo "interop ok"
