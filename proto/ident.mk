# proto/ident.mk — Ukrainian identifiers, dates, amounts and search folding
# (proto/ident.h, proto/fold.h), their unit tests and fuzz target.

hr_ident_sources = \
	proto/ident.h proto/ident_priv.h \
	proto/date.c proto/rnokpp.c proto/unzr.c proto/docnum.c \
	proto/iban.c proto/katottg.c proto/phone.c proto/amount.c \
	proto/fold.h proto/fold.c

proto_libhrproto_a_SOURCES += $(hr_ident_sources)

check_PROGRAMS += tests/unit/test_ident tests/unit/test_fold
TESTS += tests/unit/test_ident tests/unit/test_fold
tests_unit_test_ident_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_ident_LDADD = proto/libhrproto.a $(CMOCKA_LIBS)
tests_unit_test_fold_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_fold_LDADD = proto/libhrproto.a $(CMOCKA_LIBS)

