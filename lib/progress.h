/* progress.h - the one-line --progress report of every program (SPEC 6):
 * bytes, rows, rate and, when the size is known, the share done and the
 * time left.  Redrawn in place (CR, erase to the end of the line) every
 * 0.2 s when stderr is a terminal; otherwise a whole line every 5 s. */
#ifndef PC_PROGRESS_H
#define PC_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

typedef struct {
	bool on;              /* --progress was given */
	bool tty;             /* stderr is a terminal */
	uint64_t total_bytes; /* what 100% is, in bytes; 0 when unknown */
	uint64_t total_rows;  /* or in rows (pc-gen); 0 when unknown */
	double t0, last;
} pc_progress;

/* Start the clock; with on false every call below does nothing. */
void pc_progress_start(pc_progress *p, bool on, uint64_t total_bytes, uint64_t total_rows);
/* Report, if the last report is old enough. */
void pc_progress_update(pc_progress *p, uint64_t bytes, uint64_t rows);
/* The final report, always, ended with a newline. */
void pc_progress_finish(pc_progress *p, uint64_t bytes, uint64_t rows);

#endif
