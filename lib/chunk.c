/* chunk.c - the one chunk checker: headers and trailers in turn, counts. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "chunk.h"

void pc_chunk_init(pc_chunk *c, pc_chunk_kind kind)
{
	*c = (pc_chunk){ .kind = kind };
}

/* Why the trailer f does not fit the open chunk, or NULL. */
static const char *check_trailer(const pc_chunk *c, const pc_frame *f, char *why, size_t n)
{
	const pc_frame *h = &c->head;
	char *w = why;
	size_t left = n;

	if (strcmp(f->id, h->id) != 0 || f->index != h->index) {
		snprintf(w, left, "its #pc:end line names chunk %llu of run %s",
			 (unsigned long long)f->index, f->id);
	} else if (c->kind == PC_CHUNK_RAW) {
		if (f->scored_counts)
			snprintf(w, left, "already scored (its #pc:end line has scored= and rejected=)");
		else if (f->rows != c->rows)
			snprintf(w, left, "its #pc:end line says rows=%llu but it holds %llu rows",
				 (unsigned long long)f->rows, (unsigned long long)c->rows);
		else
			return NULL;
	} else if (!f->scored_counts) {
		snprintf(w, left, "it was not scored (its #pc:end line has no scored= and rejected=)");
	} else if (f->scored != c->rows) {
		snprintf(w, left, "#pc:end says scored=%llu but it holds %llu rows",
			 (unsigned long long)f->scored, (unsigned long long)c->rows);
	} else if (f->scored + f->rejected != f->rows || f->scored + f->rejected < f->scored) {
		snprintf(w, left, "#pc:end says scored=%llu and rejected=%llu, which is not rows=%llu",
			 (unsigned long long)f->scored, (unsigned long long)f->rejected,
			 (unsigned long long)f->rows);
	} else {
		return NULL;
	}
	return why;
}

pc_chunk_event pc_chunk_frame(pc_chunk *c, const char *line, size_t len, pc_frame *f,
			      char *why, size_t n)
{
	const char *what;

	if (len > 0 && line[len - 1] == '\r') {
		if (c->kind == PC_CHUNK_SCORED) {
			snprintf(why, n, "a framing line ends in a CR (a scorer writes none: "
				 "was the chunk converted to CRLF?)");
			return PC_CHUNK_CORRUPT;
		}
		len--;   /* a CRLF chunk to score is CSV like any other */
	}
	if (pc_frame_parse(line, len, f, &what) != 0) {
		snprintf(why, n, "%s", what);
		return PC_CHUNK_CORRUPT;
	}
	if (f->type == PC_FRAME_CHUNK) {
		pc_chunk_event ev = PC_CHUNK_HEADER;
		if (c->open) {
			snprintf(why, n, "chunk %llu of run %s: truncated (a new #pc:chunk line "
				 "came before its #pc:end)", (unsigned long long)c->head.index,
				 c->head.id);
			ev = PC_CHUNK_CUT;
		}
		c->open = true;
		c->head = *f;
		c->head.file_enc = NULL;
		c->head.file_enc_len = 0;
		c->rows = 0;
		return ev;
	}
	if (!c->open)
		return PC_CHUNK_STRAY_END;
	c->open = false;
	return check_trailer(c, f, why, n) ? PC_CHUNK_BAD_END : PC_CHUNK_TRAILER;
}
