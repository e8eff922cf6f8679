/* commands.h - the skl subcommands; each takes its own argv (argv[0] = its name). */
#ifndef SKL_COMMANDS_H
#define SKL_COMMANDS_H

int cmd_keygen(int argc, char **argv);
int cmd_sign(int argc, char **argv);
int cmd_verify_credential(int argc, char **argv);
int cmd_ledger(int argc, char **argv);
int cmd_append(int argc, char **argv);
int cmd_checkpoint(int argc, char **argv);
int cmd_prove(int argc, char **argv);
int cmd_consistency(int argc, char **argv);
int cmd_publish(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_authority(int argc, char **argv);
int cmd_issuer(int argc, char **argv);
int cmd_revoke(int argc, char **argv);
int cmd_worker(int argc, char **argv);
int cmd_issue(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_witness(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_policy(int argc, char **argv);
int cmd_refresh(int argc, char **argv);
int cmd_credits(int argc, char **argv);

#endif
