/*
 * msgids.c — the English texts of proto/'s shared tables, marked for
 * xgettext so they reach po/hromada.pot and po/uk.po: the error texts of
 * proto/error.c, the role labels of proto/roles.c and the action labels of
 * proto/workflow.c.  The client passes
 * them through gettext (app_error_text, app_role_label); those tables are
 * plain C data shared with the server, so they carry no gettext markers.
 * tests/unit/test_msgids.c fails when a table grows and this list does not.
 */
#include "config.h"

#include <stddef.h>

#include "tui/msgids.h"
#include "tui/tui.h"

const char *const tui_shared_msgids[] = {
	/* proto/error.c */
	N_("Success"),
	N_("Protocol error"),
	N_("Invalid request parameters"),
	N_("Unknown request"),
	N_("Please log in"),
	N_("Wrong user name or password"),
	N_("Too many failed attempts, try again later"),
	N_("Not allowed for your role or territory"),
	N_("Not found"),
	N_("Someone else changed this record"),
	N_("Invalid value"),
	N_("Server is busy, try again"),
	N_("Internal server error"),
	N_("Session expired, please log in"),
	N_("Record already exists"),
	N_("Not allowed in the current status"),
	N_("Input/output error"),
	N_("Secure channel failure"),
	N_("Server key is not known yet"),
	N_("Server key has changed"),
	N_("Protocol version not supported"),
	N_("Connection lost"),
	N_("Timed out"),
	N_("Invalid usage"),
	N_("The server has no room to store this"),
	N_("Larger than the server accepts"),
	N_("Unknown error"),
	/* proto/roles.c */
	N_("Starosta district official"),
	N_("CNAP official"),
	N_("Starosta district official (extended)"),
	N_("CNAP official (extended)"),
	N_("Hromada social protection unit"),
	N_("District back office specialist"),
	N_("Oblast department"),
	N_("Ministry IT centre"),
	N_("System administrator"),
	/* proto/workflow.c */
	N_("Send to the hromada"),
	N_("Check and send to the back office"),
	N_("Return to the front office"),
	N_("Return to the hromada"),
	N_("Mark as checked"),
	N_("Export to the decision system"),
	N_("Import the decision"),
};

const size_t tui_shared_nmsgids =
    sizeof tui_shared_msgids / sizeof tui_shared_msgids[0];
