/*
 * filehash.h — how a file is named: BLAKE2b-256 of its bytes.
 *
 * A scan is identified everywhere by the BLAKE2b-256 hash of its content
 * (unkeyed, 32 bytes, libsodium's crypto_generichash; `b2sum -l 256`
 * prints the same in hex): the client asks whether the server has it, the
 * server names the stored file by it, `hromadactl files verify` and the
 * *.DAT export carry it.  Hex is lower case, 64 digits.
 */
#ifndef HR_FILEHASH_H
#define HR_FILEHASH_H

#include <stddef.h>
#include <stdint.h>

#include "proto/error.h"

#define HR_FILE_HASH_LEN 32u
#define HR_FILE_HASH_HEX (2u * HR_FILE_HASH_LEN + 1u)   /* with the NUL */

/* out: 64 lower-case hex digits and a NUL. */
void hr_filehash_hex(const uint8_t h[HR_FILE_HASH_LEN],
    char out[HR_FILE_HASH_HEX]);

/* 64 hex digits (either case) -> 32 bytes; 0, or -1 if it is not one. */
int  hr_filehash_parse(const char *hex, size_t len,
    uint8_t out[HR_FILE_HASH_LEN]);

/* BLAKE2b-256 of p[0..n) (a chunk). */
void hr_filehash_mem(const void *p, size_t n, uint8_t out[HR_FILE_HASH_LEN]);

/*
 * BLAKE2b-256 of the first `len` bytes of the open file `fd` (read with
 * pread from offset 0, the file position untouched).  0, or -1 with err
 * (HR_E_IO) when it cannot be read or is shorter than `len`.
 */
int  hr_filehash_fd(int fd, uint64_t len, uint8_t out[HR_FILE_HASH_LEN],
    struct hr_error *err);

#endif
