/*
 * dat_export.c — one *.DAT export in the caller's transaction
 * (dat_export.h): gather the checked applications (db/dat.h's batch),
 * number and write the file, move each application to `exported`, store
 * the file; every step audited through the caller's hook.
 */
#include "db/dat_export.h"

#include <stdio.h>
#include <string.h>

#include "db/applications.h"
#include "proto/roles.h"

/* Write the file; a file too big for one frame is written with fewer
 * applications (the rest stay checked for the next file). */
static int
export_write(struct hr_db *db, struct db_dat_export *x, struct hr_dat *dat,
    struct db_dat_batch *batch, struct hr_error *err)
{
	struct hr_dat_header *h = &dat->hdr;

	h->version = HR_DAT_VERSION;
	h->kind = HR_DAT_EXPORT;
	h->charset = x->charset;
	snprintf(h->system, sizeof h->system, "%s", x->system);
	snprintf(h->office, sizeof h->office, "%s", x->office);
	h->created = db_now();
	h->count = (uint32_t)batch->napps;
	dat->apps = batch->apps;
	if (db_dat_next_number(db, x->spszn_id, x->system, &h->number,
	    err) < 0)
		return -1;
	while (hr_dat_write(dat, &x->file, err) < 0) {
		if (strcmp(err->id, "dat.too_big") != 0 || h->count < 2)
			return -1;
		batch->remaining += h->count - h->count / 2;
		h->count /= 2;
	}
	hr_dat_filename(h, x->name, sizeof x->name);
	x->number = h->number;
	x->count = h->count;
	x->remaining = batch->remaining;
	return 0;
}

static int
export_transitions(struct hr_db *db, const struct db_dat_actor *who,
    const struct db_dat_export *x, const struct db_dat_batch *batch,
    struct hr_error *err)
{
	char comment[160], object[32];

	snprintf(comment, sizeof comment, "exchange file %s", x->name);
	for (uint32_t i = 0; i < x->count; i++) {
		const struct hr_dat_app *a = &batch->apps[i];

		if (db_app_transition(db, a->id, batch->versions[i],
		    HR_ST_CHECKED, HR_ST_EXPORTED, who->user_id, comment, 0,
		    err) < 0)
			return -1;
		snprintf(object, sizeof object, "application:%lld",
		    (long long)a->id);
		if (who->audit(who->ud, "application.export", object, comment,
		    err) < 0)
			return -1;
	}
	return 0;
}

static int
export_store(struct hr_db *db, const struct db_dat_actor *who,
    struct db_dat_export *x, const struct hr_dat_header *h,
    struct hr_error *err)
{
	const uint8_t *p = hr_buf_head(&x->file);
	size_t n = hr_buf_used(&x->file);
	char crc[16], object[40], detail[200];
	struct db_dat_file f = { .direction = "export", .system = x->system,
	    .number = h->number, .spszn_id = x->spszn_id,
	    .name = x->name, .created_at = h->created,
	    .stored_at = db_now(), .user_id = who->user_id,
	    .crc32 = crc, .record_count = h->count };

	db_dat_file_crc(p, n, crc, sizeof crc);
	if (db_dat_file_add(db, &f, p, n, &x->file_id, err) < 0)
		return -1;
	snprintf(object, sizeof object, "dat_file:%lld", (long long)x->file_id);
	snprintf(detail, sizeof detail, "%s: %u applications exported, %zu "
	    "left checked", x->name, x->count, x->remaining);
	return who->audit(who->ud, "dat.export", object, detail, err);
}

int
db_dat_export_run(struct hr_db *db, const struct db_dat_actor *who,
    struct db_dat_export *x, struct hr_error *err)
{
	struct db_dat_batch batch;
	struct hr_dat dat;
	int rc = -1;

	memset(&dat, 0, sizeof dat);
	memset(&batch, 0, sizeof batch);
	hr_buf_init(&x->file, HR_DAT_FILE_MAX);
	if (db_dat_system_check(db, x->system, err) < 0)
		return -1;
	if (db_dat_batch_collect(db, x->spszn_id, x->system,
	    x->max ? x->max : DB_DAT_EXPORT_MAX, &batch, err) < 0)
		return -1;
	if (batch.napps == 0)
		hr_errorf(err, HR_E_STATE, "dat.nothing_to_export",
		    "no checked applications of {system} to export; nothing "
		    "was numbered", HR_STR("system", x->system));
	else if (export_write(db, x, &dat, &batch, err) == 0 &&
	    export_transitions(db, who, x, &batch, err) == 0 &&
	    export_store(db, who, x, &dat.hdr, err) == 0)
		rc = 0;
	db_dat_batch_free(&batch);
	return rc;
}

void
db_dat_export_free(struct db_dat_export *x)
{
	hr_buf_free(&x->file);
}
