/* lane.h - the SIMD fast lane of the closed form.
 *
 * Once a row's runner-up b is at least 3, the values 0..4 no longer matter
 * (see pc_closed_result) and a field can only beat b if it is long enough:
 * the lane classifies 64 bytes at a time (digits, delimiters, LFs, which
 * fields could beat b) and parses only the candidates.  It takes plain
 * digits and delimiters and stops at anything else, leaving that to the
 * general parser (field.c), which knows every rule.                     */
#ifndef PC_LANE_H
#define PC_LANE_H

#include "kernel.h"
#include "rowmasks.h"

/*
 * Runs through the values from p for a row whose runner-up st->b >= 3,
 * separated by delim (',' or -t's byte: never a digit or LF).
 * Returns where it stopped: a field's start (p itself when it made no
 * headway), or just past the row's LF, with *row_end on that LF.  It reads
 * up to 65 bytes past p, and stops at the last 64 bytes before end.
 * The classification runs on the path PC_SIMD chose (simd.h).
 */
const char *pc_lane(const char *p, const char *end, char delim, pc_closed *st,
		    const char **row_end);
/* The same on the given path (the scalar one if this processor does not
 * run it), for tests: every path gives the same answers. */
const char *pc_lane_on(pc_simd path, const char *p, const char *end, char delim, pc_closed *st,
		       const char **row_end);

/* The masks of short rows (rowmasks.h) on the given path (the scalar one,
 * a byte loop, if this processor does not run it): every path gives the
 * same masks. */
pc_row_masks_fn *pc_row_masks_on(pc_simd path);

#endif
