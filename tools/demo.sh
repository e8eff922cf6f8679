#!/bin/sh
# make demo: Beibei's ledger end to end, from nothing, in a few seconds.
# The district authority makes its root and accredits a training school and an evaluation
# centre; workers enter the encrypted vault; credentials are issued one at a time and from a
# GBK roster; out-of-scope and forged credentials are refused; a credential is revoked; the
# log is checkpointed, proved, published as tiles and audited from the database and from the
# tiles alone. Everything is left in demo/out/.
set -eu
SKL=${1:-build/skl}
case $SKL in /*) ;; *) SKL=$(pwd)/$SKL ;; esac
OUT=demo/out
rm -rf "$OUT"
mkdir -p "$OUT"
cd "$OUT"
step() { printf '\n== %s\n' "$*"; }
did_of() { sed 's/.*"didKey":"\([^"]*\)".*/\1/' "$1"; }
# Demo passphrases. Real ones come from --pass-file / --vault-pass-file or the environment.
export SKL_PASSPHRASE="demo passphrase - use a real one"
export SKL_VAULT_PASSPHRASE="demo vault passphrase - use a real one"

step "the authority: 北碚区人力资源和社会保障局 makes its root key and X.509 CA certificate"
$SKL authority init --dir authority --name "北碚区人力资源和社会保障局 (演示)"
openssl x509 -in authority/authority.pem -noout -subject -dates -nameopt utf8

step "the ledger: its log key, under the authority's rules"
$SKL keygen --out log.key --name ledger.beibei.example/skills > log.pub
$SKL ledger init --db ledger.db --origin ledger.beibei.example/skills --log-key log.key \
    --authority authority/authority.pem > /dev/null
echo "log vkey: $(sed -n 2p log.pub)"

step "accreditation: a training school (培训机构目录) and an evaluation centre (鉴定评价机构目录)"
$SKL keygen --out school.key --name beibei-training-school --json > school.json
$SKL keygen --out centre.key --name beibei-evaluation-centre --json > centre.json
cat > school-scope.json <<'JSON'
{"kinds":["training"],"occupations":[{"edition":"2015","prefix":"6-31"},{"edition":"2015","prefix":"6-18"}]}
JSON
cat > centre-scope.json <<'JSON'
{"kinds":["certification"],"occupations":[{"edition":"2015","prefix":"6-31"},{"edition":"2015","prefix":"6-18"}],
 "levels":{"scale":"skill","min":"L5","max":"L3"},"evaluator":"S","evaluationTypes":["skill-level"]}
JSON
$SKL issuer enroll --db ledger.db --authority-key authority/authority.key \
    --did "$(did_of school.json)" --name "北碚区职业技能培训学校" --scope school-scope.json \
    --directory training-providers --cert-out school.pem
$SKL issuer enroll --db ledger.db --authority-key authority/authority.key \
    --did "$(did_of centre.json)" --name "重庆市北碚区职业技能鉴定中心" --scope centre-scope.json \
    --directory evaluation-bodies --cert-out centre.pem > centre-enroll.txt
cat centre-enroll.txt
openssl verify -CAfile authority/authority.pem -ignore_critical school.pem centre.pem

step "workers: names and ID numbers go into the encrypted vault, never into the log"
$SKL worker add --db ledger.db --id-type resident-id --id-number 11010519491231002X --name 张三丰

step "issuing: a training, then a certification, for 张三丰"
$SKL issue --db ledger.db --key school.key --id-type resident-id \
    --id-number 11010519491231002X --name "北碚区职业技能培训学校" \
    --set kind=training --set trainingType=job-skills-upgrading --set funding=government-subsidy \
    --set delivery=on-the-job --set occupation=6-31-01-03 --set edition=2015 --set hours=64 \
    --set startDate=2026-03-02 --set endDate=2026-04-24 --set result=passed
$SKL issue --db ledger.db --key centre.key --id-type resident-id \
    --id-number 11010519491231002X --name "重庆市北碚区职业技能鉴定中心" \
    --set kind=certification --set evaluationType=skill-level --set occupation=6-31-01-03 \
    --set edition=2015 --set level=L4 --set certificateNumber=S123450010900264000001 \
    --set issueDate=2026-05-08 --set evaluator=S > issued.txt
cat issued.txt

step "a roster exported by a spreadsheet in GBK: validated whole, then appended as one batch"
{
    printf '姓名,证件类型,证件号码,职业（工种）,职业编码,大典版本,等级,证书编号,发证日期,评价类型,评价机构类型\r\n'
    printf '李小龙,居民身份证,500109198807150016,焊工,6-18-02-04,2015版,四级/中级工,S123450010900264000002,2026/5/8,skill-level,S\r\n'
    printf '王芳,居民身份证,500109199003071237,电工,6-31-01-03,2015版,五级/初级工,S123450010900265000003,2026/5/8,skill-level,S\r\n'
    printf '赵敏,居民身份证,500109199003071253,电工,6-31-01-03,2015版,三级/高级工,S123450010900263000004,2026/5/8,skill-level,S\r\n'
} | iconv -f UTF-8 -t GB18030 > roster-gbk.csv
$SKL import --db ledger.db --key centre.key --csv roster-gbk.csv --set kind=certification \
    --name "重庆市北碚区职业技能鉴定中心"

step "refused at the door: a level above the centre's scope, and a forged credential"
# (the forgery: 李小龙's certificate with its issue date moved after signing)
if $SKL issue --db ledger.db --key centre.key --id-type resident-id \
    --id-number 11010519491231002X --set kind=certification --set evaluationType=skill-level \
    --set occupation=6-31-01-03 --set edition=2015 --set level=L2 \
    --set certificateNumber=S123450010900262000005 --set issueDate=2026-05-08 --set evaluator=S
then
    echo "out-of-scope credential accepted?!"
    exit 1
fi
sqlite3 ledger.db "SELECT json_extract(data, '$.credential') FROM leaves WHERE idx = 4" |
    sed 's/"issueDate":"2026-05-08"/"issueDate":"2025-05-08"/' > forged.json
if $SKL append --db ledger.db forged.json; then echo "forgery accepted?!"; exit 1; fi

step "revocation: the centre withdraws 张三丰's certificate (issued in error)"
CERT=$(sed -n 's/^skl issue \(urn:uuid:[^ ]*\) index.*/\1/p' issued.txt)
$SKL revoke --db ledger.db --key centre.key --target "$CERT" --reason "issued in error"
$SKL worker show --db ledger.db --id-type resident-id --id-number 11010519491231002X

step "checkpoint, proof, tiles"
$SKL checkpoint --db ledger.db --log-key log.key | tee checkpoint
$SKL prove --db ledger.db --index 3 > cred-03.tlog-proof
sed -n '1p;3,4p' cred-03.tlog-proof
$SKL publish --db ledger.db --out tiles
if grep -rqF -e 11010519491231002X -e 张三丰 tiles; then echo "personal data published?!"; exit 1; fi
echo "no name or ID number anywhere in the tiles"

step "audit: the database, then the tiles alone with only the log's public key"
$SKL audit --db ledger.db
$SKL audit --tiles tiles --vkey "$(sed -n 2p log.pub)"
printf '\nDone. Everything is in %s/.\n' "$(pwd)"
