/* pc-threads - score CSV rows on N threads, output in input order.
 *
 * The block loop of pc-score, with the scoring spread out:
 *
 *   main thread    reads blocks into a ring of slots; blocks that must be
 *                  scored in stream order (framing, rows longer than a
 *                  block) it scores itself, the rest go on a work queue;
 *   N workers      score queued blocks, each into its own slot;
 *   writer thread  hands the slots to the sink in stream order and frees
 *                  them for the reader.
 *
 * The ring bounds memory (slots x block size); the sink, and so the output,
 * the messages and the exit status, are exactly pc-score's.            */
#include <config.h>

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "powercouples.h"

enum slot_state { SLOT_FREE, SLOT_QUEUED, SLOT_SCORED };

typedef struct {
	enum slot_state state;
	pc_block blk;
	pc_result res;
} slot;

typedef struct {
	pc_job *job;
	slot *slots;
	size_t nslots;
	pthread_mutex_t lock;
	pthread_cond_t freed;     /* a slot became free */
	pthread_cond_t queued;    /* work was queued, or the run ends */
	pthread_cond_t scored;    /* a slot was scored, or the run ends */
	uint64_t *queue;          /* seqs waiting for a worker (a ring) */
	size_t queue_head, queue_len;
	uint64_t nblocks;         /* blocks read so far */
	bool reading_done;        /* nblocks is final */
	bool stop;                /* the writer is done: everyone stops */
	int status;               /* the writer's exit status */
} run;

static slot *slot_of(run *r, uint64_t seq)
{
	return &r->slots[seq % r->nslots];
}

static void *worker(void *arg)
{
	run *r = arg;
	pc_carry carry;   /* scratch only: queued blocks carry no row */

	pc_carry_init(&carry);
	pthread_mutex_lock(&r->lock);
	for (;;) {
		while (!r->stop && r->queue_len == 0 && !r->reading_done)
			pthread_cond_wait(&r->queued, &r->lock);
		if (r->stop || r->queue_len == 0)
			break;
		uint64_t seq = r->queue[r->queue_head];
		r->queue_head = (r->queue_head + 1) % r->nslots;
		r->queue_len--;
		slot *s = slot_of(r, seq);
		pthread_mutex_unlock(&r->lock);
		pc_score_block(&r->job->score, &s->blk, &carry, &s->res);
		pthread_mutex_lock(&r->lock);
		s->state = SLOT_SCORED;
		pthread_cond_broadcast(&r->scored);
	}
	pthread_mutex_unlock(&r->lock);
	pc_carry_free(&carry);
	return NULL;
}

static void *writer(void *arg)
{
	run *r = arg;
	int status = 0;

	pthread_mutex_lock(&r->lock);
	for (uint64_t seq = 0;; seq++) {
		slot *s = slot_of(r, seq);
		while (!(seq < r->nblocks && s->state == SLOT_SCORED) &&
		       !(r->reading_done && seq >= r->nblocks))
			pthread_cond_wait(&r->scored, &r->lock);
		if (seq >= r->nblocks)
			break;   /* all written */
		pthread_mutex_unlock(&r->lock);
		status = pc_sink_put(r->job->sink, &s->blk, &s->res);
		pthread_mutex_lock(&r->lock);
		if (status != 0)
			break;
		s->state = SLOT_FREE;
		pthread_cond_broadcast(&r->freed);
	}
	r->status = status;
	r->stop = true;
	pthread_cond_broadcast(&r->freed);
	pthread_cond_broadcast(&r->queued);
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

/* The reader: the main thread.  Returns 0, or 2 after a read error. */
static int read_blocks(run *r)
{
	pc_carry carry;   /* the row carried through blocks scored here */
	int got = 0;

	pc_carry_init(&carry);
	for (uint64_t seq = 0;; seq++) {
		slot *s = slot_of(r, seq);
		pthread_mutex_lock(&r->lock);
		while (!r->stop && s->state != SLOT_FREE)
			pthread_cond_wait(&r->freed, &r->lock);
		bool stop = r->stop;
		pthread_mutex_unlock(&r->lock);
		if (stop || (got = pc_reader_next(r->job->reader, &s->blk)) <= 0)
			break;

		bool here = !pc_block_independent(&s->blk);
		if (here)
			pc_score_block(&r->job->score, &s->blk, &carry, &s->res);
		pthread_mutex_lock(&r->lock);
		if (here) {
			s->state = SLOT_SCORED;
			pthread_cond_broadcast(&r->scored);
		} else {
			s->state = SLOT_QUEUED;
			r->queue[(r->queue_head + r->queue_len++) % r->nslots] = seq;
			pthread_cond_signal(&r->queued);
		}
		r->nblocks = seq + 1;
		pthread_mutex_unlock(&r->lock);
	}
	pthread_mutex_lock(&r->lock);
	r->reading_done = true;
	pthread_cond_broadcast(&r->queued);
	pthread_cond_broadcast(&r->scored);
	pthread_mutex_unlock(&r->lock);
	pc_carry_free(&carry);
	return got < 0 ? PC_EXIT_TROUBLE : 0;
}

static int run_threads(pc_job *job, unsigned long jobs)
{
	run r = { .job = job, .nslots = 2 * jobs + 2 };
	pthread_t *workers = pc_xmalloc(jobs * sizeof *workers);
	pthread_t writer_thread;

	r.slots = pc_xmalloc(r.nslots * sizeof *r.slots);
	r.queue = pc_xmalloc(r.nslots * sizeof *r.queue);
	for (size_t i = 0; i < r.nslots; i++) {
		r.slots[i].state = SLOT_FREE;
		pc_block_init(&r.slots[i].blk);
		pc_result_init(&r.slots[i].res);
	}
	pthread_mutex_init(&r.lock, NULL);
	pthread_cond_init(&r.freed, NULL);
	pthread_cond_init(&r.queued, NULL);
	pthread_cond_init(&r.scored, NULL);

	unsigned long started = 0;
	int err = pthread_create(&writer_thread, NULL, writer, &r);
	for (; err == 0 && started < jobs; started++)
		err = pthread_create(&workers[started], NULL, worker, &r);
	if (err != 0) {
		pc_warn("cannot start a thread (%lu running)", started);
		exit(PC_EXIT_TROUBLE);
	}

	int status = read_blocks(&r);
	pthread_join(writer_thread, NULL);
	for (unsigned long i = 0; i < jobs; i++)
		pthread_join(workers[i], NULL);
	if (status == 0)
		status = r.status;

	status = pc_sink_finish(job->sink, status);
	pc_reader_free(job->reader);
	for (size_t i = 0; i < r.nslots; i++) {
		pc_block_free(&r.slots[i].blk);
		pc_result_free(&r.slots[i].res);
	}
	free(r.slots);
	free(r.queue);
	free(workers);
	return status;
}

int main(int argc, char **argv)
{
	pc_scorer_args args;
	pc_job job;

	pc_set_program_name(argv[0]);
	pc_scorer_parse(&args, argc, argv, PC_ARGS_JOBS,
			"Find the power couple of each CSV row, on several threads;\n"
			"the output is the same as pc-score's, in input order.");
	if (args.jobs == 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		args.jobs = n > 0 ? (unsigned long)n : 1;
	}
	int status = pc_job_open(&job, &args);
	return status ? status : run_threads(&job, args.jobs);
}
