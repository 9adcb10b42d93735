/* merge.h - pc-merge's state: the run, the chunk being read, the checks.
 *
 * Blocks of the input come in through merge_put(), in stream order.  The
 * chunk the output needs next goes straight out as it arrives; one that
 * comes early waits (store.h) and is written when its turn comes.  The
 * table (table.h) remembers the chunks that wait or went wrong.  Problems
 * are reported as they show (a chunk twice, truncated or inconsistent, two
 * runs) and, at the end, every index that never came.  Once something is
 * wrong no more rows are kept or written: only the checks go on.  Inputs
 * without any framing are just concatenated.                            */
#ifndef PC_MERGE_MERGE_H
#define PC_MERGE_MERGE_H

#include <stdbool.h>
#include <stdint.h>

#include "list.h"
#include "pc.h"
#include "store.h"
#include "table.h"

typedef enum { KIND_UNKNOWN, KIND_PLAIN, KIND_FRAMED } input_kind;
typedef enum { OUTSIDE, IN_CHUNK, ORPHAN } position;   /* ORPHAN: after a corrupt header */
typedef enum { TO_OUTPUT, TO_TABLE, NOWHERE } destination;

typedef struct {
	pc_outfile out;
	store store;               /* the rows of chunks that came early */
	/* the run */
	input_kind kind;
	pc_buf held;               /* blank lines before the kind is known */
	bool plain_lf;             /* plain: the output so far ends with an LF */
	char id[17];               /* the run id, "" until the first header */
	uint64_t next;             /* the index the output needs next */
	uint64_t last;             /* the chunk with last=1, or 0 */
	uint64_t count;            /* count= of the headers, or 0 */
	uint64_t top;              /* the highest index seen */
	uint64_t format_seen;      /* the first chunk read, whose header= and */
	bool header;               /* delim= every other chunk must have too */
	char delim;
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
	/* --chunk-list and --rerun (set after merge_init), -z */
	const char *list_name;
	const char *rerun_name;
	bool zero;
	const chunk_list *list;    /* while finishing: the chunks listed */
	uint64_t end;              /* after finishing: the last index of the run, 0 if unknown */
} merger;

/* A merger that writes to out (opened), with waiting chunks kept by the
 * store's budget and tmpdir. */
void merge_init(merger *m, const pc_outfile *out, uint64_t budget, const char *tmpdir);
/* One block of the input.  Returns 0, or an exit status that ends the run. */
int merge_put(merger *m, const pc_block *blk);
/* The end of the input: the checks that need all of it (with the chunks
 * of list_name, when given, as the run's extent), the skip totals, the
 * output committed or dropped, and the paths of the chunks to score again
 * written to rerun_name.  Frees m; returns the exit status. */
int merge_finish(merger *m, int status);

#endif
