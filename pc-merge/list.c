/* list.c - pc-split's list of chunk paths (see list.h). */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pc.h"
#include "list.h"

#define FRAME_MAX 4096   /* a framing line is far shorter */

/* The framing line in buf[0..n) that ends at its first LF (from the start)
 * or at its last one (from the end); NULL when there is none. */
static const char *first_line(const char *buf, size_t n, size_t *len)
{
	const char *lf = memchr(buf, '\n', n);
	if (!lf)
		return NULL;
	*len = (size_t)(lf - buf);
	return buf;
}

static const char *last_line(const char *buf, size_t n, size_t *len)
{
	if (n == 0 || buf[n - 1] != '\n')
		return NULL;
	size_t start = n - 1;
	while (start > 0 && buf[start - 1] != '\n')
		start--;
	if (start == 0 && n == FRAME_MAX)
		return NULL;   /* no line start in the tail read */
	*len = n - 1 - start;
	return buf + start;
}

/* Read a chunk's header and trailer: 0, or -1 with *why. */
static int read_chunk(const char *path, listed_chunk *c, char id[17], const char **why)
{
	char buf[FRAME_MAX];
	const char *line;
	size_t len;
	ssize_t got;
	struct stat st;
	pc_frame head, tail;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) != 0) {
		*why = strerror(errno);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*why = "not a chunk of pc-split's (no #pc:chunk line)";
	got = pread(fd, buf, sizeof buf, 0);
	if (got < 0)
		goto io_error;
	line = first_line(buf, (size_t)got, &len);
	if (!line || len < 4 || memcmp(line, "#pc:", 4) != 0 ||
	    pc_frame_parse(line, len, &head, why) != 0 || head.type != PC_FRAME_CHUNK)
		goto bad;
	*why = "not a whole chunk of pc-split's (no #pc:end line at its end)";
	off_t from = st.st_size > FRAME_MAX ? st.st_size - FRAME_MAX : 0;
	got = pread(fd, buf, sizeof buf, from);
	if (got < 0)
		goto io_error;
	line = last_line(buf, (size_t)got, &len);
	if (!line || pc_frame_parse(line, len, &tail, why) != 0 || tail.type != PC_FRAME_END ||
	    strcmp(tail.id, head.id) != 0 || tail.index != head.index)
		goto bad;
	if (tail.scored_counts) {
		*why = "a scored chunk: list pc-split's chunks, not their results";
		goto bad;
	}
	close(fd);
	c->index = head.index;
	c->last = tail.last;
	memcpy(id, head.id, 17);
	return 0;
io_error:
	*why = strerror(errno);
bad:
	close(fd);
	return -1;
}

static int by_index(const void *a, const void *b)
{
	uint64_t x = ((const listed_chunk *)a)->index, y = ((const listed_chunk *)b)->index;
	return (x > y) - (x < y);
}

int chunk_list_read(chunk_list *l, const char *name, bool zero)
{
	pc_buf text;
	char chunk[65536];
	ssize_t got;
	size_t cap = 0;
	int fd = open(name, O_RDONLY);
	const char sep = zero ? '\0' : '\n';

	*l = (chunk_list){ 0 };
	if (fd < 0) {
		pc_warn("cannot open '%s': %s", name, strerror(errno));
		return -1;
	}
	pc_buf_init(&text);
	while ((got = read(fd, chunk, sizeof chunk)) != 0) {
		if (got < 0) {
			if (errno == EINTR)
				continue;
			pc_warn("cannot read '%s': %s", name, strerror(errno));
			close(fd);
			pc_buf_free(&text);
			return -1;
		}
		pc_buf_add(&text, chunk, (size_t)got);
	}
	close(fd);
	pc_buf_addc(&text, sep);   /* a last entry without its terminator */

	int status = 0;
	uint64_t entry = 0;
	for (size_t at = 0, end; at < text.len && status == 0; at = end + 1) {
		end = at + (size_t)((char *)memchr(text.data + at, sep, text.len - at) -
				    (text.data + at));
		if (end == at)
			continue;   /* an empty line, or the terminator added */
		entry++;
		char *path = pc_xmalloc(end - at + 1);
		memcpy(path, text.data + at, end - at);
		path[end - at] = '\0';
		if (!zero && strchr(path, '\0') != path + (end - at)) {
			pc_warn("%s:%llu: a NUL byte in a path (the list of pc-split -z needs -z)",
				name, (unsigned long long)entry);
			free(path);
			status = -1;
			break;
		}
		listed_chunk c = { .path = path };
		char id[17];
		const char *why;
		if (read_chunk(path, &c, id, &why) != 0) {
			pc_warn("%s:%llu: '%s': %s", name, (unsigned long long)entry, path, why);
			free(path);
			status = -1;
			break;
		}
		if (!l->id[0])
			memcpy(l->id, id, sizeof l->id);
		else if (strcmp(l->id, id) != 0) {
			pc_warn("%s:%llu: '%s' is a chunk of run %s, not of run %s", name,
				(unsigned long long)entry, path, id, l->id);
			free(path);
			status = -1;
			break;
		}
		if (l->n == cap) {
			cap = cap ? 2 * cap : 64;
			l->item = pc_xrealloc(l->item, cap * sizeof *l->item);
		}
		l->item[l->n++] = c;
	}
	pc_buf_free(&text);
	if (status == 0) {
		qsort(l->item, l->n, sizeof *l->item, by_index);
		for (size_t i = 1; i < l->n; i++)
			if (l->item[i].index == l->item[i - 1].index) {
				pc_warn("%s: chunk %llu is listed twice ('%s' and '%s')", name,
					(unsigned long long)l->item[i].index, l->item[i - 1].path,
					l->item[i].path);
				status = -1;
				break;
			}
	}
	if (status != 0)
		chunk_list_free(l);
	return status;
}

const listed_chunk *chunk_list_find(const chunk_list *l, uint64_t index)
{
	size_t lo = 0, hi = l->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (l->item[mid].index < index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < l->n && l->item[lo].index == index ? &l->item[lo] : NULL;
}

void chunk_list_free(chunk_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->item[i].path);
	free(l->item);
	*l = (chunk_list){ 0 };
}
