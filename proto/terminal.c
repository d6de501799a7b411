/*
 * terminal.c — terminal proofs and key files (see terminal.h).
 */
#include "proto/terminal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#define TERMINAL_LABEL "hromada terminal proof"

int
hr_terminal_proof(const uint8_t sk1[HR_PUBKEY_LEN],
    const uint8_t pk1[HR_PUBKEY_LEN], const uint8_t sk2[HR_PUBKEY_LEN],
    const uint8_t pk2[HR_PUBKEY_LEN], const uint8_t transcript[32],
    uint8_t out[HR_TERMINAL_PROOF_LEN])
{
	crypto_generichash_state st;
	uint8_t                  dh[64];
	int                      bad;

	bad = crypto_scalarmult(dh, sk1, pk1) != 0;
	bad |= crypto_scalarmult(dh + 32, sk2, pk2) != 0;
	if (bad) {
		sodium_memzero(dh, sizeof dh);
		return -1;
	}
	crypto_generichash_init(&st, dh, sizeof dh, HR_TERMINAL_PROOF_LEN);
	crypto_generichash_update(&st, (const uint8_t *)TERMINAL_LABEL,
	    strlen(TERMINAL_LABEL));
	crypto_generichash_update(&st, transcript, 32);
	crypto_generichash_final(&st, out, HR_TERMINAL_PROOF_LEN);
	sodium_memzero(dh, sizeof dh);
	sodium_memzero(&st, sizeof st);
	return 0;
}

int
hr_terminal_name_check(const char *name, struct hr_error *err)
{
	size_t n = strlen(name);

	if (n == 0 || n > HR_TERMINAL_NAME_MAX ||
	    strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789._-") != n ||
	    name[0] == '-' || name[0] == '.')
		return hr_errorf(err, HR_E_INVALID, "terminal.name",
		    "terminal name \"{value}\": use 1 to {max} lower-case Latin "
		    "letters, digits, '.', '_' and '-', not starting with '-' or "
		    "'.'", HR_STR("value", name), HR_INT("max",
		    HR_TERMINAL_NAME_MAX));
	return 0;
}

/* One "key value" line of the file into name or sk; 1 when it set one. */
static int
terminal_line(const char *path, int lineno, char *line,
    char name[HR_TERMINAL_NAME_MAX + 1], uint8_t sk[HR_PUBKEY_LEN],
    struct hr_error *err)
{
	size_t binlen = 0;
	char  *v;

	line[strcspn(line, "\r\n")] = '\0';
	if (line[0] == '\0' || line[0] == '#')
		return 0;
	if ((v = strchr(line, ' ')) == NULL)
		return hr_errorf(err, HR_E_INVALID, "terminal.line",
		    "expected \"terminal NAME\" or \"secret BASE64\""),
		    hr_error_prefix(err, "{file}:{line}", HR_STR("file", path),
		    HR_INT("line", lineno));
	*v++ = '\0';
	if (strcmp(line, "terminal") == 0) {
		if (hr_terminal_name_check(v, err) < 0)
			return hr_error_prefix(err, "{file}:{line}",
			    HR_STR("file", path), HR_INT("line", lineno));
		strcpy(name, v);
		return 1;
	}
	if (strcmp(line, "secret") == 0) {
		if (sodium_base642bin(sk, HR_PUBKEY_LEN, v, strlen(v), NULL,
		    &binlen, NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
		    binlen != HR_PUBKEY_LEN)
			return hr_errorf(err, HR_E_INVALID, "terminal.secret",
			    "the secret is not 32 bytes in base64"),
			    hr_error_prefix(err, "{file}:{line}",
			    HR_STR("file", path), HR_INT("line", lineno));
		return 2;
	}
	return hr_errorf(err, HR_E_INVALID, "terminal.unknown_line",
	    "unknown line \"{value}\"", HR_STR("value", line)),
	    hr_error_prefix(err, "{file}:{line}", HR_STR("file", path),
	    HR_INT("line", lineno));
}

int
hr_terminal_key_load(const char *path, char name[HR_TERMINAL_NAME_MAX + 1],
    uint8_t sk[HR_PUBKEY_LEN], struct hr_error *err)
{
	struct stat st;
	char        line[256];
	int         lineno = 0, have = 0, r = 0;
	FILE       *f = fopen(path, "r");

	if (f == NULL)
		return hr_errorf(err, HR_E_IO, "terminal.open",
		    "terminal key {file}: {reason}", HR_STR("file", path),
		    HR_STR("reason", strerror(errno)));
	if (fstat(fileno(f), &st) == 0 && (st.st_mode & 077) != 0) {
		fclose(f);
		return hr_errorf(err, HR_E_IO, "terminal.mode",
		    "terminal key {file} is readable by others; run: chmod 600 "
		    "{file}", HR_STR("file", path));
	}
	name[0] = '\0';
	while (r >= 0 && fgets(line, sizeof line, f) != NULL) {
		lineno++;
		if ((r = terminal_line(path, lineno, line, name, sk, err)) > 0)
			have |= r;
	}
	sodium_memzero(line, sizeof line);
	fclose(f);
	if (r < 0) {
		sodium_memzero(sk, HR_PUBKEY_LEN);
		return -1;
	}
	if (have != 3) {
		sodium_memzero(sk, HR_PUBKEY_LEN);
		return hr_errorf(err, HR_E_INVALID, "terminal.file",
		    "not a terminal key file (needs a \"terminal\" and a "
		    "\"secret\" line; make it with hromadactl terminal add)"),
		    hr_error_prefix(err, "{file}", HR_STR("file", path));
	}
	return 0;
}
