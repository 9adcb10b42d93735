/* pc-mpirun - score CSV rows across MPI ranks, output in input order.
 *
 * The block loop of pc-score, with the scoring dealt out:
 *
 *   rank 0    reads blocks, sends each independent one to a rank that has
 *             fewer than two in flight, or, when all are busy, to its own
 *             scoring thread; framing and rows longer than a block it
 *             scores itself, in stream order; and it hands the results
 *             to the sink in stream order;
 *   rank > 0  scores what it is sent and sends the result back.
 *
 * Rank 0's main thread makes every MPI call and never scores an
 * independent block: it polls (MPI_Iprobe, then a short sleep) while
 * every rank and its own scoring thread are busy.  A large message moves
 * only while both ends are in MPI calls (unless the transport can copy
 * without the sender, as shared memory with CMA can; TCP between nodes
 * cannot), so a rank 0 busy scoring would starve the other ranks.
 * Blocks go out with MPI_Isend, so a rank sending back a large result can
 * always be heard.  MPI keeps messages between two ranks in order, so
 * results come back from each rank in the order its blocks went out, and
 * rank 0 knows which is which.
 *
 * Only rank 0 touches files, so no shared filesystem is needed.  Rank 0
 * keeps at most 2 blocks per rank (plus two) in flight, which bounds
 * memory; the sink makes output, messages and exit status pc-score's.  */
#include <config.h>

#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <mpi.h>

#include "powercouples.h"

enum { TAG_BLOCK = 1, TAG_RESULT, TAG_STOP };
#define IN_FLIGHT 2   /* blocks per worker rank: one scored, one waiting */

/* What travels with a result, ahead of its bytes. */
typedef struct {
	uint64_t rows, scored, rejected, nlines, tail;
	uint64_t out_len, rejects_len, nerrors;
	uint64_t stopped;
} result_head;

/* ---- worker ranks -------------------------------------------------------- */

/* Results go out with MPI_Isend from two buffers in turn, so a rank can
 * take its next block while rank 0 is busy scoring one of its own. */
static void send_result(const pc_result *res, pc_buf *msg, MPI_Request *req)
{
	result_head h = { res->rows, res->scored, res->rejected, res->nlines, res->tail,
			  res->out.len, res->rejects.len, res->nerrors, res->stopped };
	msg->len = 0;
	pc_buf_add(msg, &h, sizeof h);
	pc_buf_add(msg, res->out.data, res->out.len);
	pc_buf_add(msg, res->rejects.data, res->rejects.len);
	pc_buf_add(msg, res->errors, res->nerrors * sizeof *res->errors);
	MPI_Isend(msg->data, (int)msg->len, MPI_BYTE, 0, TAG_RESULT, MPI_COMM_WORLD, req);
}

static void work(const pc_score_opts *o)
{
	pc_block blk;
	pc_result res;
	pc_carry carry;   /* scratch only: independent blocks carry no row */
	pc_buf msg[2];
	MPI_Request sending[2] = { MPI_REQUEST_NULL, MPI_REQUEST_NULL };

	pc_block_init(&blk);
	pc_result_init(&res);
	pc_carry_init(&carry);
	pc_buf_init(&msg[0]);
	pc_buf_init(&msg[1]);
	for (unsigned turn = 0;; turn ^= 1) {
		MPI_Status st;
		int len;
		MPI_Probe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
		if (st.MPI_TAG == TAG_STOP) {
			MPI_Recv(NULL, 0, MPI_BYTE, 0, TAG_STOP, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
			break;
		}
		MPI_Get_count(&st, MPI_BYTE, &len);
		size_t n = (size_t)len;
		if (blk.cap < n + 1 + PC_BLOCK_PAD) {
			blk.cap = n + 1 + PC_BLOCK_PAD;
			blk.data = pc_xrealloc(blk.data, blk.cap);
		}
		MPI_Recv(blk.data, len, MPI_BYTE, 0, TAG_BLOCK, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
		memset(blk.data + n, 0, 1 + PC_BLOCK_PAD);
		blk.len = n;
		blk.kind = PC_BLOCK_ROWS;
		blk.continued = blk.continues = false;
		pc_score_block(o, &blk, &carry, &res);
		MPI_Wait(&sending[turn], MPI_STATUS_IGNORE);   /* its buffer is free again */
		send_result(&res, &msg[turn], &sending[turn]);
	}
	MPI_Waitall(2, sending, MPI_STATUSES_IGNORE);
	pc_block_free(&blk);
	pc_result_free(&res);
	pc_carry_free(&carry);
	pc_buf_free(&msg[0]);
	pc_buf_free(&msg[1]);
}

/* ---- rank 0 -------------------------------------------------------------- */

enum slot_state { SLOT_FREE, SLOT_SENT, SLOT_LOCAL, SLOT_SCORED };

typedef struct {
	enum slot_state state;
	MPI_Request send;   /* the block on its way out */
	pc_block blk;
	pc_result res;
} slot;

typedef struct {
	pc_job *job;
	int nranks;
	slot *slots;
	size_t nslots;
	int *in_flight;     /* per rank */
	uint64_t *sent;     /* per rank: the seqs in flight, oldest first */
	int total_in_flight;
	uint64_t next_read, next_write;
	bool eof;
	pc_carry carry;   /* the row carried through blocks scored in order */
	pc_buf msg;
	/* rank 0's scoring thread, for independent blocks */
	bool threaded;          /* else they are scored inline */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake, done_cond;
	slot *local;            /* given to it, not yet taken back */
	bool local_done, quit;
	pc_carry local_carry;   /* scratch: independent blocks carry no row */
} dealer;

static slot *slot_of(dealer *d, uint64_t seq)
{
	return &d->slots[seq % d->nslots];
}

static void send_block(dealer *d, slot *s, int rank)
{
	MPI_Isend(s->blk.data, (int)s->blk.len, MPI_BYTE, rank, TAG_BLOCK, MPI_COMM_WORLD,
		  &s->send);
	s->state = SLOT_SENT;
	d->sent[rank * IN_FLIGHT + d->in_flight[rank]++] = s->blk.seq;
	d->total_in_flight++;
}

/* Receive one result (waiting for it) into its slot. */
static void receive_result(dealer *d)
{
	MPI_Status st;
	int len;
	result_head h;

	MPI_Probe(MPI_ANY_SOURCE, TAG_RESULT, MPI_COMM_WORLD, &st);
	MPI_Get_count(&st, MPI_BYTE, &len);
	d->msg.len = 0;
	pc_buf_reserve(&d->msg, (size_t)len);
	MPI_Recv(d->msg.data, len, MPI_BYTE, st.MPI_SOURCE, TAG_RESULT, MPI_COMM_WORLD,
		 MPI_STATUS_IGNORE);
	const char *p = d->msg.data;
	memcpy(&h, p, sizeof h);
	p += sizeof h;

	/* the oldest block this rank has */
	int rank = st.MPI_SOURCE;
	slot *s = slot_of(d, d->sent[rank * IN_FLIGHT]);
	memmove(&d->sent[rank * IN_FLIGHT], &d->sent[rank * IN_FLIGHT + 1],
		(IN_FLIGHT - 1) * sizeof *d->sent);
	MPI_Wait(&s->send, MPI_STATUS_IGNORE);   /* long done: it was scored */
	pc_result *res = &s->res;
	pc_result_reset(res);
	pc_buf_add(&res->out, p, h.out_len);
	p += h.out_len;
	pc_buf_add(&res->rejects, p, h.rejects_len);
	p += h.rejects_len;
	if (h.nerrors > res->errors_cap) {
		res->errors_cap = h.nerrors;
		res->errors = pc_xrealloc(res->errors, h.nerrors * sizeof *res->errors);
	}
	if (h.nerrors)
		memcpy(res->errors, p, h.nerrors * sizeof *res->errors);
	res->nerrors = h.nerrors;
	res->rows = h.rows;
	res->scored = h.scored;
	res->rejected = h.rejected;
	res->nlines = h.nlines;
	res->tail = h.tail;
	res->stopped = h.stopped != 0;
	s->state = SLOT_SCORED;
	d->in_flight[rank]--;
	d->total_in_flight--;
}

/* ---- rank 0's own scoring thread ---------------------------------------- */

static void *local_main(void *arg)
{
	dealer *d = arg;

	pthread_mutex_lock(&d->lock);
	for (;;) {
		while (!d->quit && (!d->local || d->local_done))
			pthread_cond_wait(&d->wake, &d->lock);
		if (d->quit)
			break;
		slot *s = d->local;
		pthread_mutex_unlock(&d->lock);
		pc_score_block(&d->job->score, &s->blk, &d->local_carry, &s->res);
		pthread_mutex_lock(&d->lock);
		d->local_done = true;
		pthread_cond_signal(&d->done_cond);
	}
	pthread_mutex_unlock(&d->lock);
	return NULL;
}

static void give_local(dealer *d, slot *s)
{
	if (!d->threaded) {
		pc_score_block(&d->job->score, &s->blk, &d->local_carry, &s->res);
		s->state = SLOT_SCORED;
		return;
	}
	s->state = SLOT_LOCAL;
	pthread_mutex_lock(&d->lock);
	d->local = s;
	d->local_done = false;
	pthread_cond_signal(&d->wake);
	pthread_mutex_unlock(&d->lock);
}

/* Take back the block the thread scored, if it is done (or, with `wait`,
 * once it is).  Returns whether it was. */
static bool take_local(dealer *d, bool wait)
{
	if (!d->local)
		return false;
	pthread_mutex_lock(&d->lock);
	while (wait && !d->local_done)
		pthread_cond_wait(&d->done_cond, &d->lock);
	bool done = d->local_done;
	if (done) {
		d->local->state = SLOT_SCORED;
		d->local = NULL;   /* under the lock: the thread reads it */
	}
	pthread_mutex_unlock(&d->lock);
	return done;
}

/* Wait until a result comes back or the thread is done with its block,
 * keeping MPI's messages moving meanwhile.  The nap is a trade: shorter
 * ones steal the scorers' cores (50 us cost 6% on the exhaustive method
 * with -n 2), longer ones delay small blocks (1 ms cost the closed form
 * 17%). */
static void wait_some(dealer *d)
{
	const struct timespec nap = { 0, 250 * 1000 };   /* 250 us */

	for (;;) {
		if (d->total_in_flight == 0) {
			take_local(d, true);   /* nothing in flight: no MPI to drive */
			return;
		}
		int arrived;
		MPI_Iprobe(MPI_ANY_SOURCE, TAG_RESULT, MPI_COMM_WORLD, &arrived, MPI_STATUS_IGNORE);
		if (arrived) {
			receive_result(d);
			return;
		}
		if (take_local(d, false))
			return;
		nanosleep(&nap, NULL);
	}
}

/* The worker rank with the fewest blocks in flight, if it has room. */
static int free_rank(const dealer *d)
{
	int best = 0;
	for (int r = 1; r < d->nranks; r++)
		if (d->in_flight[r] < IN_FLIGHT && (best == 0 || d->in_flight[r] < d->in_flight[best]))
			best = r;
	return best;
}

/* Hand the scored blocks at the head of the stream to the sink. */
static int write_ready(dealer *d)
{
	while (d->next_write < d->next_read) {
		slot *s = slot_of(d, d->next_write);
		if (s->state != SLOT_SCORED)
			return 0;
		int status = pc_sink_put(d->job->sink, &s->blk, &s->res);
		if (status != 0)
			return status;
		s->state = SLOT_FREE;
		d->next_write++;
	}
	return 0;
}

static int deal(dealer *d)
{
	int status = 0;

	for (;;) {
		take_local(d, false);
		if ((status = write_ready(d)) != 0)
			break;
		slot *s = slot_of(d, d->next_read);
		/* read only when someone can take the block */
		if (!d->eof && s->state == SLOT_FREE && (free_rank(d) > 0 || !d->local)) {
			int got = pc_reader_next(d->job->reader, &s->blk);
			if (got <= 0) {
				d->eof = true;
				if (got < 0) {
					status = PC_EXIT_TROUBLE;
					break;
				}
				continue;
			}
			d->next_read++;
			int rank;
			if (!pc_block_independent(&s->blk)) {
				/* framing, or a row longer than a block: in stream order */
				pc_score_block(&d->job->score, &s->blk, &d->carry, &s->res);
				s->state = SLOT_SCORED;
			} else if ((rank = free_rank(d)) > 0) {
				send_block(d, s, rank);
			} else {
				give_local(d, s);
			}
			continue;
		}
		if (d->total_in_flight == 0 && !d->local) {
			if (d->eof && d->next_write == d->next_read)
				break;
			continue;   /* nothing out: write_ready frees a slot */
		}
		wait_some(d);
	}
	/* stopped early: collect what is still out, so no rank is left waiting */
	while (d->total_in_flight > 0 || d->local)
		wait_some(d);
	return status;
}

static int lead(pc_job *job, int nranks, bool threaded)
{
	/* two blocks in flight per worker rank, one with the thread, one being
	 * read or written */
	dealer d = { .job = job, .nranks = nranks, .threaded = threaded,
		     .nslots = (size_t)IN_FLIGHT * (size_t)(nranks - 1) + 2 };
	d.slots = pc_xmalloc(d.nslots * sizeof *d.slots);
	d.in_flight = calloc((size_t)nranks, sizeof *d.in_flight);
	d.sent = calloc((size_t)nranks * IN_FLIGHT, sizeof *d.sent);
	if (!d.in_flight || !d.sent) {
		pc_warn("out of memory");
		MPI_Abort(MPI_COMM_WORLD, PC_EXIT_TROUBLE);
	}
	for (size_t i = 0; i < d.nslots; i++) {
		d.slots[i].state = SLOT_FREE;
		pc_block_init(&d.slots[i].blk);
		pc_result_init(&d.slots[i].res);
	}
	pc_carry_init(&d.carry);
	pc_carry_init(&d.local_carry);
	pc_buf_init(&d.msg);
	pthread_mutex_init(&d.lock, NULL);
	pthread_cond_init(&d.wake, NULL);
	pthread_cond_init(&d.done_cond, NULL);
	if (d.threaded && pthread_create(&d.thread, NULL, local_main, &d) != 0)
		d.threaded = false;   /* score inline, as with one thread */

	int status = deal(&d);
	if (d.threaded) {
		pthread_mutex_lock(&d.lock);
		d.quit = true;
		pthread_cond_signal(&d.wake);
		pthread_mutex_unlock(&d.lock);
		pthread_join(d.thread, NULL);
	}
	pthread_mutex_destroy(&d.lock);
	pthread_cond_destroy(&d.wake);
	pthread_cond_destroy(&d.done_cond);
	for (int r = 1; r < nranks; r++)
		MPI_Send(NULL, 0, MPI_BYTE, r, TAG_STOP, MPI_COMM_WORLD);
	/* commit (or drop) the output only after every rank has been told */
	status = pc_sink_finish(job->sink, status);
	pc_reader_free(job->reader);

	for (size_t i = 0; i < d.nslots; i++) {
		pc_block_free(&d.slots[i].blk);
		pc_result_free(&d.slots[i].res);
	}
	free(d.slots);
	free(d.in_flight);
	free(d.sent);
	pc_carry_free(&d.carry);
	pc_carry_free(&d.local_carry);
	pc_buf_free(&d.msg);
	return status;
}

/* This process's rank as the launcher tells it, before MPI_Init. */
static int launcher_rank(void)
{
	static const char *vars[] = { "OMPI_COMM_WORLD_RANK", "PMI_RANK", "PMIX_RANK",
				      "SLURM_PROCID" };
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return atoi(v);
	}
	return 0;
}

int main(int argc, char **argv)
{
	pc_scorer_args args;
	pc_job job;
	int rank, nranks;

	pc_set_program_name(argv[0]);
	/* Every rank parses the same options; only rank 0 speaks of them. */
	if (launcher_rank() != 0) {
		int null = open("/dev/null", O_WRONLY);
		if (null >= 0) {
			dup2(null, STDOUT_FILENO);
			dup2(null, STDERR_FILENO);
			close(null);
		}
	}
	pc_scorer_parse(&args, argc, argv, 0,
			"Find the power couple of each CSV row, across MPI ranks\n"
			"(mpirun -n N pc-mpirun ..., srun pc-mpirun ...); the output is the\n"
			"same as pc-score's, in input order.  Rank 0 reads and writes.");

	/* only the main thread calls MPI; rank 0 scores on a second thread */
	int provided;
	MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &nranks);
	int status = 0;
	if (rank == 0) {
		status = pc_job_open(&job, &args);
		if (status == 0) {
			status = lead(&job, nranks, provided >= MPI_THREAD_FUNNELED);
		} else {
			for (int r = 1; r < nranks; r++)
				MPI_Send(NULL, 0, MPI_BYTE, r, TAG_STOP, MPI_COMM_WORLD);
		}
	} else {
		pc_score_opts o = { .method = args.method, .skip = args.skip,
				    .keep_rejects = args.rejects != NULL };
		work(&o);
	}
	MPI_Finalize();
	return status;
}
