/* powercouples.h - the public API of libpowercouples.
 *
 * The power couple of a row of numbers n_0..n_{k-1} (k >= 2) is the
 * ordered pair of two different positions (i, j) maximising n_i ^ n_j,
 * compared exactly, ties going to the smallest i, then the smallest j.
 * The library scores one row (powercouples_row) or a buffer of CSV rows
 * `name,n1,...,nk` exactly as pc-score(1) does (powercouples_csv).
 *
 * Link with `pkg-config --cflags --libs powercouples`.  Every call is
 * thread-safe; none prints, exits or keeps state between calls, except
 * that running out of memory while scoring ends the process (see
 * libpowercouples(3)).  */
#ifndef POWERCOUPLES_H
#define POWERCOUPLES_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum powercouples_method {
	POWERCOUPLES_CLOSED = 0,     /* the closed form, O(k) (default) */
	POWERCOUPLES_EXHAUSTIVE = 1  /* every ordered pair, compared exactly */
};

/* The library's version: the package's, as pc-score --version says it
 * ("0.2.0"). */
const char *powercouples_version(void);

/* The power couple of values[0..k-1]: the ordered pair of two different
 * positions (i, j) maximising values[i]^values[j], ties to the smallest i
 * then j; stores values[i] in *x and values[j] in *y.  Returns 0, or -1
 * with errno EINVAL when k < 2, a pointer is NULL or method is unknown. */
int powercouples_row(const uint64_t *values, size_t k, int method,
		     uint64_t *x, uint64_t *y);

/* Score a buffer of CSV rows (the toolkit's row grammar, exactly what
 * pc-score reads; the buffer need not end in a line feed).  On return
 * *out is a malloc'd buffer of `name,x,y\n` lines (NUL-terminated, the
 * NUL not counted in *outlen) for every row before the first bad one.
 * Returns 0 when every row scored; 1 at the first bad row, with
 * "LINE:COL: message" (as pc-score would print after its "FILE:")
 * written into errbuf (errlen bytes, always NUL-terminated when
 * errlen > 0); -1 with errno set (ENOMEM, EINVAL) on failure, *out NULL.
 * Free *out with powercouples_free().  Thread-safe (no global state). */
int powercouples_csv(const char *data, size_t len, int method,
		     char **out, size_t *outlen, char *errbuf, size_t errlen);

/* Free what powercouples_csv() returned (NULL is fine). */
void powercouples_free(void *p);

#ifdef __cplusplus
}
#endif

#endif
