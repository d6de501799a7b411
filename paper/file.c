/*
 * file.c — saving documents and handing them to lp (file.h).
 */
#include "config.h"

#include "paper/file.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "paper/render.h"

int
paper_file_error(struct hr_error *err, const char *path, int e)
{
	switch (e) {
	case ENOENT:
		return hr_errorf(err, HR_E_IO, "file.missing",
		    "{file}: there is no such file or folder",
		    HR_STR("file", path));
	case EACCES: case EPERM: case EROFS:
		return hr_errorf(err, HR_E_IO, "file.access",
		    "{file}: you have no permission for it",
		    HR_STR("file", path));
	case EEXIST:
		return hr_errorf(err, HR_E_IO, "file.exists",
		    "{file}: a file of this name exists already",
		    HR_STR("file", path));
	case EISDIR:
		return hr_errorf(err, HR_E_IO, "file.is_dir",
		    "{file} is a folder: give the name of a file in it",
		    HR_STR("file", path));
	case ENOSPC: case EDQUOT:
		return hr_errorf(err, HR_E_IO, "file.disk_full",
		    "{file}: the disk is full", HR_STR("file", path));
	default:
		return hr_errorf(err, HR_E_IO, "file.error",
		    "{file}: {reason}", HR_STR("file", path),
		    HR_STR("reason", strerror(e)));
	}
}

int
paper_expand_home(const char *in, char *out, size_t cap)
{
	const char *home = getenv("HOME");
	int n;

	if (in[0] == '~' && (in[1] == '/' || in[1] == '\0') && home != NULL)
		n = snprintf(out, cap, "%s%s", home, in + 1);
	else
		n = snprintf(out, cap, "%s", in);
	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

const char *
paper_print_dir(char *out, size_t cap)
{
	const char *d = getenv("HROMADA_PRINT_DIR");

	if (d == NULL || d[0] == '\0' ||
	    paper_expand_home(d, out, cap) < 0)
		if (paper_expand_home("~/hromada-print", out, cap) < 0)
			snprintf(out, cap, "hromada-print");
	return out;
}

/* Write all of data to fd and flush it to the disk; errno on failure. */
static int
write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? errno : ENOSPC;
		p += w;
		len -= (size_t)w;
	}
	return fsync(fd) < 0 ? errno : 0;
}

int
paper_file_save(const char *dir, const char *name, const void *data,
    size_t len, char *path, size_t cap, struct hr_error *err)
{
	char d[PAPER_PATH_MAX], tmp[PAPER_PATH_MAX + 32];
	int fd, e;

	if (paper_expand_home(dir, d, sizeof d) < 0 || strchr(name, '/') != NULL ||
	    snprintf(path, cap, "%s/%s", d, name) >= (int)cap ||
	    snprintf(tmp, sizeof tmp, "%s/.%s.XXXXXX", d, name) >= (int)sizeof tmp)
		return hr_errorf(err, HR_E_IO, "file.path_long",
		    "{file}: the path is too long", HR_STR("file", dir));
	if (mkdir(d, 0700) < 0 && errno != EEXIST)
		return paper_file_error(err, d, errno);
	if ((fd = mkstemp(tmp)) < 0)         /* mode 0600 */
		return paper_file_error(err, d, errno);
	e = write_all(fd, data, len);
	if (close(fd) < 0 && e == 0)
		e = errno;
	if (e == 0 && rename(tmp, path) < 0)
		e = errno;
	if (e != 0) {
		unlink(tmp);
		return paper_file_error(err, path, e);
	}
	return 0;
}

/* ---- lp ---- */

int
paper_lp_found(void)
{
	const char *path = getenv("PATH");
	char dir[PAPER_PATH_MAX], full[PAPER_PATH_MAX + 8];

	if (path == NULL)
		path = "/usr/bin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");
		snprintf(dir, sizeof dir, "%.*s", (int)n, path);
		snprintf(full, sizeof full, "%s/lp", dir[0] ? dir : ".");
		if (access(full, X_OK) == 0)
			return 1;
		path += n + (path[n] == ':');
	}
	return 0;
}

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Read what the child writes until it closes or the deadline; then reap
 * it (killed at the deadline).  *status its wait status, -1 killed. */
static void
lp_collect(pid_t pid, int fd, long deadline, char *out, size_t cap,
    int *status)
{
	size_t len = 0;

	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		long left = deadline - now_ms();
		ssize_t r;
		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			break;
		r = read(fd, out + len, cap - 1 - len);
		if (r <= 0)
			break;
		len += (size_t)r;
		if (len + 1 >= cap)
			break;
	}
	out[len] = '\0';
	while (len > 0 && (out[len - 1] == '\n' || out[len - 1] == ' '))
		out[--len] = '\0';
	*status = -1;
	while (now_ms() < deadline) {
		pid_t w = waitpid(pid, status, WNOHANG);
		if (w == pid)
			return;
		usleep(20000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	*status = -1;
}

int
paper_lp_print(const char *path, int fmt, int timeout_ms, char *reply,
    size_t cap, struct hr_error *err)
{
	int pfd[2], status, devnull;
	pid_t pid;

	if (cap > 0)
		reply[0] = '\0';
	if (pipe(pfd) < 0)
		return paper_file_error(err, "lp", errno);
	if ((pid = fork()) < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return paper_file_error(err, "lp", errno);
	}
	if (pid == 0) {
		/* the child: lp's output to the pipe, nothing to the terminal */
		devnull = open("/dev/null", O_RDONLY);
		if (devnull >= 0)
			dup2(devnull, 0);
		dup2(pfd[1], 1);
		dup2(pfd[1], 2);
		close(pfd[0]);
		if (fmt == PAPER_FMT_TEXT_CP866)
			execlp("lp", "lp", "-o", "raw", "--", path, (char *)NULL);
		else
			execlp("lp", "lp", "--", path, (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	lp_collect(pid, pfd[0], now_ms() + timeout_ms, reply, cap, &status);
	close(pfd[0]);
	if (status == -1)
		return hr_errorf(err, HR_E_TIMEOUT, "lp.timeout",
		    "the printer queue (lp) did not answer in {seconds} s",
		    HR_INT("seconds", timeout_ms / 1000));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return hr_errorf(err, HR_E_IO, "lp.failed",
		    "the printer queue (lp) refused the file: {reason}",
		    HR_STR("reason", reply[0] ? reply : "no reason given"));
	return 0;
}
