/* unit-api.c - the promises of include/powercouples.h that a command line
 * cannot reach: errno on misuse, what *out, *outlen and errbuf hold after
 * every kind of return, buffers that are not NUL-terminated, and calls
 * from several threads at once.  Linked with the shared library of the
 * build tree; the results themselves are held to the oracle by
 * tests/library.bats.                                                  */
#include <config.h>

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <powercouples.h>

#include "tap.h"

static void row_misuse(void)
{
	const uint64_t v[] = { 2, 4, 3 };
	uint64_t x = 7, y = 7;
	struct { const char *what; const uint64_t *v; size_t k; int m; uint64_t *x, *y; } c[] = {
		{ "k = 0", v, 0, POWERCOUPLES_CLOSED, &x, &y },
		{ "k = 1", v, 1, POWERCOUPLES_CLOSED, &x, &y },
		{ "k = 1, exhaustive", v, 1, POWERCOUPLES_EXHAUSTIVE, &x, &y },
		{ "values NULL", NULL, 3, POWERCOUPLES_CLOSED, &x, &y },
		{ "x NULL", v, 3, POWERCOUPLES_CLOSED, NULL, &y },
		{ "y NULL", v, 3, POWERCOUPLES_EXHAUSTIVE, &x, NULL },
		{ "method 2", v, 3, 2, &x, &y },
		{ "method -1", v, 3, -1, &x, &y },
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		x = y = 7;
		errno = 0;
		int r = powercouples_row(c[i].v, c[i].k, c[i].m, c[i].x, c[i].y);
		ok(r == -1 && errno == EINVAL && x == 7 && y == 7,
		   "powercouples_row, %s: -1, EINVAL, nothing stored", c[i].what);
	}
	/* SPEC 1: 3^4 = 81 beats 4^3 = 64; 2^4 = 4^2 goes to the first pair */
	ok(powercouples_row(v, 3, POWERCOUPLES_CLOSED, &x, &y) == 0 && x == 3 && y == 4,
	   "powercouples_row 2,4,3: 3,4");
	const uint64_t tie[] = { 4, 2 };
	ok(powercouples_row(tie, 2, POWERCOUPLES_EXHAUSTIVE, &x, &y) == 0 && x == 4 && y == 2,
	   "powercouples_row 4,2 exhaustive: 4,2 (the tie goes to the first pair)");
}

/* powercouples_csv with the result's invariants checked; returns its status. */
static int csv(const char *data, size_t len, int method, char **out, size_t *outlen,
	       char *err, size_t errlen)
{
	*out = (char *)"not set";
	*outlen = 12345;
	return powercouples_csv(data, len, method, out, outlen, err, errlen);
}

static void csv_misuse(void)
{
	char *out, err[64];
	size_t outlen;
	int r;

	errno = 0;
	r = csv(NULL, 3, POWERCOUPLES_CLOSED, &out, &outlen, err, sizeof err);
	ok(r == -1 && errno == EINVAL && out == NULL && outlen == 0,
	   "powercouples_csv, data NULL: -1, EINVAL, *out NULL");
	errno = 0;
	ok(powercouples_csv("a,1,2\n", 6, POWERCOUPLES_CLOSED, NULL, &outlen, err, sizeof err) == -1 &&
	   errno == EINVAL, "powercouples_csv, out NULL: -1, EINVAL");
	errno = 0;
	r = powercouples_csv("a,1,2\n", 6, POWERCOUPLES_CLOSED, &out, NULL, err, sizeof err);
	ok(r == -1 && errno == EINVAL && out == NULL, "powercouples_csv, outlen NULL: -1, EINVAL");
	errno = 0;
	r = csv("a,1,2\n", 6, 2, &out, &outlen, err, sizeof err);
	ok(r == -1 && errno == EINVAL && out == NULL, "powercouples_csv, method 2: -1, EINVAL");
	errno = 0;
	r = csv("a,1,2\n", 6, POWERCOUPLES_CLOSED, &out, &outlen, NULL, 10);
	ok(r == -1 && errno == EINVAL && out == NULL,
	   "powercouples_csv, errbuf NULL with errlen 10: -1, EINVAL");
	errno = 0;
	r = csv("a,1,2\n", SIZE_MAX - 1, POWERCOUPLES_CLOSED, &out, &outlen, err, sizeof err);
	ok(r == -1 && errno == ENOMEM && out == NULL && outlen == 0,
	   "powercouples_csv, len SIZE_MAX - 1: -1, ENOMEM, *out NULL");
}

static void csv_results(void)
{
	char *out, err[64];
	size_t outlen;
	int r;

	memset(err, 'X', sizeof err);
	r = csv("", 0, POWERCOUPLES_CLOSED, &out, &outlen, err, sizeof err);
	ok(r == 0 && out && outlen == 0 && out[0] == '\0' && err[0] == '\0',
	   "empty input: 0, an empty NUL-terminated *out, errbuf emptied");
	powercouples_free(out);

	/* the data is not NUL-terminated: bytes after len are not read */
	static const char unterminated[] = { 'a', ',', '1', ',', '2', '9', ',', 'x' };
	r = csv(unterminated, 5, POWERCOUPLES_CLOSED, &out, &outlen, err, sizeof err);
	ok(r == 0 && outlen == 6 && strcmp(out, "a,2,1\n") == 0,
	   "len stops the input (not a NUL): \"a,1,2\" gives \"a,2,1\\n\"");
	powercouples_free(out);

	/* rows before the bad one are kept; errbuf is cut, NUL-terminated */
	const char *in = "a,1,2\nb,x\n";
	memset(err, 'X', sizeof err);
	r = csv(in, strlen(in), POWERCOUPLES_CLOSED, &out, &outlen, err, 5);
	ok(r == 1 && outlen == 6 && strcmp(out, "a,2,1\n") == 0 && memcmp(err, "2:3:", 5) == 0,
	   "a bad second row: 1, the first row's output, errbuf cut to \"2:3:\" (%.5s)", err);
	ok(err[5] == 'X', "errbuf: nothing written past errlen");
	powercouples_free(out);
	r = csv(in, strlen(in), POWERCOUPLES_CLOSED, &out, &outlen, NULL, 0);
	ok(r == 1 && outlen == 6, "errbuf NULL with errlen 0: still 1 and the output");
	powercouples_free(out);
	powercouples_free(NULL);
	ok(1, "powercouples_free(NULL) returns");
}

/* ---- threads: the same answers as one thread, however calls overlap ---- */

#define NTHREADS 4
#define NROUNDS 20

typedef struct {
	const char *in;
	int method;
	const char *want;   /* the single-threaded result */
	int status;
	int bad;            /* rounds that differed */
} job;

static void *run_job(void *arg)
{
	job *j = arg;
	for (int i = 0; i < NROUNDS; i++) {
		char *out, err[128];
		size_t outlen;
		int r = powercouples_csv(j->in, strlen(j->in), j->method, &out, &outlen, err, sizeof err);
		if (r != j->status || strcmp(out, j->want) != 0)
			j->bad++;
		powercouples_free(out);
	}
	return NULL;
}

/* Rows of near ties, or plain random rows. */
static char *make_rows(int n, int near)
{
	size_t cap = (size_t)n * 200 + 1, len = 0;
	char *s = malloc(cap);
	for (int i = 0; i < n; i++) {
		if (near)   /* (N-1)^N against N^(N-1), N near 2^64: so close in
			     * log that the exhaustive method asks MPFR */
			len += (size_t)snprintf(s + len, cap - len, "n%d,%llu,%llu\n", i,
						(unsigned long long)(UINT64_MAX - 1 - i % 50),
						(unsigned long long)(UINT64_MAX - i % 50));
		else
			len += (size_t)snprintf(s + len, cap - len, "r%d,%llu,%llu,%llu\n", i,
						(unsigned long long)(rnd() % 1000),
						(unsigned long long)(rnd() >> (rnd() % 64)),
						(unsigned long long)(rnd() % 5));
	}
	return s;
}

static void threads(void)
{
	job jobs[NTHREADS];
	pthread_t t[NTHREADS];
	char *inputs[NTHREADS];

	for (int i = 0; i < NTHREADS; i++) {
		inputs[i] = make_rows(300, i % 2);
		char *out, err[128];
		size_t outlen;
		jobs[i] = (job){ .in = inputs[i], .method = i < 2 ? POWERCOUPLES_EXHAUSTIVE
								  : POWERCOUPLES_CLOSED };
		jobs[i].status = powercouples_csv(jobs[i].in, strlen(jobs[i].in), jobs[i].method,
						  &out, &outlen, err, sizeof err);
		jobs[i].want = out;
	}
	for (int i = 0; i < NTHREADS; i++)
		pthread_create(&t[i], NULL, run_job, &jobs[i]);
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < NTHREADS; i++) {
		ok(jobs[i].status == 0 && jobs[i].bad == 0 && strlen(jobs[i].want) > 0,
		   "thread %d (%s): %d rounds alongside the others, all as alone", i,
		   jobs[i].method == POWERCOUPLES_EXHAUSTIVE ? "exhaustive" : "closed", NROUNDS);
		powercouples_free((char *)jobs[i].want);
		free(inputs[i]);
	}
}

int main(void)
{
	const char *v = powercouples_version();
	ok(v && strcmp(v, PACKAGE_VERSION) == 0, "powercouples_version() is the package's (%s)", v);
	row_misuse();
	csv_misuse();
	csv_results();
	threads();
	return tap_done();
}
