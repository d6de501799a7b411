/*
 * conf.h — hromadad.conf, the server's configuration file.
 *
 * An INI-style file of `key = value` lines; `#` or `;` starts a comment line
 * and an optional `[hromadad]` section header is accepted.  Every key is in
 * the table in conf.c with its type and bounds; an unknown key, a repeated
 * key or a value out of bounds refuses the whole file with "FILE:LINE: why",
 * so a typo never silently runs the server with a default.  Command-line
 * options go through the same setter, so they are checked the same way.
 */
#ifndef SRV_CONF_H
#define SRV_CONF_H

#include "proto/error.h"

struct srv_config {
	char *listen;            /* "addr:port", several separated by commas */
	char *db;                /* database file */
	char *key_file;          /* the server's secret keys; NULL: DB.key */
	int   log_target;        /* enum srv_log_target */
	char *log_file;          /* NULL: standard error */
	int   log_level;         /* enum srv_log_level */
	int   max_connections;
	int   idle_timeout;      /* seconds without a frame from the client */
	int   handshake_timeout; /* seconds from accept to an encrypted channel */
	int   login_timeout;     /* seconds from the channel (or a logout) to a
	                            login before the connection is closed */
	int   ticket_ttl;        /* seconds a session ticket stays valid */
	int   session_max_age;   /* seconds from a password login to its
	                            session's end, resumes or not */
	int   auth_workers;      /* password-verifying threads */
	int   auth_queue;        /* logins waiting for a worker before HR_E_BUSY */
	int   query_threads;     /* threads running reads (query.h); 0: the loop */
	int   hash_threads;      /* threads hashing scans' chunks (prehash.h);
	                            0: the loop */
	int   sync_threads;      /* threads fsyncing a batch's scans beside
	                            the commit thread (commit.h); 0: none */
	int   commit_batch;      /* write requests per group commit at most */
	int   batch_slice;       /* ms of application.batch rows at a time */
	int   connection_max_age;  /* seconds a connection lives at most */
	/* Per source (IPv4 address or IPv6 /64; srvd/limits.h). */
	int   max_connections_per_source;
	int   connect_rate_per_source;   /* new connections a second */
	int   connect_burst_per_source;  /* new connections at once */
	int   logins_in_flight_per_source;
	int   logins_in_flight_per_user;
	/* The login throttle (db/throttle.h). */
	int   lock_window;             /* seconds failures count */
	int   lock_after_user_source;  /* failures of a user from a source */
	int   lock_after_user;         /* failures of a user from anywhere */
	int   lock_after_source;       /* failures from a source */
	int   lock_max;                /* seconds, longest pair/source lock */
	int   lock_max_user;           /* seconds, longest user lock */
	int   audit_read_window; /* ms a read's audit record may stay off the
	                            disk after its reply (readaudit.h); 0: the
	                            reply waits for it */
	int   upload_file_max;   /* bytes of one scan at most */
	int   upload_application_max;  /* bytes of one application's scans */
	char *user;              /* drop root to this user; NULL: "hromada" */
	char *group;             /* and group; NULL: the user's own group */
	char *notify_command;    /* automatic notices of decisions (notices.h);
	                            NULL: none */
	int   notify_timeout;    /* seconds a notice's command may run */
	int   monitor_using_days;  /* an office "uses" the system when it
	                              worked on an application within this
	                              many days (report.monitor's default) */
	int   writer_cache;      /* bytes of page cache of the writer's
	                            connection (db_cache_set) */
};

#define SRV_DEFAULT_LISTEN "127.0.0.1:7350"
#define SRV_MAX_CONNECTIONS_CEIL (1 << 20)

/* Fill with defaults (db: LOCALSTATEDIR/lib/hromada/hromada.db). */
void srv_config_init(struct srv_config *c);
void srv_config_free(struct srv_config *c);

/* Set one key from its text value; HR_E_USAGE naming key and bound. */
int  srv_config_set(struct srv_config *c, const char *key, const char *value,
    struct hr_error *err);

/* Read a file; on error the message starts with "FILE:LINE: ". */
int  srv_config_load(struct srv_config *c, const char *path, struct hr_error *err);

#endif
