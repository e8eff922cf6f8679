# t_credits.sh - the credit bank: a school plans a worker's bundle against its programme,
# transfers the credits, and the ledger refuses the same source a second time.
. "$E2E/lib.sh"
accredited_ledger 2>/dev/null
PROG="$E2E/../../spec/credit-rules/programmes/demo-electrical.json"
W1="--id-type resident-id --id-number 11010519491231002X"
"$SKL" worker add --db l.db $W1 --name 张三丰 >/dev/null
# The centre certifies 电工 L3; a school is accredited to convert credits.
expect_exit 0 "$SKL" issue --db l.db --key center.key $W1 --set kind=certification \
    --set evaluationType=skill-level --set occupation=6-31-01-03 --set edition=2015 \
    --set level=L3 --set certificateNumber=S123450010900263000001 --set issueDate=2026-05-01 \
    --set evaluator=S
CERT=$(sed -n 's/^skl issue \(urn:uuid:[^ ]*\) index.*/\1/p' "$WORK/out")
"$SKL" keygen --out school.key --name 重庆某职业学院 --json >school.json 2>/dev/null
printf '{"kinds":["credit"],"programmes":["cq-demo-college-mechatronics"]}' >school-scope.json
"$SKL" issuer enroll --db l.db --authority-key auth/authority.key --pass-file auth.pass \
    --did "$(sed -n 's/.*"didKey":"\([^"]*\)".*/\1/p' school.json)" --name 重庆某职业学院 \
    --scope school-scope.json --directory schools --cert-out school.pem >/dev/null ||
    fail "enroll the school"
"$SKL" checkpoint --db l.db --log-key log.key >/dev/null
"$SKL" policy --db l.db --out policy --max-age 1d >/dev/null || fail "policy"
expect_exit 0 "$SKL" export --db l.db $W1 --out w.bundle --disclose id

# Offline planning: the L3 certificate exempts 电工技能实训 (JD-201).
expect_exit 0 "$SKL" credits plan --policy policy --programme "$PROG" w.bundle
expect_in "$WORK/out" "JD-201"
expect_exit 0 "$SKL" credits plan --policy policy --programme "$PROG" --json w.bundle
expect_in "$WORK/out" '"used":true'
# Without the disclosed ID a transfer cannot name the worker.
expect_exit 0 "$SKL" export --db l.db $W1 --out anon.bundle
expect_exit 1 "$SKL" credits transfer --db l.db --key school.key --policy policy \
    --programme "$PROG" anon.bundle
expect_in "$WORK/err" "discloses the worker's ID"
# The transfer is signed and appended; the same source again is refused by the ledger.
# The evaluation centre is not accredited to convert credits: the ledger refuses it.
expect_exit 1 "$SKL" credits transfer --db l.db --key center.key --policy policy \
    --programme "$PROG" w.bundle
expect_in "$WORK/err" "scope: kind credit is not accredited"
expect_exit 0 "$SKL" credits transfer --db l.db --key school.key --policy policy \
    --programme "$PROG" --out transcript.json w.bundle
expect_in "$WORK/out" "transfer urn:uuid:"
cp "$WORK/out" transfer.txt
# The worker's transcript: a CLR 2.0-shaped credential any eddsa-jcs-2022 verifier checks.
expect_in transcript.json '"ClrCredential"'
expect_exit 0 "$SKL" verify-credential transcript.json
# The learning account shows the certificate's worth and where it was converted.
expect_exit 0 "$SKL" credits account --db l.db $W1
expect_in "$WORK/out" "cq-demo-college-mechatronics"
# A tampered bundle: its credential is not valid, so nothing is planned from it.
sed 's/"level":"L3"/"level":"L2"/' w.bundle >bad.bundle
expect_exit 0 "$SKL" credits plan --policy policy --programme "$PROG" bad.bundle
expect_in "$WORK/out" "not valid"
expect_exit 0 "$SKL" credits plan --policy policy --programme "$PROG" --db l.db w.bundle
expect_in "$WORK/out" "already"
expect_exit 1 "$SKL" credits transfer --db l.db --key school.key --policy policy \
    --programme "$PROG" w.bundle
expect_in "$WORK/err" "nothing to transfer: every source was already converted"
"$SKL" audit --db l.db >/dev/null || fail "audit failed"
