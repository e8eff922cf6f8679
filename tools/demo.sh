#!/bin/sh
# make demo: the ledger core end to end, from nothing, in a few seconds.
# Keys for the log and two issuers; credentials signed, appended, checkpointed, proved,
# published as tiles and audited twice (from the database and from the tiles alone);
# then a forged credential refused. Everything is left in demo/out/.
set -eu
SKL=${1:-build/skl}
case $SKL in /*) ;; *) SKL=$(pwd)/$SKL ;; esac
OUT=demo/out
rm -rf "$OUT"
mkdir -p "$OUT/unsigned" "$OUT/signed"
cd "$OUT"
step() { printf '\n== %s\n' "$*"; }

step "keys: the district ledger's log key and two issuers (encrypted with a demo passphrase)"
export SKL_PASSPHRASE="demo passphrase - use a real one"
$SKL keygen --out log.key --name ledger.beibei.example/skills > log.pub
$SKL keygen --out school.key --name beibei-training-school --json > school.json
$SKL keygen --out evaluator.key --name beibei-evaluation-centre --json > evaluator.json
did_of() { sed 's/.*"didKey":"\([^"]*\)".*/\1/' "$1"; }
SCHOOL=$(did_of school.json)
EVAL=$(did_of evaluator.json)
echo "log vkey:  $(sed -n 2p log.pub)"
echo "school:    $SCHOOL"
echo "evaluator: $EVAL"

step "credentials: 12 trainings and 8 certifications, signed by their issuers"
# The subject is a salted commitment, never a name or an ID number (see spec/credential.md).
subject() { printf 'sha256$%s' "$(printf 'demo-salt-%s' "$1" | sha256sum | cut -c1-64)"; }
i=0
while [ $i -lt 20 ]; do
    if [ $i -lt 12 ]; then
        issuer=$SCHOOL; key=school.key; kind=TrainingCredential
        name="电工 岗位技能提升培训 (64 学时)"; occ=6-31-01-03
    else
        issuer=$EVAL; key=evaluator.key; kind=CertificationCredential
        name="焊工 四级/中级工 职业技能等级认定"; occ=6-18-02-04
    fi
    f=$(printf 'cred-%02d.json' $i)
    cat > "unsigned/$f" <<JSON
{"@context":["https://www.w3.org/ns/credentials/v2","https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
 "id":"urn:uuid:5b1e0000-0000-4000-8000-$(printf '%012d' $i)",
 "type":["VerifiableCredential","OpenBadgeCredential"],
 "issuer":{"id":"$issuer","type":["Profile"]},
 "validFrom":"2026-0$((i % 9 + 1))-15T09:00:00Z",
 "name":"$name",
 "credentialSubject":{"type":["AchievementSubject"],
   "identifier":[{"type":"IdentityObject","identityHash":"$(subject $i)","identityType":"identifier","hashed":true}],
   "achievement":{"id":"urn:skl:achievement:$kind:$occ","type":["Achievement"],"name":"$name",
     "criteria":{"narrative":"$kind $occ"}}}}
JSON
    $SKL sign --key $key "unsigned/$f" > "signed/$f"
    i=$((i + 1))
done
$SKL verify-credential signed/cred-00.json signed/cred-19.json

step "ledger: create it, append the first 15 in one atomic batch"
$SKL ledger init --db ledger.db --origin ledger.beibei.example/skills --log-key log.key > /dev/null
$SKL append --db ledger.db signed/cred-0*.json signed/cred-1[0-4].json | tail -3

step "checkpoint: signed by the log, dated by the log's own cosignature"
$SKL checkpoint --db ledger.db --log-key log.key | tee checkpoint-1

step "a forged credential (a field changed after signing) is refused; the ledger is unchanged"
sed 's/四级\/中级工/三级\/高级工/' signed/cred-15.json > forged.json
if $SKL append --db ledger.db forged.json; then echo "forgery accepted?!"; exit 1; fi

step "the rest, and a second checkpoint"
$SKL append --db ledger.db signed/cred-1[5-9].json | tail -2
$SKL checkpoint --db ledger.db --log-key log.key > checkpoint-2
head -3 checkpoint-2

step "proofs: credential 7 is in the log (c2sp.org/tlog-proof@v1); the log only grew"
$SKL prove --db ledger.db --index 7 > cred-07.tlog-proof
sed -n '1p;3,4p' cred-07.tlog-proof
$SKL consistency --db ledger.db --from 15 --to 20

step "publish: static tlog-tiles any web server can serve"
$SKL publish --db ledger.db --out tiles
find tiles -type f | sort

step "audit: the database, then the tiles alone with only the log's public key"
$SKL audit --db ledger.db
$SKL audit --tiles tiles --vkey "$(sed -n 2p log.pub)"
printf '\nDone. Everything is in %s/.\n' "$(pwd)"
