#!/bin/sh
# t_crash.sh - kill -9 an appending `skl append` at random moments, 24 times. Each batch must
# be either entirely in the ledger or entirely out; every index a killed process printed must
# be in the ledger and hold the credential it was printed for; the ledger must audit clean,
# take a checkpoint and keep appending afterwards.
#
# Signing is the slow part here, so batches are made lazily: a batch whose append was killed
# before it committed is simply tried again in the next round; a new batch is signed only
# when the previous one made it in. The kill delay walks up after a kill that landed before
# the commit and down after a batch that made it, so it hovers around the append's own
# duration and the kills land in every phase of it (start-up, verification, the SQLite
# transaction, printing).
. "$E2E/lib.sh"

ROUNDS=24
SIZE=80
"$SKL" keygen --out a.key --name issuer-a --json >a.json 2>/dev/null
"$SKL" keygen --out log.key --name ledger.example/crash 2>/dev/null >/dev/null
A=$(sed -n 's/.*"didKey":"\([^"]*\)".*/\1/p' a.json)
"$SKL" ledger init --db ledger.db --origin ledger.example/crash --log-key log.key >/dev/null

# mkbatch J: batch_J.json holds credentials with serials J*SIZE .. J*SIZE+SIZE-1.
mkbatch() {
    lo=$(($1 * SIZE))
    gen $lo $((lo + SIZE / 2)) "h1_$1" &
    g1=$!
    gen $((lo + SIZE / 2)) $((lo + SIZE)) "h2_$1" &
    g2=$!
    wait $g1 || fail "signing batch $1 failed"
    wait $g2 || fail "signing batch $1 failed"
    { printf '['; cat "h1_$1" "h2_$1" | sed '$ s/,$//'; printf ']\n'; } >"batch_$1.json"
    rm -f "h1_$1" "h2_$1"
}
# idof SERIAL: the credential id mkcred.sh gives that serial.
idof() { printf 'urn:uuid:5b1e7c2a-0d4f-4b6e-9a3c-%012d' "$1"; }
# rand N: a random integer in 0..N-1.
rand() { echo $(($(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % $1)); }

j=0
mkbatch 0
maxms=40
round=0
survived=0
before_commit=0
after_commit=0
finished=0
in_txn=0
in_sync=0
while [ $round -lt $ROUNDS ]; do
    ms=$(rand $((maxms + 1)))
    walsum=$(cat ledger.db-wal 2>/dev/null | cksum)
    : >"out_$round"
    : >"err_$round"
    "$SKL" append --db ledger.db "batch_$j.json" >>"out_$round" 2>>"err_$round" &
    pid=$!
    sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
    # Where it is (Linux: the syscall it is in, "running", or nothing once it has exited),
    # for the report only.
    where=$(cut -d ' ' -f 1 "/proc/$pid/syscall" 2>/dev/null) || where=exited
    kill -9 $pid 2>/dev/null || : # it may have finished already: that is one of the outcomes
    case $where in
    74 | 75) where=fsync; in_sync=$((in_sync + 1)) ;; # x86-64 fsync, fdatasync
    1 | 18) where="write" ;;
    202) where=futex ;;
    esac
    set +e
    wait $pid
    rc=$?
    set -e
    lo=$(idof $((j * SIZE)))
    hi=$(idof $((j * SIZE + SIZE - 1)))
    # Which of this batch's credentials are in the ledger, with their indices.
    sqlite3 -separator ' ' ledger.db "select idx, json_extract(data, '\$.credential.id') from leaves
        where json_extract(data, '\$.credential.id') between '$lo' and '$hi'" >"in_$round"
    n=$(wc -l <"in_$round")
    printed=$(wc -l <"out_$round")
    case $rc in
    0) [ "$printed" -eq $SIZE ] || fail "round $round: append exited 0 but printed $printed lines" ;;
    137) ;;
    *) cat "err_$round"; fail "round $round: append exited $rc (not killed, not 0)" ;;
    esac
    if [ "$n" -ne 0 ] && [ "$n" -ne $SIZE ]; then
        fail "round $round: batch $j is half in: $n of $SIZE credentials in the ledger"
    fi
    if [ "$printed" -gt 0 ] && [ "$n" -eq 0 ]; then
        cat "out_$round"
        fail "round $round: append printed indices but batch $j is not in the ledger"
    fi
    # Every printed line "IDX<TAB>batch_J.json[K]" must name the leaf holding item K (0-based).
    awk -v size=$SIZE -v j=$j -v f="batch_$j.json" '
        FNR == NR { id[$1] = $2; next }
        {
            split($0, p, "\t")
            if (p[2] !~ ("^" f "\\[[0-9]+\\]$")) { print "bad line: " $0; bad = 1; next }
            k = substr(p[2], length(f) + 2) + 0
            want = sprintf("urn:uuid:5b1e7c2a-0d4f-4b6e-9a3c-%012d", j * size + k)
            if (!(p[1] in id)) { print "printed index " p[1] " is not in the ledger"; bad = 1 }
            else if (id[p[1]] != want) { print "index " p[1] " holds " id[p[1]] ", not " want; bad = 1 }
        }
        END { exit bad }' "in_$round" "out_$round" ||
        fail "round $round: printed indices do not match the ledger"
    if [ "$n" -eq $SIZE ]; then
        # In, in one contiguous run of indices.
        first=$(sort -n "in_$round" | head -n 1 | cut -d ' ' -f 1)
        last=$(sort -n "in_$round" | tail -n 1 | cut -d ' ' -f 1)
        [ $((last - first + 1)) -eq $SIZE ] || fail "round $round: batch $j is not contiguous"
        survived=$((survived + 1))
        if [ $rc -eq 0 ]; then
            finished=$((finished + 1))
        else
            after_commit=$((after_commit + 1))
        fi
        echo "round $round: kill after ${ms}ms: batch $j in at $first..$last" \
            "(exit $rc, printed $printed, was $where)"
        maxms=$((maxms > 25 ? maxms - 20 : 5))
        j=$((j + 1))
        mkbatch $j
    else
        before_commit=$((before_commit + 1))
        mid=""
        if [ "$(cat ledger.db-wal 2>/dev/null | cksum)" != "$walsum" ]; then
            mid=", inside its transaction: the WAL changed"
            in_txn=$((in_txn + 1))
        fi
        echo "round $round: kill after ${ms}ms: batch $j not in (exit $rc$mid, was $where)"
        maxms=$((maxms < 492 ? maxms + 8 : 500))
    fi
    round=$((round + 1))
done

total=$(sqlite3 ledger.db 'select count(*) from leaves')
echo "$survived of $ROUNDS appends made it ($finished finished, $after_commit killed after the" \
    "commit); $before_commit killed before it ($in_txn inside the transaction);" \
    "$in_sync kills found it in fsync; $total leaves"
[ "$total" -eq $((survived * SIZE)) ] || fail "$total leaves, expected $survived batches of $SIZE"
[ $survived -ge 1 ] || fail "no append survived: the kills never let one finish"
[ $before_commit -ge 1 ] || fail "no kill landed before a commit"

# The ledger is whole: audit, checkpoint, audit, and one more append on top.
expect_exit 0 "$SKL" audit --db ledger.db
expect_in "$WORK/out" "$total leaves"
expect_exit 0 "$SKL" checkpoint --db ledger.db --log-key log.key
expect_exit 0 "$SKL" append --db ledger.db "batch_$j.json"
expect_exit 0 "$SKL" checkpoint --db ledger.db --log-key log.key
expect_exit 0 "$SKL" audit --db ledger.db
expect_in "$WORK/out" "$((total + SIZE)) leaves, 2 checkpoints"
expect_exit 0 "$SKL" consistency --db ledger.db --from $((total > 0 ? total : 1))
echo "crash ok"
