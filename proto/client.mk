# proto/client.mk — the client library (see HELPERS.md): one encrypted
# session with hromadad, and the pinned server keys (known_hosts).
proto_libhrproto_a_SOURCES += \
	proto/client.c proto/client.h \
	proto/known_hosts.c proto/known_hosts.h \
	proto/terminal.c proto/terminal.h \
	proto/ticket.c proto/ticket.h
