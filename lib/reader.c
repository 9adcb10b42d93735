/* reader.c - the input stream, cut into blocks on row boundaries.
 *
 * Bytes are read into one buffer, in[off .. len), and scanned forward once
 * by the row grammar (rows.h): the scan remembers how far it got and in
 * what state, the last row end it saw, and the first framing line, so no
 * byte is scanned twice but those of a row still incomplete when the
 * buffer ran out.  A stretch without a quote is one pass of the byte
 * classifier (classify.h): its quotes, line feeds and '#'s found together.
 *
 * A block is handed out by whichever is cheaper: when it is at least as
 * long as what stays behind, it takes the buffer itself and what stays is
 * copied into the block's old memory, which becomes the buffer; otherwise
 * the block's bytes are copied.  So a block costs at most its own length
 * in copying, usually a partial row, and a framing line costs its length,
 * whatever the block size.  A reader that lends its blocks
 * (pc_reader_lend) copies nothing: a block is a view of the buffer.      */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "classify.h"
#include "diag.h"
#include "frame.h"
#include "reader.h"
#include "rows.h"

#define NONE SIZE_MAX

struct pc_reader {
	char **files;
	int nfiles;
	int next_file;     /* index of the next file to open */
	int fd;            /* current file, or -1 */
	const char *name;  /* its display name */
	bool eof;          /* the current file has been read to its end */
	int read_errno;    /* a read of the current file failed */
	bool file_start;   /* the next block is the first of the current file */
	bool bom_checked;
	bool header_checked; /* the current file's first line was looked at */
	bool header;         /* --header: a file's first line is no row */
	char plain_delim;    /* the field separator outside chunks */
	char delim;          /* ... and here: the chunk's, inside one */
	bool in_row;       /* in[off] is in the middle of a row */
	bool in_chunk;     /* between a #pc:chunk and a #pc:end line */
	bool done;         /* the stream has ended (an error block went out) */
	bool lend;         /* ROWS blocks point into `in` (pc_reader_lend) */
	size_t block_size;
	/* bytes read, not handed out yet: in.data[off .. in.len) */
	pc_buf in;
	size_t off;
	/* the scan of in.data[off ..) */
	size_t scan;          /* scanned up to here */
	bool scan_in_row;     /* ... which is inside a row, in state `field` */
	pc_field_state field;
	size_t row_end;       /* one past the last row end seen, >= off */
	size_t frame;         /* start of the first framing line seen, or NONE */
	uint64_t seq;
	uint64_t total_size;
};

pc_reader *pc_reader_new(char **files, int nfiles, size_t block_size)
{
	pc_reader *r = pc_xmalloc(sizeof *r);
	*r = (pc_reader){ .files = files, .nfiles = nfiles, .fd = -1, .frame = NONE,
			  .plain_delim = ',', .delim = ',',
			  .block_size = block_size > 4 ? block_size : 4 };
	pc_buf_init(&r->in);
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

void pc_reader_set_format(pc_reader *r, bool header, char delim)
{
	r->header = header;
	r->plain_delim = r->delim = delim ? delim : ',';
}

void pc_reader_lend(pc_reader *r)
{
	r->lend = true;
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
	pc_buf_free(&r->in);
	free(r);
}

/* ---- blocks -------------------------------------------------------------- */

void pc_block_init(pc_block *blk)
{
	*blk = (pc_block){ .kind = PC_BLOCK_ROWS, .delim = ',' };
}

void pc_block_free(pc_block *blk)
{
	free(blk->mem);
	pc_block_init(blk);
}

void pc_block_reserve(pc_block *blk, size_t n)
{
	if (blk->cap < n + PC_BLOCK_PAD) {
		blk->cap = n + PC_BLOCK_PAD;
		free(blk->mem);
		blk->mem = pc_xmalloc(blk->cap);
	}
	blk->data = blk->mem;
}

void pc_block_set_len(pc_block *blk, size_t n)
{
	blk->len = n;
	memset(blk->data + n, 0, PC_BLOCK_PAD);
}

void pc_block_report_io(const pc_block *blk)
{
	fprintf(stderr, "%s: %.*s: %s\n", pc_program_name(), (int)blk->len, blk->data,
		strerror(blk->error));
}

/* A block of kind `kind`, in stream order, with the reader's flags. */
static void start_block(pc_reader *r, pc_block *blk, pc_block_kind kind)
{
	char *mem = blk->mem;
	size_t cap = blk->cap;
	*blk = (pc_block){ .kind = kind, .seq = r->seq++, .file = r->name, .delim = r->delim,
			   .file_start = r->file_start, .continued = r->in_row,
			   .data = mem, .mem = mem, .cap = cap };
	r->file_start = false;
}

/* The stream ends with an error block: "cannot open 'x'" and its errno. */
/* The block that ends the input at a field of PC_FIELD_MAX bytes or more
 * (the sink reports it): empty, and the reader is done.  Returns 1. */
static int field_too_long_block(pc_reader *r, pc_block *blk)
{
	start_block(r, blk, PC_BLOCK_FIELD_TOO_LONG);
	pc_block_reserve(blk, 0);
	pc_block_set_len(blk, 0);
	r->done = true;
	close_file(r);
	return 1;
}

static int error_block(pc_reader *r, pc_block *blk, const char *what, int errnum)
{
	start_block(r, blk, PC_BLOCK_IO_ERROR);
	blk->continued = false;
	blk->error = errnum;
	size_t n = strlen(what) + strlen(r->name) + 4;
	pc_block_reserve(blk, n);
	pc_block_set_len(blk, (size_t)snprintf(blk->data, n + 1, "%s '%s'", what, r->name));
	r->done = true;
	close_file(r);
	return 1;
}

/* ---- reading ------------------------------------------------------------- */

static int open_next(pc_reader *r)
{
	const char *f = r->files[r->next_file++];
	r->name = f;
	r->eof = r->bom_checked = r->header_checked = r->in_row = r->in_chunk = false;
	r->delim = r->plain_delim;
	r->read_errno = 0;
	r->file_start = true;
	if (strcmp(f, "-") == 0) {
		r->fd = STDIN_FILENO;
		return 0;
	}
	r->fd = open(f, O_RDONLY | O_CLOEXEC);
	return r->fd < 0 ? -1 : 0;
}

/* Move every offset into in.data by -delta (bytes before off are gone). */
static void shift(pc_reader *r, size_t delta)
{
	r->off -= delta;
	r->scan -= delta;
	r->row_end -= delta;
	if (r->frame != NONE)
		r->frame -= delta;
}

/* Read until in[off..] holds `want` bytes, or the file ends or fails. */
static void fill(pc_reader *r, size_t want)
{
	if (r->in.cap < r->off + want + PC_BLOCK_PAD && r->off > 0) {
		size_t keep = r->in.len - r->off;
		memmove(r->in.data, r->in.data + r->off, keep);
		r->in.len = keep;
		shift(r, r->off);
	}
	if (r->in.cap < r->off + want + PC_BLOCK_PAD)
		pc_buf_reserve(&r->in, r->off + want + PC_BLOCK_PAD - r->in.len);
	while (r->in.len - r->off < want && !r->eof && !r->read_errno) {
		ssize_t n = read(r->fd, r->in.data + r->in.len, r->off + want - r->in.len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			r->read_errno = errno;
		else if (n == 0)
			r->eof = true;
		else
			r->in.len += (size_t)n;
	}
}

/* ---- the scan ------------------------------------------------------------ */

/* Is the line at p (a row start) a framing line?  1 yes, 0 no, -1 not known
 * before more bytes come.  *len gets its length without the LF. */
static int frame_line(const char *p, const char *end, bool final, char delim, size_t *len)
{
	size_t n = (size_t)(end - p);
	if (n < 4)
		return final || memcmp(p, "#pc:", n) != 0 ? 0 : -1;
	if (memcmp(p, "#pc:", 4) != 0)
		return 0;
	const char *lf = memchr(p, '\n', n);
	const char *stop = lf ? lf : end;
	if (memchr(p, ',', (size_t)(stop - p)) || memchr(p, delim, (size_t)(stop - p)))
		return 0;   /* a data row whose name starts with #pc: */
	if (!lf && !final)
		return -1;
	*len = (size_t)(stop - p);
	return 1;
}

/* From p, inside a row that is not in a quoted section: every LF up to the
 * next quote ends a row.  Notes the last one and the first framing line;
 * returns where the scan stops (the quote, end, or a framing line's start),
 * with the state there (the stop may be inside a row, at a quote). */
static const char *scan_plain(pc_reader *r, const char *p, const char *end, bool final)
{
	const char *base = r->in.data, *last_lf = NULL, *stop = p;
	size_t len;

	for (;;) {
		stop = pc_classify_stop(stop, end, &last_lf);
		if (stop == end || *stop != '#')
			break;
		int f = frame_line(stop, end, final, r->delim, &len);
		if (f == 0)
			continue;   /* a row that begins with '#': on from it */
		r->row_end = (size_t)(stop - base);
		r->scan_in_row = false;
		if (f > 0)
			r->frame = (size_t)(stop - base);
		return stop;   /* a framing line, or maybe one: go no further */
	}
	if (last_lf) {
		r->row_end = (size_t)(last_lf + 1 - base);
		p = last_lf + 1;
		r->field = PC_FIELD_START;
		r->scan_in_row = p < stop;
	}
	if (p < stop)
		pc_row_scan(&r->field, p, stop, r->delim);   /* no LF there: it only moves the state */
	return stop;
}

/* Scan in[scan .. len) by the row grammar; `final` at the file's end. */
static void scan(pc_reader *r, bool final)
{
	const char *base = r->in.data;
	const char *p = base + r->scan, *end = base + r->in.len;
	size_t len;

	while (p < end && r->frame == NONE) {
		if (!r->scan_in_row) {
			/* a line start between rows */
			if (*p == '\r' && p + 1 == end && !final)
				break;   /* a blank line or not: the next byte tells */
			size_t blank = pc_blank_line(p, end, final);
			if (blank) {
				p += blank;
				r->row_end = (size_t)(p - base);
				continue;
			}
			if (*p == '#') {
				int f = frame_line(p, end, final, r->delim, &len);
				if (f < 0)
					break;
				if (f > 0) {
					r->frame = (size_t)(p - base);
					break;
				}
			}
			r->scan_in_row = true;
			r->field = PC_FIELD_START;
		}
		if (r->field != PC_FIELD_QUOTED && *p != '"') {
			/* up to the next quote every LF ends a row */
			p = scan_plain(r, p, end, final);
			continue;
		}
		const char *lf = pc_row_scan(&r->field, p, end, r->delim);
		if (!lf) {
			p = end;
			break;
		}
		p = lf + 1;
		r->row_end = (size_t)(p - base);
		r->scan_in_row = false;
	}
	r->scan = (size_t)(p - base);
}

/*
 * At the end of a file inside a chunk, a quote that never closed has
 * swallowed the chunk's trailer: give it back when it is the last line.
 */
static void unswallow_trailer(pc_reader *r)
{
	const char *base = r->in.data, *from = base + r->off, *end = base + r->in.len;
	size_t len;

	if (!r->in_chunk || !r->scan_in_row || r->field != PC_FIELD_QUOTED || end == from)
		return;
	const char *last = end - (end[-1] == '\n');
	const char *lf = memrchr(from, '\n', (size_t)(last - from));
	if (!lf)
		return;
	const char *line = lf + 1;
	if (last - line >= 8 && memcmp(line, "#pc:end ", 8) == 0 &&
	    frame_line(line, end, true, r->delim, &len) == 1)
		r->frame = (size_t)(line - base);
}

/* ---- handing out blocks -------------------------------------------------- */

/* Give in[off .. cut) to blk, the cheaper way (see the top of the file). */
static void hand_out(pc_reader *r, pc_block *blk, size_t cut)
{
	size_t n = cut - r->off, rest = r->in.len - cut;

	if (r->row_end < cut)
		r->row_end = cut;   /* after a comma cut: no row has ended past it yet */
	if (r->lend) {
		/* lent: nothing moves until the next call (no padding: the
		 * bytes after the block are the next rows) */
		blk->data = r->in.data + r->off;
		blk->len = n;
		r->off = cut;
		return;
	}
	if (n >= rest) {
		/* the block takes the buffer; what stays moves to the block's memory */
		char *mem = blk->mem;
		size_t cap = blk->cap;
		blk->mem = r->in.data;
		blk->cap = r->in.cap;
		blk->data = r->in.data + r->off;
		if (cap < rest + PC_BLOCK_PAD) {
			free(mem);
			cap = rest + PC_BLOCK_PAD;
			mem = pc_xmalloc(cap);
		}
		memcpy(mem, r->in.data + cut, rest);
		r->in = (pc_buf){ .data = mem, .len = rest, .cap = cap };
		r->off = cut;
		shift(r, cut);
	} else {
		pc_block_reserve(blk, n);
		memcpy(blk->data, r->in.data + r->off, n);
		r->off = cut;
	}
	pc_block_set_len(blk, n);
}

/* The framing line at off: a block of its own. */
static int frame_block(pc_reader *r, pc_block *blk)
{
	const char *p = r->in.data + r->off;
	size_t len = 0;
	frame_line(p, r->in.data + r->in.len, true, r->delim, &len);
	start_block(r, blk, PC_BLOCK_FRAME);
	pc_block_reserve(blk, len);
	memcpy(blk->data, p, len);
	pc_block_set_len(blk, len);
	if (len >= 10 && memcmp(p, "#pc:chunk ", 10) == 0) {
		/* the chunk's rows are separated as its header says (a corrupt
		 * header is reported by whoever reads this block) */
		pc_frame f;
		const char *why;
		size_t n = len - (p[len - 1] == '\r');
		r->in_chunk = true;
		r->delim = pc_frame_parse(p, n, &f, &why) == 0 && f.delim ? f.delim : ',';
	} else if (len >= 8 && memcmp(p, "#pc:end ", 8) == 0) {
		r->in_chunk = false;
		r->delim = r->plain_delim;
	}
	r->off += len + (r->off + len < r->in.len);   /* and its LF */
	r->frame = NONE;
	r->scan = r->row_end = r->off;
	r->scan_in_row = false;
	return 1;
}

/*
 * With --header, the file's first line (from off): 1 with a block of it, 0
 * when there is none (an empty file, or a chunk's framing line), or an
 * error block.  The line ends at its first LF, quotes or not.
 */
static int header_block(pc_reader *r, pc_block *blk)
{
	const char *p, *lf;
	size_t n, len;

	r->header_checked = true;
	for (;;) {
		p = r->in.data + r->off;
		n = r->in.len - r->off;
		if ((lf = memchr(p, '\n', n)) || r->eof)
			break;
		if (r->read_errno)
			return error_block(r, blk, "read error on", r->read_errno);
		if (n >= PC_FIELD_MAX)
			return field_too_long_block(r, blk);
		fill(r, n + r->block_size);
	}
	if (n == 0 || frame_line(p, p + n, true, r->delim, &len) == 1)
		return 0;
	len = lf ? (size_t)(lf + 1 - p) : n;
	start_block(r, blk, PC_BLOCK_HEADER);
	pc_block_reserve(blk, len);
	memcpy(blk->data, p, len);
	pc_block_set_len(blk, len);
	r->off = r->scan = r->row_end = r->off + len;
	return 1;
}

int pc_reader_next(pc_reader *r, pc_block *blk)
{
	for (;;) {
		if (r->done)
			return 0;
		if (r->fd < 0) {
			if (r->next_file == r->nfiles)
				return 0;
			if (open_next(r) != 0)
				return error_block(r, blk, "cannot open", errno);
			r->in.len = r->off = r->scan = r->row_end = 0;
			r->frame = NONE;
			r->scan_in_row = false;
		}
		if (!r->bom_checked) {
			fill(r, 3);
			if (r->in.len - r->off >= 3 && memcmp(r->in.data + r->off, "\xEF\xBB\xBF", 3) == 0)
				r->off = r->scan = r->row_end = r->off + 3;
			r->bom_checked = true;
		}
		if (r->header && !r->header_checked && header_block(r, blk))
			return 1;

		size_t want = r->block_size, cut;
		bool at_comma = false;
		for (;;) {
			bool final = r->eof;
			scan(r, final);
			if (final)
				unswallow_trailer(r);
			if (r->frame == r->off)
				return frame_block(r, blk);
			if (r->frame != NONE) {
				cut = r->frame;
				break;
			}
			if (final) {
				cut = r->in.len;
				break;
			}
			if (r->read_errno) {
				if (r->row_end > r->off) {
					cut = r->row_end;   /* the rows before the failure first */
					break;
				}
				return error_block(r, blk, "read error on", r->read_errno);
			}
			if (r->in.len - r->off < want) {
				fill(r, want);
				continue;
			}
			if (r->row_end > r->off) {
				cut = r->row_end;
				break;
			}
			const char *comma = pc_row_last_delim(PC_FIELD_START, r->in.data + r->off,
							       r->in.data + r->in.len, r->delim);
			if (comma) {
				cut = (size_t)(comma - r->in.data);
				at_comma = true;
				break;
			}
			/* one field is longer than the block: read on */
			if (want >= PC_FIELD_MAX)
				return field_too_long_block(r, blk);
			want = want * 2 < r->in.len - r->off + r->block_size ?
				       r->in.len - r->off + r->block_size : want * 2;
			fill(r, want);
		}

		bool ends_file = r->eof && cut == r->in.len;
		/* an empty block is kept only when it ends a file (and maybe a row) */
		if (cut == r->off && !ends_file)
			continue;
		start_block(r, blk, PC_BLOCK_ROWS);
		blk->continues = at_comma;
		blk->file_end = ends_file;
		hand_out(r, blk, cut);
		r->in_row = at_comma;
		if (ends_file)
			close_file(r);
		return 1;
	}
}
