/*
 * daemon.c — the database lock and dropping root (see daemon.h).
 */
#include "srvd/daemon.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "srvd/log.h"

int
daemon_lock_db(const char *path, int *fd, struct hr_error *err)
{
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0)
		return hr_error_set(err, HR_E_IO, "database %s: %s", path,
		    strerror(errno));
	if (flock(*fd, LOCK_EX | LOCK_NB) == 0)
		return 0;
	close(*fd);
	*fd = -1;
	if (errno == EWOULDBLOCK)
		return hr_error_set(err, HR_E_BUSY, "database %s is in use by "
		    "another hromadad or a running hromadactl restore", path);
	return hr_error_set(err, HR_E_IO, "cannot lock database %s: %s", path,
	    strerror(errno));
}

/* The account to become; NULL with err when it does not exist. */
static const struct passwd *
daemon_account(const char *user, struct hr_error *err)
{
	const struct passwd *pw;

	errno = 0;
	if ((pw = getpwnam(user ? user : SRV_DEFAULT_USER)) != NULL)
		return pw;
	if (user == NULL && (pw = getpwnam(SRV_FALLBACK_USER)) != NULL) {
		log_warning("no user '%s' to run as; running as '%s' — create "
		    "it: adduser --system --group --home /var/lib/hromada %s",
		    SRV_DEFAULT_USER, SRV_FALLBACK_USER, SRV_DEFAULT_USER);
		return pw;
	}
	hr_error_set(err, HR_E_USAGE, "user '%s' does not exist; create it "
	    "(adduser --system --group --home /var/lib/hromada %s) or set "
	    "`user` in hromadad.conf", user ? user : SRV_DEFAULT_USER,
	    user ? user : SRV_DEFAULT_USER);
	return NULL;
}

static int
daemon_group(const char *group, gid_t dflt, gid_t *gid, struct hr_error *err)
{
	const struct group *gr;

	*gid = dflt;
	if (group == NULL)
		return 0;
	if ((gr = getgrnam(group)) == NULL)
		return hr_error_set(err, HR_E_USAGE, "group '%s' does not exist; "
		    "set `group` in hromadad.conf to an existing group", group);
	*gid = gr->gr_gid;
	return 0;
}

/* After the switch: every id is the new one and root is gone for good. */
static int
daemon_check(uid_t uid, gid_t gid, struct hr_error *err)
{
	if (getuid() != uid || geteuid() != uid || getgid() != gid ||
	    getegid() != gid)
		return hr_error_set(err, HR_E_INTERNAL, "privileges were not "
		    "dropped completely (uid %d/%d, gid %d/%d)", (int)getuid(),
		    (int)geteuid(), (int)getgid(), (int)getegid());
	if (uid != 0 && (setuid(0) == 0 || seteuid(0) == 0))
		return hr_error_set(err, HR_E_INTERNAL, "could regain root after "
		    "dropping privileges; refusing to run");
	return 0;
}

int
daemon_drop_root(const char *user, const char *group, struct hr_error *err)
{
	const struct passwd *pw;
	uid_t uid;
	gid_t gid;

	if (geteuid() != 0)
		return 0;
	if (user != NULL && strcmp(user, "root") == 0) {
		log_warning("running as root (user = root in the configuration)");
		return 0;
	}
	if ((pw = daemon_account(user, err)) == NULL)
		return -1;
	uid = pw->pw_uid;
	if (daemon_group(group, pw->pw_gid, &gid, err) < 0)
		return -1;
	/* Supplementary groups first, while we may still change them. */
	if (setgroups(1, &gid) != 0 || setgid(gid) != 0 || setuid(uid) != 0)
		return hr_error_set(err, HR_E_IO, "cannot switch to user %s, "
		    "group %d: %s", pw->pw_name, (int)gid, strerror(errno));
	if (daemon_check(uid, gid, err) < 0)
		return -1;
	log_info("running as user %s (uid %d, gid %d)", pw->pw_name, (int)uid,
	    (int)gid);
	return 0;
}

int
daemon_run_ids(const char *user, const char *group, unsigned *uid,
    unsigned *gid, int *keep_root, struct hr_error *err)
{
	const struct passwd *pw;
	gid_t g;

	*uid = *gid = 0;
	*keep_root = geteuid() != 0 || (user != NULL && strcmp(user, "root") ==
	    0);
	if (*keep_root)
		return 0;
	if ((pw = daemon_account(user, err)) == NULL ||
	    daemon_group(group, pw->pw_gid, &g, err) < 0)
		return -1;
	*uid = pw->pw_uid;
	*gid = g;
	return 0;
}
