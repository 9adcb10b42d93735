/* classify.h - the structural bytes of 64 bytes at a time.
 *
 * One kernel finds, in a window of 64 bytes, the bytes that the row
 * grammar (rows.h) and the reader's framing lines care about: LF, '"',
 * the field delimiter, '#' and CR.  Each comes back as a 64-bit mask, bit
 * i for byte p[i], so that a caller answers its question for 64 bytes
 * with a few shifts, ANDs and popcounts: rows.c counts rows and line
 * feeds, reader.c finds the next quote, the last LF and a '#' at a line
 * start in one pass.
 *
 * The kernel has one path per PC_SIMD level (simd.h): AVX-512 (one 64-byte
 * compare per class), AVX2, SSE2 and plain C.  Every path gives the same
 * masks; which runs is resolved once, on the first call, from
 * pc_simd_current().  Tests and fuzzers force a path with
 * pc_classify_use().                                                    */
#ifndef PC_CLASSIFY_H
#define PC_CLASSIFY_H

#include <stddef.h>
#include <stdint.h>

#include "simd.h"

typedef struct {
	uint64_t lf;     /* '\n' */
	uint64_t quote;  /* '"' */
	uint64_t delim;  /* the field delimiter (',' or -t's byte) */
	uint64_t hash;   /* '#' */
	uint64_t cr;     /* '\r' */
} pc_class;

#define PC_CLASS_WINDOW 64

/* One path of the kernel: classify p[0..63], all 64 bytes readable. */
typedef void pc_classify_fn(const char *p, char delim, pc_class *c);

/* The path chosen: classify p[0..63]. */
void pc_classify(const char *p, char delim, pc_class *c);
/* p[0..n-1], n < 64 (p[n..] are not read): the bits from n up are 0. */
void pc_classify_tail(const char *p, size_t n, char delim, pc_class *c);
/* Either, as n asks: 64 and more is a whole window. */
static inline void pc_classify_upto(const char *p, size_t n, char delim, pc_class *c)
{
	if (n >= PC_CLASS_WINDOW)
		pc_classify(p, delim, c);
	else
		pc_classify_tail(p, n, delim, c);
}

/* The reader's scan of plain text (no quoted section open), on the same
 * path: from p to the first '"' or the first '#' just after an LF (a '#'
 * at p itself does not count), or end; the last LF before the stop goes
 * into *last_lf, which stays as it was when there is none.  The whole
 * stretch in one call: three compares a window, no call per window. */
const char *pc_classify_stop(const char *p, const char *end, const char **last_lf);
/* How many of p[0..n) are `byte`, on the same path (the LFs of a block:
 * a count, not masks). */
size_t pc_classify_count(const char *p, size_t n, char byte);

/* The kernel of one path, or NULL when this processor does not run it
 * (or this build has no code for it). */
pc_classify_fn *pc_classify_kernel(pc_simd path);
/* From now on pc_classify() takes `path` (tests and fuzzers); a path the
 * processor does not run is refused: returns -1, else 0. */
int pc_classify_use(pc_simd path);
/* The path pc_classify() takes. */
pc_simd pc_classify_path(void);

/* Bit helpers for the masks. */
static inline unsigned pc_mask_first(uint64_t m)   /* m != 0 */
{
	return (unsigned)__builtin_ctzll(m);
}
static inline unsigned pc_mask_last(uint64_t m)    /* m != 0 */
{
	return 63u - (unsigned)__builtin_clzll(m);
}
static inline unsigned pc_mask_count(uint64_t m)
{
#ifdef __POPCNT__
	return (unsigned)__builtin_popcountll(m);
#else
	/* without -mpopcnt __builtin_popcountll() is a call: the same sum of
	 * bits inline, in pairs, nibbles, bytes, then all bytes at once */
	m -= (m >> 1) & 0x5555555555555555u;
	m = (m & 0x3333333333333333u) + ((m >> 2) & 0x3333333333333333u);
	m = (m + (m >> 4)) & 0x0F0F0F0F0F0F0F0Fu;
	return (unsigned)((m * 0x0101010101010101u) >> 56);
#endif
}
/* Bits 0..i-1 (i <= 64). */
static inline uint64_t pc_mask_below(unsigned i)
{
	return i >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << i) - 1;
}

#endif
