/* mpi-backend.c - the block loop's MPI back end (see mpi-backend.h). */
#include <config.h>

#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mpi.h>

#include "mpi-backend.h"
#include "wire.h"

enum { TAG_BLOCK = 1, TAG_RESULT, TAG_STOP };
#define IN_FLIGHT 2   /* blocks per worker rank: one scored, one waiting */

/* ---- worker ranks -------------------------------------------------------- */

static void die(const char *what)
{
	pc_warn("%s", what);
	MPI_Abort(MPI_COMM_WORLD, PC_EXIT_TROUBLE);
}

void pc_mpi_work(const pc_score_opts *o)
{
	pc_block blk;
	pc_result res;
	pc_carry scratch;   /* independent blocks carry no row */
	pc_buf msg[2];      /* results go out from two buffers in turn */
	MPI_Request sending[2] = { MPI_REQUEST_NULL, MPI_REQUEST_NULL };

	pc_block_init(&blk);
	pc_result_init(&res);
	pc_carry_init(&scratch);
	pc_buf_init(&msg[0]);
	pc_buf_init(&msg[1]);
	pc_kernel_init();
	for (unsigned turn = 0;; turn ^= 1) {
		MPI_Status st;
		int len;
		MPI_Probe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
		if (st.MPI_TAG == TAG_STOP) {
			MPI_Recv(NULL, 0, MPI_BYTE, 0, TAG_STOP, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
			break;
		}
		MPI_Get_count(&st, MPI_BYTE, &len);
		pc_block_reserve(&blk, (size_t)len);
		MPI_Recv(blk.mem, len, MPI_BYTE, 0, TAG_BLOCK, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
		if (pc_wire_get_block(&blk, (size_t)len) != 0)
			die("a malformed block came from rank 0");
		pc_score_block(o, &blk, &scratch, &res);
		MPI_Wait(&sending[turn], MPI_STATUS_IGNORE);   /* its buffer is free again */
		msg[turn].len = 0;
		pc_wire_put_result(&msg[turn], &res);
		if (msg[turn].len > INT_MAX)
			die("a result over 2 GiB: use a smaller --block-size");
		MPI_Isend(msg[turn].data, (int)msg[turn].len, MPI_BYTE, 0, TAG_RESULT,
			  MPI_COMM_WORLD, &sending[turn]);
	}
	/* statuses of its own: with MPICH's headers, gcc takes
	 * MPI_STATUSES_IGNORE for an empty array and warns */
	MPI_Status sent[2];
	MPI_Waitall(2, sending, sent);
	pc_block_free(&blk);
	pc_result_free(&res);
	pc_carry_free(&scratch);
	pc_buf_free(&msg[0]);
	pc_buf_free(&msg[1]);
}

void pc_mpi_release(int nranks)
{
	for (int r = 1; r < nranks; r++)
		MPI_Send(NULL, 0, MPI_BYTE, r, TAG_STOP, MPI_COMM_WORLD);
}

/* ---- rank 0 -------------------------------------------------------------- */

typedef struct {
	pc_slot *slot;
	pc_buf msg;          /* the block, as sent */
	MPI_Request send;
} flight;

typedef struct {
	pc_backend be;
	const pc_score_opts *o;
	int nranks;
	int *in_flight;      /* per rank */
	flight *flights;     /* per rank, IN_FLIGHT of them, oldest first */
	int total_in_flight;
	pc_buf msg;          /* a result coming in */
	pc_slot *done_inline;   /* scored at once (no thread of our own) */
	/* rank 0's own scoring thread */
	bool threaded;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake, done_cond;
	pc_slot *local;         /* given to it, not yet taken back */
	bool local_done, quit;
	pc_carry scratch;       /* the thread's; independent blocks carry no row */
} mpi_backend;

static void *local_main(void *arg)
{
	mpi_backend *m = arg;

	pthread_mutex_lock(&m->lock);
	for (;;) {
		while (!m->quit && (!m->local || m->local_done))
			pthread_cond_wait(&m->wake, &m->lock);
		if (m->quit)
			break;
		pc_slot *s = m->local;
		pthread_mutex_unlock(&m->lock);
		pc_score_block(m->o, &s->blk, &m->scratch, &s->res);
		pthread_mutex_lock(&m->lock);
		m->local_done = true;
		pthread_cond_signal(&m->done_cond);
	}
	pthread_mutex_unlock(&m->lock);
	return NULL;
}

/* The block the thread scored, if it is done (or, with `wait`, once it is). */
static pc_slot *take_local(mpi_backend *m, bool wait)
{
	pc_slot *s = NULL;
	if (!m->local)
		return NULL;
	pthread_mutex_lock(&m->lock);
	while (wait && !m->local_done)
		pthread_cond_wait(&m->done_cond, &m->lock);
	if (m->local_done) {
		s = m->local;
		m->local = NULL;   /* under the lock: the thread reads it */
	}
	pthread_mutex_unlock(&m->lock);
	return s;
}

/* The worker rank with the fewest blocks in flight, if one has room. */
static int free_rank(const mpi_backend *m)
{
	int best = 0;
	for (int r = 1; r < m->nranks; r++)
		if (m->in_flight[r] < IN_FLIGHT && (best == 0 || m->in_flight[r] < m->in_flight[best]))
			best = r;
	return best;
}

static void mpi_submit(pc_backend *be, pc_slot *s)
{
	mpi_backend *m = (mpi_backend *)be;
	int rank = free_rank(m);

	if (rank > 0) {
		flight *f = &m->flights[rank * IN_FLIGHT + m->in_flight[rank]++];
		f->slot = s;
		f->msg.len = 0;
		pc_wire_put_block(&f->msg, &s->blk);
		if (f->msg.len > INT_MAX)
			die("a block over 2 GiB: use a smaller --block-size");
		MPI_Isend(f->msg.data, (int)f->msg.len, MPI_BYTE, rank, TAG_BLOCK, MPI_COMM_WORLD,
			  &f->send);
		m->total_in_flight++;
	} else if (m->threaded) {
		pthread_mutex_lock(&m->lock);
		m->local = s;
		m->local_done = false;
		pthread_cond_signal(&m->wake);
		pthread_mutex_unlock(&m->lock);
	} else {
		pc_score_block(m->o, &s->blk, &m->scratch, &s->res);
		m->done_inline = s;
	}
}

/* Receive the result that has arrived (or will) into its slot. */
static pc_slot *receive_result(mpi_backend *m)
{
	MPI_Status st;
	int len;

	MPI_Probe(MPI_ANY_SOURCE, TAG_RESULT, MPI_COMM_WORLD, &st);
	MPI_Get_count(&st, MPI_BYTE, &len);
	m->msg.len = 0;
	pc_buf_reserve(&m->msg, (size_t)len);
	MPI_Recv(m->msg.data, len, MPI_BYTE, st.MPI_SOURCE, TAG_RESULT, MPI_COMM_WORLD,
		 MPI_STATUS_IGNORE);
	/* the oldest block this rank has */
	int rank = st.MPI_SOURCE;
	flight *fl = &m->flights[rank * IN_FLIGHT];
	flight oldest = fl[0];
	MPI_Wait(&oldest.send, MPI_STATUS_IGNORE);   /* long done: it was scored */
	memmove(&fl[0], &fl[1], (IN_FLIGHT - 1) * sizeof *fl);
	fl[IN_FLIGHT - 1] = (flight){ .msg = oldest.msg, .send = MPI_REQUEST_NULL };   /* keep its buffer */
	m->in_flight[rank]--;
	m->total_in_flight--;
	if (pc_wire_get_result(&oldest.slot->res, m->msg.data, (size_t)len) != 0)
		die("a malformed result came from a worker rank");
	return oldest.slot;
}

/* Wait until a result comes back or the thread is done with its block,
 * keeping MPI's messages moving meanwhile.  The nap is a trade: shorter
 * ones steal the scorers' cores (50 us cost 6% on the exhaustive method
 * with -n 2), longer ones delay small blocks (1 ms cost the closed form
 * 17%). */
static size_t mpi_wait(pc_backend *be, pc_slot **done)
{
	mpi_backend *m = (mpi_backend *)be;
	const struct timespec nap = { 0, 250 * 1000 };   /* 250 us */

	if (m->done_inline) {
		done[0] = m->done_inline;
		m->done_inline = NULL;
		return 1;
	}
	for (;;) {
		if (m->total_in_flight == 0) {
			/* nothing in flight: no MPI to drive */
			if ((done[0] = take_local(m, true)) == NULL)
				die("internal error: waited for a result with no block submitted");
			return 1;
		}
		int arrived;
		MPI_Iprobe(MPI_ANY_SOURCE, TAG_RESULT, MPI_COMM_WORLD, &arrived, MPI_STATUS_IGNORE);
		if (arrived) {
			done[0] = receive_result(m);
			return 1;
		}
		if ((done[0] = take_local(m, false)) != NULL)
			return 1;
		nanosleep(&nap, NULL);
	}
}

static void mpi_stop(pc_backend *be)
{
	mpi_backend *m = (mpi_backend *)be;

	if (m->threaded) {
		pthread_mutex_lock(&m->lock);
		m->quit = true;
		pthread_cond_signal(&m->wake);
		pthread_mutex_unlock(&m->lock);
		pthread_join(m->thread, NULL);
	}
	pthread_mutex_destroy(&m->lock);
	pthread_cond_destroy(&m->wake);
	pthread_cond_destroy(&m->done_cond);
	pc_mpi_release(m->nranks);
	for (int i = 0; i < m->nranks * IN_FLIGHT; i++)
		pc_buf_free(&m->flights[i].msg);
	free(m->flights);
	free(m->in_flight);
	pc_buf_free(&m->msg);
	pc_carry_free(&m->scratch);
	free(m);
}

pc_backend *pc_mpi_backend(const pc_score_opts *o, int nranks, bool threaded)
{
	mpi_backend *m = pc_xmalloc(sizeof *m);
	*m = (mpi_backend){ .be = { .capacity = (size_t)IN_FLIGHT * (size_t)(nranks - 1) + 1,
				    .submit = mpi_submit, .wait = mpi_wait, .stop = mpi_stop },
			    .o = o, .nranks = nranks, .threaded = threaded };
	m->in_flight = pc_xmalloc((size_t)nranks * sizeof *m->in_flight);
	memset(m->in_flight, 0, (size_t)nranks * sizeof *m->in_flight);
	m->flights = pc_xmalloc((size_t)nranks * IN_FLIGHT * sizeof *m->flights);
	for (int i = 0; i < nranks * IN_FLIGHT; i++)
		m->flights[i] = (flight){ .send = MPI_REQUEST_NULL };
	pc_buf_init(&m->msg);
	pc_carry_init(&m->scratch);
	pthread_mutex_init(&m->lock, NULL);
	pthread_cond_init(&m->wake, NULL);
	pthread_cond_init(&m->done_cond, NULL);
	if (m->threaded && pthread_create(&m->thread, NULL, local_main, m) != 0)
		m->threaded = false;   /* score inline, as with one thread */
	return &m->be;
}
