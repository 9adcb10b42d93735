/* pc-merge - put scored chunks back in order and prove nothing is missing.
 *
 * Chunks may come in any order, in one stream or many files.  The chunk
 * the output needs next goes straight out as it arrives; one that comes
 * early waits, in memory while all waiting chunks fit --buffer-size, else
 * in one temporary file, unlinked as soon as it is made so that nothing
 * is left behind whatever happens.  A table keyed by index remembers the
 * chunks that wait or went wrong; a chunk below the next index was
 * written.  Problems are reported as they show (a chunk twice, truncated
 * or inconsistent, two runs) and, at the end, every index that never
 * came; then the exit status is 1 and -o leaves no file.  Once something
 * is wrong no more rows are kept or written: only the checks go on.
 *
 * Inputs without any framing are just concatenated.                     */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "powercouples.h"
#include "rows.h"

/* ---- the chunks that wait or went wrong, by index ------------------------ */

typedef enum {
	CHUNK_COMING,   /* being read */
	CHUNK_WAITING,  /* complete, kept until its turn */
	CHUNK_DROPPED,  /* complete, its rows thrown away: the run had failed */
	CHUNK_WRITTEN,
	CHUNK_BAD,      /* truncated or inconsistent (reported) */
} chunk_state;

typedef struct {
	uint64_t index;    /* 0: a free slot (indexes count from 1) */
	chunk_state state;
	bool spilled;      /* its rows are in the spill file, not in mem */
	pc_buf mem;
	uint64_t off, len; /* where in the spill file */
} chunk;

typedef struct {
	chunk *slot;
	size_t cap, used;  /* cap is a power of two */
} chunk_table;

static size_t slot_of(const chunk_table *t, uint64_t index)
{
	return (size_t)((index * 0x9E3779B97F4A7C15u) >> 32) & (t->cap - 1);
}

static chunk *chunk_find(const chunk_table *t, uint64_t index)
{
	if (!t->cap)
		return NULL;
	for (size_t i = slot_of(t, index);; i = (i + 1) & (t->cap - 1)) {
		if (t->slot[i].index == index)
			return &t->slot[i];
		if (t->slot[i].index == 0)
			return NULL;
	}
}

/* A new entry (index not in the table); earlier pointers become stale. */
static chunk *chunk_add(chunk_table *t, uint64_t index, chunk_state state)
{
	if (2 * (t->used + 1) > t->cap) {
		chunk_table bigger = { .cap = t->cap ? 2 * t->cap : 64 };
		bigger.slot = pc_xmalloc(bigger.cap * sizeof *bigger.slot);
		memset(bigger.slot, 0, bigger.cap * sizeof *bigger.slot);
		for (size_t i = 0; i < t->cap; i++)
			if (t->slot[i].index)
				*chunk_add(&bigger, t->slot[i].index, 0) = t->slot[i];
		free(t->slot);
		*t = bigger;
	}
	size_t i = slot_of(t, index);
	while (t->slot[i].index)
		i = (i + 1) & (t->cap - 1);
	t->used++;
	t->slot[i] = (chunk){ .index = index, .state = state };
	pc_buf_init(&t->slot[i].mem);
	return &t->slot[i];
}

/* ---- the merge ----------------------------------------------------------- */

typedef enum { KIND_UNKNOWN, KIND_PLAIN, KIND_FRAMED } input_kind;
typedef enum { OUTSIDE, IN_CHUNK, ORPHAN } position;   /* ORPHAN: after a corrupt header */
typedef enum { TO_OUTPUT, TO_TABLE, NOWHERE } destination;

typedef struct {
	pc_outfile out;
	/* waiting chunks */
	uint64_t budget, in_memory;
	const char *tmpdir;
	int spill_fd;              /* -1 until the first spill */
	uint64_t spill_end;
	size_t spilled_waiting;
	pc_buf copy;               /* to read spilled rows back */
	/* the run */
	input_kind kind;
	pc_buf held;               /* blank lines before the kind is known */
	bool plain_lf;             /* plain: the output so far ends with an LF */
	char id[17];               /* the run id, "" until the first header */
	uint64_t next;             /* the index the output needs next */
	uint64_t last;             /* the chunk with last=1, or 0 */
	uint64_t count;            /* count= of the headers, or 0 */
	uint64_t top;              /* the highest index seen */
	chunk_table table;
	unsigned problems;
	bool broken;               /* a problem: keep and write no more rows */
	bool outside_told;
	/* the chunk being read */
	position where;
	destination dest;
	pc_frame head;
	pc_chunk check;            /* the shared checker: framing and counts */
	pc_row_pos pos;
	uint64_t blanks;           /* blank lines in it (a scored chunk has none) */
	uint64_t rejected, all_rows;   /* the totals of the trailers, for the summary */
	/* where we are, for messages */
	const char *file;
	uint64_t line;
} merger;

static const char *shown(const char *file)
{
	return strcmp(file, "-") == 0 ? "standard input" : file;
}

static void give_up(merger *m);

/* "pc-merge: run ID: ..." and the run is failed: no more rows go out. */
static void problem(merger *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(merger *m, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s: ", pc_program_name());
	if (m->id[0])
		fprintf(stderr, "run %s: ", m->id);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	m->problems++;
	give_up(m);
}

static void drop_rows(merger *m, chunk *c)
{
	if (c->spilled && --m->spilled_waiting == 0) {
		/* no spilled chunk waits any more: give the space back */
		if (ftruncate(m->spill_fd, 0) == 0)
			m->spill_end = 0;
	}
	m->in_memory -= c->mem.len;
	pc_buf_free(&c->mem);
	c->spilled = false;
}

/* The run has failed: nothing more is worth keeping or writing. */
static void give_up(merger *m)
{
	if (m->broken)
		return;
	m->broken = true;
	for (size_t i = 0; i < m->table.cap; i++) {
		chunk *c = &m->table.slot[i];
		if (c->index && c->state == CHUNK_WAITING) {
			drop_rows(m, c);
			c->state = CHUNK_DROPPED;
		}
	}
	if (m->dest != NOWHERE && m->where == IN_CHUNK) {
		chunk *c = chunk_find(&m->table, m->head.index);
		if (c)
			drop_rows(m, c);
		m->dest = NOWHERE;
	}
}

/* The chunk is bad (reported): it holds its index, so it is not "missing". */
static void mark_bad(merger *m, uint64_t index)
{
	chunk *c = chunk_find(&m->table, index);
	if (!c && index >= m->next)
		c = chunk_add(&m->table, index, CHUNK_BAD);
	give_up(m);
	if (c) {
		drop_rows(m, c);
		c->state = CHUNK_BAD;
	}
}

/* ---- waiting chunks: in memory, else in the spill file ------------------- */

static int spill_open(merger *m)
{
	size_t n = strlen(m->tmpdir);
	char *path = pc_xmalloc(n + sizeof "/pc-merge.XXXXXX");
	memcpy(path, m->tmpdir, n);
	memcpy(path + n, "/pc-merge.XXXXXX", sizeof "/pc-merge.XXXXXX");
	m->spill_fd = mkstemp(path);
	if (m->spill_fd < 0)
		pc_warn_errno("cannot create a temporary file in '%s'", m->tmpdir);
	else
		unlink(path);   /* it goes away with us, whatever happens */
	free(path);
	return m->spill_fd < 0 ? -1 : 0;
}

static int spill_write(merger *m, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = pwrite(m->spill_fd, p, n, (off_t)m->spill_end);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			pc_warn_errno("write error on a temporary file in '%s'", m->tmpdir);
			return -1;
		}
		p += w;
		n -= (size_t)w;
		m->spill_end += (uint64_t)w;
	}
	return 0;
}

/* Keep rows of a chunk that came early. */
static int keep(merger *m, chunk *c, const char *p, size_t n)
{
	if (!c->spilled && m->in_memory + n <= m->budget) {
		pc_buf_add(&c->mem, p, n);
		m->in_memory += n;
		return 0;
	}
	if (!c->spilled) {
		/* over budget: this chunk, the one being read, moves to the file */
		if (m->spill_fd < 0 && spill_open(m) != 0)
			return -1;
		c->spilled = true;
		c->off = m->spill_end;
		c->len = c->mem.len;
		m->spilled_waiting++;
		if (spill_write(m, c->mem.data, c->mem.len) != 0)
			return -1;
		m->in_memory -= c->mem.len;
		pc_buf_free(&c->mem);
	}
	c->len += n;
	return spill_write(m, p, n);
}

static int write_out(merger *m, const char *p, size_t n)
{
	return pc_outfile_write(&m->out, p, n) == 0 ? 0 : -1;
}

static int write_kept(merger *m, chunk *c)
{
	if (!c->spilled)
		return write_out(m, c->mem.data, c->mem.len);
	pc_buf_reserve(&m->copy, (size_t)1 << 20);
	for (uint64_t done = 0; done < c->len;) {
		size_t want = c->len - done < m->copy.cap ? (size_t)(c->len - done) : m->copy.cap;
		ssize_t n = pread(m->spill_fd, m->copy.data, want, (off_t)(c->off + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;   /* the file is shorter than what we wrote */
			pc_warn_errno("read error on a temporary file in '%s'", m->tmpdir);
			return -1;
		}
		if (write_out(m, m->copy.data, (size_t)n) != 0)
			return -1;
		done += (uint64_t)n;
	}
	return 0;
}

/* Write the waiting chunks whose turn has come. */
static int catch_up(merger *m)
{
	chunk *c;
	while (!m->broken && (c = chunk_find(&m->table, m->next)) && c->state == CHUNK_WAITING) {
		if (write_kept(m, c) != 0)
			return -1;
		drop_rows(m, c);
		c->state = CHUNK_WRITTEN;
		m->next++;
	}
	return 0;
}

/* ---- chunks -------------------------------------------------------------- */

/* The chunk being read ends without its trailer; `where` says how. */
static void truncated(merger *m, const char *where, const char *file, uint64_t line)
{
	if (m->head.index) {   /* not a chunk already told of as foreign or repeated */
		if (line)
			problem(m, "chunk %llu is truncated (no #pc:end line before %s at %s:%llu)",
				(unsigned long long)m->head.index, where, shown(file),
				(unsigned long long)line);
		else
			problem(m, "chunk %llu is truncated (no #pc:end line before the end of %s)",
				(unsigned long long)m->head.index, shown(file));
		mark_bad(m, m->head.index);
	}
	m->where = OUTSIDE;
}

static void start_chunk(merger *m, const pc_frame *f)
{
	if (!m->id[0])
		memcpy(m->id, f->id, sizeof m->id);
	m->where = IN_CHUNK;
	m->head = *f;
	m->pos = (pc_row_pos){ 0 };
	m->blanks = 0;
	m->dest = NOWHERE;
	if (strcmp(f->id, m->id) != 0) {
		problem(m, "two runs: %s and %s (chunk %llu of run %s, %s:%llu)", m->id, f->id,
			(unsigned long long)f->index, f->id, shown(m->file),
			(unsigned long long)m->line);
		m->head.index = 0;   /* nothing of ours to mark */
		return;
	}
	if (f->count) {
		if (!m->count)
			m->count = f->count;
		else if (f->count != m->count)
			problem(m, "chunk %llu says count=%llu but an earlier one said count=%llu",
				(unsigned long long)f->index, (unsigned long long)f->count,
				(unsigned long long)m->count);
	}
	if (f->index < m->next || chunk_find(&m->table, f->index)) {
		problem(m, "chunk %llu appears twice (again at %s:%llu)", (unsigned long long)f->index,
			shown(m->file), (unsigned long long)m->line);
		m->head.index = 0;
		return;
	}
	if (f->index > m->top)
		m->top = f->index;
	if (f->index == m->next && !m->broken) {
		m->dest = TO_OUTPUT;   /* its turn: straight out */
		return;
	}
	chunk_add(&m->table, f->index, CHUNK_COMING);
	m->dest = m->broken ? NOWHERE : TO_TABLE;
}

/* The chunk's trailer; `why` what the checker found wrong with it, or NULL. */
static int end_chunk(merger *m, const pc_frame *f, const char *why)
{
	uint64_t index = m->head.index;

	m->where = OUTSIDE;
	if (index == 0)
		return 0;   /* foreign or repeated: told already */
	if (why) {
		problem(m, "chunk %llu: %s", (unsigned long long)index, why);
		mark_bad(m, index);
		return 0;
	}
	if (f->last) {
		if (m->last)
			problem(m, "chunks %llu and %llu both say last=1",
				(unsigned long long)m->last, (unsigned long long)index);
		else
			m->last = index;
	}
	if (m->dest == TO_OUTPUT) {
		m->next++;
		return catch_up(m);
	}
	chunk *c = chunk_find(&m->table, index);
	if (!c)   /* it was going out when the run failed */
		c = chunk_add(&m->table, index, CHUNK_DROPPED);
	c->state = m->dest == TO_TABLE ? CHUNK_WAITING : CHUNK_DROPPED;
	return 0;
}

/* The rows of the chunk being read: count them, and send them on. */
static int chunk_rows(merger *m, const pc_block *blk)
{
	pc_chunk_rows(&m->check, pc_rows_count(blk->data, blk->data + blk->len, blk->file_end,
					       &m->pos, &m->blanks));
	switch (m->dest) {
	case TO_OUTPUT:
		return write_out(m, blk->data, blk->len);
	case TO_TABLE:
		return keep(m, chunk_find(&m->table, m->head.index), blk->data, blk->len);
	case NOWHERE:
		break;
	}
	return 0;
}

/* ---- the input stream ---------------------------------------------------- */

static bool all_blank(const pc_block *blk)
{
	pc_row_pos pos = { 0 };
	return pc_rows_count(blk->data, blk->data + blk->len, blk->file_end, &pos, NULL) == 0 &&
	       !pos.in_row;
}

/* A framing line that does not parse: which chunk it hurts. */
static void corrupt_frame(merger *m, const pc_block *blk, const char *why)
{
	fprintf(stderr, "%s: %s:%llu: corrupt framing line: %s\n", pc_program_name(),
		shown(m->file), (unsigned long long)m->line, why);
	m->problems++;
	give_up(m);
	bool trailer = blk->len >= 7 && memcmp(blk->data, "#pc:end", 7) == 0;
	if (m->where == IN_CHUNK && trailer) {
		/* the chunk cannot be checked: it counts as bad, not as missing */
		if (m->head.index) {
			problem(m, "chunk %llu is truncated (its #pc:end line at %s:%llu is corrupt)",
				(unsigned long long)m->head.index, shown(m->file),
				(unsigned long long)m->line);
			mark_bad(m, m->head.index);
		}
		m->where = OUTSIDE;
	} else if (m->where == IN_CHUNK) {
		truncated(m, "the corrupt line", m->file, m->line);
		m->where = ORPHAN;
	} else {
		m->where = trailer ? OUTSIDE : ORPHAN;
	}
}

static int put_frame(merger *m, const pc_block *blk)
{
	char why[256];
	pc_frame f;

	if (m->kind == KIND_PLAIN) {
		pc_warn("%s:%llu: a framing line in unframed input: merge chunks or plain files, "
			"not both", shown(m->file), (unsigned long long)m->line);
		return PC_EXIT_BAD_INPUT;
	}
	m->kind = KIND_FRAMED;
	pc_buf_free(&m->held);
	m->check.open = m->where == IN_CHUNK;
	pc_chunk_event ev = pc_chunk_frame(&m->check, blk->data, blk->len, &f, why, sizeof why);
	switch (ev) {
	case PC_CHUNK_CORRUPT:
		corrupt_frame(m, blk, why);
		return 0;
	case PC_CHUNK_CUT:
		truncated(m, "the #pc:chunk line", m->file, m->line);
		/* fall through */
	case PC_CHUNK_HEADER:
		start_chunk(m, &f);
		return 0;
	case PC_CHUNK_TRAILER:
	case PC_CHUNK_BAD_END:
		m->rejected += f.rejected;
		m->all_rows += f.rows;
		if (ev == PC_CHUNK_TRAILER && m->blanks)
			snprintf(why, sizeof why, "it holds %llu blank line%s (a scorer writes none)",
				 (unsigned long long)m->blanks, m->blanks == 1 ? "" : "s");
		return end_chunk(m, &f, ev == PC_CHUNK_BAD_END || m->blanks ? why : NULL) == 0 ?
			       0 : PC_EXIT_TROUBLE;
	case PC_CHUNK_STRAY_END:
		break;
	}
	if (m->where == ORPHAN) {
		/* the trailer of a chunk whose header was corrupt: now it has a name */
		if (!m->id[0])
			memcpy(m->id, f.id, sizeof m->id);
		if (strcmp(f.id, m->id) == 0 && f.index >= m->next &&
		    !chunk_find(&m->table, f.index)) {
			problem(m, "chunk %llu has a corrupt #pc:chunk line (its #pc:end line is at %s:%llu)",
				(unsigned long long)f.index, shown(m->file), (unsigned long long)m->line);
			chunk_add(&m->table, f.index, CHUNK_BAD);
		}
		m->where = OUTSIDE;
		return 0;
	}
	fprintf(stderr, "%s: %s:%llu: a #pc:end line without a #pc:chunk line (chunk %llu)\n",
		pc_program_name(), shown(m->file), (unsigned long long)m->line,
		(unsigned long long)f.index);
	m->problems++;
	give_up(m);
	return 0;
}

static int put_rows(merger *m, const pc_block *blk)
{
	if (m->kind == KIND_FRAMED) {
		if (m->where == IN_CHUNK)
			return chunk_rows(m, blk) == 0 ? 0 : PC_EXIT_TROUBLE;
		if (m->where == OUTSIDE && !m->outside_told && !all_blank(blk)) {
			fprintf(stderr, "%s: %s:%llu: rows outside any chunk (framed and unframed "
				"input mixed?)\n", pc_program_name(), shown(m->file),
				(unsigned long long)m->line);
			m->outside_told = true;
			m->problems++;
			give_up(m);
		}
		return 0;
	}
	if (blk->len)
		m->plain_lf = blk->data[blk->len - 1] == '\n';
	if (m->kind == KIND_UNKNOWN) {
		if (all_blank(blk)) {
			pc_buf_add(&m->held, blk->data, blk->len);
			return 0;
		}
		m->kind = KIND_PLAIN;
		if (write_out(m, m->held.data, m->held.len) != 0)
			return PC_EXIT_TROUBLE;
		pc_buf_free(&m->held);
	}
	return write_out(m, blk->data, blk->len) == 0 ? 0 : PC_EXIT_TROUBLE;
}

static int put(merger *m, const pc_block *blk)
{
	int status = 0;

	if (blk->file_start) {
		if (m->where == IN_CHUNK)
			truncated(m, NULL, m->file, 0);
		if (m->where == ORPHAN)
			m->where = OUTSIDE;
		/* plain files: keep the last line of one apart from the next */
		if (m->kind != KIND_FRAMED && !m->plain_lf) {
			if (m->kind == KIND_UNKNOWN)
				pc_buf_addc(&m->held, '\n');
			else if (write_out(m, "\n", 1) != 0)
				return PC_EXIT_TROUBLE;
			m->plain_lf = true;
		}
		m->file = blk->file;
		m->line = 1;
	}
	switch (blk->kind) {
	case PC_BLOCK_FRAME:
		status = put_frame(m, blk);
		m->line++;
		break;
	case PC_BLOCK_ROWS:
		status = put_rows(m, blk);
		m->line += pc_count_lf(blk->data, blk->data + blk->len);
		break;
	case PC_BLOCK_FIELD_TOO_LONG:
		pc_warn("%s:%llu: %s", shown(m->file), (unsigned long long)m->line,
			PC_FIELD_TOO_LONG_MSG);
		status = PC_EXIT_BAD_INPUT;
		break;
	case PC_BLOCK_IO_ERROR:
		pc_block_report_io(blk);
		status = PC_EXIT_TROUBLE;
		break;
	}
	return status;
}

/* Say which indexes from..to never came. */
static void tell_missing(merger *m, uint64_t from, uint64_t to)
{
	if (from > to)
		return;
	if (to - from < 10) {
		for (uint64_t i = from; i <= to; i++)
			problem(m, "chunk %llu is missing", (unsigned long long)i);
	} else {
		problem(m, "chunks %llu to %llu are missing (%llu chunks)", (unsigned long long)from,
			(unsigned long long)to, (unsigned long long)(to - from + 1));
	}
}

static int by_index(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* The checks that need the whole input. */
static void finish(merger *m)
{
	if (m->where == IN_CHUNK)
		truncated(m, NULL, m->file, 0);
	if (m->kind != KIND_FRAMED || !m->id[0])
		return;
	uint64_t top = m->last ? m->last : m->count ? m->count : m->top;
	if (!m->last)
		problem(m, "no chunk has last=1");
	else if (m->count && m->count != m->last)
		problem(m, "chunk %llu says last=1 but the headers say count=%llu",
			(unsigned long long)m->last, (unsigned long long)m->count);

	/* the gaps between the indexes at or above next that came */
	uint64_t *seen = pc_xmalloc((m->table.used + 1) * sizeof *seen);
	size_t n = 0;
	for (size_t i = 0; i < m->table.cap; i++)
		if (m->table.slot[i].index >= m->next)
			seen[n++] = m->table.slot[i].index;
	qsort(seen, n, sizeof *seen, by_index);
	uint64_t want = m->next;
	bool more = true;   /* want <= top, without wrapping past 2^64-1 */
	for (size_t i = 0; i < n && more && want <= top; i++) {
		tell_missing(m, want, seen[i] - 1 < top ? seen[i] - 1 : top);
		if (seen[i] >= top)
			more = false;
		else
			want = seen[i] + 1;
	}
	if (more && want <= top)
		tell_missing(m, want, top);
	if (m->last && m->next - 1 > m->last)   /* written before last=1 came */
		problem(m, "chunks %llu to %llu come after the last chunk, %llu",
			(unsigned long long)m->last + 1, (unsigned long long)m->next - 1,
			(unsigned long long)m->last);
	if (m->last)
		for (size_t i = 0; i < n; i++)
			if (seen[i] > m->last)
				problem(m, "chunk %llu comes after the last chunk, %llu",
					(unsigned long long)seen[i], (unsigned long long)m->last);
	free(seen);
}

/* ---- the command line ---------------------------------------------------- */

static void usage(void)
{
	printf("Usage: %s [OPTION]... [FILE]...\n"
	       "Put scored chunks (from pc-split, then pc-score) back in index order, without\n"
	       "their framing, and check that every chunk of the run is there exactly once\n"
	       "and whole.  Chunks may come in any order, in one stream or many files.  With\n"
	       "unframed inputs only, concatenate them.  With no FILE, or when FILE is -,\n"
	       "read standard input.\n\n"
	       "  -o, --output=FILE       write to FILE, only if the run is complete\n"
	       "  -S, --buffer-size=SIZE  keep early chunks in memory up to SIZE in all\n"
	       "                          (default 64M; suffixes K, M, G), beyond it in a\n"
	       "                          temporary file\n"
	       "  -T, --temporary-directory=DIR\n"
	       "                          put that file in DIR (default: $TMPDIR, else /tmp)\n"
	       "  -h, --help              display this help and exit\n"
	       "  -V, --version           output version information and exit\n\n"
	       "Exit status: 0 when the run is complete, 1 when a chunk is missing, twice,\n"
	       "truncated, of another run or inconsistent, a framing line is corrupt, or\n"
	       "there is no input at all; 2 for usage or I/O errors.\n", pc_program_name());
}

static const char **parse_args(merger *m, int argc, char **argv, const char **output, int *n)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "buffer-size", required_argument, NULL, 'S' },
		{ "temporary-directory", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *stdin_only[] = { "-", NULL };
	const char *tmp = getenv("TMPDIR");
	int c;

	m->tmpdir = tmp && *tmp ? tmp : "/tmp";
	while ((c = getopt_long(argc, argv, "o:S:T:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			*output = optarg;
			break;
		case 'S':
			if (pc_parse_size(optarg, &m->budget) != 0)
				pc_usage_error("invalid buffer size '%s'", optarg);
			break;
		case 'T':
			if (!*optarg)
				pc_usage_error("invalid temporary directory ''");
			m->tmpdir = optarg;
			break;
		case 'h':
			usage();
			exit(PC_EXIT_OK);
		case 'V':
			pc_print_version();
			exit(PC_EXIT_OK);
		default:
			pc_try_help();
		}
	}
	*n = optind < argc ? argc - optind : 1;
	return optind < argc ? (const char **)argv + optind : stdin_only;
}

int main(int argc, char **argv)
{
	merger m = { .budget = (uint64_t)64 << 20, .spill_fd = -1, .next = 1, .file = "-",
		     .plain_lf = true };
	pc_chunk_init(&m.check, PC_CHUNK_SCORED);
	const char *output = NULL;
	int nfiles, status = 0;

	pc_set_program_name(argv[0]);
	const char **files = parse_args(&m, argc, argv, &output, &nfiles);
	if (pc_outfile_open(&m.out, output) != 0)
		return PC_EXIT_TROUBLE;
	pc_reader *r = pc_reader_new((char **)files, nfiles, PC_DEFAULT_BLOCK_SIZE);
	pc_block blk;
	pc_block_init(&blk);
	while (status == 0 && pc_reader_next(r, &blk) > 0)
		status = put(&m, &blk);
	if (status == 0) {
		finish(&m);
		if (m.kind == KIND_UNKNOWN) {
			pc_warn("no input: no chunk and no row (did every job fail?)");
			status = PC_EXIT_BAD_INPUT;
		} else if (m.problems) {
			status = PC_EXIT_BAD_INPUT;
		}
	}
	if (status == 0 && m.rejected)   /* the scorers skipped bad rows: their totals */
		pc_warn("skipped %llu bad row%s of %llu", (unsigned long long)m.rejected,
			m.rejected == 1 ? "" : "s", (unsigned long long)m.all_rows);
	if (status == 0) {
		if (pc_outfile_commit(&m.out) != 0)
			status = PC_EXIT_TROUBLE;
	} else {
		pc_outfile_abort(&m.out);
	}
	for (size_t i = 0; i < m.table.cap; i++)
		pc_buf_free(&m.table.slot[i].mem);
	free(m.table.slot);
	if (m.spill_fd >= 0)
		close(m.spill_fd);
	pc_buf_free(&m.copy);
	pc_buf_free(&m.held);
	pc_reader_free(r);
	pc_block_free(&blk);
	return status;
}
