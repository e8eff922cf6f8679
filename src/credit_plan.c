/*
 * credit_plan.c - the credit bank's planner: which courses of a programme a worker's
 * credentials exempt, and for every credential why it was or was not used. The algorithm
 * is normative in spec/credit-rules/README.md ("The plan"); the steps below follow it in
 * order, and each step only ever reads the steps before it, so the plan is deterministic.
 */
#include "credit_int.h"
#include "utf8_int.h"
#include "why_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Priorities of the notes an unused source keeps: a later note replaces an earlier one of
 * the same or lower priority, so the reason shown is the most telling one. */
enum { NOTE_NONE, NOTE_TAKEN, NOTE_SHORT, NOTE_CAP };

typedef struct plan_src {
    const skl_credit_source *s;
    int kind;
    int eligible; /* may back a course: steps 1-3 passed */
    int raw;      /* value before the per-source cap, half-credits */
    int value;    /* value after it */
    int online;
    const char *scale; /* certificates: the level's scale (NULL if none) and rank */
    int rank;
    int matched; /* some mapping of some course matches it */
    int course;  /* the course it backs, or -1 */
    int contrib; /* half-credits it contributes to that course */
    int note_prio;
    char note[256];
} plan_src;

static void note(plan_src *ps, int prio, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
note(plan_src *ps, int prio, const char *fmt, ...)
{
    if (prio < ps->note_prio)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ps->note, sizeof ps->note, fmt, ap);
    va_end(ap);
    ps->note_prio = prio;
}

/* Excludes ps from the plan for good, with its reason. */
static void exclude(plan_src *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
exclude(plan_src *ps, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ps->note, sizeof ps->note, fmt, ap);
    va_end(ap);
    ps->eligible = 0;
    ps->note_prio = NOTE_CAP + 1;
}

static int
streq(const char *a, const char *b)
{
    return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* 1 if s is one of the strings of JSON array list. */
static int
in_list(const skl_json_value *list, const char *s)
{
    for (uint32_t i = 0; s != NULL && i < list->n; i++)
        if (strcmp(list->u.arr[i].u.str, s) == 0)
            return 1;
    return 0;
}

/* ---- step 3: a source's value ----------------------------------------------------------- */

/* The source's value in half-credits before the per-source cap; 0 (with a note) if none. */
static int
raw_value(const skl_credit_framework *fw, plan_src *ps)
{
    const skl_credit_source *s = ps->s;
    switch (ps->kind) {
    case CREDIT_TRAINING:
        /* Rounded down to a half credit; hours beyond any cap are clamped first. */
        if (s->hours > 0 && (s->hours > 100000 ? 100000 : s->hours) * 2 / fw->class_hours > 0)
            return (s->hours > 100000 ? 100000 : s->hours) * 2 / fw->class_hours;
        exclude(ps, "%d class hours are less than half a credit (%d hours per credit)", s->hours,
                fw->class_hours);
        return 0;
    case CREDIT_CERTIFICATION:
        if (s->level == NULL) {
            if (fw->no_level_halves > 0)
                return fw->no_level_halves;
            exclude(ps, "the framework gives no credits for a certificate without a level");
            return 0;
        }
        for (size_t i = 0; i < fw->nlevel; i++)
            if (strcmp(fw->level[i].key, s->level) == 0)
                return fw->level[i].halves;
        exclude(ps, "the framework gives no credits for level %.64s", s->level);
        return 0;
    case CREDIT_COMPETITION:
        for (size_t i = 0; i < fw->ncomp; i++)
            if (streq(fw->comp[i].key, s->competition_tier) && streq(fw->comp[i].award, s->award))
                return fw->comp[i].halves;
        for (size_t i = 0; i < fw->ncomp; i++)
            if (streq(fw->comp[i].key, s->competition_tier) && fw->comp[i].award == NULL)
                return fw->comp[i].halves;
        exclude(ps, "the framework gives no credits for %.64s tier award %.64s",
                s->competition_tier != NULL ? s->competition_tier : "(no tier)",
                s->award != NULL ? s->award : "(none)");
        return 0;
    default:
        for (size_t i = 0; i < fw->nhonour; i++)
            if (streq(fw->honour[i].key, s->honour))
                return fw->honour[i].halves;
        exclude(ps, "the framework gives no credits for the honour %.64s",
                s->honour != NULL ? s->honour : "(none)");
        return 0;
    }
}

static int
is_online(const skl_credit_framework *fw, const plan_src *ps)
{
    if (ps->kind != CREDIT_TRAINING)
        return 0;
    for (size_t i = 0; i < fw->nonline_delivery; i++)
        if (streq(fw->online_delivery[i], ps->s->delivery))
            return 1;
    for (size_t i = 0; i < fw->nonline_type; i++)
        if (streq(fw->online_type[i], ps->s->training_type))
            return 1;
    return 0;
}

/* ---- step 2: overlapping certificates ------------------------------------------------- */

/* Certificates of the same occupation (code and edition) with levels on the same scale
 * overlap. */
static int
overlaps(const plan_src *a, const plan_src *b)
{
    return a->kind == CREDIT_CERTIFICATION && b->kind == CREDIT_CERTIFICATION && a->scale != NULL &&
           b->scale != NULL && strcmp(a->scale, b->scale) == 0 &&
           streq(a->s->occupation, b->s->occupation) && streq(a->s->edition, b->s->edition);
}

/* 1 if a beats b: a higher level, then an earlier date, then earlier in the input. */
static int
beats(const plan_src *a, const plan_src *b)
{
    if (a->rank != b->rank)
        return a->rank > b->rank;
    if (a->s->date != b->s->date)
        return a->s->date < b->s->date;
    return a < b;
}

static int
is_used(const char *const *used, size_t nused, const char *id)
{
    for (size_t u = 0; u < nused; u++)
        if (streq(used[u], id))
            return 1;
    return 0;
}

static void
resolve_overlaps(const skl_credit_framework *fw, plan_src *ps, size_t n, const char *const *used,
                 size_t nused)
{
    for (size_t i = 0; i < n; i++)
        if (ps[i].kind == CREDIT_CERTIFICATION && ps[i].s->level != NULL &&
            skl_refdata_level(fw->rd, ps[i].s->level, &ps[i].scale, &ps[i].rank) != SKL_OK)
            ps[i].scale = NULL;
    /* beats() is a total order, so excluding as we go leaves exactly each group's best. */
    for (size_t i = 0; i < n; i++) {
        if (!ps[i].eligible || ps[i].scale == NULL)
            continue;
        const plan_src *winner = &ps[i], *spent = NULL;
        for (size_t j = 0; j < n && spent == NULL; j++) {
            if (j == i || !overlaps(&ps[i], &ps[j]))
                continue;
            if (is_used(used, nused, ps[j].s->id))
                spent = &ps[j];
            else if (ps[j].eligible && beats(&ps[j], winner))
                winner = &ps[j];
        }
        if (spent != NULL)
            exclude(&ps[i],
                    "overlap: %.100s of the same occupation was already used in this programme",
                    spent->s->id);
        else if (winner != &ps[i])
            exclude(&ps[i], "overlap: %.100s at %s level counts instead", winner->s->id,
                    winner->rank > ps[i].rank ? "a higher" : "the same");
    }
}

/* ---- step 4: courses ------------------------------------------------------------------ */

static int
matches(const skl_credit_framework *fw, const credit_mapping *m, const plan_src *ps)
{
    const skl_credit_source *s = ps->s;
    if ((int)m->kind != ps->kind)
        return 0;
    if (m->occupations != NULL) {
        int ok = 0;
        for (uint32_t i = 0; i < m->occupations->n && !ok; i++) {
            const skl_json_value *o = &m->occupations->u.arr[i];
            ok = streq(skl_json_string(skl_json_get(o, "code")), s->occupation) &&
                 streq(skl_json_string(skl_json_get(o, "edition")), s->edition);
        }
        if (!ok)
            return 0;
    }
    if (m->min_level_scale != NULL) {
        const char *scale;
        int rank;
        if (s->level == NULL || skl_refdata_level(fw->rd, s->level, &scale, &rank) != SKL_OK ||
            strcmp(scale, m->min_level_scale) != 0 || rank < m->min_level_rank)
            return 0;
    }
    if (m->min_hours > 0 && s->hours < m->min_hours)
        return 0;
    return (m->evaluation_types == NULL || in_list(m->evaluation_types, s->evaluation_type)) &&
           (m->training_types == NULL || in_list(m->training_types, s->training_type)) &&
           (m->deliveries == NULL || in_list(m->deliveries, s->delivery)) &&
           (m->tiers == NULL || in_list(m->tiers, s->competition_tier)) &&
           (m->awards == NULL || in_list(m->awards, s->award)) &&
           (m->honours == NULL || in_list(m->honours, s->honour));
}

/*
 * Chooses sources among cand[0..nc) (indexes into ps, in input order) for a course of need
 * half-credits: the one smallest source that covers it alone (the earliest of equals), or
 * else the largest ones first until covered (at most SKL_CREDIT_MAX_GRANT_SOURCES).
 * Online sources are skipped when allow_online is 0. Writes the choice and contributions
 * to pick/contrib and returns how many, or 0 if they cannot cover the course; *sum is what
 * the allowed sources give together.
 */
static size_t
choose(const plan_src *ps, const size_t *cand, size_t nc, int need, int allow_online, size_t *pick,
       int *contrib, int *sum)
{
    size_t best = SIZE_MAX, k = 0;
    int total = 0;
    for (size_t i = 0; i < nc; i++) {
        const plan_src *c = &ps[cand[i]];
        if (c->online && !allow_online)
            continue;
        total += c->value;
        if (c->value >= need && (best == SIZE_MAX || c->value < ps[best].value))
            best = cand[i];
    }
    *sum = total;
    if (best != SIZE_MAX) {
        pick[0] = best;
        contrib[0] = need;
        return 1;
    }
    if (total < need)
        return 0;
    int got = 0;
    while (got < need && k < SKL_CREDIT_MAX_GRANT_SOURCES) {
        size_t top = SIZE_MAX;
        for (size_t i = 0; i < nc; i++) {
            const plan_src *c = &ps[cand[i]];
            int seen = 0;
            for (size_t j = 0; j < k && !seen; j++)
                seen = pick[j] == cand[i];
            if (seen || (c->online && !allow_online))
                continue;
            if (top == SIZE_MAX || c->value > ps[top].value)
                top = cand[i];
        }
        if (top == SIZE_MAX)
            break;
        pick[k] = top;
        contrib[k] = ps[top].value < need - got ? ps[top].value : need - got;
        got += contrib[k++];
    }
    return got >= need ? k : 0;
}

static int
online_part(const plan_src *ps, const size_t *pick, const int *contrib, size_t k)
{
    int h = 0;
    for (size_t i = 0; i < k; i++)
        if (ps[pick[i]].online)
            h += contrib[i];
    return h;
}

/* ---- the plan ------------------------------------------------------------------------- */

static int
check_sources(const skl_credit_source *src, size_t n, plan_src *ps, char *why, size_t whylen)
{
    for (size_t i = 0; i < n; i++) {
        const skl_credit_source *s = &src[i];
        if (s->id == NULL || s->id[0] == '\0' || strlen(s->id) >= 128)
            return skl_why_rc(why, whylen, SKL_ERR_INVAL,
                              "source %zu: no id, or an id of 128 bytes or "
                              "more",
                              i);
        if ((ps[i].kind = skl_credit_kind(s->kind)) < 0) {
            /* An invalid source may not even have a kind: it is excluded as invalid. */
            if (s->valid)
                return skl_why_rc(why, whylen, SKL_ERR_INVAL, "source %.100s: unknown kind", s->id);
            ps[i].kind = CREDIT_TRAINING;
        }
        ps[i].s = s;
        ps[i].course = -1;
    }
    return SKL_OK;
}

skl_err
skl_credit_plan(const skl_credit_framework *fw, const skl_credit_programme *p, int64_t when,
                const skl_credit_source *src, size_t n, const char *const *already_used,
                size_t nused, skl_credit_grant **grants, size_t *ngrants,
                skl_credit_decision **decisions, int *total_halves, char *why, size_t whylen)
{
    plan_src *ps = NULL;
    size_t *cand = NULL;
    skl_credit_grant *g = NULL;
    skl_credit_decision *d = NULL;
    size_t ng = 0;
    char a[16], b[16], c[16], e[16];
    skl_err rc;
    if (grants == NULL || ngrants == NULL || decisions == NULL || total_halves == NULL)
        return skl_why_rc(why, whylen, SKL_ERR_INVAL, "no output");
    *grants = NULL;
    *ngrants = 0;
    *decisions = NULL;
    *total_halves = 0;
    if (fw == NULL || p == NULL || p->fw != fw || (n > 0 && src == NULL) ||
        (nused > 0 && already_used == NULL))
        return skl_why_rc(why, whylen, SKL_ERR_INVAL,
                          "no rules, a programme of another framework, or "
                          "no sources");
    if (n > SKL_CREDIT_MAX_SOURCES)
        return skl_why_rc(why, whylen, SKL_ERR_LIMIT, "more than %d sources",
                          SKL_CREDIT_MAX_SOURCES);
    if (!skl_credit_rules_in_force(fw, p, when))
        return skl_why_rc(why, whylen, SKL_ERR_STATE,
                          "the rules are not in force: framework %s %s or programme %s %s is not "
                          "effective at that date",
                          fw->id, fw->version, p->id, p->version);
    if ((n > 0 &&
         ((ps = calloc(n, sizeof *ps)) == NULL || (cand = calloc(n, sizeof *cand)) == NULL ||
          (d = calloc(n, sizeof *d)) == NULL)) ||
        (g = calloc(p->ncourse, sizeof *g)) == NULL) {
        rc = skl_why_rc(why, whylen, SKL_ERR_NOMEM, "out of memory");
        goto out;
    }
    if ((rc = check_sources(src, n, ps, why, whylen)) != SKL_OK)
        goto out;

    /* Step 1: sources that can never count. */
    for (size_t i = 0; i < n; i++) {
        const skl_credit_source *s = ps[i].s;
        ps[i].eligible = 1;
        for (size_t j = 0; j < i && ps[i].eligible; j++)
            if (strcmp(src[j].id, s->id) == 0)
                exclude(&ps[i], "offered twice: the same credential as source %zu", j + 1);
        for (size_t u = 0; u < nused && ps[i].eligible; u++)
            if (streq(already_used[u], s->id))
                exclude(&ps[i], "already used in this programme");
        if (ps[i].eligible && !s->valid)
            exclude(&ps[i], "not valid: %.200s",
                    s->invalid_reason != NULL ? s->invalid_reason : "rejected by the verifier");
    }
    /* Step 2: overlapping certificates count once. */
    resolve_overlaps(fw, ps, n, already_used, nused);
    /* Step 3: values. */
    for (size_t i = 0; i < n; i++) {
        if (!ps[i].eligible)
            continue;
        ps[i].raw = raw_value(fw, &ps[i]);
        ps[i].value = ps[i].raw < fw->cap_source_halves ? ps[i].raw : fw->cap_source_halves;
        ps[i].online = is_online(fw, &ps[i]);
    }
    /* Step 4: courses in programme order, within the caps. */
    int cap_total = (int)((long)p->graduation_halves * fw->converted_pct / 100);
    int cap_online = (int)((long)p->graduation_halves * fw->online_pct / 100);
    int total = 0, online = 0;
    for (size_t ci = 0; ci < p->ncourse; ci++) {
        const credit_course *co = &p->course[ci];
        size_t nc = 0;
        for (size_t i = 0; i < n; i++) {
            if (!ps[i].eligible || ps[i].course >= 0)
                continue;
            for (size_t m = 0; m < p->nmap; m++)
                if (p->map[m].course == ci && matches(fw, &p->map[m], &ps[i])) {
                    cand[nc++] = i;
                    ps[i].matched = 1;
                    break;
                }
        }
        if (nc == 0)
            continue;
        size_t pick[SKL_CREDIT_MAX_GRANT_SOURCES];
        int contrib[SKL_CREDIT_MAX_GRANT_SOURCES], sum;
        size_t k = choose(ps, cand, nc, co->halves, 1, pick, contrib, &sum);
        const char *blocked = NULL;
        if (k == 0) {
            for (size_t i = 0; i < nc; i++)
                note(&ps[cand[i]], NOTE_SHORT,
                     "not enough: matching sources give %s credits, course %s needs %s",
                     skl_credit_format(a, sum), co->id, skl_credit_format(b, co->halves));
            continue;
        }
        if (online + online_part(ps, pick, contrib, k) > cap_online) {
            /* Retry without online training before giving the course up. */
            k = choose(ps, cand, nc, co->halves, 0, pick, contrib, &sum);
            if (k == 0)
                blocked = "online";
        }
        if (blocked == NULL && total + co->halves > cap_total)
            blocked = "total";
        if (blocked != NULL) {
            for (size_t i = 0; i < nc; i++) {
                if (*blocked == 'o' && !ps[cand[i]].online)
                    note(&ps[cand[i]], NOTE_SHORT,
                         "not enough without online training: course %s needs %s credits", co->id,
                         skl_credit_format(a, co->halves));
                else if (*blocked == 'o')
                    note(&ps[cand[i]], NOTE_CAP,
                         "cap reached: online training would exceed %s credits (%d%% of %s) "
                         "with course %s",
                         skl_credit_format(a, cap_online), fw->online_pct,
                         skl_credit_format(b, p->graduation_halves), co->id);
                else
                    note(&ps[cand[i]], NOTE_CAP,
                         "cap reached: course %s (%s credits) would bring converted credits to "
                         "%s, above %s (%d%% of %s)",
                         co->id, skl_credit_format(a, co->halves),
                         skl_credit_format(b, total + co->halves), skl_credit_format(c, cap_total),
                         fw->converted_pct, skl_credit_format(e, p->graduation_halves));
            }
            continue;
        }
        skl_credit_grant *gr = &g[ng++];
        snprintf(gr->course, sizeof gr->course, "%s", co->id);
        skl_utf8_copy(gr->course_name, sizeof gr->course_name, co->name);
        gr->halves = co->halves;
        for (size_t j = 0; j < k; j++) {
            plan_src *u = &ps[pick[j]];
            u->course = (int)ci;
            u->contrib = contrib[j];
            snprintf(gr->sources[j], sizeof gr->sources[j], "%s", u->s->id);
        }
        gr->nsources = k;
        total += co->halves;
        online += online_part(ps, pick, contrib, k);
        for (size_t i = 0; i < nc; i++)
            if (ps[cand[i]].course < 0)
                note(&ps[cand[i]], NOTE_TAKEN, "course %s is already exempted by %.100s", co->id,
                     gr->sources[0]);
    }
    /* Step 5: the decisions. */
    for (size_t i = 0; i < n; i++) {
        plan_src *u = &ps[i];
        skl_credit_decision *x = &d[i];
        snprintf(x->source, sizeof x->source, "%s", u->s->id);
        if (u->course >= 0) {
            const credit_course *co = &p->course[u->course];
            size_t others = 0;
            for (size_t j = 0; j < ng; j++)
                if (strcmp(g[j].course, co->id) == 0)
                    others = g[j].nsources - 1;
            x->used = 1;
            x->halves = u->contrib;
            snprintf(x->course, sizeof x->course, "%s", co->id);
            int off = snprintf(x->reason, sizeof x->reason, "%s %s: %s credits",
                               others > 0 ? "backs course" : "exempts course", co->id,
                               skl_credit_format(a, u->contrib));
            if (off > 0 && others > 0)
                off += snprintf(x->reason + off, sizeof x->reason - (size_t)off,
                                " of %s, with %zu other source%s", skl_credit_format(b, co->halves),
                                others, others > 1 ? "s" : "");
            if (off > 0 && u->raw > u->value)
                off += snprintf(x->reason + off, sizeof x->reason - (size_t)off,
                                " (worth %s, capped at %s per source)",
                                skl_credit_format(b, u->raw), skl_credit_format(c, u->value));
            else if (off > 0 && u->value > u->contrib && others == 0)
                snprintf(x->reason + off, sizeof x->reason - (size_t)off,
                         " (worth %s; the rest is not carried over)",
                         skl_credit_format(b, u->value));
        } else if (u->note_prio > NOTE_NONE) {
            skl_utf8_copy(x->reason, sizeof x->reason, u->note);
        } else {
            snprintf(x->reason, sizeof x->reason, "%s",
                     u->matched ? "every matching course is already exempted"
                                : "no matching course in this programme");
        }
    }
    *total_halves = total;
    if (ng > 0) {
        *grants = g;
        g = NULL;
    }
    *ngrants = ng;
    *decisions = d;
    d = NULL;
    rc = SKL_OK;
out:
    free(ps);
    free(cand);
    free(g);
    free(d);
    return rc;
}

int
skl_credit_value(const skl_credit_framework *fw, const skl_credit_source *s)
{
    plan_src ps;
    memset(&ps, 0, sizeof ps);
    ps.s = s;
    if (fw == NULL || s == NULL || (ps.kind = skl_credit_kind(s->kind)) < 0)
        return 0;
    int v = raw_value(fw, &ps);
    return v > fw->cap_source_halves ? fw->cap_source_halves : v;
}
