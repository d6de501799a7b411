/*
 * tdat.c — the tests' decision system's answer (see tdat.h).
 */
#include "tests/lib/tdat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/buf.h"
#include "proto/method_names.h"
#include "proto/rpc.h"

uint8_t *
tdat_answer(const struct tdat_export *ex, const struct tdat_assign *as,
    const struct hr_dat_answer *extra, size_t nextra, size_t *len,
    struct hr_error *err)
{
	struct hr_dat d = { .hdr = { HR_DAT_VERSION, HR_DAT_ANSWER,
	    HR_DAT_UTF8, "asopd", 1, "", 1718000000, 0 } };
	struct hr_dat_answer *a;
	struct hr_buf b;
	uint8_t *out = NULL;

	if (nextra > 16 || (a = calloc(ex->n + nextra + 1, sizeof *a)) == NULL) {
		hr_error_set(err, HR_E_INTERNAL, "answer: too many records");
		return NULL;
	}
	snprintf(d.hdr.office, sizeof d.hdr.office, "%s", ex->office);
	for (size_t i = 0; i < ex->n; i++)
		a[i] = (struct hr_dat_answer){ ex->ids[i], ex->reg[i],
		    i % 2 ? HR_DEC_REFUSED : HR_DEC_ASSIGNED, i % 2 == 0,
		    as->amount + (int64_t)i, i % 2 ? "" : as->from,
		    i % 2 ? "" : as->to, i % 2 ? TDAT_REFUSAL : "", 0 };
	if (nextra > 0)
		memcpy(a + ex->n, extra, nextra * sizeof *a);
	d.hdr.count = (uint32_t)(ex->n + nextra);
	d.answers = a;
	hr_buf_init(&b, HR_DAT_FILE_MAX);
	if (hr_dat_write(&d, &b, err) == 0) {
		*len = hr_buf_used(&b);
		if ((out = malloc(*len ? *len : 1)) == NULL)
			hr_error_set(err, HR_E_INTERNAL, "answer: out of memory");
		else
			memcpy(out, hr_buf_head(&b), *len);
	}
	hr_buf_free(&b);
	free(a);
	return out;
}

int
tdat_call_export(struct hr_client *c, const char *system, struct tcall *t,
    int ms)
{
	msgpack_packer *pk = hr_client_begin(c, HR_M_DAT_EXPORT);

	msgpack_pack_map(pk, 1);
	hr_pack_kv_str(pk, "system", system);
	return tcall_send_wait(c, t, ms);
}

int
tdat_call_import(struct hr_client *c, const void *data, size_t len,
    struct tcall *t, int ms)
{
	msgpack_packer *pk = hr_client_begin(c, HR_M_DAT_IMPORT);

	msgpack_pack_map(pk, 2);
	hr_pack_kv_str(pk, "name", "asopd_answer.DAT");
	hr_pack_str(pk, "data");
	msgpack_pack_bin(pk, len);
	msgpack_pack_bin_body(pk, data, len);
	return tcall_send_wait(c, t, ms);
}

int
tdat_import_dat(struct hr_client *c, const struct hr_dat *d, struct tcall *t,
    int ms, struct hr_error *err)
{
	struct hr_buf b;
	int rc = -1;

	hr_buf_init(&b, HR_DAT_FILE_MAX);
	if (hr_dat_write(d, &b, err) == 0)
		rc = tdat_call_import(c, hr_buf_head(&b), hr_buf_used(&b), t, ms);
	hr_buf_free(&b);
	return rc;
}
