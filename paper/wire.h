/*
 * wire.h — the data of a printed document on the wire: the result maps of
 * application.print and register.get (PROTOCOL.md), packed by the server
 * from paper/data.h structures and read back by the client into the same
 * structures, so both ends agree field by field (tests pack and read one).
 *
 * Reading trusts nothing: the map came through hr_rpc_decode (size-checked)
 * but any field may be missing or of another type; a missing or wrong one
 * reads as absent (NULL, 0) rather than failing, and the forms print a
 * blank line for it.  Strings are copied into the structure's arena.
 */
#ifndef HR_PAPER_WIRE_H
#define HR_PAPER_WIRE_H

#include <msgpack.h>

#include "paper/data.h"
#include "proto/error.h"

/* The application map (application.print's `application`). */
void paper_wire_pack_app(msgpack_packer *pk, const struct paper_app *a);
/* The register map (register.get's `register`); its rows are arrays of
 * 9 values, not maps: a 500-row register travels over slow links. */
void paper_wire_pack_register(msgpack_packer *pk,
    const struct paper_register *r);

/* Read them back: 0, or -1 (HR_E_PROTOCOL) when `m` is not a map or
 * memory ran out (HR_E_INTERNAL).  Free with paper_*_free either way. */
int paper_wire_read_app(const msgpack_object *m, struct paper_app *out,
    struct hr_error *err);
int paper_wire_read_register(const msgpack_object *m,
    struct paper_register *out, struct hr_error *err);

#endif
