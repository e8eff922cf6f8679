/*
 * witness_int.h - the witness's state file, shared by witness.c and witness_state.c
 * (private to libskl).
 */
#ifndef SKL_WITNESS_INT_H
#define SKL_WITNESS_INT_H

#include <stddef.h>
#include <stdint.h>

#include "skl/note.h"
#include "skl/witness.h"

#define VKEY_MAX (SKL_NOTE_NAME_MAX + 1 + 8 + 1 + 44)

/* One log the witness follows: a line of the state file. */
typedef struct wlog {
    char origin[SKL_CHECKPOINT_ORIGIN_MAX + 1];
    uint64_t size;
    uint8_t root[32];
    char vkey[VKEY_MAX + 1];
} wlog;

typedef struct wstate {
    wlog *logs; /* sorted by origin, strictly ascending (strcmp) */
    size_t n;
} wstate;

/* A decimal without sign or leading zeros ("0" alone) that fits in 64 bits. */
int skl_witness_int_parse_u64(const char *s, size_t n, uint64_t *v);

/* Exactly 44 characters of canonical base64 of 32 bytes. */
int skl_witness_int_parse_hash(const char *s, size_t n, uint8_t out[32]);

void skl_witness_int_state_free(wstate *s);

/* Reads and checks the state file; a missing one is the empty state. */
skl_err skl_witness_int_state_load(wstate *s, const char *path, const skl_key *wk, char *why,
                                   size_t whylen);

/* Serialises s, signs it with the witness key and replaces the state file. */
skl_err skl_witness_int_state_save(const wstate *s, const char *path, const skl_key *wk, char *why,
                                   size_t whylen);

/* Opens and exclusively locks "<path>.lock"; returns its descriptor or -1. */
int skl_witness_int_lock_state(const char *path, char *why, size_t whylen);

/* Inserts or updates the entry for origin, keeping the order. */
skl_err skl_witness_int_state_put(wstate *s, const wlog *w);

#endif
