#!/bin/sh
# t_keys.sh - key files: mode 0600 whatever the umask, never overwritten, encrypted with
# SKL_PASSPHRASE or --pass-file, wrong/missing passphrases refused with a clear message,
# damaged key files refused, and a checkpoint only with the ledger's own log key.
. "$E2E/lib.sh"
unset SKL_PASSPHRASE || :

mode() { ls -l "$1" | cut -c 1-10; }

# Unencrypted key: mode 0600 even under umask 000; warned about; never overwritten.
(umask 000 && "$SKL" keygen --out plain.key --name plain --json >plain.json 2>plain.err) ||
    fail "keygen failed"
[ "$(mode plain.key)" = "-rw-------" ] || fail "plain.key has mode $(mode plain.key), not 0600"
expect_in plain.err "not encrypted"
cp plain.key plain.orig
expect_exit 2 "$SKL" keygen --out plain.key
expect_in "$WORK/err" "plain.key"
expect_in "$WORK/err" "exists"
cmp -s plain.key plain.orig || fail "keygen overwrote plain.key"
# Bad names and unwritable places.
expect_exit 2 "$SKL" keygen --out n1.key --name "two words"
expect_in "$WORK/err" "--name"
expect_exit 2 "$SKL" keygen --out n2.key --name "a+b"
[ ! -e n1.key ] && [ ! -e n2.key ] || fail "keygen wrote a key despite a bad name"
expect_exit 2 "$SKL" keygen --out nodir/x.key
expect_in "$WORK/err" "nodir/x.key"
cp "$WORK/err" nodir.err

did_plain=$(sed -n 's/.*"didKey":"\([^"]*\)".*/\1/p' plain.json)
sh "$E2E/mkcred.sh" "$did_plain" 1 >u1.json
expect_exit 0 "$SKL" sign --key plain.key u1.json

# Encrypted with SKL_PASSPHRASE.
SKL_PASSPHRASE='正确 horse battery' "$SKL" keygen --out env.key --name env --json >env.json 2>env.err ||
    fail "keygen with SKL_PASSPHRASE failed"
[ ! -s env.err ] || { cat env.err; fail "keygen warned about an encrypted key"; }
[ "$(mode env.key)" = "-rw-------" ] || fail "env.key has mode $(mode env.key)"
grep -q '^kdf: argon2id' env.key || { cat env.key; fail "env.key is not encrypted with Argon2id"; }
did_env=$(sed -n 's/.*"didKey":"\([^"]*\)".*/\1/p' env.json)
sh "$E2E/mkcred.sh" "$did_env" 2 >u2.json
SKL_PASSPHRASE='正确 horse battery' "$SKL" sign --key env.key u2.json >s2.json ||
    fail "sign with SKL_PASSPHRASE failed"
expect_exit 0 "$SKL" verify-credential s2.json
expect_in "$WORK/out" "$did_env"
# Wrong passphrase, and none: exit 2, with a message that says so.
expect_exit 2 env SKL_PASSPHRASE=wrong "$SKL" sign --key env.key u2.json
expect_in "$WORK/err" "env.key"
expect_in "$WORK/err" "passphrase"
[ ! -s "$WORK/out" ] || fail "sign printed something with a wrong passphrase"
expect_exit 2 "$SKL" sign --key env.key u2.json
expect_in "$WORK/err" "passphrase"

# Encrypted with --pass-file (first line; the newline is not part of it).
printf 'pass-file secret\n' >pass.txt
printf 'not it\n' >wrong.txt
: >empty.txt
expect_exit 0 "$SKL" keygen --out file.key --name file --pass-file pass.txt --json
did_file=$(sed -n 's/.*"didKey":"\([^"]*\)".*/\1/p' "$WORK/out")
grep -q '^kdf: argon2id' file.key || fail "file.key is not encrypted"
sh "$E2E/mkcred.sh" "$did_file" 3 >u3.json
expect_exit 0 "$SKL" sign --key file.key --pass-file pass.txt u3.json
cp "$WORK/out" s3.json
expect_exit 0 "$SKL" verify-credential s3.json
expect_in "$WORK/out" "$did_file"
expect_exit 2 "$SKL" sign --key file.key --pass-file wrong.txt u3.json
expect_in "$WORK/err" "wrong or missing passphrase"
expect_exit 2 "$SKL" sign --key file.key --pass-file empty.txt u3.json
expect_in "$WORK/err" "empty"
expect_exit 2 "$SKL" sign --key file.key --pass-file nosuch.txt u3.json
expect_in "$WORK/err" "nosuch.txt"
# --pass-file wins over SKL_PASSPHRASE.
expect_exit 0 env SKL_PASSPHRASE=wrong "$SKL" sign --key file.key --pass-file pass.txt u3.json

# Damaged key files.
sed 's/^secret: ./secret: A/' env.key >damaged.key
cmp -s env.key damaged.key && sed 's/^secret: ./secret: B/' env.key >damaged.key
expect_exit 2 env SKL_PASSPHRASE='正确 horse battery' "$SKL" sign --key damaged.key u2.json
expect_in "$WORK/err" "damaged.key"
sed 's/^public: ./public: A/' plain.key >mismatch.key
cmp -s plain.key mismatch.key && sed 's/^public: ./public: B/' plain.key >mismatch.key
expect_exit 2 "$SKL" sign --key mismatch.key u1.json
expect_in "$WORK/err" "mismatch.key"
printf 'not a key\n' >garbage.key
expect_exit 2 "$SKL" sign --key garbage.key u1.json
expect_in "$WORK/err" "garbage.key"
expect_exit 2 "$SKL" sign --key nosuch.key u1.json
expect_in "$WORK/err" "nosuch.key"

# Log keys: an encrypted one for the ledger; any other key is refused for checkpoints.
expect_exit 0 "$SKL" keygen --out log.key --name ledger.example/keys --pass-file pass.txt
expect_exit 0 "$SKL" ledger init --db ledger.db --origin ledger.example/keys --log-key log.key \
    --pass-file pass.txt
vkey=$(cat "$WORK/out")
expect_exit 2 "$SKL" ledger init --db other.db --origin ledger.example/keys --log-key log.key \
    --pass-file wrong.txt
expect_in "$WORK/err" "passphrase"
[ ! -e other.db ] || fail "ledger init made a ledger without the log key"
expect_exit 0 "$SKL" append --db ledger.db s2.json s3.json
expect_exit 2 "$SKL" checkpoint --db ledger.db --log-key plain.key
expect_in "$WORK/err" "not the ledger's log key"
expect_exit 2 env SKL_PASSPHRASE='正确 horse battery' "$SKL" checkpoint --db ledger.db --log-key env.key
expect_in "$WORK/err" "not the ledger's log key"
expect_exit 2 "$SKL" checkpoint --db ledger.db --log-key log.key --pass-file wrong.txt
expect_in "$WORK/err" "passphrase"
[ "$(sqlite3 ledger.db 'select count(*) from checkpoints')" = 0 ] || fail "a refused checkpoint was stored"
expect_exit 0 "$SKL" checkpoint --db ledger.db --log-key log.key --pass-file pass.txt
expect_in "$WORK/out" "— ledger.example/keys "
expect_exit 0 env SKL_PASSPHRASE='pass-file secret' "$SKL" checkpoint --db ledger.db --log-key log.key
expect_exit 0 "$SKL" audit --db ledger.db
expect_in "$WORK/out" "2 leaves, 2 checkpoints"
expect_exit 0 "$SKL" publish --db ledger.db --out tiles
expect_exit 0 "$SKL" audit --tiles tiles --vkey "$vkey"
# The right key under another name still signs as the ledger's log (the name is the ledger's).
sed 's/^name: .*/name: renamed/' log.key >renamed.key
expect_exit 0 "$SKL" checkpoint --db ledger.db --log-key renamed.key --pass-file pass.txt
expect_in "$WORK/out" "— ledger.example/keys "
expect_exit 0 "$SKL" audit --db ledger.db
# A vkey for another key does not verify the tiles (exit 1), a malformed one is a usage error.
expect_exit 0 "$SKL" keygen --out other.key --name ledger.example/keys
"$SKL" ledger init --db other.db --origin ledger.example/keys --log-key other.key >othervkey.txt
expect_exit 1 "$SKL" audit --tiles tiles --vkey othervkey.txt
expect_exit 2 "$SKL" audit --tiles tiles --vkey "not-a-vkey"
# Kept last (it reports a known unclear message without hiding the checks above): a key
# that cannot be written because its directory does not exist says so, not "input/output
# error".
grep -q "No such file or directory" nodir.err ||
    fail "keygen --out nodir/x.key said \"$(cat nodir.err)\", not that there is no such directory"
echo "keys ok"
