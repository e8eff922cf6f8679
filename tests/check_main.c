/*
 * check_main.c - runs every Check suite in one runner, in fork mode.
 * The suite list comes from the file names (build/suites.inc, made by the Makefile).
 * Build with -DSKL_ONE_SUITE=name_suite to run a single suite without suites.inc.
 */
#include <check.h>
#include <stdlib.h>

#ifdef SKL_ONE_SUITE
Suite *SKL_ONE_SUITE(void);
#else
#define SKL_SUITE(name) Suite *name##_suite(void);
#include "suites.inc"
#undef SKL_SUITE
#endif

int
main(void)
{
#ifdef SKL_ONE_SUITE
    SRunner *sr = srunner_create(SKL_ONE_SUITE());
#else
    SRunner *sr = srunner_create(NULL);
#define SKL_SUITE(name) srunner_add_suite(sr, name##_suite());
#include "suites.inc"
#undef SKL_SUITE
#endif
    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
