/*
 * skl/skl.h - libskl, the Beibei lifelong skills ledger: everything in one include.
 *
 * Call skl_init() once before anything else (it initialises libsodium); it is safe to
 * call again and from several threads.
 */
#ifndef SKL_SKL_H
#define SKL_SKL_H

#include "skl/err.h"
#include "skl/json.h"
#include "skl/key.h"
#include "skl/ledger.h"
#include "skl/merkle.h"
#include "skl/note.h"
#include "skl/vc.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SKL_VERSION "0.1.0"

/* Initialises the libraries skl stands on. SKL_OK, or SKL_ERR_CRYPTO if libsodium cannot
 * start (no usable random source). */
skl_err skl_init(void);

/* The library's version string, e.g. "0.1.0". */
const char *skl_version(void);

#ifdef __cplusplus
}
#endif
#endif
