/*
 * skl.c - the skl command: parses the subcommand, calls the library, prints.
 * Exit status: 0 success, 1 verification failed, 2 usage or operational error.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "skl/skl.h"

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *synopsis;
    const char *help;
};

static const struct command commands[] = {
    {"keygen", cmd_keygen, "skl keygen --out FILE [--name NAME] [--pass-file FILE] [--json]",
     "Makes an Ed25519 key pair and writes the secret key to FILE (mode 0600, never\n"
     "overwritten). With a passphrase ($SKL_PASSPHRASE or --pass-file) the key is encrypted\n"
     "with Argon2id and XSalsa20-Poly1305. Prints the public key as a did:key and as a C2SP\n"
     "verifier key (vkey) named NAME."},
    {"sign", cmd_sign, "skl sign --key FILE [--created TIME] CREDENTIAL.json",
     "Adds an eddsa-jcs-2022 Data Integrity proof to an unsigned W3C VC 2.0 credential and\n"
     "prints the signed credential (canonical JSON). Its issuer should be the key's did:key."},
    {"verify-credential", cmd_verify_credential, "skl verify-credential [--json] FILE...",
     "Checks credentials on their own, without a ledger: shape, proof and signature. A file\n"
     "may hold one credential or a JSON array of them. Exit 1 if any is invalid."},
    {"ledger", cmd_ledger,
     "skl ledger init --db DB --origin ORIGIN --log-key FILE [--authority ROOT.pem]\n"
     "       skl ledger occupations --db DB FILE",
     "Creates a new ledger file whose checkpoints are signed by the log key, for the log\n"
     "named ORIGIN (e.g. ledger.beibei.example/skills). Prints the log's vkey. With\n"
     "--authority, the ledger enforces that authority's rules (spec/policy.md): it accepts\n"
     "only credentials of a known kind from issuers the authority accredited, within scope.\n"
     "occupations: adds an occupation list (CSV code,edition,name[,levels] or JSON like\n"
     "spec/data/occupations.json: a full 职业分类大典 list) to the reference data it enforces."},
    {"append", cmd_append, "skl append --db DB [--threads N] [--json] FILE...",
     "Verifies signed credentials and appends them as one atomic batch (a file may hold a\n"
     "JSON array). Prints each credential's index. If any credential is refused, nothing is\n"
     "appended, each refusal is listed with its reason, and the exit status is 1."},
    {"checkpoint", cmd_checkpoint, "skl checkpoint --db DB --log-key FILE",
     "Signs a C2SP checkpoint of the current tree with the log key, adds the log's own\n"
     "cosignature/v1 that dates it, stores it and prints it."},
    {"prove", cmd_prove, "skl prove --db DB --index N [--size M]",
     "Prints a c2sp.org/tlog-proof@v1 for leaf N under the latest checkpoint (or the one of\n"
     "tree size M). The extra line carries the leaf record itself."},
    {"consistency", cmd_consistency, "skl consistency --db DB --from M [--to N] [--json]",
     "Prints the RFC 6962 consistency proof between tree sizes M and N (default: now), with\n"
     "both roots."},
    {"publish", cmd_publish, "skl publish --db DB --out DIR",
     "Writes the ledger as C2SP tlog-tiles for its latest checkpoint: checkpoint,\n"
     "tile/L/N[.p/W] and tile/entries/N[.p/W]. Incremental; any web server can serve DIR."},
    {"audit", cmd_audit,
     "skl audit --db DB [--threads N] [--json]\n"
     "       skl audit --tiles DIR --vkey VKEY [--threads N] [--json]",
     "Re-verifies everything: every signature, the hash chain, every stored hash and every\n"
     "checkpoint. With --tiles, audits a published directory with no database, as a mirror\n"
     "or witness would; VKEY is the log's vkey or a file holding it. Names the first bad\n"
     "index and what is wrong; exit 1 if anything is."},
    {"authority", cmd_authority, "skl authority init --dir DIR --name NAME [--until DATE]",
     "Makes the district authority's root: an Ed25519 key (DIR/authority.key, encrypted\n"
     "with the passphrase) and a self-signed X.509 CA certificate (DIR/authority.pem).\n"
     "See certs/README.md for making and guarding a real root."},
    {"issuer", cmd_issuer,
     "skl issuer enroll --db DB --authority-key FILE --did DID --name NAME --scope FILE\n"
     "                  --directory DIR --cert-out FILE [--from DATE] [--until DATE]\n"
     "       skl issuer revoke --db DB --authority-key FILE --target ID --reason TEXT\n"
     "                  [--effective TIME]",
     "enroll: issues the institution's X.509 certificate with its scope (a JSON file,\n"
     "spec/kinds.md) for the issuer key DID, and appends the accreditation credential, signed\n"
     "by the authority, that embeds it: the public, dated directory entry. DIR is one of\n"
     "training-providers, evaluation-bodies, honour-committees, competition-organisers,\n"
     "schools. revoke: appends the authority's revocation of accreditation ID; from TIME\n"
     "(default: now) that issuer's credentials are refused, earlier ones stay valid."},
    {"revoke", cmd_revoke,
     "skl revoke --db DB --key FILE --target ID --reason TEXT [--effective TIME]",
     "Appends a revocation of credential ID, signed by its issuer's key (or the authority's)."},
    {"worker", cmd_worker,
     "skl worker add --db DB --id-type TYPE --id-number N --name NAME\n"
     "       skl worker show --db DB --id-type TYPE --id-number N [--json]",
     "The worker vault (spec/workers.md): names and ID numbers, encrypted under the vault\n"
     "passphrase ($SKL_VAULT_PASSPHRASE or --vault-pass-file), never in the public log.\n"
     "TYPE: resident-id (居民身份证), passport, hk-macao-permit, taiwan-permit,\n"
     "foreign-permanent-resident. show looks a worker up by ID number and lists their\n"
     "credentials."},
    {"issue", cmd_issue,
     "skl issue --db DB --key FILE --id-type TYPE --id-number N [--set FIELD=VALUE]...\n"
     "                 [--body FILE.json] [--name ISSUER_NAME] [--dry-run]",
     "Builds one credential from fields (spec/import.md; --body: a JSON object of fields),\n"
     "names the worker by a fresh commitment from the vault, signs it with the issuer key and\n"
     "appends it. --dry-run checks everything and appends nothing."},
    {"import", cmd_import,
     "skl import --db DB --key FILE --csv FILE [--set FIELD=VALUE]... [--dry-run]",
     "Issues one credential per row of a roster (UTF-8 with or without BOM, or GB18030/GBK;\n"
     "headers in Chinese or English, spec/data/fields.json). The whole file is validated\n"
     "first: one bad row refuses the batch, and every bad row is listed with its line and\n"
     "reason. Workers not yet in the vault are added from the row's name and ID."},
    {"witness", cmd_witness,
     "skl witness request --db DB [--from OLD] [CHECKPOINT_FILE]\n"
     "       skl witness cosign --key WITNESS.key --vkey LOG_VKEY --out STATE [REQUEST_FILE]\n"
     "       skl witness attach [--vkey WITNESS_VKEY] [--db DB] CHECKPOINT_FILE RESPONSE_FILE",
     "A C2SP tlog-witness without HTTP (spec/witness.md). request: the log's add-checkpoint\n"
     "request for a checkpoint, with the consistency proof from size OLD (what the witness\n"
     "last cosigned). cosign: the witness checks the checkpoint against the one it last\n"
     "cosigned (kept in STATE) and prints its cosignature/v1 line, or refuses a fork or a\n"
     "rollback (exit 1). attach: the checkpoint with the witness's line added; with --db\n"
     "the ledger also keeps it, and exports hand it out."},
    {"policy", cmd_policy,
     "skl policy --db DB --out FILE [--quorum K] [--max-age 7d] [WITNESS_VKEY...]",
     "Writes the trust policy employers install (spec/trust-policy.md): the log's vkey, the\n"
     "witnesses (their cosignature vkeys or files holding them) and how many must cosign,\n"
     "the authority root, and how old a checkpoint may be."},
    {"export", cmd_export,
     "skl export --db DB (--worker ID | --id-type TYPE --id-number N) --out FILE\n"
     "                  [--disclose id,name] [--format bundle|vc|tlog-proof] [CREDENTIAL_ID...]",
     "Writes a worker's bundle (spec/bundle.md) under the latest checkpoint: their\n"
     "credentials (or only those named) with inclusion and status proofs, their issuers'\n"
     "accreditations, the witnessed checkpoint, and what the worker discloses (id: ID type and\n"
     "number with the openings of each commitment; name). --format vc: a JSON array of the\n"
     "plain credentials; tlog-proof: OUT is a directory of c2sp.org/tlog-proof@v1 files."},
    {"refresh", cmd_refresh, "skl refresh --db DB --out NEW.bundle OLD.bundle",
     "Brings a bundle up to the latest checkpoint: the same credentials and disclosure with\n"
     "new proofs, and the old checkpoint with a consistency proof to the new one, so that an\n"
     "employer who saw the old one can tell the log only grew. No vault needed."},
    {"credits", cmd_credits,
     "skl credits plan --policy FILE --programme FILE [--db DB] [--json] BUNDLE\n"
     "       skl credits transfer --db DB --key SCHOOL.key --policy FILE --programme FILE\n"
     "                  [--out TRANSCRIPT.json] BUNDLE\n"
     "       skl credits account --db DB --id-type TYPE --id-number N [--json]",
     "The credit bank (spec/credit-rules/README.md). plan: offline, from a worker's bundle\n"
     "verified against the trust policy, which courses of the programme table can be exempted\n"
     "and how many credits, and why each source was or was not used (with --db, sources the\n"
     "programme already converted count as used). transfer: the school signs the plan as a\n"
     "credit credential and appends it; the ledger refuses a source already used in the same\n"
     "programme and any grant over the district framework's caps; --out writes the worker's\n"
     "transcript, a CLR 2.0-shaped credential. account: a worker's learning account, what\n"
     "each credential is worth under the framework and where it was converted."},
    {"verify", cmd_verify, "skl verify --policy FILE [--json] BUNDLE",
     "Checks a bundle offline against a trust policy: every credential's proof, its issuer's\n"
     "accreditation and scope, the certificate chain to the authority, inclusion under the\n"
     "witnessed checkpoint, its status, the checkpoint's age, and the disclosed identity.\n"
     "Prints the holder as disclosed and the checkpoint (log, size, date, witnesses), then\n"
     "one row per credential. Exit 0 all valid, 1 anything invalid, 2 could not run."},
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void
usage(FILE *f)
{
    fprintf(f, "skl %s - the Beibei lifelong skills ledger\n\nusage:\n", skl_version());
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(f, "  %s\n", commands[i].synopsis);
    fprintf(f, "  skl help [COMMAND]\n  skl version\n\n"
               "Exit status: 0 success, 1 verification failed, 2 usage or operational error.\n"
               "Passphrases come from $SKL_PASSPHRASE or --pass-file FILE; the worker vault's\n"
               "from $SKL_VAULT_PASSPHRASE or --vault-pass-file FILE.\n");
}

static int
help(int argc, char **argv)
{
    if (argc < 2) {
        usage(stdout);
        return EXIT_OK;
    }
    for (size_t i = 0; i < NCOMMANDS; i++) {
        if (strcmp(argv[1], commands[i].name) == 0) {
            printf("usage: %s\n\n%s\n", commands[i].synopsis, commands[i].help);
            return EXIT_OK;
        }
    }
    return cli_fail("help: no command \"%s\"", argv[1]);
}

int
main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_TROUBLE;
    }
    if (skl_init() != SKL_OK)
        return cli_fail("cannot initialise libsodium");
    const char *cmd = argv[1];
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0)
        return help(argc - 1, argv + 1);
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        printf("skl %s\n", skl_version());
        return EXIT_OK;
    }
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(cmd, commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    cli_fail("no command \"%s\"", cmd);
    usage(stderr);
    return EXIT_TROUBLE;
}
