/*
 * method_names.h — names of the requests a client may send (the RPC API).
 *
 * Each method's params and result are specified in PROTOCOL.md "Methods";
 * the server's table of handlers (srvd/method_table.c) is keyed by these names.
 * Adding a method: a name here, a section in PROTOCOL.md, a handler file in
 * srvd/ and one row in the table.
 */
#ifndef HR_METHOD_NAMES_H
#define HR_METHOD_NAMES_H

/* session */
#define HR_M_LOGIN          "login"          /* {user, password} -> session */
#define HR_M_RESUME         "resume"         /* {ticket} -> session */
#define HR_M_LOGOUT         "logout"         /* {} -> {} */
#define HR_M_PING           "ping"           /* {} -> {time} */

/* cabinets */
#define HR_M_JOURNAL_LIST   "journal.list"   /* filters, cursor -> page of applications */
#define HR_M_REPORT_GET "report.get"     /* {territory, from, to, window} -> a territory's report */
#define HR_M_REPORT_MONITOR "report.monitor" /* {territory, days, month, hromadas} -> offices connected / using */
#define HR_M_REPORT_SUMMARY "report.summary" /* {} -> counts by territory and status */
#define HR_M_USER_LIST      "user.list"      /* {} -> users in the admin's scope */

/* intake and workflow (PROTOCOL.md "Intake") */
#define HR_M_APPLICATION_GET        "application.get"        /* {id} -> application, history, actions */
#define HR_M_APPLICATION_SAVE       "application.save"       /* the form -> {id, version, reg_no} */
#define HR_M_APPLICATION_BATCH      "application.batch"      /* {action, ids, versions, reason, partial} -> {moved, refused, rows} */
#define HR_M_APPLICATION_TRANSITION "application.transition" /* {id, version, action, reason} */
#define HR_M_PERSON_GET             "person.get"             /* {id} -> person, family */
#define HR_M_PERSON_SEARCH          "person.search"          /* {q, limit} -> persons */
#define HR_M_REFERENCE_GET          "reference.get"          /* {} -> services, documents */
#define HR_M_TERRITORY_FRONT_OFFICES "territory.front_offices" /* {} -> offices in scope */

/* printing and telling the applicant (PROTOCOL.md "Printing") */
#define HR_M_APPLICATION_NOTIFY     "application.notify"     /* {id, version, how, at, comment} -> {version} */
#define HR_M_APPLICATION_PRINT      "application.print"      /* {id, document} -> the document's data */
#define HR_M_REGISTER_CANDIDATES    "register.candidates"    /* {stage, date_from, date_to} -> applications to list */
#define HR_M_REGISTER_CREATE        "register.create"        /* {stage, ids | period} -> {id, number, year} */
#define HR_M_REGISTER_GET           "register.get"           /* {id} -> the register as made */
#define HR_M_REGISTER_LIST          "register.list"          /* {before, limit} -> registers in scope */
/* scanned documents attached to applications (PROTOCOL.md "Attachments") */
#define HR_M_UPLOAD_BEGIN       "upload.begin"       /* {application, document, name, size, hash} -> {upload, offset, chunk_max, challenge?} */
#define HR_M_UPLOAD_CHUNK       "upload.chunk"       /* {upload, offset, data, hash} -> {offset, attachment?} */
#define HR_M_UPLOAD_PROVE       "upload.prove"       /* {upload, proof} -> {attachment} */
#define HR_M_UPLOAD_CANCEL      "upload.cancel"      /* {upload} -> {} */
#define HR_M_ATTACHMENT_READ    "attachment.read"    /* {id, offset, length, token} -> {size, hash, ..., data, token} */
#define HR_M_ATTACHMENT_DETACH  "attachment.detach"  /* {id} -> {package_full} */

/* the *.DAT exchange with the decision systems (PROTOCOL.md "Exchange") */
#define HR_M_DAT_EXPORT     "dat.export"     /* {system, charset} -> {file_id, name, number, count, remaining, data} */
#define HR_M_DAT_GET        "dat.get"        /* {id} -> a stored file with its data */
#define HR_M_DAT_IMPORT     "dat.import"     /* {name, data} -> {imported, file_id} */
#define HR_M_DAT_LIST       "dat.list"       /* {limit} -> the back office's files */

/* server -> client notifications */
#define HR_N_CLOSING        "closing"        /* {reason, reconnect}: the server
                                                ends this connection */
#define HR_N_PROGRESS       "progress"       /* {msgid, done, total}: how far a
                                                long request (application.batch)
                                                is */
#define HR_N_SERVER_KEY     "server_key"     /* {key}: the current key, in a
                                                rotation's grace period */

#define HR_TICKET_LEN 32u                    /* bytes of a session ticket */

#endif
