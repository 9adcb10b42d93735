/* pipeline.h - the one block loop of the three scorers.
 *
 *   read -> score -> collect in input order -> sink
 *
 * pc_pipeline_run() reads blocks into a ring of slots, scores in stream
 * order itself the blocks that must be (framing lines, errors, the pieces
 * of a row longer than a block), hands the independent ones to a back end,
 * and gives every result to the sink in stream order.  Back ends differ
 * only in who scores an independent block:
 *
 *   none (NULL)  the loop itself, at once: pc-score;
 *   threads      N POSIX threads (pc_threads_backend): pc-threads;
 *   MPI          the other ranks, and a thread of rank 0 (mpi-backend.c,
 *                built into pc-mpirun only): pc-mpirun.
 *
 * So output, messages and exit status are the same by construction.  The
 * ring bounds memory: (capacity + 2) blocks and their results.          */
#ifndef PC_PIPELINE_H
#define PC_PIPELINE_H

#include <stddef.h>

#include "cli.h"
#include "reader.h"
#include "score.h"
#include "sink.h"

/* The pieces of a scoring run, set up from the parsed options. */
typedef struct {
	pc_reader *reader;
	pc_sink *sink;
	pc_score_opts score;
} pc_job;

/* Returns 0, or an exit status after reporting why. */
int pc_job_open(pc_job *job, const pc_scorer_args *a);

/* A block and its result, in the loop's ring. */
typedef struct {
	pc_block blk;
	pc_result res;
	enum { PC_SLOT_FREE, PC_SLOT_OUT, PC_SLOT_SCORED } state;   /* the loop's own */
} pc_slot;

typedef struct pc_backend pc_backend;
struct pc_backend {
	size_t capacity;   /* slots it may hold at once (>= 1) */
	/* Take an independent block, to be scored into s->res. */
	void (*submit)(pc_backend *be, pc_slot *s);
	/* Wait until at least one block given is scored; put the scored slots
	 * in done[] (room for `capacity`) and return how many (>= 1). */
	size_t (*wait)(pc_backend *be, pc_slot **done);
	/* The loop is over and nothing is out: stop (join, tell ranks). */
	void (*stop)(pc_backend *be);
};

/* Run the job to its end with back end `be` (NULL: score in the loop);
 * frees the job's reader and sink.  Returns the exit status. */
int pc_pipeline_run(pc_job *job, pc_backend *be);

/* N scoring threads; stopped and freed by the loop's stop(). */
pc_backend *pc_threads_backend(const pc_score_opts *o, unsigned long n);

#endif
