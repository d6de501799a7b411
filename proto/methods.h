/*
 * methods.h — names of the requests a client may send (the RPC API).
 *
 * Each method's params and result are specified in PROTOCOL.md "Methods";
 * the server's table of handlers (srvd/methods.c) is keyed by these names.
 * Adding a method: a name here, a section in PROTOCOL.md, a handler file in
 * srvd/ and one row in the table.
 */
#ifndef HR_METHODS_H
#define HR_METHODS_H

/* session */
#define HR_M_LOGIN          "login"          /* {user, password} -> session */
#define HR_M_RESUME         "resume"         /* {ticket} -> session */
#define HR_M_LOGOUT         "logout"         /* {} -> {} */
#define HR_M_PING           "ping"           /* {} -> {time} */

/* cabinets */
#define HR_M_JOURNAL_LIST   "journal.list"   /* filters, cursor -> page of applications */
#define HR_M_REPORT_SUMMARY "report.summary" /* {} -> counts by territory and status */
#define HR_M_USER_LIST      "user.list"      /* {} -> users in the admin's scope */

/* server -> client notifications */
#define HR_N_CLOSING        "closing"        /* {reason}: server is shutting down */

#define HR_TICKET_LEN 32u                    /* bytes of a session ticket */

#endif
