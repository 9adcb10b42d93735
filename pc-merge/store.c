/* store.c - the rows of waiting chunks, in memory or in a spill file. */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "diag.h"
#include "store.h"

static int spill_open(store *s)
{
	size_t n = strlen(s->tmpdir);
	char *path = pc_xmalloc(n + sizeof "/pc-merge.XXXXXX");
	memcpy(path, s->tmpdir, n);
	memcpy(path + n, "/pc-merge.XXXXXX", sizeof "/pc-merge.XXXXXX");
	pc_cleanup_watch(path);   /* for the moment between mkstemp and unlink */
	s->fd = mkstemp(path);
	if (s->fd < 0)
		pc_warn_errno("cannot create a temporary file in '%s'", s->tmpdir);
	else
		unlink(path);   /* it goes away with us, whatever happens */
	pc_cleanup_forget(path);
	free(path);
	return s->fd < 0 ? -1 : 0;
}

static int spill_write(store *s, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = pwrite(s->fd, p, n, (off_t)s->end);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			pc_warn_errno("write error on a temporary file in '%s'", s->tmpdir);
			return -1;
		}
		p += w;
		n -= (size_t)w;
		s->end += (uint64_t)w;
	}
	return 0;
}

int store_keep(store *s, chunk *c, const char *p, size_t n)
{
	if (!c->spilled && s->in_memory + n <= s->budget) {
		pc_buf_add(&c->mem, p, n);
		s->in_memory += n;
		return 0;
	}
	if (!c->spilled) {
		/* over budget: this chunk, the one being read, moves to the file */
		if (s->fd < 0 && spill_open(s) != 0)
			return -1;
		c->spilled = true;
		c->off = s->end;
		c->len = c->mem.len;
		s->spilled++;
		if (spill_write(s, c->mem.data, c->mem.len) != 0)
			return -1;
		s->in_memory -= c->mem.len;
		pc_buf_free(&c->mem);
	}
	c->len += n;
	return spill_write(s, p, n);
}

int store_write(store *s, chunk *c, pc_outfile *out)
{
	if (!c->spilled)
		return pc_outfile_write(out, c->mem.data, c->mem.len) == 0 ? 0 : -1;
	pc_buf_reserve(&s->copy, (size_t)1 << 20);
	for (uint64_t done = 0; done < c->len;) {
		size_t want = c->len - done < s->copy.cap ? (size_t)(c->len - done) : s->copy.cap;
		ssize_t n = pread(s->fd, s->copy.data, want, (off_t)(c->off + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;   /* the file is shorter than what we wrote */
			pc_warn_errno("read error on a temporary file in '%s'", s->tmpdir);
			return -1;
		}
		if (pc_outfile_write(out, s->copy.data, (size_t)n) != 0)
			return -1;
		done += (uint64_t)n;
	}
	return 0;
}

void store_drop(store *s, chunk *c)
{
	if (c->spilled && --s->spilled == 0) {
		/* no spilled chunk waits any more: give the space back */
		if (ftruncate(s->fd, 0) == 0)
			s->end = 0;
	}
	s->in_memory -= c->mem.len;
	pc_buf_free(&c->mem);
	c->spilled = false;
}

void store_free(store *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	pc_buf_free(&s->copy);
}
