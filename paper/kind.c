/*
 * kind.c — the documents by kind: their names on the wire and the command
 * line, and their titles (forms.h).  A file of its own so the server,
 * which checks document names but renders nothing, links no renderer.
 */
#include "config.h"

#include "paper/forms.h"

#include <string.h>

static const struct {
	const char *name, *title;
} kinds[PAPER_KIND__COUNT] = {
	[PAPER_APPLICATION] = { "application", "Заява" },
	[PAPER_RECEIPT]     = { "receipt",     "Розписка" },
	[PAPER_NOTICE]      = { "notice",      "Повідомлення про рішення" },
	[PAPER_REGISTER]    = { "register",    "Реєстр передавання документів" },
};

int
paper_kind_from_name(const char *name)
{
	for (int i = 0; i < PAPER_KIND__COUNT; i++)
		if (name != NULL && strcmp(name, kinds[i].name) == 0)
			return i;
	return -1;
}

const char *
paper_kind_name(int kind)
{
	return kind >= 0 && kind < PAPER_KIND__COUNT ? kinds[kind].name : "?";
}

const char *
paper_kind_title(int kind)
{
	return kind >= 0 && kind < PAPER_KIND__COUNT ? kinds[kind].title : "";
}
