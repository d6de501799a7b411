/*
 * render.h — laying a document (doc.h) out as bytes: a PDF for laser and
 * inkjet printers, or plain text for dot-matrix printers.
 *
 * PDF (pdf.c): A4 portrait with the margins of ДСТУ 4163 (left 30 mm,
 * right 10 mm, top and bottom 20 mm), made with libharu, the text in
 * DejaVu Serif embedded as a subset (Cyrillic needs an embedded TrueType
 * font: the PDF base-14 fonts have none).  Bold is drawn by stroking the
 * outline of the same font rather than embedding DejaVu Serif Bold too:
 * libharu 2.3 embeds ~57 KB of tables per font beside the glyphs used, and
 * two fonts would put an application over 100 KB.  The output is the same
 * bytes for the same document (no creation date, fixed object order), so a
 * stored register reprints identically.
 *
 * Plain text (plaintext.c): 80 columns, 64 lines a page with a form feed
 * between pages, tables ruled with ASCII (+, -, |) so every printer can
 * print them; UTF-8 with LF line ends, or CP866 (the DOS Cyrillic code page
 * dot-matrix printers have built in) with CR LF.  CP866 lacks І і Ґ ґ and
 * the typographic quotes and dashes: they become the Latin I i, Г г, " ' -
 * as Ukrainian DOS practice wrote them; other characters without a form
 * become '?'.
 */
#ifndef HR_PAPER_RENDER_H
#define HR_PAPER_RENDER_H

#include "paper/doc.h"
#include "proto/error.h"

enum paper_format {
	PAPER_FMT_PDF,
	PAPER_FMT_TEXT,          /* UTF-8 */
	PAPER_FMT_TEXT_CP866,
	PAPER_FMT__COUNT
};

/* Wire/command-line names: "pdf", "text", "cp866"; -1 if unknown. */
int         paper_format_from_name(const char *name);
const char *paper_format_name(int fmt);
/* File name extension: "pdf", "txt", "cp866.txt". */
const char *paper_format_ext(int fmt);

#define PAPER_TEXT_WIDTH 80
#define PAPER_TEXT_LINES 64

/*
 * Where the PDF font is: the directory of DejaVuSerif.ttf.  NULL: the
 * HROMADA_FONT_DIR environment variable, else the directory configure
 * found (fonts-dejavu-core's /usr/share/fonts/truetype/dejavu).
 */
struct paper_opts {
	const char *font_dir;
};

/*
 * Render `d` in format `fmt` into out (appended; free with
 * paper_bytes_free).  Errors: HR_E_IO when the font is missing ("font FILE
 * not found: install fonts-dejavu-core"), HR_E_INTERNAL when libharu fails
 * or memory runs out (the message says which).  Nothing is written to
 * disk here (file.h does that).
 */
int paper_render(const struct paper_doc *d, int fmt,
    const struct paper_opts *opts, struct paper_bytes *out,
    struct hr_error *err);

int paper_render_pdf(const struct paper_doc *d, const struct paper_opts *opts,
    struct paper_bytes *out, struct hr_error *err);
int paper_render_text(const struct paper_doc *d, int cp866,
    struct paper_bytes *out, struct hr_error *err);

/* UTF-8 s[0..len) in CP866 appended to out (see above); -1 out of memory. */
int paper_cp866(const char *s, size_t len, struct paper_bytes *out);

#endif
