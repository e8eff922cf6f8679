/*
 * cert_int.h - certificate internals shared by reading (cert.c) and making (cert_make.c)
 * (private to libskl).
 */
#ifndef SKL_CERT_INT_H
#define SKL_CERT_INT_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

#include "skl/cert.h"

#define SKL_CERT_SERIAL_MAX_OCTETS 20 /* RFC 5280 4.1.2.2 */

struct skl_cert {
    X509 *x;
    uint8_t *der;
    size_t derlen;
    uint8_t pub[32];
    char *name;
    char *scope; /* canonical JSON, or NULL */
    char serial[2 * (SKL_CERT_SERIAL_MAX_OCTETS + 1) + 1];
    int64_t not_before, not_after;
    int is_ca;            /* basicConstraints cA TRUE */
    int bc_critical;      /* basicConstraints present and critical */
    int has_ku;           /* keyUsage present */
    uint32_t ku;          /* OpenSSL KU_* bits */
    int unknown_critical; /* a critical extension skl does not know */
    char unknown_oid[80]; /* its OID, for messages */
    int self_issued;      /* issuer name == subject name */
};

/* Writes "what: <OpenSSL's errors>" into why and empties the thread's error queue. */
void skl_cert_int_say_ossl(char *why, size_t whylen, const char *what);

/* The subject name rule of spec/certificates.md: 1 if name[0..len) keeps it, else 0. */
int skl_cert_int_name_ok(const char *name, size_t len);

/* PEM text of der[0..n) into a new *pem (*len bytes): 64-column base64 lines, LF line
 * ends. SKL_OK or SKL_ERR_NOMEM. */
skl_err skl_cert_int_pem_encode(char **pem, size_t *len, const uint8_t *der, size_t n);

#endif
