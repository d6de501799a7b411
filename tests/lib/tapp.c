/*
 * tapp.c — fresh applicants and their application.save (see tapp.h).
 */
#include "tests/lib/tapp.h"

#include <stdio.h>
#include <stdlib.h>

#include "proto/rpc.h"

#define FRESH_DAYS    4383     /* 01.01.1925 .. 31.12.1936 */
#define FRESH_SERIALS 5000     /* hr_rnokpp_make's serials per sex */

static uint64_t walk;

void
tapp_walk_start(uint64_t seed)
{
	walk = seed;
}

void
tapp_next(struct tapp_person *p)
{
	static const struct hr_date first = { 1925, 1, 1 };
	uint64_t k = walk++ % ((uint64_t)FRESH_DAYS * FRESH_SERIALS * 2);
	int32_t days = hr_date_to_days(&first) +
	    (int32_t)(k / 2 / FRESH_SERIALS);
	struct hr_date b;

	p->male = (int)(k & 1);
	hr_date_from_days(days, &b);
	snprintf(p->birth, sizeof p->birth, "%04d-%02d-%02d", b.y, b.m, b.d);
	if (hr_rnokpp_make(days, (int)(k / 2 % FRESH_SERIALS), p->male ?
	    HR_SEX_MALE : HR_SEX_FEMALE, p->rnokpp) < 0) {
		fprintf(stderr, "tapp: hr_rnokpp_make refused day %d\n",
		    (int)days);
		abort();
	}
}

void
tapp_pack_save(msgpack_packer *pk, const struct tapp_person *p,
    const char *surname)
{
	msgpack_pack_map(pk, 3);
	hr_pack_kv_str(pk, "service", "subsidy");
	hr_pack_str(pk, "applicant");
	msgpack_pack_map(pk, 8);
	hr_pack_kv_str(pk, "rnokpp", p->rnokpp);
	hr_pack_kv_str(pk, "surname", surname);
	hr_pack_kv_str(pk, "name", p->male ? "Петро" : "Ганна");
	hr_pack_kv_str(pk, "patronymic", p->male ? "Іванович" : "Іванівна");
	hr_pack_kv_str(pk, "birth_date", p->birth);
	hr_pack_kv_str(pk, "sex", p->male ? "M" : "F");
	hr_pack_kv_str(pk, "reg_address", "с. Слоут, вул. Шевченка, 17, "
	    "Глухівський р-н, Сумська обл.");
	hr_pack_kv_str(pk, "phone", "+380671234567");
	hr_pack_kv_str(pk, "phone", "+380671234567");
}
