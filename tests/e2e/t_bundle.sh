# t_bundle.sh - a worker's bundle exported, witnessed and verified offline by an employer;
# a revoked credential, a stale checkpoint, a wrong policy and tampering all refused.
. "$E2E/lib.sh"
accredited_ledger 2>/dev/null
W1="--id-type resident-id --id-number 11010519491231002X"
W2="--id-type resident-id --id-number 500109198807150016"
"$SKL" worker add --db l.db $W1 --name 张三丰 >/dev/null
"$SKL" worker add --db l.db $W2 --name 李小龙 >/dev/null
cert() { # cert WORKER-ARGS LEVEL SERIAL
    "$SKL" issue --db l.db --key center.key $1 --set kind=certification \
        --set evaluationType=skill-level --set occupation=6-31-01-03 --set edition=2015 \
        --set level="$2" --set certificateNumber="S12345001090026${2#L}00000$3" \
        --set issueDate=2026-05-01 --set evaluator=S
}
id_of() { sed -n 's/^skl issue \(urn:uuid:[^ ]*\) index.*/\1/p' "$WORK/out"; }
expect_exit 0 cert "$W1" L4 1
C1=$(id_of)
expect_exit 0 cert "$W1" L5 2
C2=$(id_of)
expect_exit 0 cert "$W2" L4 3

# A witness cosigns the checkpoint; the ledger keeps the witnessed note.
"$SKL" keygen --out witness.key --name audit.example/witness --json >witness.json 2>/dev/null
WVKEY=$(sed -n 's/.*"cosignatureVkey":"\([^"]*\)".*/\1/p' witness.json)
witness() { # checkpoint, witness cosign (OLD = what the witness last saw), attach
    "$SKL" checkpoint --db l.db --log-key log.key >cp.txt || fail "checkpoint"
    "$SKL" witness request --db l.db --from "$1" cp.txt >req || fail "request"
    "$SKL" witness cosign --key witness.key --vkey "$(cat log.vkey)" --out w.state req \
        >resp || fail "witness refused: $(cat resp)"
    "$SKL" witness attach --db l.db cp.txt resp >/dev/null || fail "attach"
}
witness 0
expect_exit 0 "$SKL" policy --db l.db --out policy --quorum 1 --max-age 1d "$WVKEY"
expect_in policy "witness"

# The worker exports; the employer verifies with the policy alone, with no network.
expect_exit 0 "$SKL" export --db l.db $W1 --out w1.bundle --disclose id,name
expect_exit 0 "$SKL" verify --policy policy w1.bundle
expect_in "$WORK/out" "全部有效 all valid"
[ "$(grep -c '有效 valid' "$WORK/out")" -ge 2 ] || fail "two valid rows expected"
# Whose, and as of what: the holder as disclosed, the checkpoint with its witness.
expect_in "$WORK/out" "持有人 holder:     张三丰 (姓名自述 name as stated), resident-id 11010519491231002X"
expect_in "$WORK/out" "检查点 checkpoint: test.example/skills, "
expect_in "$WORK/out" ", 1 个见证 witnesses"
# The columns line up on screen: each row reaches the verdict at the header's display column.
python3 - "$WORK/out" <<'PY' || fail "the table's columns do not line up"
import sys, unicodedata
def width(s):
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
head = [l for l in lines if l.startswith("#")][0]
col = width(head[:head.index("结论")])
rows = [l for l in lines if l[:1].isdigit()]
assert len(rows) >= 2
for r in rows:
    at = r.index("有效") if "有效" in r else r.index("无效")
    assert width(r[:at]) == col, (r, width(r[:at]), col)
PY
if command -v unshare >/dev/null 2>&1 && unshare -n true 2>/dev/null; then
    # Truly offline: in a network namespace with no interfaces up.
    expect_exit 0 unshare -n "$SKL" verify --policy policy --json w1.bundle
    expect_in "$WORK/out" '"valid":true'
fi
expect_exit 0 "$SKL" verify --policy policy --json w1.bundle
python3 - "$WORK/out" <<'PY' || fail "--json: no checkpoint or holder"
import json, sys
v = json.load(open(sys.argv[1]))
assert v["valid"] is True and v["checkpoint"]["valid"] is True
assert v["checkpoint"]["origin"] == "test.example/skills" and v["checkpoint"]["witnesses"] == 1
assert v["checkpoint"]["size"] >= 4 and v["checkpoint"]["dated"].endswith("Z")
assert v["holder"] == {"idType": "resident-id", "idNumber": "11010519491231002X", "name": "张三丰"}
assert len(v["credentials"]) == 2
PY
expect_exit 0 "$SKL" export --db l.db $W1 --out vc.json --format vc
python3 -c "import json,sys; a=json.load(open('vc.json')); sys.exit(len(a)!=2)" ||
    fail "--format vc: not an array of two credentials"
expect_exit 0 "$SKL" verify-credential vc.json
expect_exit 0 "$SKL" export --db l.db $W1 --out proofs --format tlog-proof
[ "$(ls proofs | wc -l)" -eq 2 ] || fail "--format tlog-proof: not two files"

# Tampering: a flipped character in a credential, and another worker's credential passed
# off as this worker's.
sed 's/"level":"L4"/"level":"L3"/' w1.bundle >tampered.bundle
expect_exit 1 "$SKL" verify --policy policy tampered.bundle
expect_in "$WORK/out" "无效 INVALID"
expect_exit 0 "$SKL" export --db l.db $W2 --out w2.bundle --disclose id
python3 - w1.bundle w2.bundle swapped.bundle <<'PY'
import json, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
a["credentials"][0] = b["credentials"][0]          # 李小龙's certificate, 张三丰's identity
json.dump(a, open(sys.argv[3], "w"), ensure_ascii=False, separators=(",", ":"))
PY
expect_exit 1 "$SKL" verify --policy policy swapped.bundle
expect_in "$WORK/out" "does not open its commitment"

# Revocation: after the next checkpoint the credential is shown revoked.
expect_exit 0 "$SKL" revoke --db l.db --key center.key --target "$C2" --reason "issued in error"
witness "$(sed -n 2p cp.txt)"
expect_exit 0 "$SKL" export --db l.db $W1 --out w1b.bundle
expect_exit 1 "$SKL" verify --policy policy --json w1b.bundle
expect_in "$WORK/out" "revoked as of the checkpoint"
expect_exit 0 "$SKL" export --db l.db $W1 --out only.bundle "$C1"
expect_exit 0 "$SKL" verify --policy policy only.bundle

# Refreshed, the first bundle shows the revocation too, and proves its new checkpoint extends
# the old one; a forged "previous" is refused.
expect_exit 0 "$SKL" refresh --db l.db --out fresh.bundle w1.bundle
expect_in fresh.bundle '"previous":{"checkpoint":'
expect_exit 1 "$SKL" verify --policy policy fresh.bundle
expect_in "$WORK/out" "revoked as of the checkpoint"
expect_in "$WORK/out" "有效 valid"
python3 - fresh.bundle forked.bundle <<'PY'
import json, sys
b = json.load(open(sys.argv[1]))
c = b["previous"]["consistency"]
c[0] = ("A" if c[0][0] != "A" else "B") + c[0][1:]
json.dump(b, open(sys.argv[2], "w"), ensure_ascii=False, separators=(",", ":"))
PY
expect_exit 1 "$SKL" verify --policy policy forked.bundle
expect_in "$WORK/out" "does not extend the previous one"

# The old bundle still verifies against its own checkpoint, until it is too old; a policy
# with another log or no witness quorum refuses it.
"$SKL" policy --db l.db --out strict --quorum 1 --max-age 1s "$WVKEY" >/dev/null
sleep 2
expect_exit 1 "$SKL" verify --policy strict w1.bundle
expect_in "$WORK/out" "older than"
"$SKL" keygen --out other.key --name audit.example/other --json >other.json 2>/dev/null
OVKEY=$(sed -n 's/.*"cosignatureVkey":"\([^"]*\)".*/\1/p' other.json)
"$SKL" policy --db l.db --out unwitnessed --quorum 1 "$OVKEY" >/dev/null
expect_exit 1 "$SKL" verify --policy unwitnessed w1.bundle
expect_in "$WORK/out" "quorum"
# Not a bundle at all: exit 2.
echo '{"type":"something else"}' >junk.bundle
expect_exit 2 "$SKL" verify --policy policy junk.bundle
"$SKL" audit --db l.db >/dev/null || fail "audit failed"
