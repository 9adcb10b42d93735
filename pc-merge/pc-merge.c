/* pc-merge - put scored chunks back in order and prove nothing is missing.
 *
 * Chunks may come in any order, in one stream or many files.  The chunk
 * the output needs next is written as it arrives; others wait, in memory
 * up to --buffer-size and in unlinked temporary files beyond it, until
 * their turn.  Every problem is collected (a chunk missing, twice, cut
 * short or inconsistent; two runs; no last chunk) and reported at the end:
 * exit 1, and with -o no file.  Unframed inputs are just concatenated. */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "powercouples.h"
#include "rows.h"

/* A chunk waiting for its turn. */
typedef struct {
	uint64_t index;
	pc_buf mem;     /* its rows, while they fit the budget */
	int fd;         /* else an unlinked temporary file, or -1 */
} waiting;

typedef struct {
	pc_outfile out;
	uint64_t budget, in_memory;
	const char *tmpdir;
	int problems;
	/* the run */
	bool framed, plain;
	char id[17];
	uint64_t last;            /* index of the chunk with last=1, or 0 */
	uint64_t next;            /* the index the output needs next */
	uint64_t *done;           /* a set of finished indexes (open addressing) */
	size_t done_cap, done_len;
	waiting *wait;
	size_t nwait, wait_cap;
	/* the chunk being read */
	bool in_chunk, discard, row_open;
	pc_frame head;
	uint64_t rows;
	waiting *dest;            /* NULL: straight to the output */
	/* where we are, for messages */
	const char *file;
	uint64_t line;
	bool file_ends_in_lf;
} merger;

static void problem(merger *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void problem(merger *m, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "%s: run %s: ", pc_program_name(), m->id[0] ? m->id : "?");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	m->problems++;
}

/* ---- the set of finished chunks ---------------------------------------- */

static bool is_done(const merger *m, uint64_t index)
{
	if (!m->done_cap)
		return false;
	for (size_t i = index % m->done_cap;; i = (i + 1) % m->done_cap) {
		if (m->done[i] == index)
			return true;
		if (m->done[i] == 0)
			return false;
	}
}

static void mark_done(merger *m, uint64_t index)
{
	if (2 * (m->done_len + 1) > m->done_cap) {
		uint64_t *old = m->done;
		size_t old_cap = m->done_cap;
		m->done_cap = old_cap ? 2 * old_cap : 64;
		m->done = calloc(m->done_cap, sizeof *m->done);
		if (!m->done)
			pc_xmalloc(SIZE_MAX);   /* reports and exits */
		m->done_len = 0;
		for (size_t i = 0; i < old_cap; i++)
			if (old[i])
				mark_done(m, old[i]);
		free(old);
	}
	size_t i = index % m->done_cap;
	while (m->done[i] != 0)
		i = (i + 1) % m->done_cap;
	m->done[i] = index;
	m->done_len++;
}

/* ---- waiting chunks ------------------------------------------------------ */

static int spill(merger *m, waiting *w)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/pc-merge.XXXXXX", m->tmpdir);
	w->fd = mkstemp(path);
	if (w->fd < 0) {
		pc_warn_errno("cannot create a temporary file in '%s'", m->tmpdir);
		return -1;
	}
	unlink(path);   /* it goes away with us, whatever happens */
	if (write(w->fd, w->mem.data, w->mem.len) != (ssize_t)w->mem.len) {
		pc_warn_errno("write error on a temporary file in '%s'", m->tmpdir);
		return -1;
	}
	m->in_memory -= w->mem.len;
	pc_buf_free(&w->mem);
	return 0;
}

static int keep(merger *m, waiting *w, const char *p, size_t n)
{
	if (w->fd >= 0) {
		if (write(w->fd, p, n) != (ssize_t)n) {
			pc_warn_errno("write error on a temporary file in '%s'", m->tmpdir);
			return -1;
		}
		return 0;
	}
	pc_buf_add(&w->mem, p, n);
	m->in_memory += n;
	return m->in_memory > m->budget ? spill(m, w) : 0;
}

static int write_waiting(merger *m, waiting *w)
{
	int status = 0;
	if (w->fd < 0) {
		status = pc_outfile_write(&m->out, w->mem.data, w->mem.len);
		m->in_memory -= w->mem.len;
	} else if (lseek(w->fd, 0, SEEK_SET) == 0) {
		char buf[1 << 16];
		ssize_t n;
		while (status == 0 && (n = read(w->fd, buf, sizeof buf)) > 0)
			status = pc_outfile_write(&m->out, buf, (size_t)n);
		if (n < 0)
			status = -1;
	} else {
		status = -1;
	}
	if (w->fd >= 0)
		close(w->fd);
	pc_buf_free(&w->mem);
	return status;
}

/* Write the chunks whose turn has come. */
static int catch_up(merger *m)
{
	for (size_t i = 0; i < m->nwait;) {
		if (m->wait[i].index != m->next) {
			i++;
			continue;
		}
		if (write_waiting(m, &m->wait[i]) != 0)
			return -1;
		m->wait[i] = m->wait[--m->nwait];
		m->next++;
		i = 0;
	}
	return 0;
}

/* ---- the stream ---------------------------------------------------------- */

static void drop_chunk(merger *m)
{
	if (m->dest) {
		if (m->dest->fd >= 0)
			close(m->dest->fd);
		m->in_memory -= m->dest->mem.len;
		pc_buf_free(&m->dest->mem);
		m->nwait--;   /* it was the newest */
	}
	m->in_chunk = false;
	m->dest = NULL;
}

static void truncated(merger *m, const char *why)
{
	problem(m, "chunk %llu is truncated (%s)", (unsigned long long)m->head.index, why);
	if (!m->discard)
		drop_chunk(m);
	m->in_chunk = false;
}

static int start_chunk(merger *m, const pc_frame *f)
{
	if (m->in_chunk)
		truncated(m, "a #pc:chunk line came before its #pc:end");
	if (!m->id[0])
		memcpy(m->id, f->id, sizeof m->id);
	m->in_chunk = true;
	m->head = *f;
	m->rows = 0;
	m->row_open = false;
	m->dest = NULL;
	m->discard = false;
	if (strcmp(f->id, m->id) != 0) {
		problem(m, "chunk %llu belongs to another run, %s (two runs mixed)",
			(unsigned long long)f->index, f->id);
		m->discard = true;
	} else if (is_done(m, f->index) || f->index < m->next) {
		problem(m, "chunk %llu appears twice", (unsigned long long)f->index);
		m->discard = true;
	} else {
		for (size_t i = 0; i < m->nwait; i++)
			if (m->wait[i].index == f->index) {
				problem(m, "chunk %llu appears twice", (unsigned long long)f->index);
				m->discard = true;
			}
	}
	if (!m->discard && f->index != m->next) {
		if (m->nwait == m->wait_cap) {
			m->wait_cap = m->wait_cap ? 2 * m->wait_cap : 16;
			m->wait = pc_xrealloc(m->wait, m->wait_cap * sizeof *m->wait);
		}
		m->dest = &m->wait[m->nwait++];
		*m->dest = (waiting){ .index = f->index, .fd = -1 };
		pc_buf_init(&m->dest->mem);
	}
	return 0;
}

static int end_chunk(merger *m, const pc_frame *f)
{
	if (!m->in_chunk) {
		problem(m, "%s:%llu: a #pc:end line without its #pc:chunk line (chunk %llu)",
			m->file, (unsigned long long)m->line, (unsigned long long)f->index);
		return 0;
	}
	m->in_chunk = false;
	if (m->discard)
		return 0;
	const pc_frame *h = &m->head;
	const char *bad = NULL;
	char why[200];
	if (strcmp(f->id, h->id) != 0 || f->index != h->index) {
		snprintf(why, sizeof why, "its #pc:end line names chunk %llu of run %s",
			 (unsigned long long)f->index, f->id);
		bad = why;
	} else if (!f->scored_counts) {
		bad = "it was not scored (its #pc:end line has no scored= and rejected=)";
	} else if (f->scored != m->rows) {
		snprintf(why, sizeof why, "#pc:end says scored=%llu but it holds %llu rows",
			 (unsigned long long)f->scored, (unsigned long long)m->rows);
		bad = why;
	} else if (f->scored + f->rejected != f->rows) {
		snprintf(why, sizeof why, "scored=%llu and rejected=%llu do not add up to rows=%llu",
			 (unsigned long long)f->scored, (unsigned long long)f->rejected,
			 (unsigned long long)f->rows);
		bad = why;
	}
	if (bad) {
		problem(m, "chunk %llu: %s", (unsigned long long)h->index, bad);
		drop_chunk(m);
		return 0;
	}
	if (f->last) {
		if (m->last && m->last != f->index)
			problem(m, "chunks %llu and %llu both say last=1",
				(unsigned long long)m->last, (unsigned long long)f->index);
		else
			m->last = f->index;
	}
	mark_done(m, h->index);
	if (!m->dest) {
		m->next++;
		return catch_up(m);
	}
	m->dest = NULL;
	return 0;
}

static int chunk_rows(merger *m, const pc_block *blk)
{
	const char *p = blk->data, *end = p + blk->len;
	/* count rows as the scorer does; blank lines are no rows */
	if (m->row_open) {
		const char *q = pc_row_rest(p, end);
		p = q ? q : end;
		m->row_open = !q && blk->continues;
	}
	while (p < end) {
		bool blank;
		const char *q = pc_row_end(p, end, &blank);
		m->rows += !blank;
		m->row_open = !q && blk->continues;
		p = q ? q : end;
	}
	if (m->discard)
		return 0;
	if (m->dest)
		return keep(m, m->dest, blk->data, blk->len);
	return pc_outfile_write(&m->out, blk->data, blk->len);
}

static uint64_t count_lines(const char *p, size_t n)
{
	uint64_t lines = 0;
	for (const char *end = p + n; (p = memchr(p, '\n', (size_t)(end - p))); p++)
		lines++;
	return lines;
}

static int put(merger *m, const pc_block *blk)
{
	const char *why;
	pc_frame f;

	if (blk->file_start) {
		if (m->in_chunk)
			truncated(m, "its file ended before its #pc:end line");
		if (m->plain && !m->file_ends_in_lf &&
		    pc_outfile_write(&m->out, "\n", 1) != 0)
			return PC_EXIT_TROUBLE;
		m->file = blk->file;
		m->line = 1;
		m->file_ends_in_lf = true;
	}
	if (blk->kind == PC_BLOCK_FIELD_TOO_LONG) {
		pc_warn("%s:%llu: a field longer than 64 MiB (an unterminated quote?)", m->file,
			(unsigned long long)m->line);
		return PC_EXIT_BAD_INPUT;
	}
	if (blk->kind == PC_BLOCK_FRAME) {
		if (m->plain) {
			pc_warn("%s:%llu: a framing line after unframed input: merge chunks, or "
				"plain files, not both", m->file, (unsigned long long)m->line);
			return PC_EXIT_BAD_INPUT;
		}
		m->framed = true;
		if (pc_frame_parse(blk->data, blk->len, &f, &why) != 0) {
			pc_warn("%s:%llu:1: %s", m->file, (unsigned long long)m->line, why);
			m->problems++;
			if (m->in_chunk)
				truncated(m, "its framing is corrupt");
		} else if ((f.type == PC_FRAME_CHUNK ? start_chunk(m, &f) : end_chunk(m, &f)) != 0) {
			return PC_EXIT_TROUBLE;
		}
		m->line++;
		return 0;
	}
	uint64_t first_line = m->line;
	m->line += count_lines(blk->data, blk->len);
	if (blk->len == 0)
		return 0;
	if (m->framed && !m->in_chunk) {
		bool blank;
		const char *p = blk->data, *end = p + blk->len;
		while (p < end && pc_row_end(p, end, &blank) && blank)
			p = pc_row_end(p, end, &blank);
		if (p < end) {
			pc_warn("%s:%llu: rows outside any chunk", m->file, (unsigned long long)first_line);
			return PC_EXIT_BAD_INPUT;
		}
		return 0;
	}
	if (!m->framed) {   /* unframed input: concatenate */
		m->plain = true;
		m->file_ends_in_lf = blk->data[blk->len - 1] == '\n';
		return pc_outfile_write(&m->out, blk->data, blk->len) == 0 ? 0 : PC_EXIT_TROUBLE;
	}
	return chunk_rows(m, blk) == 0 ? 0 : PC_EXIT_TROUBLE;
}

/* The checks that need the whole stream. */
static void finish(merger *m)
{
	if (m->in_chunk)
		truncated(m, "the input ended before its #pc:end line");
	if (!m->framed)
		return;
	/* without a last chunk, the gaps below the highest index still show */
	uint64_t top = m->last;
	if (!top) {
		problem(m, "no chunk has last=1, so the run cannot be proved complete");
		top = m->next - 1;
		for (size_t i = 0; i < m->nwait; i++)
			if (m->wait[i].index > top)
				top = m->wait[i].index;
	}
	for (uint64_t i = m->next; i <= top; i++)
		if (!is_done(m, i))
			problem(m, "chunk %llu is missing", (unsigned long long)i);
	for (size_t i = 0; i < m->nwait; i++)
		if (m->wait[i].index > m->last)
			problem(m, "chunk %llu comes after the last chunk, %llu",
				(unsigned long long)m->wait[i].index, (unsigned long long)m->last);
}

static void usage(void)
{
	printf("Usage: %s [OPTION]... [FILE]...\n"
	       "Put scored chunks (from pc-split, then pc-score) back in index order, without\n"
	       "their framing, and check that every chunk of the run is there exactly once\n"
	       "and whole.  Chunks may come in any order, in one stream or many files.  With\n"
	       "unframed inputs, concatenate them.  With no FILE, or when FILE is -, read\n"
	       "standard input.\n\n"
	       "  -o, --output=FILE       write to FILE, only if the whole run succeeds\n"
	       "  -S, --buffer-size=SIZE  keep early chunks in memory up to SIZE (default\n"
	       "                          64M; suffixes K, M, G), in temporary files beyond\n"
	       "  -T, --temporary-directory=DIR\n"
	       "                          temporary files go to DIR (default: $TMPDIR, /tmp)\n"
	       "  -h, --help              display this help and exit\n"
	       "  -V, --version           output version information and exit\n\n"
	       "Exit status: 0 when the run is complete, 1 when a chunk is missing, twice,\n"
	       "truncated or inconsistent, 2 for usage or I/O errors.\n", pc_program_name());
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "buffer-size", required_argument, NULL, 'S' },
		{ "temporary-directory", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	merger m = { .budget = (uint64_t)64 << 20, .next = 1, .file = "-" };
	const char *output = NULL;
	int c;

	pc_set_program_name(argv[0]);
	m.tmpdir = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	while ((c = getopt_long(argc, argv, "o:S:T:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			output = optarg;
			break;
		case 'S':
			if (pc_parse_size(optarg, &m.budget) != 0)
				pc_usage_error("invalid buffer size '%s'", optarg);
			break;
		case 'T':
			m.tmpdir = optarg;
			break;
		case 'h':
			usage();
			return PC_EXIT_OK;
		case 'V':
			pc_print_version();
			return PC_EXIT_OK;
		default:
			fprintf(stderr, "Try '%s --help' for more information.\n", pc_program_name());
			return PC_EXIT_TROUBLE;
		}
	}
	static char *stdin_only[] = { "-" };
	char **files = optind < argc ? argv + optind : stdin_only;
	int nfiles = optind < argc ? argc - optind : 1;

	if (pc_outfile_open(&m.out, output) != 0)
		return PC_EXIT_TROUBLE;
	pc_reader *r = pc_reader_new(files, nfiles, PC_DEFAULT_BLOCK_SIZE);
	pc_block blk;
	pc_block_init(&blk);
	int status = 0, got;
	while (status == 0 && (got = pc_reader_next(r, &blk)) > 0)
		status = put(&m, &blk);
	if (status == 0 && got < 0)
		status = PC_EXIT_TROUBLE;
	if (status == 0) {
		finish(&m);
		if (m.problems)
			status = PC_EXIT_BAD_INPUT;
	}
	if (status == 0 && m.plain && !m.file_ends_in_lf && pc_outfile_write(&m.out, "\n", 1) != 0)
		status = PC_EXIT_TROUBLE;
	if (status == 0 && pc_outfile_commit(&m.out) != 0)
		status = PC_EXIT_TROUBLE;
	else if (status != 0)
		pc_outfile_abort(&m.out);
	for (size_t i = 0; i < m.nwait; i++) {
		if (m.wait[i].fd >= 0)
			close(m.wait[i].fd);
		pc_buf_free(&m.wait[i].mem);
	}
	free(m.wait);
	free(m.done);
	pc_reader_free(r);
	pc_block_free(&blk);
	return status;
}
