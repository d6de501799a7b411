/*
 * render.c — the formats a document is rendered in (render.h): their
 * names on the wire and on the command line, their file extensions, and
 * the dispatch to the PDF and text renderers.
 */
#include "config.h"

#include "paper/render.h"

#include <string.h>

static const struct {
	const char *name, *ext;
} formats[PAPER_FMT__COUNT] = {
	[PAPER_FMT_PDF]        = { "pdf",   "pdf" },
	[PAPER_FMT_TEXT]       = { "text",  "txt" },
	[PAPER_FMT_TEXT_CP866] = { "cp866", "cp866.txt" },
};

int
paper_format_from_name(const char *name)
{
	for (int i = 0; i < PAPER_FMT__COUNT; i++)
		if (name != NULL && strcmp(name, formats[i].name) == 0)
			return i;
	return -1;
}

const char *
paper_format_name(int fmt)
{
	return fmt >= 0 && fmt < PAPER_FMT__COUNT ? formats[fmt].name : "?";
}

const char *
paper_format_ext(int fmt)
{
	return fmt >= 0 && fmt < PAPER_FMT__COUNT ? formats[fmt].ext : "bin";
}

int
paper_render(const struct paper_doc *d, int fmt, const struct paper_opts *opts,
    struct paper_bytes *out, struct hr_error *err)
{
	switch (fmt) {
	case PAPER_FMT_PDF:
		return paper_render_pdf(d, opts, out, err);
	case PAPER_FMT_TEXT:
		return paper_render_text(d, 0, out, err);
	case PAPER_FMT_TEXT_CP866:
		return paper_render_text(d, 1, out, err);
	}
	return hr_error_set(err, HR_E_INVALID, "unknown print format %d", fmt);
}
