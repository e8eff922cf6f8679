/*
 * fuzz_json.c - libFuzzer target for the strict JSON parser and the RFC 8785 writer.
 * Whatever parses must canonicalize; the canonical text must parse again and
 * canonicalize to the very same bytes (canonical form is a fixed point); and parsing
 * with the source kept (skl_json_parse_keep, which copies canonical containers as
 * written) must give the same canonical bytes as rewriting everything.
 * Build: clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Iinclude -Isrc \
 *          tests/fuzz/fuzz_json.c src/json_parse.c src/json_number.c src/json_doc.c \
 *          src/json_canon.c src/buf.c -lm
 * Run:   ./a.out tests/fuzz/corpus/json
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json_int.h"
#include "skl/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_LEN ((size_t)1 << 20)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    skl_json_doc *doc = NULL, *doc2 = NULL, *kept = NULL;
    char *c1 = NULL, *c2 = NULL, *c3 = NULL;
    size_t n1 = 0, n2 = 0, n3 = 0;
    char why[128];

    skl_err err = skl_json_parse(&doc, (const char *)data, size, FUZZ_MAX_LEN, why, sizeof why);
    if (err != SKL_OK) {
        if (doc != NULL || why[0] == '\0')
            abort();
        return 0;
    }
    if (skl_json_canonicalize(skl_json_root(doc), &c1, &n1) != SKL_OK)
        abort();
    if (skl_json_parse(&doc2, c1, n1, FUZZ_MAX_LEN, why, sizeof why) != SKL_OK)
        abort();
    if (skl_json_canonicalize(skl_json_root(doc2), &c2, &n2) != SKL_OK)
        abort();
    if (n1 != n2 || memcmp(c1, c2, n1) != 0)
        abort();
    if (skl_json_parse_keep(&kept, (const char *)data, size, FUZZ_MAX_LEN, why, sizeof why) !=
            SKL_OK ||
        skl_json_canonicalize(skl_json_root(kept), &c3, &n3) != SKL_OK || n3 != n1 ||
        memcmp(c1, c3, n1) != 0)
        abort();
    free(c1);
    free(c2);
    free(c3);
    skl_json_free(doc);
    skl_json_free(doc2);
    skl_json_free(kept);
    return 0;
}
