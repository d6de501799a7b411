/*
 * dat.h — the *.DAT exchange files between a district back office and the
 * decision systems (АСОПД, ЄДАРП, «Житлові субсидії»).
 *
 * A back office exports its checked applications into an *export* file;
 * the decision system answers with an *answer* file of decisions.  The
 * format (man/hromada-dat.5 is the specification) is text a person can
 * read: one header line, one record per line with `|`-separated fields
 * (`\|`, `\\`, `\n`, `\r` escape), and an END line with the record count
 * and a CRC-32 of everything before it, so a truncated or altered file is
 * detected.  UTF-8, or CP1251 for legacy import tools (the header says
 * which); every parsed string is UTF-8.
 *
 * Files come from outside: hr_dat_parse never trusts them.  Bounds: the
 * whole file (HR_DAT_FILE_MAX, below one protocol frame), a line
 * (HR_DAT_LINE_MAX), the record count (HR_DAT_RECORDS_MAX).  Every field
 * is checked with the proto/ident.h validators; the first problem is
 * reported as "line 17, field amount: ...".  What the parser allocates is
 * proportional to the input and owned by the struct hr_dat (hr_dat_free).
 *
 * Amounts are int64 kopecks written as plain digits: never floating point.
 */
#ifndef HR_DAT_H
#define HR_DAT_H

#include <stddef.h>
#include <stdint.h>

#include "proto/buf.h"
#include "proto/error.h"

#define HR_DAT_VERSION      1
#define HR_DAT_FILE_MAX     (960u * 1024u)  /* a file fits one 1 MiB frame */
#define HR_DAT_LINE_MAX     4096u           /* bytes of one line, without LF */
#define HR_DAT_RECORDS_MAX  5000u           /* applications or decisions */
#define HR_DAT_NUMBER_MAX   999999u         /* six digits in the file name */
#define HR_DAT_MEMBERS_MAX  20              /* family members per application */
#define HR_DAT_INCOME_MAX   200             /* income rows per application */
#define HR_DAT_SCANS_MAX    500             /* attached files per application */
#define HR_DAT_NAME_MAX     96              /* "subsidy_UA..._000001.DAT" + NUL */
#define HR_DAT_SYSTEM_MAX   16              /* [a-z0-9_], NUL included */
#define HR_DAT_OFFICE_MAX   24              /* КАТОТТГ or an id, NUL included */

enum hr_dat_kind {
	HR_DAT_EXPORT = 1,    /* back office -> decision system: applications */
	HR_DAT_ANSWER = 2,    /* decision system -> back office: decisions */
};

enum hr_dat_charset {
	HR_DAT_UTF8   = 0,
	HR_DAT_CP1251 = 1,
};

enum hr_decision {
	HR_DEC_ASSIGNED = 1,          /* призначено */
	HR_DEC_REFUSED,               /* відмовлено */
	HR_DEC_REGISTERED,            /* взято на облік */
	HR_DEC_REGISTRATION_REFUSED,  /* відмовлено у взятті на облік */
	HR_DEC__END
};

const char *hr_decision_name(int d);        /* "assigned", ...; NULL if none */
int         hr_decision_from_name(const char *s);  /* -1 if unknown */
const char *hr_decision_label(int d);       /* English label (gettext msgid) */

struct hr_dat_header {
	int                 version;   /* HR_DAT_VERSION */
	enum hr_dat_kind    kind;
	enum hr_dat_charset charset;
	char                system[HR_DAT_SYSTEM_MAX];  /* asopd, edarp, subsidy */
	uint32_t            number;    /* 1..HR_DAT_NUMBER_MAX, per office+system */
	char                office[HR_DAT_OFFICE_MAX];  /* back office КАТОТТГ or id */
	int64_t             created;   /* Unix seconds, UTC */
	uint32_t            count;     /* records (applications or decisions) */
};

/*
 * Strings below are NUL-terminated UTF-8.  Parsed: never NULL ("" when
 * the field was empty), pointing into the struct hr_dat's arena.  For the
 * writer NULL means empty.
 */
struct hr_dat_person {
	int         member;          /* 0 the applicant, k the k-th family member */
	const char *relation;        /* "" for the applicant; spouse, child, ... */
	const char *surname, *name, *patronymic;
	const char *birth_date;      /* YYYY-MM-DD */
	char        sex;             /* 'M' or 'F' */
	const char *rnokpp;          /* 10 digits, or "" */
	int         rnokpp_refused;  /* written as REFUSED in the rnokpp field */
	const char *doc_type;        /* "", passport, id_card, birth_cert */
	const char *doc_number;      /* canonical (ident.h hr_docnum_normalize) */
	const char *unzr;            /* "" or YYYYMMDD-NNNNC */
	const char *reg_address, *act_address;
};

struct hr_dat_income {
	int         member;          /* 0 applicant, k family member k */
	const char *type;            /* salary, pension, benefit, alimony, business, other */
	const char *period_from, *period_to;   /* YYYY-MM-DD */
	int64_t     amount;          /* kopecks >= 0 */
};

/* One attached file of an application: an S line.  The bytes stay on the
 * hromada's server; the line says which document it is and names the
 * content by its BLAKE2b-256 hash (proto/filehash.h). */
struct hr_dat_scan {
	const char *doc;             /* document type code (reference.get) */
	const char *type;            /* jpeg, png, pdf, tiff (proto/filetype.h) */
	int64_t     size;            /* bytes, >= 1 */
	const char *hash;            /* 64 lower-case hex digits */
};

/* One exported application: the A line, its P lines, its I lines, its S
 * lines. */
struct hr_dat_app {
	int64_t                     id;
	const char                 *reg_no;      /* NNNNN/YYYY */
	const char                 *service;
	const char                 *pay_method;  /* "", bank, post */
	const char                 *iban, *post_office, *phone;
	const struct hr_dat_person *persons;     /* [0] is the applicant */
	size_t                      npersons;    /* 1..HR_DAT_MEMBERS_MAX + 1 */
	const struct hr_dat_income *income;
	size_t                      nincome;
	const struct hr_dat_scan   *scans;       /* attached files, by document */
	size_t                      nscans;      /* 0..HR_DAT_SCANS_MAX */
	unsigned                    line;        /* parsed: line of the A record */
};

/* One decision: a D line. */
struct hr_dat_answer {
	int64_t     app_id;
	const char *reg_no;
	int         decision;        /* enum hr_decision */
	int         has_amount;
	int64_t     amount;          /* kopecks, when has_amount */
	const char *period_from, *period_to;  /* "" or YYYY-MM-DD */
	const char *reason;
	unsigned    line;            /* parsed: line of the D record */
};

struct hr_dat {
	struct hr_dat_header  hdr;
	struct hr_dat_app    *apps;      /* HR_DAT_EXPORT: hdr.count of them */
	struct hr_dat_answer *answers;   /* HR_DAT_ANSWER: hdr.count of them */
	/* parser-owned storage */
	struct hr_dat_person *persons_;
	struct hr_dat_income *income_;
	struct hr_dat_scan   *scans_;
	char                 *arena_;
};

/*
 * Parse and check a whole file.  0, or -1 with err (HR_E_INVALID, or
 * HR_E_INTERNAL when out of memory) naming the line and the field; on -1
 * `out` holds nothing to free.  On 0 release it with hr_dat_free.
 */
int  hr_dat_parse(const void *data, size_t len, struct hr_dat *out,
         struct hr_error *err);
void hr_dat_free(struct hr_dat *d);

/*
 * Write `d` (hdr.count records of apps or answers, by hdr.kind) into `out`
 * (appended; its limit should be at least HR_DAT_FILE_MAX), in the
 * header's charset, with the END line.  The result is parsed back before
 * returning, so a file this returns 0 for is one hr_dat_parse accepts; -1
 * with err naming the record ("application 00012/2024, line 17, field
 * rnokpp: ..."), "file too big", or a character CP1251 cannot hold.
 */
int  hr_dat_write(const struct hr_dat *d, struct hr_buf *out,
         struct hr_error *err);

/* "<system>_<office>_<NNNNNN>.DAT"; -1 if cap is too small. */
int  hr_dat_filename(const struct hr_dat_header *h, char *out, size_t cap);

/* CRC-32 (IEEE 802.3, as zlib's crc32) of p[0..n), continuing from crc. */
uint32_t hr_dat_crc32(uint32_t crc, const void *p, size_t n);

#endif
