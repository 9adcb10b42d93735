/* race.c - a lost update, the mutex that prevents it, and a semaphore that
 * bounds the work in flight: the example of powercouples-tutorial(7).
 *
 *   cc -O2 -pthread -o race race.c
 *   ./race --unlocked      several threads add 1 to one counter, unlocked
 *   ./race --locked        the same, each addition under a mutex
 *   ./race --semaphore     a bounded queue: the main thread hands out the
 *                          numbers 1..N, worker threads add them up
 *
 * Options: -t THREADS (default 2), -n N (additions per thread, default
 * 10000000, or numbers to hand out, default 100000), -k SLOTS (the queue's
 * size, default 4).
 * Exits 0 when the result is exact, 1 when it is not, 2 on a usage error.
 *
 * The counter is a C11 atomic read and written in two separate steps, a
 * load and then a store, with relaxed ordering: each step is whole, but
 * another thread may store between them, and its addition is then lost.
 * Written as a plain `counter++` the race would be the same in practice,
 * but it would be undefined behaviour in C, and the compiler might turn
 * the whole loop into one addition.                                    */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum mode { UNLOCKED, LOCKED, SEMAPHORE };

static enum mode mode = LOCKED;
static unsigned long nthreads = 2, n, nslots = 4;   /* n: 0 until set */

/* ---- --unlocked and --locked: one counter, several threads ------------ */

static atomic_ulong counter;
static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t start;   /* so that the threads start together */

/* counter = counter + 1, as the machine does it: load, add, store */
static void bump(void)
{
	unsigned long v = atomic_load_explicit(&counter, memory_order_relaxed);
	atomic_store_explicit(&counter, v + 1, memory_order_relaxed);
}

static void *adder(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&start);
	for (unsigned long i = 0; i < n; i++) {
		if (mode == LOCKED)
			pthread_mutex_lock(&counter_lock);
		bump();   /* with the lock, no other thread is between load and store */
		if (mode == LOCKED)
			pthread_mutex_unlock(&counter_lock);
	}
	return NULL;
}

/* ---- --semaphore: a bounded queue, as pc-threads hands out blocks ----- */

static sem_t free_slots;   /* slots a new number may take: nslots at first */
static sem_t queued;       /* numbers in the queue, waiting for a worker */
static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long *queue, head, tail;   /* a ring of nslots, under queue_lock */
static unsigned long long sum;             /* under queue_lock too */
static atomic_ulong in_flight;             /* handed out, not yet added */

static void *worker(void *arg)
{
	(void)arg;
	for (;;) {
		sem_wait(&queued);   /* sleep until a number is queued */
		pthread_mutex_lock(&queue_lock);
		unsigned long x = queue[head];
		head = (head + 1) % nslots;
		sum += x;
		pthread_mutex_unlock(&queue_lock);
		atomic_fetch_sub(&in_flight, 1);
		sem_post(&free_slots);   /* done: a slot for the next number */
		if (x == 0)
			return NULL;   /* 0: no more numbers */
	}
}

/* hand x to the workers, waiting while nslots numbers are in flight;
 * returns how many are in flight with it */
static unsigned long hand_out(unsigned long x)
{
	sem_wait(&free_slots);
	unsigned long now = atomic_fetch_add(&in_flight, 1) + 1;
	pthread_mutex_lock(&queue_lock);
	queue[tail] = x;
	tail = (tail + 1) % nslots;
	pthread_mutex_unlock(&queue_lock);
	sem_post(&queued);
	return now;
}

/* ---- the command line ----------------------------------------------- */

static unsigned long number(const char *arg, const char *what, unsigned long max)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || arg[0] == '-' || v < 1 || v > max) {
		fprintf(stderr, "race: %s must be a number from 1 to %lu, not '%s'\n",
			what, max, arg);
		exit(2);
	}
	return v;
}

static void usage(FILE *f, int status)
{
	fputs("usage: race [--unlocked | --locked | --semaphore] [-t THREADS] [-n N] [-k SLOTS]\n",
	      f);
	exit(status);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "unlocked", no_argument, NULL, 'u' },
		{ "locked", no_argument, NULL, 'l' },
		{ "semaphore", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	while ((c = getopt_long(argc, argv, "t:n:k:h", opts, NULL)) != -1) {
		switch (c) {
		case 'u': mode = UNLOCKED; break;
		case 'l': mode = LOCKED; break;
		case 's': mode = SEMAPHORE; break;
		case 't': nthreads = number(optarg, "THREADS", 1024); break;
		case 'n': n = number(optarg, "N", 1000000000); break;
		case 'k': nslots = number(optarg, "SLOTS", 1000000); break;
		case 'h': usage(stdout, 0); break;
		default: usage(stderr, 2);
		}
	}
	if (optind < argc)
		usage(stderr, 2);
	if (n == 0)
		n = mode == SEMAPHORE ? 100000 : 10000000;

	pthread_t *threads = malloc(nthreads * sizeof *threads);
	queue = malloc(nslots * sizeof *queue);
	if (!threads || !queue) {
		fputs("race: out of memory\n", stderr);
		return 2;
	}
	pthread_barrier_init(&start, NULL, nthreads);
	sem_init(&free_slots, 0, nslots);
	sem_init(&queued, 0, 0);
	for (unsigned long i = 0; i < nthreads; i++) {
		int err = pthread_create(&threads[i], NULL, mode == SEMAPHORE ? worker : adder, NULL);
		if (err) {
			fprintf(stderr, "race: cannot start a thread: %s\n", strerror(err));
			return 2;
		}
	}

	unsigned long peak = 0;
	if (mode == SEMAPHORE) {
		for (unsigned long x = 1; x <= n; x++) {
			unsigned long now = hand_out(x);
			if (now > peak)
				peak = now;
		}
		for (unsigned long i = 0; i < nthreads; i++)
			hand_out(0);   /* one stop for each worker */
	}
	for (unsigned long i = 0; i < nthreads; i++)
		pthread_join(threads[i], NULL);

	int exact;
	if (mode == SEMAPHORE) {
		unsigned long long want = (unsigned long long)n * (n + 1) / 2;
		exact = sum == want;
		printf("semaphore: %lu thread%s added up 1..%lu: sum %llu, expected %llu%s;"
		       " at most %lu of %lu numbers in flight\n", nthreads, nthreads == 1 ? "" : "s",
		       n, sum, want, exact ? "" : " (WRONG)", peak, nslots);
	} else {
		unsigned long got = atomic_load(&counter), want = nthreads * n;
		exact = got == want;
		printf("%s: %lu thread%s added 1 %lu times each: counter %lu, expected %lu",
		       mode == LOCKED ? "locked" : "unlocked", nthreads, nthreads == 1 ? "" : "s",
		       n, got, want);
		if (exact)
			puts("");
		else
			printf(" (%lu additions lost)\n", want - got);
	}
	free(threads);
	free(queue);
	return exact ? 0 : 1;
}
