/* reader.c - the input stream, cut into blocks on row boundaries.
 *
 * A row ends at an LF preceded by an even number of quotes since the row
 * began: in valid CSV quotes come in pairs ("" inside a quoted field too),
 * so parity alone tells whether an LF is inside a quoted name.  Blocks
 * start at a row boundary, or just after a comma outside quotes when a row
 * is longer than a block, so every block starts at even parity.        */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "reader.h"
#include "rows.h"

struct pc_reader {
	char **files;
	int nfiles;
	int next_file;     /* index of the next file to open */
	int fd;            /* current file, or -1 */
	const char *name;  /* its display name */
	bool eof;          /* the current file has been read to its end */
	bool file_start;   /* the next block is the first of the current file */
	bool in_row;       /* pending starts in the middle of a row */
	bool done;         /* an error ended the stream */
	size_t block_size;
	pc_buf pending;    /* bytes read but not yet handed out */
	uint64_t seq;
	uint64_t total_size;
};

pc_reader *pc_reader_new(char **files, int nfiles, size_t block_size)
{
	pc_reader *r = pc_xmalloc(sizeof *r);
	*r = (pc_reader){ .files = files, .nfiles = nfiles, .fd = -1,
			  .block_size = block_size ? block_size : 1 };
	pc_buf_init(&r->pending);
	/* the total size, for progress reports, when every input has one */
	for (int i = 0; i < nfiles; i++) {
		struct stat st;
		bool std = strcmp(files[i], "-") == 0;
		if ((std ? fstat(STDIN_FILENO, &st) : stat(files[i], &st)) != 0 ||
		    !S_ISREG(st.st_mode)) {
			r->total_size = 0;
			break;
		}
		r->total_size += (uint64_t)st.st_size;
	}
	return r;
}

uint64_t pc_reader_total_size(const pc_reader *r)
{
	return r->total_size;
}

static void close_file(pc_reader *r)
{
	if (r->fd > STDIN_FILENO)
		close(r->fd);
	r->fd = -1;
}

void pc_reader_free(pc_reader *r)
{
	if (!r)
		return;
	close_file(r);
	pc_buf_free(&r->pending);
	free(r);
}

void pc_block_init(pc_block *blk)
{
	*blk = (pc_block){ .kind = PC_BLOCK_ROWS };
}

void pc_block_free(pc_block *blk)
{
	free(blk->data);
	pc_block_init(blk);
}

static void block_reserve(pc_block *blk, size_t n)
{
	if (blk->cap < n + 1 + PC_BLOCK_PAD) {
		blk->cap = n + 1 + PC_BLOCK_PAD;
		blk->data = pc_xrealloc(blk->data, blk->cap);
	}
}

static int open_next(pc_reader *r)
{
	const char *f = r->files[r->next_file++];
	if (strcmp(f, "-") == 0) {
		r->fd = STDIN_FILENO;
		r->name = "-";
	} else {
		r->fd = open(f, O_RDONLY | O_CLOEXEC);
		r->name = f;
		if (r->fd < 0) {
			pc_warn_errno("cannot open '%s'", f);
			return -1;
		}
	}
	r->eof = false;
	r->file_start = true;
	r->in_row = false;
	return 0;
}

/* Read until blk holds `want` bytes or the file ends. */
static int fill(pc_reader *r, pc_block *blk, size_t want)
{
	block_reserve(blk, want);
	while (blk->len < want && !r->eof) {
		ssize_t n = read(r->fd, blk->data + blk->len, want - blk->len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			pc_warn_errno("read error on '%s'", r->name);
			return -1;
		}
		if (n == 0)
			r->eof = true;
		blk->len += (size_t)n;
	}
	return 0;
}

/*
 * One past the last `ch` outside quotes in d[0..n), or 0 if none: from the
 * last `ch` backwards, the first with an even number of quotes before it.
 * Each stretch of the block is counted once, and a block without quotes
 * costs one memchr.
 */
static size_t last_outside_quotes(const char *d, size_t n, char ch)
{
	const char *c = memrchr(d, ch, n);
	if (!c)
		return 0;
	const char *quote = memchr(d, '"', (size_t)(c - d));
	bool odd = quote && pc_quotes_odd(quote, c);
	while (odd) {
		const char *prev = memrchr(d, ch, (size_t)(c - d));
		if (!prev)
			return 0;
		odd ^= pc_quotes_odd(prev, c);
		c = prev;
	}
	return (size_t)(c - d) + 1;
}

/* d[0..n) starts a line: is it a framing line?  *line_len gets its length. */
static bool is_frame_line(const char *d, size_t n, size_t *line_len)
{
	if (n < 4 || memcmp(d, "#pc:", 4) != 0)
		return false;
	const char *lf = memchr(d, '\n', n);
	size_t len = lf ? (size_t)(lf - d) : n;
	*line_len = len;
	return memchr(d, ',', len) == NULL;
}

/* The first framing line in d[0..n) that starts after an LF, or n.
 * memchr for '#' is much faster than memmem, and '#' is rare in data. */
static size_t find_frame(const char *d, size_t n)
{
	size_t len;
	for (const char *p = d + 1, *end = d + n; p < end; p++) {
		p = memchr(p, '#', (size_t)(end - p));
		if (!p)
			break;
		size_t at = (size_t)(p - d);
		if (p[-1] == '\n' && is_frame_line(p, n - at, &len) && !pc_quotes_odd(d, p))
			return at;
	}
	return n;
}

/* Hand the bytes past `cut` back to pending. */
static void keep_rest(pc_reader *r, pc_block *blk, size_t cut)
{
	r->pending.len = 0;
	pc_buf_add(&r->pending, blk->data + cut, blk->len - cut);
	blk->len = cut;
	memset(blk->data + cut, 0, 1 + PC_BLOCK_PAD);
}

int pc_reader_next(pc_reader *r, pc_block *blk)
{
	for (;;) {
		if (r->done)
			return 0;
		if (r->fd < 0) {
			if (r->next_file == r->nfiles)
				return 0;
			if (open_next(r) != 0) {
				r->done = true;
				return -1;
			}
		}

		*blk = (pc_block){ .kind = PC_BLOCK_ROWS, .seq = r->seq, .file = r->name,
				   .file_start = r->file_start, .continued = r->in_row,
				   .data = blk->data, .cap = blk->cap };
		block_reserve(blk, r->pending.len);
		if (r->pending.len)
			memcpy(blk->data, r->pending.data, r->pending.len);
		blk->len = r->pending.len;
		r->pending.len = 0;

		size_t want = r->block_size > 4 ? r->block_size : 4;
		size_t cut, line_len;
		for (;;) {
			if (fill(r, blk, want) != 0) {
				r->done = true;
				return -1;
			}
			if (r->file_start && blk->len >= 3 &&
			    memcmp(blk->data, "\xEF\xBB\xBF", 3) == 0) {
				memmove(blk->data, blk->data + 3, blk->len - 3);
				blk->len -= 3;
			}
			r->file_start = false;

			if (!blk->continued && is_frame_line(blk->data, blk->len, &line_len)) {
				if (line_len < blk->len || r->eof) {
					blk->kind = PC_BLOCK_FRAME;
					cut = line_len + (line_len < blk->len);
					break;
				}
			} else {
				cut = r->eof ? blk->len : last_outside_quotes(blk->data, blk->len, '\n');
				if (cut > 0 || r->eof) {
					cut = find_frame(blk->data, cut);
					break;
				}
				cut = last_outside_quotes(blk->data, blk->len, ',');
				if (cut > 0) {
					blk->continues = true;
					break;
				}
			}
			/* one line or field is longer than the block: read on */
			if (want >= PC_FIELD_MAX) {
				blk->kind = PC_BLOCK_FIELD_TOO_LONG;
				r->done = true;
				r->seq++;
				return 1;
			}
			want = want * 2 < blk->len + r->block_size ? blk->len + r->block_size : want * 2;
		}
		keep_rest(r, blk, cut);
		if (blk->kind == PC_BLOCK_FRAME) {
			/* the line without its ending */
			size_t n = line_len;
			if (n > 0 && blk->data[n - 1] == '\r')
				n--;
			blk->len = n;
			memset(blk->data + n, 0, 1 + PC_BLOCK_PAD);
		}
		r->in_row = blk->continues;
		if (r->eof && r->pending.len == 0) {
			blk->file_end = true;
			close_file(r);
		}
		/* an empty block is kept only when it ends a file (and maybe a row) */
		if (blk->len == 0 && !blk->file_end)
			continue;
		blk->seq = r->seq++;
		return 1;
	}
}
