#!/bin/sh
# make demo: Beibei's lifelong skills ledger end to end, from an empty directory.
#
# The district authority makes its root and accredits a training school, an evaluation
# centre and the 碚城工匠 honour committee; 50 workers come in from a spreadsheet roster (GBK);
# trainings, certifications, a competition result and an honour are issued; one credential
# is revoked; two independent witnesses cosign the checkpoints; the log is published as
# tiles. Then a worker exports a bundle and an employer verifies it offline with only the
# trust policy: valid; a tampered copy and a bundle holding the revoked credential: invalid,
# with reasons. Finally a school converts the worker's certificate into course credits, and
# the same certificate offered again is refused. Everything is left in demo/out/ (tiles/,
# policy, *.bundle, vc/, transcript.json).
set -eu
SKL=${1:-build/skl}
case $SKL in /*) ;; *) SKL=$(pwd)/$SKL ;; esac
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${SKL_DEMO_OUT:-demo/out} # the e2e test runs it elsewhere
rm -rf "$OUT"
mkdir -p "$OUT"
cd "$OUT"
step() { printf '\n== %s\n' "$*"; }
did_of() { sed 's/.*"didKey":"\([^"]*\)".*/\1/' "$1"; }
cosig_of() { sed 's/.*"cosignatureVkey":"\([^"]*\)".*/\1/' "$1"; }
# Demo passphrases. Real ones come from --pass-file / --vault-pass-file or the environment.
export SKL_PASSPHRASE="demo passphrase - use a real one"
export SKL_VAULT_PASSPHRASE="demo vault passphrase - use a real one"
ORIGIN=ledger.beibei.example/skills

step "1. the authority: 北碚区人力资源和社会保障局 makes its root key and X.509 CA certificate"
$SKL authority init --dir authority --name "北碚区人力资源和社会保障局 (演示)"

step "2. the ledger, under the authority's rules; two independent witnesses"
$SKL keygen --out log.key --name $ORIGIN > log.pub
$SKL ledger init --db ledger.db --origin $ORIGIN --log-key log.key \
    --authority authority/authority.pem > /dev/null
sed -n 2p log.pub > log.vkey
$SKL keygen --out witness-audit.key --name audit.beibei.example/witness --json > w1.json
$SKL keygen --out witness-univ.key --name cqu.example/witness --json > w2.json
echo "log:       $(cat log.vkey)"
echo "witnesses: $(cosig_of w1.json)"
echo "           $(cosig_of w2.json)"

step "3. accreditation: a training school, an evaluation centre, the 碚城工匠 committee"
$SKL keygen --out school.key --name 北碚区职业技能培训学校 --json > school.json
$SKL keygen --out centre.key --name 重庆市北碚区职业技能鉴定中心 --json > centre.json
$SKL keygen --out honours.key --name 北碚区碚城工匠评选委员会 --json > honours.json
cat > school-scope.json <<'JSON'
{"kinds":["training"],"occupations":[{"edition":"2015","prefix":"6-31"},{"edition":"2015","prefix":"6-18"}]}
JSON
cat > centre-scope.json <<'JSON'
{"kinds":["certification"],"occupations":[{"edition":"2015","prefix":"6-31"},{"edition":"2015","prefix":"6-18"}],
 "levels":{"scale":"skill","min":"L5","max":"L3"},"evaluator":"S","evaluationTypes":["skill-level"]}
JSON
cat > honours-scope.json <<'JSON'
{"kinds":["honour","competition"],"honours":["beicheng-craftsman"]}
JSON
enroll() { # enroll KEY-JSON NAME SCOPE DIRECTORY CERT
    $SKL issuer enroll --db ledger.db --authority-key authority/authority.key \
        --did "$(did_of "$1")" --name "$2" --scope "$3" --directory "$4" --cert-out "$5" |
        sed -n 2p
}
enroll school.json 北碚区职业技能培训学校 school-scope.json training-providers school.pem
enroll centre.json 重庆市北碚区职业技能鉴定中心 centre-scope.json evaluation-bodies centre.pem
enroll honours.json 北碚区碚城工匠评选委员会 honours-scope.json honour-committees honours.pem

step "4. a roster of 50 workers, exported by a spreadsheet in GBK: their trainings"
# Synthetic people: names from common surnames and given names, resident ID numbers with
# a correct GB 11643 check digit (born 1975-1999 in 北碚区, 500109).
awk 'BEGIN {
    split("王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 高 林 罗", sn, " ");
    split("伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀英 霞 平 刚 桂英", gn, " ");
    split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", w, " "); c = "10X98765432";
    print "姓名,证件类型,证件号码,培训类型,资金来源,培训形式,职业编码,大典版本,课时,开始日期,结束日期,结果";
    for (i = 0; i < 50; i++) {
        base = sprintf("500109%04d%02d%02d%03d", 1975 + i % 25, 1 + i % 12, 1 + i % 28, 100 + i);
        s = 0; for (k = 1; k <= 17; k++) s += substr(base, k, 1) * w[k];
        id = base substr(c, s % 11 + 1, 1);
        occ = i % 2 ? "6-31-01-03" : "6-18-02-04";
        printf "%s%s,居民身份证,%s,job-skills-upgrading,government-subsidy,on-the-job,%s,2015版,%d,2026/3/2,2026/4/24,合格\r\n",
            sn[i % 20 + 1], gn[int(i / 2) % 22 + 1], id, occ, 48 + 8 * (i % 3);
    }
}' > roster.csv
iconv -f UTF-8 -t GB18030 roster.csv > roster-gbk.csv
$SKL import --db ledger.db --key school.key --csv roster-gbk.csv --set kind=training \
    --name 北碚区职业技能培训学校 | tail -2

step "5. certifications for 30 of them, a competition result and a 碚城工匠 honour"
head -n 31 roster.csv | awk -F, 'NR == 1 {
        print "姓名,证件类型,证件号码,职业编码,大典版本,等级,证书编号,发证日期,评价类型,评价机构类型"; next }
    { lvl = 3 + NR % 3;
      printf "%s,%s,%s,%s,2015版,L%d,S1234500109002%d%d%06d,2026/5/8,skill-level,S\n",
          $1, $2, $3, $7, lvl, 6, lvl, NR }' > certs.csv
$SKL import --db ledger.db --key centre.key --csv certs.csv --set kind=certification \
    --name 重庆市北碚区职业技能鉴定中心 | tail -2
WORKER_ID=$(sed -n 7p roster.csv | cut -d, -f3) # an electrician (电工) with an L4 certificate
$SKL issue --db ledger.db --key honours.key --id-type resident-id --id-number "$WORKER_ID" \
    --name 北碚区碚城工匠评选委员会 --set kind=competition --set competition=北碚区电工技能大赛 \
    --set tier=district --set year=2026 --set award=一等奖 --set rank=1 \
    --set occupation=6-18-02-04 --set edition=2015
$SKL issue --db ledger.db --key honours.key --id-type resident-id --id-number "$WORKER_ID" \
    --name 北碚区碚城工匠评选委员会 --set kind=honour --set title=beicheng-craftsman \
    --set year=2026 --set batch=第三批

step "6. refused at the door: out of scope, and forged"
if $SKL issue --db ledger.db --key centre.key --id-type resident-id --id-number "$WORKER_ID" \
    --set kind=certification --set evaluationType=skill-level --set occupation=6-18-02-04 \
    --set edition=2015 --set level=L1 --set certificateNumber=S123450010900261000999 \
    --set issueDate=2026-05-08 --set evaluator=S; then
    echo "out-of-scope credential accepted?!"; exit 1
fi

step "7. checkpoint, cosigned by both witnesses (C2SP tlog-witness)"
witness() { # witness OLD-SIZE: checkpoint, both witnesses cosign, the ledger keeps the note
    $SKL checkpoint --db ledger.db --log-key log.key > checkpoint.txt
    $SKL witness request --db ledger.db --from "$1" checkpoint.txt > request
    $SKL witness cosign --key witness-audit.key --vkey log.vkey --out witness-audit.state \
        request > w1.resp
    $SKL witness cosign --key witness-univ.key --vkey log.vkey --out witness-univ.state \
        request > w2.resp
    $SKL witness attach checkpoint.txt w1.resp > half.txt
    $SKL witness attach --db ledger.db half.txt w2.resp > checkpoint.txt
    rm -f half.txt request w1.resp w2.resp
    sed -n 2p checkpoint.txt
}
SIZE=$(witness 0)
cat checkpoint.txt

step "8. the centre revokes one certificate (issued in error); a new witnessed checkpoint"
REVOKED_WORKER=$(sed -n 3p roster.csv | cut -d, -f3)
REVOKED=$($SKL worker show --db ledger.db --id-type resident-id --id-number "$REVOKED_WORKER" |
    awk '/^credential/ { id = $2 } END { print id }')
$SKL revoke --db ledger.db --key centre.key --target "$REVOKED" --reason "issued in error"
SIZE=$(witness "$SIZE")
echo "tree size $SIZE"

step "9. publish: static tlog-tiles; not one name or ID number in them"
$SKL publish --db ledger.db --out tiles
if grep -rqF -e "$WORKER_ID" -e "$(sed -n 7p roster.csv | cut -d, -f1)" tiles; then
    echo "personal data published?!"; exit 1
fi

step "10. the trust policy an employer installs: log, witnesses (2 of 2), authority, max age"
$SKL policy --db ledger.db --out policy --quorum 2 --max-age 30d \
    "$(cosig_of w1.json)" "$(cosig_of w2.json)"
cat policy | cut -c1-100

step "11. a worker exports their bundle; an employer verifies it offline"
$SKL export --db ledger.db --id-type resident-id --id-number "$WORKER_ID" \
    --out worker.bundle --disclose id,name
$SKL export --db ledger.db --id-type resident-id --id-number "$WORKER_ID" \
    --out tlog-proofs --format tlog-proof
$SKL export --db ledger.db --id-type resident-id --id-number "$WORKER_ID" \
    --out worker-vc.json --format vc
mkdir vc && python3 -c '
import json
for i, c in enumerate(json.load(open("worker-vc.json"))):
    json.dump(c, open("vc/credential-%d.json" % i, "w"), ensure_ascii=False, indent=1)
'
$SKL verify-credential vc/*.json
unshare_n() { if unshare -n true 2>/dev/null; then unshare -n "$@"; else "$@"; fi; }
unshare_n $SKL verify --policy policy worker.bundle

step "12. a tampered copy (a training's hours raised after signing): invalid"
sed 's/"hours":48/"hours":480/; s/"hours":56/"hours":560/; s/"hours":64/"hours":640/' \
    worker.bundle > tampered.bundle
if unshare_n $SKL verify --policy policy tampered.bundle; then echo "tampering accepted?!"; exit 1; fi

step "13. a bundle holding the revoked certificate: invalid, with the reason"
$SKL export --db ledger.db --id-type resident-id --id-number "$REVOKED_WORKER" \
    --out revoked.bundle --disclose id
if unshare_n $SKL verify --policy policy revoked.bundle; then echo "revocation missed?!"; exit 1; fi

step "14. the school: the worker's bundle planned against a programme, credits transferred"
$SKL keygen --out school-college.key --name 重庆某职业学院 --json > college.json
printf '{"kinds":["credit"],"programmes":["cq-demo-college-mechatronics"]}' > college-scope.json
enroll college.json 重庆某职业学院 college-scope.json schools college.pem
PROGRAMME=$ROOT/spec/credit-rules/programmes/demo-electrical.json
$SKL credits plan --policy policy --programme "$PROGRAMME" --db ledger.db worker.bundle
$SKL credits transfer --db ledger.db --key school-college.key --policy policy \
    --programme "$PROGRAMME" --out transcript.json worker.bundle | tail -3

step "15. the same sources offered again in the same programme: refused, with the reason"
$SKL credits plan --policy policy --programme "$PROGRAMME" --db ledger.db worker.bundle | tail -5
if $SKL credits transfer --db ledger.db --key school-college.key --policy policy \
    --programme "$PROGRAMME" worker.bundle; then echo "credits granted twice?!"; exit 1; fi
$SKL credits account --db ledger.db --id-type resident-id --id-number "$WORKER_ID"

step "16. the school's entries witnessed and published; the database and the tiles audited"
SIZE=$(witness "$SIZE")
echo "tree size $SIZE"
$SKL publish --db ledger.db --out tiles
$SKL audit --db ledger.db
$SKL audit --tiles tiles --vkey "$(cat log.vkey)"
printf '\nDone. Everything is in %s/ (tiles/, policy, *.bundle, vc/, tlog-proofs/).\n' "$(pwd)"
