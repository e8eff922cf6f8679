/*
 * parallel_int.h - run a function over 0..n-1 on a few threads (private to libskl).
 * Thread t takes a contiguous share of the indices; fn must only touch item i's state.
 */
#ifndef SKL_PARALLEL_INT_H
#define SKL_PARALLEL_INT_H

#include <stddef.h>

typedef void (*skl_parallel_fn)(void *ctx, size_t i, unsigned thread);

#define SKL_MAX_THREADS 64

/* Runs fn(ctx, i, t) for every i < n on up to `threads` threads (0 or 1: the caller's
 * thread alone). Returns 0, or -1 if no thread could be started (then nothing ran). */
int skl_parallel_for(size_t n, unsigned threads, skl_parallel_fn fn, void *ctx);

#endif
