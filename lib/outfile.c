/* outfile.c - buffered, checked, atomic output. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "diag.h"
#include "outfile.h"

#define OUT_BUFSIZE ((size_t)1 << 18)

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(pc_xmalloc(n), s, n);
}

/* A short temporary name in the directory of path, so that an -o name near
 * NAME_MAX still works and the rename never crosses filesystems. */
static char *temporary_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t dir = slash ? (size_t)(slash - path) + 1 : 0;
	char *tmp = pc_xmalloc(dir + sizeof ".pc-XXXXXX");
	memcpy(tmp, path, dir);
	memcpy(tmp + dir, ".pc-XXXXXX", sizeof ".pc-XXXXXX");
	return tmp;
}

int pc_outfile_open(pc_outfile *f, const char *path, unsigned flags)
{
	struct stat st;

	*f = (pc_outfile){ .fd = -1, .dir = -1, .durable = flags & PC_OUTFILE_DURABLE };
	pc_buf_init(&f->buf);
	pc_buf_reserve(&f->buf, OUT_BUFSIZE);
	if (!path || strcmp(path, "-") == 0) {
		f->fd = STDOUT_FILENO;
		f->is_stdout = true;
		f->display = "standard output";
		return 0;
	}
	f->path = xstrdup(path);
	f->display = f->path;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		/* a device or a FIFO: there is nothing to rename */
		f->fd = open(path, O_WRONLY | O_CLOEXEC);
	} else {
		f->tmp = temporary_name(path);
		pc_cleanup_watch(f->tmp);   /* before it exists: a signal may come at once */
		f->fd = mkstemp(f->tmp);
		if (f->fd < 0) {
			pc_cleanup_forget(f->tmp);
			free(f->tmp);
			f->tmp = NULL;
		}
	}
	if (f->fd < 0) {
		pc_warn_errno("cannot create '%s'", path);
		pc_outfile_abort(f);
		return -1;
	}
	return 0;
}

static int write_all(pc_outfile *f, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(f->fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			/* An output whose file description another process made
			 * non-blocking: one inherited so, or mpirun's own, which
			 * pc-mpirun's rank 0 shares.  Wait until it takes more. */
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				struct pollfd pfd = { .fd = f->fd, .events = POLLOUT };
				if (poll(&pfd, 1, -1) >= 0 || errno == EINTR)
					continue;
			}
			/* SPEC 4: a closed pipe downstream ends the program quietly
			 * (this is seen only where SIGPIPE is caught or ignored) */
			if (!f->failed && !(errno == EPIPE && f->is_stdout))
				pc_warn_errno("write error on %s", f->display);
			f->failed = true;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int pc_outfile_flush(pc_outfile *f)
{
	if (f->failed)
		return -1;
	int r = write_all(f, f->buf.data, f->buf.len);
	f->buf.len = 0;
	return r;
}

int pc_outfile_write(pc_outfile *f, const void *p, size_t n)
{
	if (f->failed)
		return -1;
	if (n == 0)
		return 0;   /* p may be the NULL of an empty buffer */
	if (f->buf.cap - f->buf.len < n && pc_outfile_flush(f) != 0)
		return -1;
	/* half a buffer or more, with nothing before it: straight out (pc-merge's
	 * blocks), since copying it would save at most one write in two */
	if (f->buf.len == 0 && n >= f->buf.cap / 2)
		return write_all(f, p, n);
	memcpy(f->buf.data + f->buf.len, p, n);
	f->buf.len += n;
	return 0;
}

static void release(pc_outfile *f)
{
	if (f->tmp)
		pc_cleanup_forget(f->tmp);
	if (f->renamed)
		pc_cleanup_forget(f->path);
	if (f->dir >= 0)
		close(f->dir);
	free(f->path);
	free(f->tmp);
	pc_buf_free(&f->buf);
	f->path = f->tmp = NULL;
	f->fd = f->dir = -1;
	f->renamed = false;
}

/* The directory holding path, opened before the rename so that nothing
 * can fail between the rename and the sync but the sync itself. */
static int open_directory(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? xstrdup(path) : xstrdup(".");
	if (slash)
		dir[slash == path ? 1 : slash - path] = '\0';
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		pc_warn_errno("cannot open directory '%s'", dir);
	free(dir);
	return fd;
}

/* The rename is durable once the directory is synced. */
static int sync_directory(int fd)
{
	int r = fsync(fd);
	if (r != 0 && (errno == EINVAL || errno == ENOTSUP))
		r = 0;   /* a filesystem that cannot sync a directory has no more to do */
	return r;
}

/* Everything but the rename: flush, mode, sync, close, and open the
 * directory.  0, or -1 (reported; the caller aborts). */
static int prepare(pc_outfile *f)
{
	if (pc_outfile_flush(f) != 0)
		return -1;
	if (f->is_stdout)
		return 0;
	if (f->tmp) {
		/* mkstemp made it 0600; give it the mode a new file gets */
		mode_t mask = umask(0);
		umask(mask);
		if (fchmod(f->fd, 0666 & ~mask) != 0) {
			pc_warn_errno("cannot set the mode of '%s'", f->tmp);
			return -1;
		}
	}
	if (f->tmp && f->durable && fsync(f->fd) != 0) {
		pc_warn_errno("cannot sync '%s'", f->tmp);
		return -1;
	}
	int fd = f->fd;
	f->fd = -1;
	if (close(fd) != 0) {
		pc_warn_errno("write error on %s", f->display);
		return -1;
	}
	if (f->tmp && f->durable && (f->dir = open_directory(f->path)) < 0)
		return -1;
	return 0;
}

/* Take back files[0..n-1], renamed into place already: a failed run leaves
 * none of them. */
static void take_back(pc_outfile *const *files, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (files[i]->renamed)
			unlink(files[i]->path);
		release(files[i]);
	}
}

/* Whether an earlier file of files[0..i-1] has the directory of files[i]
 * (one fsync of a directory makes every rename in it durable). */
static bool same_directory_before(pc_outfile *const *files, size_t i)
{
	struct stat st, other;

	if (fstat(files[i]->dir, &st) != 0)
		return false;
	for (size_t j = 0; j < i; j++)
		if (files[j]->dir >= 0 && fstat(files[j]->dir, &other) == 0 &&
		    other.st_dev == st.st_dev && other.st_ino == st.st_ino)
			return true;
	return false;
}

int pc_outfile_commit_all(pc_outfile *const *files, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (prepare(files[i]) != 0) {
			for (i = 0; i < n; i++)
				pc_outfile_abort(files[i]);
			return -1;
		}
	}
	/* Nothing is left to fail but the renames and the syncs of the
	 * directories.  A renamed file is watched under its final name until
	 * all are done, so that a signal in between takes it back too. */
	for (i = 0; i < n; i++) {
		pc_outfile *f = files[i];
		if (!f->tmp)
			continue;
		if (rename(f->tmp, f->path) != 0) {
			pc_warn_errno("cannot rename '%s' to '%s'", f->tmp, f->path);
			take_back(files, i);
			for (; i < n; i++)
				pc_outfile_abort(files[i]);
			return -1;
		}
		pc_cleanup_watch(f->path);
		pc_cleanup_forget(f->tmp);
		free(f->tmp);
		f->tmp = NULL;
		f->renamed = true;
	}
	for (i = 0; i < n; i++) {
		pc_outfile *f = files[i];
		if (f->dir >= 0 && !same_directory_before(files, i) &&
		    sync_directory(f->dir) != 0) {
			/* not on disk for sure: take them back, a failed run leaves none */
			pc_warn_errno("cannot sync the directory of '%s'", f->path);
			take_back(files, n);
			return -1;
		}
	}
	for (i = 0; i < n; i++)
		release(files[i]);
	return 0;
}

int pc_outfile_commit(pc_outfile *f)
{
	return pc_outfile_commit_all(&f, 1);
}

void pc_outfile_abort(pc_outfile *f)
{
	/* written in place: what was scored before the failure stays */
	if (!f->tmp && f->fd >= 0)
		pc_outfile_flush(f);
	if (f->fd >= 0 && !f->is_stdout)
		close(f->fd);
	if (f->tmp)
		unlink(f->tmp);
	release(f);
}
