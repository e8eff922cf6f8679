#!/bin/sh
# t_writers.sh - three `skl append` processes at once on one ledger, each appending 30
# single-credential batches, plus one checkpointing process. Afterwards every credential is in
# exactly once, every index is unique and was printed to exactly one writer, and the ledger
# audits as one consistent chain.
. "$E2E/lib.sh"

WRITERS=3
EACH=30
"$SKL" keygen --out a.key --name issuer-a --json >a.json 2>/dev/null
"$SKL" keygen --out log.key --name ledger.example/writers 2>/dev/null >/dev/null
A=$(sed -n 's/.*"didKey":"\([^"]*\)".*/\1/p' a.json)
"$SKL" ledger init --db ledger.db --origin ledger.example/writers --log-key log.key >vkey.txt

# Writer w's credentials: serials w*1000 .. w*1000+EACH-1, one file each (signed in parallel).
w=0
while [ $w -lt $WRITERS ]; do
    (
        i=0
        while [ $i -lt $EACH ]; do
            sh "$E2E/mkcred.sh" "$A" $((w * 1000 + i)) | "$SKL" sign --key a.key - >"c_${w}_$i.json" ||
                exit 1
            i=$((i + 1))
        done
    ) &
    eval "gen_$w=\$!"
    w=$((w + 1))
done
w=0
while [ $w -lt $WRITERS ]; do
    eval "wait \$gen_$w" || fail "signing for writer $w failed"
    w=$((w + 1))
done

# The writers: each appends its files one by one; all output lines go to out_w.
w=0
while [ $w -lt $WRITERS ]; do
    (
        i=0
        : >"out_$w"
        while [ $i -lt $EACH ]; do
            "$SKL" append --db ledger.db --threads 1 "c_${w}_$i.json" >>"out_$w" 2>>"err_$w" ||
                { echo "writer $w: append $i exited $?" >>"err_$w"; exit 1; }
            i=$((i + 1))
        done
    ) &
    eval "pid_$w=\$!"
    w=$((w + 1))
done
# Meanwhile, checkpoints (each must succeed, whatever the size).
(
    k=0
    while [ $k -lt 10 ]; do
        "$SKL" checkpoint --db ledger.db --log-key log.key >/dev/null 2>>err_cp ||
            { echo "checkpoint $k exited $?" >>err_cp; exit 1; }
        k=$((k + 1))
    done
) &
cp_pid=$!

w=0
bad=0
while [ $w -lt $WRITERS ]; do
    if ! eval "wait \$pid_$w"; then
        echo "writer $w failed:"
        cat "err_$w"
        bad=1
    fi
    w=$((w + 1))
done
if ! wait $cp_pid; then
    echo "checkpointing failed:"
    cat err_cp
    bad=1
fi
[ $bad -eq 0 ] || fail "a concurrent append or checkpoint failed"

total=$((WRITERS * EACH))
[ "$(sqlite3 ledger.db 'select count(*) from leaves')" -eq $total ] || fail "leaf count is not $total"
[ "$(sqlite3 ledger.db 'select count(distinct idx) from leaves')" -eq $total ] || fail "duplicate index"
[ "$(sqlite3 ledger.db 'select max(idx) from leaves')" -eq $((total - 1)) ] || fail "indices have a gap"
[ "$(sqlite3 ledger.db "select count(distinct json_extract(data, '\$.credential.id')) from leaves")" \
    -eq $total ] || fail "a credential is in twice"
# Every index printed exactly once, over all writers, and each writer's indices increase.
cat out_* | cut -f 1 | sort -n >printed
[ "$(wc -l <printed)" -eq $total ] || fail "the writers printed $(wc -l <printed) indices, not $total"
[ "$(uniq printed | wc -l)" -eq $total ] || fail "an index was printed twice"
w=0
while [ $w -lt $WRITERS ]; do
    cut -f 1 "out_$w" | sort -n -c || fail "writer $w's indices do not increase"
    # Each printed index holds that writer's credential.
    awk -F '\t' -v w=$w '{ print $1, $2 }' "out_$w" | while read -r idx file; do
        i=${file#c_"${w}"_}
        i=${i%.json}
        want=$(printf 'urn:uuid:5b1e7c2a-0d4f-4b6e-9a3c-%012d' $((w * 1000 + i)))
        got=$(sqlite3 ledger.db "select json_extract(data, '\$.credential.id') from leaves where idx = $idx")
        [ "$got" = "$want" ] || fail "index $idx holds $got, but writer $w appended $want there"
    done
    w=$((w + 1))
done
# Interleaving really happened: no writer's 30 indices are all consecutive... unless the
# scheduler serialised them; only reported.
w=0
while [ $w -lt $WRITERS ]; do
    first=$(head -n 1 "out_$w" | cut -f 1)
    last=$(tail -n 1 "out_$w" | cut -f 1)
    echo "writer $w: indices $first..$last"
    w=$((w + 1))
done

expect_exit 0 "$SKL" checkpoint --db ledger.db --log-key log.key
expect_exit 0 "$SKL" audit --db ledger.db
expect_in "$WORK/out" "$total leaves"
expect_exit 0 "$SKL" publish --db ledger.db --out tiles
expect_exit 0 "$SKL" audit --tiles tiles --vkey vkey.txt
expect_in "$WORK/out" "$total leaves"
echo "writers ok"
