/* parallel.c - a minimal parallel-for over pthreads. */
#include "parallel_int.h"

#include <pthread.h>

struct share {
    skl_parallel_fn fn;
    void *ctx;
    size_t lo, hi;
    unsigned thread;
};

static void *
run_share(void *arg)
{
    struct share *s = arg;
    for (size_t i = s->lo; i < s->hi; i++)
        s->fn(s->ctx, i, s->thread);
    return NULL;
}

int
skl_parallel_for(size_t n, unsigned threads, skl_parallel_fn fn, void *ctx)
{
    if (threads > SKL_MAX_THREADS)
        threads = SKL_MAX_THREADS;
    if (threads > n)
        threads = (unsigned)n;
    if (threads <= 1) {
        for (size_t i = 0; i < n; i++)
            fn(ctx, i, 0);
        return 0;
    }
    struct share shares[SKL_MAX_THREADS];
    pthread_t tids[SKL_MAX_THREADS];
    unsigned started = 0;
    for (unsigned t = 0; t < threads; t++) {
        shares[t] = (struct share){fn, ctx, n * t / threads, n * (t + 1) / threads, t};
    }
    /* Thread 0's share runs on the calling thread. */
    for (unsigned t = 1; t < threads; t++) {
        if (pthread_create(&tids[t], NULL, run_share, &shares[t]) != 0)
            break;
        started = t;
    }
    /* Whatever could not be started runs here too. */
    run_share(&shares[0]);
    for (unsigned t = started + 1; t < threads; t++)
        run_share(&shares[t]);
    for (unsigned t = 1; t <= started; t++)
        pthread_join(tids[t], NULL);
    return 0;
}
