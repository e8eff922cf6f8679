# t_policy.sh - accreditation validity in time, corrections by the right and wrong party,
# and honour prerequisites met, unmet and of another worker.
. "$E2E/lib.sh"
accredited_ledger 2>/dev/null
A="--authority-key auth/authority.key --pass-file auth.pass"
W1="--id-type resident-id --id-number 11010519491231002X"
W2="--id-type resident-id --id-number 500109198807150016"
"$SKL" worker add --db l.db $W1 --name 张三丰 >/dev/null
"$SKL" worker add --db l.db $W2 --name 李小龙 >/dev/null

enroll() { # enroll KEY NAME SCOPE DIRECTORY [more options]: prints the accreditation id
    k=$1 name=$2 scope=$3 dir=$4
    shift 4
    "$SKL" keygen --out "$k.key" --name "$k" --json 2>/dev/null >"$k.json"
    did=$(sed -n 's/.*"didKey":"\([^"]*\)".*/\1/p' "$k.json")
    printf '%s' "$scope" >"$k.scope"
    "$SKL" issuer enroll --db l.db $A --did "$did" --name "$name" --scope "$k.scope" \
        --directory "$dir" --cert-out "$k.pem" "$@"
}
id_of() { sed -n 's/^skl issue \(urn:uuid:[^ ]*\) index.*/\1/p' "$WORK/out"; }

# Not yet valid: accredited from next year on; its credentials are refused today.
enroll later "未来鉴定站" '{"kinds":["certification"],"evaluator":"S"}' evaluation-bodies \
    --from 2030-01-01 >/dev/null
expect_exit 1 "$SKL" issue --db l.db --key later.key $W1 --set kind=certification \
    --set evaluationType=skill-level --set occupation=6-31-01-03 --set edition=2015 \
    --set level=L4 --set certificateNumber=S123450010900264000201 --set issueDate=2026-05-01 \
    --set evaluator=S
expect_in "$WORK/err" "not at the log's time"
# A certificate cannot reach back before the root's own validity.
expect_exit 2 enroll old "过期鉴定站" '{"kinds":["certification"]}' evaluation-bodies \
    --from 2020-01-01 --until 2020-02-01
expect_in "$WORK/err" "outside the root"
# Expired: accredited for three seconds; afterwards its credentials are refused.
soon=$(date -u -d "@$(($(date +%s) + 3))" +%Y-%m-%dT%H:%M:%SZ)
enroll brief "短期鉴定站" '{"kinds":["certification"],"evaluator":"S"}' evaluation-bodies \
    --until "$soon" >/dev/null
sleep 4
expect_exit 1 "$SKL" issue --db l.db --key brief.key $W1 --set kind=certification \
    --set evaluationType=skill-level --set occupation=6-31-01-03 --set edition=2015 \
    --set level=L4 --set certificateNumber=S123450010900264000202 --set issueDate=2026-05-01 \
    --set evaluator=S
expect_in "$WORK/err" "not at the log's time"

# A senior evaluator (L1) and an honour committee.
enroll senior "重庆市职业技能鉴定指导中心" '{"kinds":["certification"],"evaluator":"S"}' \
    evaluation-bodies >/dev/null
enroll honours "重庆市技能人才评选委员会" \
    '{"kinds":["honour"],"honours":["chongqing-skill-master","national-technical-expert"]}' \
    honour-committees >/dev/null
l1() { # l1 WORKER-ARGS SERIAL: an L1 certification
    w=$1 n=$2
    "$SKL" issue --db l.db --key senior.key $w --set kind=certification \
        --set evaluationType=skill-level --set occupation=6-31-01-03 --set edition=2015 \
        --set level=L1 --set certificateNumber="S12345001090026100030$n" \
        --set issueDate=2026-05-01 --set evaluator=S
}
expect_exit 0 l1 "$W1" 1
CERT1=$(id_of)
expect_exit 0 l1 "$W2" 2
CERT2=$(id_of)
honour() { # honour WORKER-ARGS TITLE [PREREQS]
    w=$1 t=$2 pre=${3:-}
    set -- --set kind=honour --set title="$t" --set year=2026
    if [ -n "$pre" ]; then set -- "$@" --set prerequisites="$pre"; fi
    "$SKL" issue --db l.db --key honours.key $w "$@"
}
expect_exit 0 honour "$W1" national-technical-expert
EXPERT1=$(id_of)
# Unmet: the title is missing.
expect_exit 1 honour "$W1" chongqing-skill-master "$CERT1"
expect_in "$WORK/err" "requires honour"
# Another worker's certificate does not count.
expect_exit 1 honour "$W1" chongqing-skill-master "$CERT2;$EXPERT1"
expect_in "$WORK/err" "not a credential of the same worker"
# Met.
expect_exit 0 honour "$W1" chongqing-skill-master "$CERT1;$EXPERT1"

# Corrections: only by the original issuer (or the authority), of the same kind.
expect_exit 1 "$SKL" issue --db l.db --key center.key $W1 --set kind=certification \
    --set evaluationType=skill-level --set occupation=6-31-01-03 --set edition=2015 \
    --set level=L3 --set certificateNumber=S123450010900263000401 --set issueDate=2026-05-01 \
    --set evaluator=S --set correctsTarget="$CERT1" --set correctsReason="wrong level"
expect_in "$WORK/err" "belongs to another issuer"
expect_exit 0 "$SKL" issue --db l.db --key senior.key $W1 --set kind=certification \
    --set evaluationType=skill-level --set occupation=6-31-01-03 --set edition=2015 \
    --set level=L2 --set certificateNumber=S123450010900262000401 --set issueDate=2026-05-01 \
    --set evaluator=S --set correctsTarget="$CERT1" --set correctsReason="wrong level"
# A superseded certificate no longer meets a prerequisite.
expect_exit 1 honour "$W1" chongqing-skill-master "$CERT1;$EXPERT1"
expect_in "$WORK/err" "superseded"
"$SKL" audit --db l.db >/dev/null || fail "audit failed"

# A full occupation list: a code the starter set lacks is refused until the list is loaded,
# and stays known to every later run.
newocc() {
    "$SKL" issue --db l.db --key center.key $W2 --set kind=certification \
        --set evaluationType=skill-level --set occupation=6-31-01-99 --set edition=2015 \
        --set level=L4 --set certificateNumber=S123450010900264000501 \
        --set issueDate=2026-05-01 --set evaluator=S
}
expect_exit 1 newocc
expect_in "$WORK/err" "6-31-01-99"
printf 'code,edition,name,levels\n6-31-01-99,2015,测试电工,L5;L4;L3\n' >dadian.csv
printf 'code,edition,name\n6-31-01,2015,缺位\n' >bad-dadian.csv
expect_exit 1 "$SKL" ledger occupations --db l.db bad-dadian.csv
expect_in "$WORK/err" "bad-dadian.csv"
expect_exit 0 "$SKL" ledger occupations --db l.db dadian.csv
expect_in "$WORK/out" "dadian.csv"
expect_exit 0 newocc
"$SKL" audit --db l.db >/dev/null || fail "audit failed"
