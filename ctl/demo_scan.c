/*
 * demo_scan.c — the demo's scanned documents: small, real PDF files, one
 * per attached document of a sample application, so that a back office
 * trying the demo can list a case's scans, save one and open it.
 *
 * The content is fixed by the document's code, so every demo run stores
 * the same files under the same hashes, and the applications that have a
 * document share its file: the store keeps one copy per content (about
 * 25 small files for the demo's 200-odd attachments).
 * Base-14 Helvetica has no Cyrillic: the page says what it stands for in
 * ASCII.
 */
#include "ctl/demo.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Append to out[*len..cap); -1 when it does not fit. */
static int
put(char *out, size_t cap, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out + *len, cap - *len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= cap - *len)
		return -1;
	*len += (size_t)n;
	return 0;
}

/* A one-page PDF 1.4 with three lines of text, into out[0..*len). */
int
demo_scan_pdf(const char *doc_code, char *out, size_t cap, size_t *len)
{
	char content[512], obj[5][640];
	size_t off[6];
	int n;

	*len = 0;
	n = snprintf(content, sizeof content, "BT /F1 20 Tf 72 760 Td "
	    "(Hromada demo scan) Tj 0 -32 Td /F1 14 Tf (Document: %s) Tj "
	    "0 -22 Td (a sample page, not a real document) Tj ET", doc_code);
	if (n < 0 || (size_t)n >= sizeof content)
		return -1;
	snprintf(obj[0], sizeof obj[0], "<< /Type /Catalog /Pages 2 0 R >>");
	snprintf(obj[1], sizeof obj[1], "<< /Type /Pages /Kids [3 0 R] "
	    "/Count 1 >>");
	snprintf(obj[2], sizeof obj[2], "<< /Type /Page /Parent 2 0 R "
	    "/MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << "
	    "/F1 5 0 R >> >> >>");
	snprintf(obj[3], sizeof obj[3], "<< /Length %d >>\nstream\n%s\n"
	    "endstream", n, content);
	snprintf(obj[4], sizeof obj[4], "<< /Type /Font /Subtype /Type1 "
	    "/BaseFont /Helvetica >>");
	if (put(out, cap, len, "%%PDF-1.4\n") < 0)
		return -1;
	for (int i = 0; i < 5; i++) {
		off[i] = *len;
		if (put(out, cap, len, "%d 0 obj\n%s\nendobj\n", i + 1,
		    obj[i]) < 0)
			return -1;
	}
	off[5] = *len;
	if (put(out, cap, len, "xref\n0 6\n0000000000 65535 f \n") < 0)
		return -1;
	for (int i = 0; i < 5; i++)
		if (put(out, cap, len, "%010zu 00000 n \n", off[i]) < 0)
			return -1;
	return put(out, cap, len, "trailer\n<< /Size 6 /Root 1 0 R >>\n"
	    "startxref\n%zu\n%%%%EOF\n", off[5]);
}
