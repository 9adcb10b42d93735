/* fuzz-frame.c - the framing parser, the chunk checker, pc-merge's checks
 * and the scorers' checks of chunks, on any bytes.
 *
 *   1. pc_frame_parse(): a line that parses formats (pc_frame_format) to a
 *      line that parses to the same fields and formats to the same bytes;
 *      a file= value that decodes encodes and decodes back to itself.
 *   2. pc_chunk_frame(), fed the framing lines and row counts of the input
 *      as the reader cuts it, for a chunk to score and a scored chunk: each
 *      event is what chunk.h says for the state before it (a header only
 *      when no chunk is open, a trailer that fits exactly when its counts
 *      are the rows that came, nothing changed by a corrupt line).
 *   3. pc-merge (pc-merge/merge.c, store.c and table.c, driven as
 *      pc-merge's main() drives them) on the input: the same output, the
 *      same messages and the same exit status at three read block sizes
 *      and store budgets (all in memory; everything spilled to a file;
 *      a little of both).  When the merge succeeds on chunks that end
 *      outside a quoted section, the same chunks in the reverse order
 *      merge to the same output.
 *   4. pc-score (the one block loop, lib/pipeline.c, and its sink) on the
 *      input: the same output, messages and exit status at two block sizes,
 *      in fail and in skip mode, and (one input in 4) with the threads back
 *      end, as pc-threads -j 2.
 *
 * Parts 3 and 4 read the input as one file or, one input in 4, cut into
 * two files where the hash says.
 *
 * Parameters come from a hash of the input, so the seeds are plain files
 * (chunks from pc-split, scored or not, and the test corpus).            */
#include <config.h>

#include "fuzz-common.h"
#include "merge.h"
#include "pc.h"

#define FUZZ_MAX_INPUT 16384
/* More than any input: the whole file in one block, as the programs'
 * default of 1 MiB gives, at less cost. */
#define WHOLE ((size_t)1 << 16)

/* ---- 1. the framing line ------------------------------------------------ */

static bool same_frame(const pc_frame *a, const pc_frame *b)
{
	return a->type == b->type && strcmp(a->id, b->id) == 0 && a->index == b->index &&
	       a->count == b->count && a->line == b->line && a->rows == b->rows &&
	       a->scored_counts == b->scored_counts && a->scored == b->scored &&
	       a->rejected == b->rejected && a->last == b->last &&
	       a->file_enc_len == b->file_enc_len &&
	       (a->file_enc_len == 0 || memcmp(a->file_enc, b->file_enc, a->file_enc_len) == 0);
}

static void check_frame_line(const char *line, size_t len)
{
	pc_frame f, g;
	const char *why;
	pc_buf once, twice;

	if (pc_frame_parse(line, len, &f, &why) != 0)
		return;
	pc_buf_init(&once);
	pc_buf_init(&twice);
	pc_frame_format(&f, &once);
	if (once.len == 0 || once.data[once.len - 1] != '\n' ||
	    memchr(once.data, '\n', once.len - 1)) {
		fz_show("line", line, len);
		fz_fail("pc_frame_format() wrote no single line");
	}
	if (pc_frame_parse(once.data, once.len - 1, &g, &why) != 0) {
		fz_show("line", line, len);
		fz_show("formatted", once.data, once.len);
		fz_fail("the formatted framing line does not parse: %s", why);
	}
	if (!same_frame(&f, &g)) {
		fz_show("line", line, len);
		fz_show("formatted", once.data, once.len);
		fz_fail("the formatted framing line parses to other fields");
	}
	pc_frame_format(&g, &twice);
	if (!fz_same(&once, &twice)) {
		fz_show("once", once.data, once.len);
		fz_show("twice", twice.data, twice.len);
		fz_fail("formatting a formatted framing line changed it");
	}
	if (f.file_enc_len) {
		pc_buf dec, enc, dec2;
		pc_buf_init(&dec);
		pc_buf_init(&enc);
		pc_buf_init(&dec2);
		if (pc_frame_decode_name(f.file_enc, f.file_enc_len, &dec) == 0 &&
		    !memchr(dec.data, '\0', dec.len)) {
			pc_buf_addc(&dec, '\0');
			pc_frame_encode_name(dec.data, &enc);
			dec.len--;
			if (pc_frame_decode_name(enc.data, enc.len, &dec2) != 0 || !fz_same(&dec, &dec2)) {
				fz_show("file=", f.file_enc, f.file_enc_len);
				fz_show("decoded", dec.data, dec.len);
				fz_show("encoded again", enc.data, enc.len);
				fz_fail("a file= name does not survive encoding and decoding");
			}
		}
		pc_buf_free(&dec);
		pc_buf_free(&enc);
		pc_buf_free(&dec2);
	}
	pc_buf_free(&once);
	pc_buf_free(&twice);
}

/* ---- 2. the chunk checker -------------------------------------------------- */

static const char *event_name(pc_chunk_event ev)
{
	switch (ev) {
	case PC_CHUNK_HEADER: return "HEADER";
	case PC_CHUNK_TRAILER: return "TRAILER";
	case PC_CHUNK_CORRUPT: return "CORRUPT";
	case PC_CHUNK_CUT: return "CUT";
	case PC_CHUNK_STRAY_END: return "STRAY_END";
	case PC_CHUNK_BAD_END: return "BAD_END";
	}
	return "?";
}

static void chunk_wrong(const pc_chunk *before, const pc_block *blk, pc_chunk_event ev,
			const char *what)
{
	fz_show("framing line", blk->data, blk->len);
	dprintf(STDERR_FILENO, "checker for %s chunks; before: open %d, rows %llu, chunk %llu of "
		"run %s; event %s\n", before->kind == PC_CHUNK_RAW ? "raw" : "scored",
		before->open, (unsigned long long)before->rows,
		(unsigned long long)before->head.index, before->head.id, event_name(ev));
	fz_fail("chunk checker: %s", what);
}

/* Does trailer f fit the chunk open in c (chunk.h, word for word)? */
static bool trailer_fits(const pc_chunk *c, const pc_frame *f)
{
	if (strcmp(f->id, c->head.id) != 0 || f->index != c->head.index)
		return false;
	if (c->kind == PC_CHUNK_RAW)
		return !f->scored_counts && f->rows == c->rows;
	return f->scored_counts && f->scored == c->rows && f->scored <= f->rows &&
	       f->rows - f->scored == f->rejected;
}

static void check_chunk_event(pc_chunk *c, const pc_block *blk)
{
	pc_chunk before = *c;
	pc_frame f;
	char why[256];
	bool cr = blk->len && blk->data[blk->len - 1] == '\r';

	pc_chunk_event ev = pc_chunk_frame(c, blk->data, blk->len, &f, why, sizeof why);
	switch (ev) {
	case PC_CHUNK_CORRUPT: {
		const char *w;
		pc_frame g;
		bool parses = pc_frame_parse(blk->data, blk->len - (cr && c->kind == PC_CHUNK_RAW),
					     &g, &w) == 0;
		if (parses && !(cr && c->kind == PC_CHUNK_SCORED))
			chunk_wrong(&before, blk, ev, "a line that parses is called corrupt");
		if (c->open != before.open || c->rows != before.rows ||
		    c->head.index != before.head.index || strcmp(c->head.id, before.head.id) != 0)
			chunk_wrong(&before, blk, ev, "a corrupt line changed the state");
		return;
	}
	case PC_CHUNK_HEADER:
	case PC_CHUNK_CUT:
		if (before.open != (ev == PC_CHUNK_CUT))
			chunk_wrong(&before, blk, ev, "a header's event is not what the state says");
		if (!c->open || c->rows != 0 || c->head.index != f.index ||
		    strcmp(c->head.id, f.id) != 0 || f.type != PC_FRAME_CHUNK)
			chunk_wrong(&before, blk, ev, "a header did not open its chunk");
		return;
	case PC_CHUNK_STRAY_END:
		if (before.open || c->open || f.type != PC_FRAME_END)
			chunk_wrong(&before, blk, ev, "a stray trailer with a chunk open");
		return;
	case PC_CHUNK_TRAILER:
	case PC_CHUNK_BAD_END:
		if (!before.open || c->open || f.type != PC_FRAME_END)
			chunk_wrong(&before, blk, ev, "a trailer did not close the open chunk");
		if (trailer_fits(&before, &f) != (ev == PC_CHUNK_TRAILER))
			chunk_wrong(&before, blk, ev, ev == PC_CHUNK_TRAILER ?
				    "a trailer that does not fit was accepted" :
				    "a trailer that fits was refused");
		return;
	}
	chunk_wrong(&before, blk, ev, "an unknown event");
}

/* Parts 1 and 2: the framing lines the reader finds, and the rows between. */
static void check_frames(const char *path)
{
	char *files[] = { (char *)path };
	pc_reader *r = pc_reader_new(files, 1, 64);
	pc_block blk;
	pc_chunk raw, scored;
	pc_row_pos pos = { 0 };

	pc_block_init(&blk);
	pc_chunk_init(&raw, PC_CHUNK_RAW);
	pc_chunk_init(&scored, PC_CHUNK_SCORED);
	while (pc_reader_next(r, &blk) > 0) {
		if (blk.kind == PC_BLOCK_FRAME) {
			check_frame_line(blk.data, blk.len);
			check_chunk_event(&raw, &blk);
			check_chunk_event(&scored, &blk);
			pos = (pc_row_pos){ 0 };
		} else if (blk.kind == PC_BLOCK_ROWS) {
			uint64_t rows = pc_rows_count(blk.data, blk.data + blk.len, blk.file_end, &pos,
						      NULL, blk.delim);
			pc_chunk_rows(&raw, rows);
			pc_chunk_rows(&scored, rows);
		}
	}
	pc_reader_free(r);
	pc_block_free(&blk);
}

/* ---- 3. pc-merge ----------------------------------------------------------- */

typedef struct {
	fz_capture cap;
	int status;
} outcome;

/* pc-merge's main(), on one file, at read block size bs and store budget;
 * lend: with blocks lent by the reader, as pc-merge takes them. */
static void merge_file(outcome *o, char **files, int nfiles, size_t bs, uint64_t budget,
		       bool lend)
{
	merger m;
	pc_outfile out;
	pc_block blk;
	int status = 0;

	fz_capture_begin(&o->cap);
	if (pc_outfile_open(&out, NULL, PC_OUTFILE_DURABLE) != 0)
		fz_fail("cannot open standard output");
	merge_init(&m, &out, budget, fz_workdir());
	pc_reader *r = pc_reader_new(files, nfiles, bs);
	if (lend)
		pc_reader_lend(r);
	pc_block_init(&blk);
	while (status == 0 && pc_reader_next(r, &blk) > 0)
		status = merge_put(&m, &blk);
	o->status = merge_finish(&m, status);
	pc_reader_free(r);
	pc_block_free(&blk);
	fz_capture_end(&o->cap);
}

static void outcomes_differ(const char *what, const char *a, const outcome *oa, const char *b,
			    const outcome *ob)
{
	dprintf(STDERR_FILENO, "%s: exit status %d; %s: exit status %d\n", a, oa->status, b,
		ob->status);
	fz_show(a, oa->cap.out.data, oa->cap.out.len);
	fz_show(b, ob->cap.out.data, ob->cap.out.len);
	fz_show("its messages", oa->cap.err.data, oa->cap.err.len);
	fz_show("their messages", ob->cap.err.data, ob->cap.err.len);
	fz_fail("%s", what);
}

static void same_outcome(const char *what, const char *a, const outcome *oa, const char *b,
			 const outcome *ob)
{
	if (oa->status != ob->status || !fz_same(&oa->cap.out, &ob->cap.out) ||
	    !fz_same(&oa->cap.err, &ob->cap.err))
		outcomes_differ(what, a, oa, b, ob);
}

/* The chunks of the input (header to trailer, both lines whole), if they
 * follow one another with nothing but blank lines between and each ends
 * outside a quoted section; else none. */
typedef struct {
	size_t start, end;
} span;

static size_t find_chunks(const char *path, const uint8_t *data, size_t size, span *spans,
			  size_t max)
{
	char *files[] = { (char *)path };
	pc_reader *r = pc_reader_new(files, 1, WHOLE);
	pc_block blk;
	size_t at = size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0, n = 0;
	bool open = false, ok = true;
	pc_row_pos pos = { 0 };

	pc_block_init(&blk);
	while (ok && pc_reader_next(r, &blk) > 0) {
		if (blk.kind == PC_BLOCK_ROWS) {
			pc_rows_count(blk.data, blk.data + blk.len, blk.file_end, &pos, NULL, blk.delim);
			at += blk.len;
			continue;
		}
		if (blk.kind != PC_BLOCK_FRAME) {
			ok = false;
			break;
		}
		bool header = blk.len >= 10 && memcmp(blk.data, "#pc:chunk ", 10) == 0;
		if (header == open || pos.in_row || n == max) {
			ok = false;
			break;
		}
		if (header)
			spans[n].start = at;
		at += blk.len;
		if (at < size && data[at] == '\n')
			at++;
		if (!header)
			spans[n++].end = at;
		open = header;
	}
	pc_reader_free(r);
	pc_block_free(&blk);
	return ok && !open ? n : 0;
}

static void check_merge(char **files, int nfiles, const uint8_t *data, size_t size, uint64_t h)
{
	outcome big, spill, some;
	size_t bs = fz_block_size(h >> 16);

	merge_file(&big, files, nfiles, WHOLE, (uint64_t)64 << 20, true);
	merge_file(&spill, files, nfiles, bs, 0, false);
	merge_file(&some, files, nfiles, fz_block_size(h >> 24), (h >> 32) % 200, true);
	same_outcome("pc-merge: a small read block, blocks copied, not lent, and a store that "
		     "spills everything change the outcome", "one block, budget 64 MiB", &big,
		     "small blocks, copied, budget 0", &spill);
	same_outcome("pc-merge: another read block size and budget change the outcome",
		     "one block, budget 64 MiB", &big, "other blocks and budget", &some);

	if (big.status == 0 && nfiles == 1) {
		span spans[64];
		size_t n = find_chunks(files[0], data, size, spans, 64);
		if (n >= 2) {
			pc_buf rev;
			pc_buf_init(&rev);
			for (size_t i = n; i-- > 0;) {
				pc_buf_add(&rev, data + spans[i].start, spans[i].end - spans[i].start);
				if (data[spans[i].end - 1] != '\n')
					pc_buf_addc(&rev, '\n');
			}
			char rpath[64];
			int fd = fz_memfd(rev.data, rev.len, rpath, sizeof rpath);
			char *rfiles[] = { rpath };
			outcome back;
			merge_file(&back, rfiles, 1, WHOLE, (uint64_t)64 << 20, true);
			if (back.status != 0 || !fz_same(&back.cap.out, &big.cap.out)) {
				fz_show("the chunks in reverse order", rev.data, rev.len);
				outcomes_differ("pc-merge: the same chunks in another order merge to "
						"something else", "in order", &big, "reversed", &back);
			}
			fz_capture_free(&back.cap);
			close(fd);
			pc_buf_free(&rev);
		}
	}
	fz_capture_free(&big.cap);
	fz_capture_free(&spill.cap);
	fz_capture_free(&some.cap);
}

/* ---- 4. the scorers' sink on chunks --------------------------------------- */

/* pc-score's main() (threads == 0), or pc-threads -j threads */
static void score_file(outcome *o, char **files, int nfiles, size_t bs, bool skip,
		       unsigned threads)
{
	pc_scorer_args a = { .method = PC_METHOD_CLOSED, .skip = skip, .block_size = bs,
			     .inputs = files, .ninputs = nfiles };
	pc_job job;

	fz_capture_begin(&o->cap);
	o->status = pc_job_open(&job, &a);
	if (o->status == 0)
		o->status = pc_pipeline_run(&job, threads ? pc_threads_backend(&job.score, threads)
							  : NULL);
	fz_capture_end(&o->cap);
}

static void check_score(char **files, int nfiles, uint64_t h)
{
	for (int skip = 0; skip < 2; skip++) {
		outcome big, small, threads;
		size_t bs = fz_block_size(h >> (40 + 8 * skip));
		score_file(&big, files, nfiles, WHOLE, skip, 0);
		score_file(&small, files, nfiles, bs, skip, 0);
		same_outcome(skip ? "pc-score --on-error=skip: the block size changes the outcome"
				  : "pc-score: the block size changes the outcome",
			     "one block", &big, "small blocks", &small);
		if (((h >> 56) & 3) == 0) {
			/* now and then pc-threads -j 2 at the small block size */
			score_file(&threads, files, nfiles, bs, skip, 2);
			same_outcome(skip ? "pc-threads --on-error=skip is not pc-score"
					  : "pc-threads is not pc-score",
				     "pc-score, small blocks", &small, "pc-threads -j 2", &threads);
			fz_capture_free(&threads.cap);
		}
		fz_capture_free(&big.cap);
		fz_capture_free(&small.cap);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > FUZZ_MAX_INPUT)
		return 0;
	uint64_t h = fz_hash(data, size);
	fz_use_path(h >> 40);
	char path[64], path2[64];
	int fd = fz_memfd(data, size, path, sizeof path);
	/* merge and score: now and then the input cut into two files */
	size_t cut = (h >> 60) < 4 && size ? (size_t)((h >> 8) % (size + 1)) : size;
	int fd1 = fz_memfd(data, cut, path2, sizeof path2);
	char path3[64];
	int fd2 = fz_memfd(data + cut, size - cut, path3, sizeof path3);
	char *one[] = { path }, *two[] = { path2, path3 };
	char **files = cut < size ? two : one;
	int nfiles = cut < size ? 2 : 1;

	/* 1 on every line that looks like a framing line, wherever it is */
	for (size_t i = 0; i < size;) {
		const uint8_t *lf = memchr(data + i, '\n', size - i);
		size_t end = lf ? (size_t)(lf - data) : size;
		if (end - i >= 4 && memcmp(data + i, "#pc:", 4) == 0)
			check_frame_line((const char *)data + i, end - i);
		i = end + 1;
	}
	check_frames(path);
	check_merge(files, nfiles, data, size, h);
	check_score(files, nfiles, h);
	close(fd);
	close(fd1);
	close(fd2);
	return 0;
}
