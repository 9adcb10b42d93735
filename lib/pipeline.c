/* pipeline.c - the one block loop, and its threads back end. */
#include <config.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline.h"

int pc_job_open(pc_job *job, const pc_scorer_args *a)
{
	pc_kernel_init();   /* before any thread scores */
	job->score = (pc_score_opts){ .method = a->method, .skip = a->skip,
				      .keep_rejects = a->rejects != NULL };
	job->reader = pc_reader_new(a->inputs, a->ninputs, a->block_size);
	pc_reader_set_format(job->reader, a->header, a->delim);
	pc_sink_opts so = { .output = a->output, .rejects = a->rejects, .skip = a->skip,
			    .progress = a->progress, .header = a->header, .delim = a->delim,
			    .total_size = pc_reader_total_size(job->reader) };
	job->sink = pc_sink_open(&so);
	if (!job->sink) {
		pc_reader_free(job->reader);
		return PC_EXIT_TROUBLE;
	}
	return 0;
}

int pc_pipeline_run(pc_job *job, pc_backend *be)
{
	size_t capacity = be ? be->capacity : 0, nslots = capacity + 2;
	pc_slot *slots = pc_xmalloc(nslots * sizeof *slots);
	pc_slot **done = pc_xmalloc((capacity + 1) * sizeof *done);
	pc_carry carry;   /* the row carried through blocks scored here, in order */
	pc_carry scratch; /* for the rest of a short result that carries no row */
	uint64_t next_read = 0, next_write = 0;
	size_t out = 0;   /* slots with the back end */
	bool eof = false;
	int status = 0;

	for (size_t i = 0; i < nslots; i++) {
		pc_block_init(&slots[i].blk);
		pc_result_init(&slots[i].res);
		slots[i].state = PC_SLOT_FREE;
	}
	pc_carry_init(&carry);
	pc_carry_init(&scratch);
	for (;;) {
		/* the results at the head of the stream go to the sink, in order */
		pc_slot *s;
		while (next_write < next_read &&
		       (s = &slots[next_write % nslots])->state == PC_SLOT_SCORED) {
			status = pc_sink_put(job->sink, &s->blk, &s->res);
			while (status == 0 && s->res.used < s->blk.len) {
				/* the result filled up with bad rows before the block
				 * ended: the rest, from a row start, is scored here.
				 * Blocks after it may have been scored already, `carry`
				 * holding a row of theirs, so the rest takes a carry of
				 * its own.  (A block that continues holds part of one
				 * row only, so it never comes back short.) */
				s->blk.data += s->res.used;
				s->blk.len -= s->res.used;
				s->blk.continued = s->blk.file_start = false;
				pc_score_block(&job->score, &s->blk,
					       s->blk.continues ? &carry : &scratch, &s->res);
				status = pc_sink_put(job->sink, &s->blk, &s->res);
			}
			s->state = PC_SLOT_FREE;
			next_write++;
			if (status != 0)
				goto stop;
		}
		/* read while there is room: a free slot, and someone to score it */
		s = &slots[next_read % nslots];
		if (!eof && s->state == PC_SLOT_FREE && out < capacity + (capacity == 0)) {
			if (pc_reader_next(job->reader, &s->blk) == 0) {
				eof = true;
				continue;
			}
			next_read++;
			if (be && pc_block_independent(&s->blk)) {
				s->state = PC_SLOT_OUT;
				out++;
				be->submit(be, s);
			} else {
				pc_score_block(&job->score, &s->blk, &carry, &s->res);
				s->state = PC_SLOT_SCORED;
			}
			continue;
		}
		if (out == 0) {
			if (eof && next_write == next_read)
				break;
			continue;   /* the head is scored: the sink takes it above */
		}
		for (size_t n = be->wait(be, done); n > 0; n--, out--)
			done[n - 1]->state = PC_SLOT_SCORED;
	}
stop:
	/* stopped early, or done: take back what is still out */
	while (out > 0)
		for (size_t n = be->wait(be, done); n > 0; n--, out--)
			done[n - 1]->state = PC_SLOT_SCORED;
	if (be)
		be->stop(be);
	status = pc_sink_finish(job->sink, status);
	pc_reader_free(job->reader);
	for (size_t i = 0; i < nslots; i++) {
		pc_block_free(&slots[i].blk);
		pc_result_free(&slots[i].res);
	}
	free(slots);
	free(done);
	pc_carry_free(&carry);
	pc_carry_free(&scratch);
	return status;
}

/* ---- the threads back end ------------------------------------------------ */

typedef struct {
	pc_backend be;
	const pc_score_opts *o;
	pthread_mutex_t lock;
	pthread_cond_t work;       /* a block was queued, or quit */
	pthread_cond_t scored;     /* a block was scored */
	pc_slot **queue;           /* to score: a ring of `capacity` */
	size_t queue_head, queue_len;
	pc_slot **finished;        /* scored, not yet collected */
	size_t nfinished;
	bool quit;
	pthread_t *threads;
	unsigned long nthreads;
} threads_backend;

static void *worker(void *arg)
{
	threads_backend *t = arg;
	pc_carry scratch;   /* independent blocks carry no row */

	pc_carry_init(&scratch);
	pthread_mutex_lock(&t->lock);
	for (;;) {
		while (!t->quit && t->queue_len == 0)
			pthread_cond_wait(&t->work, &t->lock);
		if (t->queue_len == 0)
			break;   /* quit, and nothing left */
		pc_slot *s = t->queue[t->queue_head];
		t->queue_head = (t->queue_head + 1) % t->be.capacity;
		t->queue_len--;
		pthread_mutex_unlock(&t->lock);
		pc_score_block(t->o, &s->blk, &scratch, &s->res);
		pthread_mutex_lock(&t->lock);
		t->finished[t->nfinished++] = s;
		pthread_cond_signal(&t->scored);
	}
	pthread_mutex_unlock(&t->lock);
	pc_carry_free(&scratch);
	return NULL;
}

static void threads_submit(pc_backend *be, pc_slot *s)
{
	threads_backend *t = (threads_backend *)be;
	pthread_mutex_lock(&t->lock);
	t->queue[(t->queue_head + t->queue_len++) % be->capacity] = s;
	pthread_cond_signal(&t->work);
	pthread_mutex_unlock(&t->lock);
}

static size_t threads_wait(pc_backend *be, pc_slot **done)
{
	threads_backend *t = (threads_backend *)be;
	pthread_mutex_lock(&t->lock);
	while (t->nfinished == 0)
		pthread_cond_wait(&t->scored, &t->lock);
	size_t n = t->nfinished;
	for (size_t i = 0; i < n; i++)
		done[i] = t->finished[i];
	t->nfinished = 0;
	pthread_mutex_unlock(&t->lock);
	return n;
}

static void threads_stop(pc_backend *be)
{
	threads_backend *t = (threads_backend *)be;
	pthread_mutex_lock(&t->lock);
	t->quit = true;
	pthread_cond_broadcast(&t->work);
	pthread_mutex_unlock(&t->lock);
	for (unsigned long i = 0; i < t->nthreads; i++)
		pthread_join(t->threads[i], NULL);
	pthread_mutex_destroy(&t->lock);
	pthread_cond_destroy(&t->work);
	pthread_cond_destroy(&t->scored);
	free(t->threads);
	free(t->queue);
	free(t->finished);
	free(t);
}

pc_backend *pc_threads_backend(const pc_score_opts *o, unsigned long n)
{
	threads_backend *t = pc_xmalloc(sizeof *t);
	/* two blocks a thread: one scored, one waiting, while the loop writes */
	*t = (threads_backend){ .be = { .capacity = 2 * n, .submit = threads_submit,
					.wait = threads_wait, .stop = threads_stop },
				.o = o, .nthreads = n };
	t->queue = pc_xmalloc(t->be.capacity * sizeof *t->queue);
	t->finished = pc_xmalloc(t->be.capacity * sizeof *t->finished);
	t->threads = pc_xmalloc(n * sizeof *t->threads);
	pthread_mutex_init(&t->lock, NULL);
	pthread_cond_init(&t->work, NULL);
	pthread_cond_init(&t->scored, NULL);
	for (unsigned long i = 0; i < n; i++) {
		int err = pthread_create(&t->threads[i], NULL, worker, t);
		if (err != 0) {
			pc_warn("cannot start a thread (%lu running): %s", i, strerror(err));
			exit(PC_EXIT_TROUBLE);
		}
	}
	return &t->be;
}
