/* chunk.h - the one chunk checker (SPEC 5), for the scorers' sink and for
 * pc-merge.
 *
 * Whoever reads a stream of blocks feeds it every framing line, and the
 * number of data rows between them; it says whether each line fits: a
 * header while no chunk is open, a trailer that names the open chunk and
 * whose counts match what came.  Two kinds of chunk are checked:
 *
 *   PC_CHUNK_RAW     a chunk to score (from pc-split): its trailer has
 *                    rows= and no scored= (a chunk scored already is
 *                    refused); rows= must be the rows that came.  A CR
 *                    before a framing line's LF is accepted (CRLF input).
 *   PC_CHUNK_SCORED  a scored chunk (to merge): its trailer has scored= and
 *                    rejected=, scored= is the rows that came, and
 *                    scored + rejected = rows.  A framing line with a CR,
 *                    and a blank line inside the chunk, are refused: a
 *                    scorer writes neither.                             */
#ifndef PC_CHUNK_H
#define PC_CHUNK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "frame.h"

typedef enum { PC_CHUNK_RAW, PC_CHUNK_SCORED } pc_chunk_kind;

typedef enum {
	PC_CHUNK_HEADER,    /* a header: the chunk is open */
	PC_CHUNK_TRAILER,   /* a trailer that fits: the chunk is closed */
	PC_CHUNK_CORRUPT,   /* the line is no framing line (why); nothing changed */
	PC_CHUNK_CUT,       /* a header while a chunk was open: that one is
			       truncated (why), and this one is open */
	PC_CHUNK_STRAY_END, /* a trailer while no chunk was open */
	PC_CHUNK_BAD_END,   /* a trailer that does not fit (why): closed anyway */
} pc_chunk_event;

typedef struct {
	pc_chunk_kind kind;
	bool open;          /* a header came and its trailer not yet */
	pc_frame head;      /* the open chunk's header (file_enc points nowhere
			       after the line is gone) */
	uint64_t rows;      /* data rows that came in it so far */
} pc_chunk;

void pc_chunk_init(pc_chunk *c, pc_chunk_kind kind);

/*
 * One framing line (a PC_BLOCK_FRAME block: no LF, maybe a CR).  *f gets
 * the parsed line; `why` a message for CORRUPT, for CUT ("chunk 3 of run
 * ID: truncated ..."), and for BAD_END (what is wrong with c->head's chunk).
 */
pc_chunk_event pc_chunk_frame(pc_chunk *c, const char *line, size_t len, pc_frame *f,
			      char *why, size_t n);

/* Data rows between the framing lines. */
static inline void pc_chunk_rows(pc_chunk *c, uint64_t rows)
{
	c->rows += rows;
}

#endif
