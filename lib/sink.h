/* sink.h - the ordered end of the block loop.
 *
 * Takes each block's result in stream order and does everything that needs
 * that order: writes rows (to stdout or an atomic -o file), writes rejects,
 * turns block-relative positions into FILE:LINE:COL messages, checks and
 * re-emits chunk framing (SPEC 5), and reports progress.               */
#ifndef PC_SINK_H
#define PC_SINK_H

#include <stdbool.h>
#include <stdint.h>

#include "reader.h"
#include "score.h"

typedef struct {
	const char *output;   /* NULL: stdout */
	const char *rejects;  /* NULL: none */
	bool skip;
	bool progress;
	bool header;          /* --header: the output starts with name,x,y ... */
	char delim;           /* ... separated by this (-t; 0 is ',') */
	uint64_t total_size;  /* for the progress ETA; 0 when unknown */
} pc_sink_opts;

typedef struct pc_sink pc_sink;

/* NULL after an error (reported). */
pc_sink *pc_sink_open(const pc_sink_opts *o);
/* res is NULL for framing and error blocks.  Returns 0 to go on, or the
 * exit status that ends the run (1: bad input in fail mode, 2: I/O). */
int pc_sink_put(pc_sink *s, const pc_block *blk, const pc_result *res);
/* End of the run with the status so far: checks the input ended cleanly,
 * prints the skip summary, commits or drops the output.  Frees s and
 * returns the exit status. */
int pc_sink_finish(pc_sink *s, int status);

#endif
