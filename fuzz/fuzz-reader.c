/* fuzz-reader.c - the block reader and the block scorer, differentially.
 *
 * The input (any bytes, as one file or cut into two) is read by
 * pc_reader_next() and scored block by block by pc_score_block(), the way
 * lib/pipeline.c does it (the row carried across the blocks that are not
 * independent, the rest of a result that filled with bad rows scored again
 * in order), at three block sizes (two from a hash of the input, and one
 * larger than the input), by both methods, in fail and in skip
 * mode.  The positions of bad rows are made absolute the way lib/sink.c
 * makes them.  Then:
 *
 *   - every block size and both methods give the same output, the same
 *     rows / scored / rejected totals, and the same messages at the same
 *     FILE:LINE:COL, framing lines at the same lines, and the same end;
 *   - independent blocks scored with a fresh carry (as pc-threads and
 *     pc-mpirun do) give what the shared carry gives (pc-score);
 *   - fail mode is skip mode cut at the first bad row: its output a prefix
 *     of skip mode's, its one message skip mode's first;
 *   - skip mode: rows = scored + rejected, one message per rejected row,
 *     and rows is what the row grammar (pc_rows_count) counts;
 *   - the blocks, put back together, are the input (less a byte-order mark
 *     at the start of each file);
 *   - every path of the byte classifier (classify.h) cuts the same blocks
 *     and counts the same rows in them as the scalar path; the runs above
 *     go on the path a hash of the input chooses.
 *
 * Parameters (block sizes, where the input is cut into files) come from a
 * hash of the input, so that the seeds are plain CSV files.  The
 * exhaustive method is O(k^2) a row: it is run only on inputs with at most
 * FUZZ_EXHAUSTIVE_COMMAS commas.  One input in 16 is repeated many times
 * over (closed method only), for the loop's path past PC_ERRORS_MAX bad
 * rows in one block.                                        */
#include <config.h>

#include "fuzz-common.h"
#include "reader.h"
#include "rows.h"
#include "score.h"

#define FUZZ_MAX_INPUT 8192
#define FUZZ_EXHAUSTIVE_COMMAS 400
/* 4096 bad rows or more when each takes 6 bytes or less ("a,1\r\n" and the like) */
#define FUZZ_AMPLIFIED (6 * PC_ERRORS_MAX)
/* More than any input: the whole file in one block, as the programs'
 * default of 1 MiB gives, at less cost. */
#define WHOLE ((size_t)1 << 17)

typedef struct {
	pc_buf out;      /* the scored rows, concatenated */
	pc_buf events;   /* one line per message, framing line, end: in order */
	uint64_t rows, scored, rejected, nerrors;
	uint64_t grammar_rows;   /* the rows pc_rows_count() finds in the blocks */
	int status;      /* 0, 1 (bad row, field too long), 2 (I/O error) */
	pc_buf first_error;      /* the first message line, or empty */
} run;

static void run_init(run *r)
{
	memset(r, 0, sizeof *r);
}

static void run_free(run *r)
{
	pc_buf_free(&r->out);
	pc_buf_free(&r->events);
	pc_buf_free(&r->first_error);
}

static void add_text(pc_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_text(pc_buf *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	pc_buf_add(b, tmp, n < (int)sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* The sink's bookkeeping of positions: where the next block starts. */
typedef struct {
	const char *file;
	uint64_t line, col;
} where;

/* One result, as lib/sink.c's put_rows() takes it.  Returns 1 if stopped. */
static int put_rows(run *r, where *w, const pc_result *res)
{
	for (size_t i = 0; i < res->nerrors; i++) {
		const pc_error *e = &res->errors[i];
		uint64_t line = w->line + e->dline;
		uint64_t col = e->dline ? e->col : w->col + e->col - 1;
		size_t mark = r->events.len;
		add_text(&r->events, "error %s:%llu:%llu: %s\n", w->file, (unsigned long long)line,
			 (unsigned long long)col, e->msg);
		if (r->nerrors++ == 0)
			pc_buf_add(&r->first_error, r->events.data + mark, r->events.len - mark);
	}
	pc_buf_add(&r->out, res->out.data, res->out.len);
	r->rows += res->rows;
	r->scored += res->scored;
	r->rejected += res->rejected;
	if (res->nlines) {
		w->line += res->nlines;
		w->col = res->tail + 1;
	} else {
		w->col += res->tail;
	}
	return res->stopped;
}

/* The bytes of each file, less a byte-order mark, that the blocks must be. */
typedef struct {
	const char *text[2];
	size_t len[2];
	int file;      /* the file being read, -1 before the first */
	size_t at;     /* how far its blocks came */
} expected;

static void not_the_input(const expected *x, const char *what, const char *p, size_t n)
{
	if (x->file >= 0)
		fz_show("the file", x->text[x->file], x->len[x->file]);
	dprintf(STDERR_FILENO, "(%zu bytes of it came in blocks before)\n", x->at);
	fz_show("the block", p, n);
	fz_fail("the reader's blocks put back together are not the input: %s", what);
}

/* A block's bytes must be the next bytes of its file; a framing line's LF
 * is not in its block. */
static void expect_bytes(expected *x, const pc_block *blk)
{
	if (blk->file_start) {
		if (x->file >= 0 && x->at != x->len[x->file])
			not_the_input(x, "a file ended early", blk->data, blk->len);
		x->file++;
		x->at = 0;
	}
	if (x->file < 0)
		not_the_input(x, "a block before the first file", blk->data, blk->len);
	if (blk->len > x->len[x->file] - x->at ||
	    (blk->len && memcmp(x->text[x->file] + x->at, blk->data, blk->len) != 0))
		not_the_input(x, "other bytes", blk->data, blk->len);
	x->at += blk->len;
	if (blk->kind == PC_BLOCK_FRAME && x->at < x->len[x->file]) {
		if (x->text[x->file][x->at] != '\n')
			not_the_input(x, "a framing line without its LF", blk->data, blk->len);
		x->at++;
	}
}

/*
 * Read and score files[0..n) at block size `bs`.  fresh: independent blocks
 * are scored with a carry of their own, as the threads back end does.
 */
static void score_all(run *r, char **files, int n, size_t bs, pc_method method, bool skip,
		      bool fresh, expected x)
{
	pc_score_opts o = { .method = method, .skip = skip };
	pc_reader *rd = pc_reader_new(files, n, bs);
	pc_block blk;
	pc_result res;
	pc_carry carry, scratch;
	pc_row_pos pos = { 0 };
	where w = { .file = "-", .line = 1, .col = 1 };

	pc_block_init(&blk);
	pc_result_init(&res);
	pc_carry_init(&carry);
	pc_carry_init(&scratch);
	while (r->status == 0 && pc_reader_next(rd, &blk) > 0) {
		if (blk.file_start) {
			w.file = blk.file;
			w.line = w.col = 1;
			pos = (pc_row_pos){ 0 };
		}
		switch (blk.kind) {
		case PC_BLOCK_ROWS: {
			expect_bytes(&x, &blk);
			r->grammar_rows += pc_rows_count(blk.data, blk.data + blk.len, blk.file_end,
							 &pos, NULL, blk.delim);
			if (blk.file_end)
				pos = (pc_row_pos){ 0 };
			pc_carry *c = fresh && pc_block_independent(&blk) ? &scratch : &carry;
			pc_score_block(&o, &blk, c, &res);
			if (put_rows(r, &w, &res)) {
				r->status = 1;
				break;
			}
			/* as pipeline.c: the rest of a result that filled up with bad rows */
			while (res.used < blk.len) {
				blk.data += res.used;
				blk.len -= res.used;
				blk.continued = blk.file_start = false;
				pc_score_block(&o, &blk, &carry, &res);
				if (put_rows(r, &w, &res)) {
					r->status = 1;
					break;
				}
			}
			break;
		}
		case PC_BLOCK_FRAME:
			expect_bytes(&x, &blk);
			pos = (pc_row_pos){ 0 };   /* a framing line ends any row */
			add_text(&r->events, "frame %s:%llu (%zu bytes)\n", w.file,
				 (unsigned long long)w.line, blk.len);
			pc_buf_add(&r->events, blk.data, blk.len);
			pc_buf_addc(&r->events, '\n');
			w.line++;
			w.col = 1;
			break;
		case PC_BLOCK_HEADER:   /* only with pc_reader_set_format(), not called here */
			abort();
		case PC_BLOCK_FIELD_TOO_LONG:
			add_text(&r->events, "too long %s:%llu:%llu\n", w.file,
				 (unsigned long long)w.line, (unsigned long long)w.col);
			r->status = 1;
			break;
		case PC_BLOCK_IO_ERROR:
			add_text(&r->events, "I/O error %.*s: %s\n", (int)blk.len, blk.data,
				 strerror(blk.error));
			r->status = 2;
			break;
		}
	}
	if (r->status == 0 && (x.file != n - 1 || x.at != x.len[x.file]))
		not_the_input(&x, "the stream ended early", "", 0);
	add_text(&r->events, "end: status %d\n", r->status);
	pc_reader_free(rd);
	pc_block_free(&blk);
	pc_result_free(&res);
	pc_carry_free(&carry);
	pc_carry_free(&scratch);
}

typedef struct {
	size_t bs;
	pc_method method;
	bool fresh;
} config;

static void describe_config(const char *label, const config *c, bool skip)
{
	dprintf(STDERR_FILENO, "%s: block size %zu, %s method, %s carry for independent blocks, "
		"--on-error=%s\n", label, c->bs,
		c->method == PC_METHOD_CLOSED ? "closed" : "exhaustive",
		c->fresh ? "a fresh" : "the shared", skip ? "skip" : "fail");
}

static void disagree(const char *what, const config *a, const run *ra, const config *b,
		     const run *rb, bool skip)
{
	describe_config("first ", a, skip);
	describe_config("second", b, skip);
	dprintf(STDERR_FILENO, "totals: rows %llu/%llu, scored %llu/%llu, rejected %llu/%llu\n",
		(unsigned long long)ra->rows, (unsigned long long)rb->rows,
		(unsigned long long)ra->scored, (unsigned long long)rb->scored,
		(unsigned long long)ra->rejected, (unsigned long long)rb->rejected);
	fz_show("first output", ra->out.data, ra->out.len);
	fz_show("second output", rb->out.data, rb->out.len);
	fz_show("first events", ra->events.data, ra->events.len);
	fz_show("second events", rb->events.data, rb->events.len);
	fz_fail("the two runs disagree: %s", what);
}

static void compare(const config *a, const run *ra, const config *b, const run *rb, bool skip)
{
	if (!fz_same(&ra->out, &rb->out))
		disagree("output", a, ra, b, rb, skip);
	if (!fz_same(&ra->events, &rb->events))
		disagree("messages, framing lines or the end", a, ra, b, rb, skip);
	if (ra->rows != rb->rows || ra->scored != rb->scored || ra->rejected != rb->rejected)
		disagree("rows, scored or rejected", a, ra, b, rb, skip);
}

/* One run on its own: what holds whatever the configuration. */
static void check_run(const config *c, const run *r, bool skip)
{
	if (skip && r->status == 0) {
		if (r->rows != r->scored + r->rejected || r->nerrors != r->rejected ||
		    r->rows != r->grammar_rows) {
			describe_config("run", c, skip);
			fz_show("events", r->events.data, r->events.len);
			fz_fail("skip mode: rows %llu, scored %llu, rejected %llu, messages %llu, "
				"rows by pc_rows_count %llu",
				(unsigned long long)r->rows, (unsigned long long)r->scored,
				(unsigned long long)r->rejected, (unsigned long long)r->nerrors,
				(unsigned long long)r->grammar_rows);
		}
	}
	if (!skip && r->nerrors > 1) {
		describe_config("run", c, skip);
		fz_show("events", r->events.data, r->events.len);
		fz_fail("fail mode went on after a bad row");
	}
}

/* Fail mode is skip mode stopped at the first bad row. */
static void check_fail_vs_skip(const config *c, const run *fail, const run *skip)
{
	bool ok = fail->out.len <= skip->out.len &&
		  (fail->out.len == 0 || memcmp(fail->out.data, skip->out.data, fail->out.len) == 0);
	if (fail->nerrors != (skip->nerrors > 0))
		ok = false;
	if (fail->nerrors && !fz_same(&fail->first_error, &skip->first_error))
		ok = false;
	if (fail->nerrors == 0 && skip->nerrors == 0 &&
	    (!fz_same(&fail->out, &skip->out) || !fz_same(&fail->events, &skip->events) ||
	     fail->rows != skip->rows))
		ok = false;
	if (!ok) {
		describe_config("fail", c, false);
		fz_show("fail output", fail->out.data, fail->out.len);
		fz_show("skip output", skip->out.data, skip->out.len);
		fz_show("fail events", fail->events.data, fail->events.len);
		fz_show("skip events", skip->events.data, skip->events.len);
		fz_fail("fail mode is not skip mode stopped at its first bad row");
	}
}

/* The blocks of files[0..n) at block size bs, with what the row counter
 * says of each: one string, to compare across the classifier's paths. */
static void blocks_of(pc_buf *out, char **files, int n, size_t bs)
{
	pc_reader *rd = pc_reader_new(files, n, bs);
	pc_block blk;
	pc_row_pos pos = { 0 };

	pc_block_init(&blk);
	while (pc_reader_next(rd, &blk) > 0) {
		uint64_t rows = 0, blanks = 0, lines = 0;
		if (blk.file_start)
			pos = (pc_row_pos){ 0 };
		if (blk.kind == PC_BLOCK_ROWS)
			rows = pc_rows_count_lines(blk.data, blk.data + blk.len, blk.file_end, &pos,
						   &blanks, blk.delim, &lines);
		add_text(out, "%d %zu %d%d%d%d %d rows %llu blanks %llu lines %llu lf %llu, %d %d\n",
			 (int)blk.kind, blk.len, blk.file_start, blk.continued, blk.continues,
			 blk.file_end, blk.delim, (unsigned long long)rows,
			 (unsigned long long)blanks, (unsigned long long)lines,
			 (unsigned long long)pc_count_lf(blk.data, blk.data + blk.len), pos.in_row,
			 (int)pos.field);
		pc_buf_add(out, blk.data, blk.len);
	}
	pc_block_free(&blk);
	pc_reader_free(rd);
}

/* Every path of the byte classifier cuts the same blocks, and counts the
 * same rows, blank lines and LFs in them, as the scalar path. */
static void check_paths(char **files, int n, size_t bs)
{
	pc_buf want, got;
	pc_buf_init(&want);
	pc_classify_use(PC_SIMD_SCALAR);
	blocks_of(&want, files, n, bs);
	for (pc_simd path = PC_SIMD_SSE2; path < PC_SIMD_PATHS; path++) {
		if (pc_classify_use(path) != 0)
			continue;
		pc_buf_init(&got);
		blocks_of(&got, files, n, bs);
		if (!fz_same(&want, &got)) {
			dprintf(STDERR_FILENO, "block size %zu\n", bs);
			fz_show("blocks, scalar path", want.data, want.len);
			fz_show("blocks, other path", got.data, got.len);
			fz_fail("the %s path of the classifier cuts or counts other blocks than the "
				"scalar one", pc_simd_name(path));
		}
		pc_buf_free(&got);
	}
	pc_buf_free(&want);
}

int LLVMFuzzerTestOneInput(const uint8_t *raw, size_t raw_size);
int LLVMFuzzerTestOneInput(const uint8_t *raw, size_t raw_size)
{
	if (raw_size > FUZZ_MAX_INPUT)
		return 0;
	uint64_t h = fz_hash(raw, raw_size);

	/* one input in 16 (up to 1 KiB), repeated to FUZZ_AMPLIFIED bytes: more
	 * bad rows than one result holds (PC_ERRORS_MAX), so that the loop
	 * scores the rest of a block again, as pipeline.c does */
	const uint8_t *data = raw;
	size_t size = raw_size;
	pc_buf amplified;
	pc_buf_init(&amplified);
	if (((h >> 52) & 15) == 0 && raw_size > 0 && raw_size <= 1024) {
		while (amplified.len < FUZZ_AMPLIFIED)
			pc_buf_add(&amplified, raw, raw_size);
		data = (const uint8_t *)amplified.data;
		size = amplified.len;
	}
	bool exhaustive = data == raw && fz_count(data, size, ',') <= FUZZ_EXHAUSTIVE_COMMAS;

	/* one file, or two: cut where the hash says */
	size_t cut = (h >> 60) < 4 && size ? (size_t)((h >> 40) % (size + 1)) : size;
	char path1[64], path2[64];
	int fd1 = fz_memfd(data, cut, path1, sizeof path1);
	int fd2 = fz_memfd(data + cut, size - cut, path2, sizeof path2);
	char *files[] = { path1, path2 };
	int nfiles = cut < size ? 2 : 1;

	/* what the reader must give back: each file less its byte-order mark */
	expected x = { .file = -1 };
	for (int i = 0; i < nfiles; i++) {
		const char *p = (const char *)data + (i == 0 ? 0 : cut);
		size_t n = i == 0 ? cut : size - cut;
		size_t bom = n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
		x.text[i] = p + bom;
		x.len[i] = n - bom;
	}

	/* the blocks on every path at one block size; then everything below
	 * on the path the hash chooses */
	check_paths(files, nfiles, fz_block_size(h >> 4));
	fz_use_path(h >> 28);

	config configs[6];
	size_t nconfigs = 0;
	size_t sizes[3] = { fz_block_size(h), fz_block_size(h >> 8), WHOLE };
	for (int m = 0; m < 2; m++) {
		if (m == 1 && !exhaustive)
			break;
		for (int b = 0; b < 3; b++)
			configs[nconfigs++] = (config){ .bs = sizes[b],
							.method = m ? PC_METHOD_EXHAUSTIVE : PC_METHOD_CLOSED,
							.fresh = ((h >> 20) + (uint64_t)b + (uint64_t)m) & 1 };
	}

	run first[2];
	for (int s = 0; s < 2; s++) {
		bool skip = s == 1;
		for (size_t i = 0; i < nconfigs; i++) {
			run r;
			run_init(&r);
			score_all(&r, files, nfiles, configs[i].bs, configs[i].method, skip,
				  configs[i].fresh, x);
			check_run(&configs[i], &r, skip);
			if (i == 0) {
				first[s] = r;
			} else {
				compare(&configs[0], &first[s], &configs[i], &r, skip);
				run_free(&r);
			}
		}
	}
	check_fail_vs_skip(&configs[0], &first[0], &first[1]);
	run_free(&first[0]);
	run_free(&first[1]);
	close(fd1);
	close(fd2);
	pc_buf_free(&amplified);
	return 0;
}
