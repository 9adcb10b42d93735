/* sink.c - the ordered end of the block loop: output, messages, framing. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "frame.h"
#include "outfile.h"
#include "sink.h"

struct pc_sink {
	pc_sink_opts o;
	pc_outfile out, rejects;
	/* where the next block starts */
	const char *file;
	uint64_t line, col;
	/* the whole run */
	uint64_t rows, rejected, bytes;
	/* the chunk being scored, if any */
	bool in_chunk;
	pc_frame chunk;
	uint64_t chunk_scored, chunk_rejected;
	pc_buf line_buf;
	/* progress */
	bool tty;
	double t0, last_report;
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

pc_sink *pc_sink_open(const pc_sink_opts *o)
{
	pc_sink *s = pc_xmalloc(sizeof *s);
	*s = (pc_sink){ .o = *o, .line = 1, .col = 1, .file = "-" };
	pc_buf_init(&s->line_buf);
	if (pc_outfile_open(&s->out, o->output) != 0) {
		free(s);
		return NULL;
	}
	if (o->rejects && pc_outfile_open(&s->rejects, o->rejects) != 0) {
		pc_outfile_abort(&s->out);
		free(s);
		return NULL;
	}
	s->tty = isatty(STDERR_FILENO);
	s->t0 = s->last_report = now();
	return s;
}

/* "PROGRAM: FILE:LINE:COL: message" for a position in the stream. */
static void report(const pc_sink *s, uint64_t line, uint64_t col, const char *fmt, const char *arg)
{
	fprintf(stderr, "%s: %s:%llu:%llu: ", pc_program_name(), s->file,
		(unsigned long long)line, (unsigned long long)col);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
}

static void progress(pc_sink *s, bool final)
{
	double t = now();
	if (!s->o.progress || (!final && t - s->last_report < (s->tty ? 0.2 : 5.0)))
		return;
	s->last_report = t;
	double secs = t - s->t0 > 1e-9 ? t - s->t0 : 1e-9;
	double rate = s->bytes / secs;
	char eta[64] = "";
	if (s->o.total_size && !final && rate > 0) {
		double left = (double)(s->o.total_size - (s->bytes < s->o.total_size ? s->bytes : s->o.total_size));
		snprintf(eta, sizeof eta, ", %.0f%%, ETA %.0f s",
			 100.0 * s->bytes / s->o.total_size, left / rate);
	}
	fprintf(stderr, "%s%s: %.1f MB, %llu rows, %.1f MB/s%s%s%s", s->tty ? "\r" : "",
		pc_program_name(), s->bytes / 1e6, (unsigned long long)s->rows,
		rate / 1e6, eta, s->tty ? "\033[K" : "", s->tty && !final ? "" : "\n");
}

static int chunk_error(pc_sink *s, const char *what)
{
	fprintf(stderr, "%s: %s:%llu:1: chunk %llu of run %s: %s\n", pc_program_name(),
		s->file, (unsigned long long)s->line, (unsigned long long)s->chunk.index,
		s->chunk.id, what);
	return PC_EXIT_BAD_INPUT;
}

/* A framing line: echo a header, check and rewrite a trailer. */
static int put_frame(pc_sink *s, const pc_block *blk)
{
	pc_frame f;
	const char *why;
	char what[160];

	if (pc_frame_parse(blk->data, blk->len, &f, &why) != 0) {
		report(s, s->line, 1, "%s", why);
		return PC_EXIT_BAD_INPUT;
	}
	if (f.type == PC_FRAME_CHUNK) {
		if (s->in_chunk)
			return chunk_error(s, "truncated (a new #pc:chunk line came before its #pc:end)");
		s->in_chunk = true;
		s->chunk = f;
		s->chunk_scored = s->chunk_rejected = 0;
	} else {
		if (!s->in_chunk) {
			report(s, s->line, 1, "%s", "#pc:end line without a #pc:chunk line");
			return PC_EXIT_BAD_INPUT;
		}
		if (strcmp(f.id, s->chunk.id) != 0 || f.index != s->chunk.index) {
			snprintf(what, sizeof what, "its #pc:end line names chunk %llu of run %s",
				 (unsigned long long)f.index, f.id);
			return chunk_error(s, what);
		}
		if (f.rows != s->chunk_scored + s->chunk_rejected) {
			snprintf(what, sizeof what, "its #pc:end line says rows=%llu but it holds %llu rows",
				 (unsigned long long)f.rows,
				 (unsigned long long)(s->chunk_scored + s->chunk_rejected));
			return chunk_error(s, what);
		}
		f.scored_counts = true;
		f.scored = s->chunk_scored;
		f.rejected = s->chunk_rejected;
		s->in_chunk = false;
	}
	s->line_buf.len = 0;
	if (f.type == PC_FRAME_CHUNK) {
		pc_buf_add(&s->line_buf, blk->data, blk->len);   /* echoed as it came */
		pc_buf_addc(&s->line_buf, '\n');
	} else {
		pc_frame_format(&f, &s->line_buf);
	}
	if (pc_outfile_write(&s->out, s->line_buf.data, s->line_buf.len) != 0)
		return PC_EXIT_TROUBLE;
	return 0;
}

static int put_rows(pc_sink *s, const pc_block *blk, const pc_result *res)
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
	if (s->in_chunk) {
		s->chunk_scored += res->scored;
		s->chunk_rejected += res->rejected;
	}
	s->bytes += blk->len;
	if (res->nlines) {
		s->line += res->nlines;
		s->col = res->tail + 1;
	} else {
		s->col += res->tail;
	}
	return res->stopped ? PC_EXIT_BAD_INPUT : 0;
}

int pc_sink_put(pc_sink *s, const pc_block *blk, const pc_result *res)
{
	int status = 0;

	if (blk->file_start) {
		if (s->in_chunk)
			return chunk_error(s, "truncated (its file ended before its #pc:end line)");
		s->file = blk->file;
		s->line = s->col = 1;
	}
	switch (blk->kind) {
	case PC_BLOCK_ROWS:
		status = put_rows(s, blk, res);
		break;
	case PC_BLOCK_FRAME:
		status = put_frame(s, blk);
		s->bytes += blk->len + 1;
		s->line++;
		s->col = 1;
		break;
	case PC_BLOCK_FIELD_TOO_LONG:
		report(s, s->line, s->col, "%s", "a field longer than 64 MiB (an unterminated quote?)");
		return PC_EXIT_BAD_INPUT;
	}
	if (status == 0 && blk->file_end && s->in_chunk)
		status = chunk_error(s, "truncated (its file ended before its #pc:end line)");
	progress(s, false);
	return status;
}

int pc_sink_finish(pc_sink *s, int status)
{
	if (s->o.progress) {
		s->last_report = 0;
		progress(s, true);
	}
	if (status == 0 && s->o.skip) {
		fprintf(stderr, "%s: skipped %llu bad row%s of %llu", pc_program_name(),
			(unsigned long long)s->rejected, s->rejected == 1 ? "" : "s",
			(unsigned long long)s->rows);
		if (s->o.rejects)
			fprintf(stderr, " (copied to %s)", s->o.rejects);
		fputc('\n', stderr);
	}
	if (status == 0) {
		if (pc_outfile_commit(&s->out) != 0)
			status = PC_EXIT_TROUBLE;
		if (s->o.rejects) {
			if (status == 0 && pc_outfile_commit(&s->rejects) != 0)
				status = PC_EXIT_TROUBLE;
			else if (status != 0)
				pc_outfile_abort(&s->rejects);
		}
	} else {
		pc_outfile_abort(&s->out);
		if (s->o.rejects)
			pc_outfile_abort(&s->rejects);
	}
	pc_buf_free(&s->line_buf);
	free(s);
	return status;
}
