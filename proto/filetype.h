/*
 * filetype.h — what kind of scan a file is, judged from its bytes.
 *
 * A case carries scanned documents: JPEG and PNG images, PDF documents
 * and TIFF images (what scanners write).  The type is never taken from a
 * file's name or from what a client says: both the client (before it
 * sends anything) and the server (on the first chunk, and again when the
 * last byte has arrived) look at the bytes themselves.
 *
 *   hr_filetype_sniff  the start of the file -> its type, or none of ours;
 *   hr_filetype_check  the whole file's start, end and size -> is it complete?
 *
 * "Complete" is a cheap structural check of the end, not a decoder: a
 * JPEG ends with its EOI marker, a PNG with its IEND chunk, a PDF with
 * %%EOF, and a TIFF's first directory lies inside the file.  It catches a
 * file cut short (a copy that failed) and most files whose name lies
 * (a .jpg that is a Word document), which is what a clerk needs to hear
 * about before the back office opens an empty scan.
 *
 * PROTOCOL.md "Attachments" states the same rules for other clients.
 */
#ifndef HR_FILETYPE_H
#define HR_FILETYPE_H

#include <stddef.h>
#include <stdint.h>

#include "proto/error.h"

enum hr_filetype {
	HR_FT_NONE = 0,           /* not one of ours */
	HR_FT_JPEG,
	HR_FT_PNG,
	HR_FT_PDF,
	HR_FT_TIFF,
	HR_FT__COUNT
};

/* Bytes of the start sniff needs (less when the file is shorter). */
#define HR_FILETYPE_HEAD 1024u
/* Bytes of the end check looks at (less when the file is shorter). */
#define HR_FILETYPE_TAIL 65536u

/* The type of a file starting with head[0..n); HR_FT_NONE if none. */
enum hr_filetype hr_filetype_sniff(const uint8_t *head, size_t n);

/*
 * Is a file of `type` and `size` bytes, starting with head[0..nhead)
 * (min(size, HR_FILETYPE_HEAD) bytes) and ending with tail[0..ntail)
 * (min(size, HR_FILETYPE_TAIL) bytes), complete?  0, or -1 with err
 * (HR_E_INVALID) saying what is wrong in words a clerk can act on.
 */
int hr_filetype_check(enum hr_filetype type, const uint8_t *head, size_t nhead,
    const uint8_t *tail, size_t ntail, uint64_t size, struct hr_error *err);

/* Wire name ("jpeg", "png", "pdf", "tiff"); NULL for none. */
const char *hr_filetype_name(enum hr_filetype t);
/* From a wire name; HR_FT_NONE if unknown. */
enum hr_filetype hr_filetype_from_name(const char *name);
/* What people call it ("JPEG", "PNG", "PDF", "TIFF"); "?" for none. */
const char *hr_filetype_label(enum hr_filetype t);

#endif
