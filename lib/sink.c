/* sink.c - the ordered end of the block loop: output, messages, framing. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chunk.h"
#include "diag.h"
#include "frame.h"
#include "outfile.h"
#include "progress.h"
#include "sink.h"

struct pc_sink {
	pc_sink_opts o;
	pc_outfile out, rejects;
	/* where the next block starts, in the file being read */
	const char *file;
	uint64_t line, col;
	/* the whole run */
	bool started;         /* a block came: the output header is settled */
	uint64_t rows, rejected, bytes;
	/* the chunk being scored, if any */
	pc_chunk chunk;
	uint64_t chunk_scored, chunk_rejected;
	/* while it has file= and line=: positions are told in the user's input */
	bool mapped;
	pc_buf map_file;      /* the decoded name, NUL-terminated */
	uint64_t map_delta;   /* user's line = line + map_delta (mod 2^64) */
	pc_buf line_buf;
	pc_progress progress;
};

pc_sink *pc_sink_open(const pc_sink_opts *o)
{
	pc_sink *s = pc_xmalloc(sizeof *s);
	*s = (pc_sink){ .o = *o, .line = 1, .col = 1, .file = "-" };
	pc_chunk_init(&s->chunk, PC_CHUNK_RAW);
	if (pc_outfile_open(&s->out, o->output, PC_OUTFILE_DURABLE) != 0) {
		free(s);
		return NULL;
	}
	if (o->rejects && pc_outfile_open(&s->rejects, o->rejects, PC_OUTFILE_DURABLE) != 0) {
		pc_outfile_abort(&s->out);
		free(s);
		return NULL;
	}
	pc_progress_start(&s->progress, o->progress, o->total_size, 0);
	return s;
}

/* "PROGRAM: FILE:LINE:COL: message" for a position in the stream: in the
 * user's input when the chunk being read says where it came from. */
static void report(const pc_sink *s, uint64_t line, uint64_t col, const char *fmt, const char *arg)
{
	const char *file = s->mapped ? s->map_file.data : s->file;
	fprintf(stderr, "%s: %s:%llu:%llu: ", pc_program_name(), file,
		(unsigned long long)(s->mapped ? line + s->map_delta : line),
		(unsigned long long)col);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
}

/* A problem with the chunk framing, at the framing line in the file read. */
static int chunk_error(pc_sink *s, const char *what)
{
	s->mapped = false;
	fprintf(stderr, "%s: %s:%llu:1: %s\n", pc_program_name(), s->file,
		(unsigned long long)s->line, what);
	return PC_EXIT_BAD_INPUT;
}

/* A chunk header that says where its data comes from: map positions. */
static int map_chunk(pc_sink *s, const pc_frame *f)
{
	s->mapped = false;
	if (!f->line)
		return 0;
	s->map_file.len = 0;
	if (pc_frame_decode_name(f->file_enc, f->file_enc_len, &s->map_file) != 0)
		return chunk_error(s, "corrupt framing line: bad file= value");
	pc_buf_addc(&s->map_file, '\0');
	s->mapped = true;
	s->map_delta = f->line - (s->line + 1);   /* the data starts on the next line */
	return 0;
}

/* A framing line: check it, echo a header, rewrite a trailer with counts. */
static int put_frame(pc_sink *s, const pc_block *blk)
{
	pc_frame f;
	char why[256];

	switch (pc_chunk_frame(&s->chunk, blk->data, blk->len, &f, why, sizeof why)) {
	case PC_CHUNK_CORRUPT:
		return chunk_error(s, why);
	case PC_CHUNK_CUT:
		return chunk_error(s, why);
	case PC_CHUNK_BAD_END: {
		char what[320];
		snprintf(what, sizeof what, "chunk %llu of run %s: %s",
			 (unsigned long long)s->chunk.head.index, s->chunk.head.id, why);
		return chunk_error(s, what);
	}
	case PC_CHUNK_STRAY_END:
		return chunk_error(s, "#pc:end line without a #pc:chunk line");
	case PC_CHUNK_HEADER:
		s->chunk_scored = s->chunk_rejected = 0;
		if (map_chunk(s, &f) != 0)
			return PC_EXIT_BAD_INPUT;
		s->line_buf.len = 0;
		pc_buf_add(&s->line_buf, blk->data, blk->len - (blk->data[blk->len - 1] == '\r'));
		pc_buf_addc(&s->line_buf, '\n');   /* echoed as it came, with an LF */
		break;
	case PC_CHUNK_TRAILER:
		s->mapped = false;
		f.scored_counts = true;
		f.scored = s->chunk_scored;
		f.rejected = s->chunk_rejected;
		s->line_buf.len = 0;
		pc_frame_format(&f, &s->line_buf);
		break;
	}
	if (pc_outfile_write(&s->out, s->line_buf.data, s->line_buf.len) != 0)
		return PC_EXIT_TROUBLE;
	return 0;
}

static int put_rows(pc_sink *s, const pc_result *res)
{
	for (size_t i = 0; i < res->nerrors; i++) {
		const pc_error *e = &res->errors[i];
		report(s, s->line + e->dline, e->dline ? e->col : s->col + e->col - 1, "%s", e->msg);
	}
	if (pc_outfile_write(&s->out, res->out.data, res->out.len) != 0)
		return PC_EXIT_TROUBLE;
	if (s->o.rejects && pc_outfile_write(&s->rejects, res->rejects.data, res->rejects.len) != 0)
		return PC_EXIT_TROUBLE;
	s->rows += res->rows;
	s->rejected += res->rejected;
	if (s->chunk.open) {
		pc_chunk_rows(&s->chunk, res->rows);
		s->chunk_scored += res->scored;
		s->chunk_rejected += res->rejected;
	}
	s->bytes += res->used;
	if (res->nlines) {
		s->line += res->nlines;
		s->col = res->tail + 1;
	} else {
		s->col += res->tail;
	}
	return res->stopped ? PC_EXIT_BAD_INPUT : 0;
}

static int file_ends_in_chunk(pc_sink *s)
{
	char what[128];
	snprintf(what, sizeof what, "chunk %llu of run %s: truncated (its file ended before "
		 "its #pc:end line)", (unsigned long long)s->chunk.head.index, s->chunk.head.id);
	return chunk_error(s, what);
}

/*
 * --header: "name,x,y" (with the delimiter) once, before the first row.
 * Not before a chunk: a scored chunk says header=1 in its own header line,
 * and pc-merge writes the line once for the whole run.
 */
static int start_output(pc_sink *s, const pc_block *blk)
{
	s->started = true;
	if (!s->o.header || (blk && blk->kind == PC_BLOCK_FRAME))
		return 0;
	const char d = s->o.delim ? s->o.delim : ',';
	const char line[] = { 'n', 'a', 'm', 'e', d, 'x', d, 'y', '\n' };
	return pc_outfile_write(&s->out, line, sizeof line) == 0 ? 0 : PC_EXIT_TROUBLE;
}

int pc_sink_put(pc_sink *s, const pc_block *blk, const pc_result *res)
{
	int status = 0;

	/* (an input that cannot be opened ends the run: no header before it) */
	if (!s->started && blk->kind != PC_BLOCK_IO_ERROR && (status = start_output(s, blk)) != 0)
		return status;

	if (blk->file_start) {
		if (s->chunk.open)
			return file_ends_in_chunk(s);
		s->file = blk->file;
		s->line = s->col = 1;
	}
	switch (blk->kind) {
	case PC_BLOCK_ROWS:
		status = put_rows(s, res);
		break;
	case PC_BLOCK_FRAME:
		status = put_frame(s, blk);
		s->bytes += blk->len + 1;
		s->line++;
		s->col = 1;
		break;
	case PC_BLOCK_HEADER:
		s->bytes += blk->len;   /* the line is no row; the next one is line 2 */
		s->line++;
		s->col = 1;
		break;
	case PC_BLOCK_FIELD_TOO_LONG:
		report(s, s->line, s->col, "%s", PC_FIELD_TOO_LONG_MSG);
		return PC_EXIT_BAD_INPUT;
	case PC_BLOCK_IO_ERROR:
		pc_block_report_io(blk);
		return PC_EXIT_TROUBLE;
	}
	if (status == 0 && blk->file_end && s->chunk.open)
		status = file_ends_in_chunk(s);
	pc_progress_update(&s->progress, s->bytes, s->rows);
	return status;
}

int pc_sink_finish(pc_sink *s, int status)
{
	pc_progress_finish(&s->progress, s->bytes, s->rows);
	if (status == 0 && !s->started)
		status = start_output(s, NULL);
	if (status == 0 && s->o.skip) {
		fprintf(stderr, "%s: skipped %llu bad row%s of %llu", pc_program_name(),
			(unsigned long long)s->rejected, s->rejected == 1 ? "" : "s",
			(unsigned long long)s->rows);
		if (s->o.rejects)
			fprintf(stderr, " (copied to %s)", s->o.rejects);
		fputc('\n', stderr);
	}
	if (status == 0) {
		/* the rows and the rejected rows: both files appear, or neither */
		pc_outfile *const files[] = { &s->out, &s->rejects };
		if (pc_outfile_commit_all(files, s->o.rejects ? 2 : 1) != 0)
			status = PC_EXIT_TROUBLE;
	} else {
		pc_outfile_abort(&s->out);
		if (s->o.rejects)
			pc_outfile_abort(&s->rejects);
	}
	pc_buf_free(&s->line_buf);
	pc_buf_free(&s->map_file);
	free(s);
	return status;
}
