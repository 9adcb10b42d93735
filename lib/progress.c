/* progress.c - the --progress line, shared by every program. */
#include <config.h>

#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "progress.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void pc_progress_start(pc_progress *p, bool on, uint64_t total_bytes, uint64_t total_rows)
{
	*p = (pc_progress){ .on = on, .tty = on && isatty(STDERR_FILENO),
			    .total_bytes = total_bytes, .total_rows = total_rows };
	p->t0 = p->last = now();
}

static void report(pc_progress *p, double t, uint64_t bytes, uint64_t rows, bool final)
{
	p->last = t;
	double secs = t - p->t0 > 1e-9 ? t - p->t0 : 1e-9;
	double rate = bytes / secs;
	/* the share done, by bytes when their total is known, else by rows */
	double done = p->total_bytes ? (double)bytes / p->total_bytes
		    : p->total_rows ? (double)rows / p->total_rows : -1;
	char eta[64] = "";
	if (!final && done > 0) {
		if (done > 1)
			done = 1;
		snprintf(eta, sizeof eta, ", %.0f%%, ETA %.0f s", 100.0 * done,
			 secs * (1 - done) / done);
	}
	fprintf(stderr, "%s%s: %.1f MB, %llu rows, %.1f MB/s%s%s%s", p->tty ? "\r" : "",
		pc_program_name(), bytes / 1e6, (unsigned long long)rows,
		rate / 1e6, eta, p->tty ? "\033[K" : "", p->tty && !final ? "" : "\n");
}

void pc_progress_update(pc_progress *p, uint64_t bytes, uint64_t rows)
{
	if (!p->on)
		return;
	double t = now();
	if (t - p->last >= (p->tty ? 0.2 : 5.0))
		report(p, t, bytes, rows, false);
}

void pc_progress_finish(pc_progress *p, uint64_t bytes, uint64_t rows)
{
	if (p->on)
		report(p, now(), bytes, rows, true);
}
