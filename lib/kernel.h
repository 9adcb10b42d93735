/* kernel.h - the exact PowerCouples kernel.
 *
 * For a row n_0..n_{k-1} (k >= 2) the power couple is the ordered pair of two
 * different positions (i, j) maximising n_i ^ n_j, ties going to the smallest
 * i, then the smallest j.  Two independent methods compute it:
 *
 *   closed      O(k) time, O(1) state, fed one value at a time (SPEC 1.1);
 *   exhaustive  all k(k-1) ordered pairs, compared exactly (SPEC 1.2).
 *
 * Both return the same couple for every row; tests hold them to it.  */
#ifndef PC_KERNEL_H
#define PC_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "simd.h"

typedef struct {
	uint64_t x, y;
} pc_couple;

typedef enum { PC_METHOD_CLOSED, PC_METHOD_EXHAUSTIVE } pc_method;

#define PC_NO_INDEX UINT64_MAX

/* Streaming state of the closed form: just enough to decide every case. */
typedef struct {
	uint64_t count;         /* values seen so far */
	uint64_t a, b;          /* largest and second largest, with multiplicity */
	uint64_t v0, v1;        /* the first two values */
	uint64_t first2, first4; /* index of the first 2 / first 4, or PC_NO_INDEX */
	bool zero_from1;        /* some value at index >= 1 is 0 */
	bool zero_from2;        /* some value at index >= 2 is 0 */
} pc_closed;

static inline void pc_closed_init(pc_closed *s)
{
	*s = (pc_closed){ .first2 = PC_NO_INDEX, .first4 = PC_NO_INDEX };
}

/* Values 0..4 decide the ties of the power-1 and 2^4 == 4^2 cases. */
static inline void pc_closed_note_small(pc_closed *s, uint64_t v, uint64_t index)
{
	if (v == 0) {
		s->zero_from1 |= index >= 1;
		s->zero_from2 |= index >= 2;
	} else if (v == 2) {
		if (s->first2 == PC_NO_INDEX)
			s->first2 = index;
	} else if (v == 4) {
		if (s->first4 == PC_NO_INDEX)
			s->first4 = index;
	}
}

/*
 * Add the next value.  No branch depends on v's size but the rare small
 * value: with a data-dependent branch for "v > b" and "v > a", random rows
 * mispredicted about twice a row (cachegrind's branch simulation on short
 * rows), which cost more than the rest of the update.  So the largest two
 * are kept as max(a, v) and max(b, min(a, v)), which is the same pair:
 * v > a gives (v, a); b < v <= a gives (a, v); v <= b leaves (a, b)
 * (pc_top2_add, which score.c's short rows use alone).  The first two
 * values likewise by selection, not by branch.
 */
static inline void pc_top2_add(uint64_t *a, uint64_t *b, uint64_t v)
{
	uint64_t lo = v < *a ? v : *a;
	*a = v < *a ? *a : v;
	*b = lo < *b ? *b : lo;
}

static inline void pc_closed_add(pc_closed *s, uint64_t v)
{
	uint64_t i = s->count++;
	s->v0 = i == 0 ? v : s->v0;
	s->v1 = i == 1 ? v : s->v1;
	if (v <= 4)
		pc_closed_note_small(s, v, i);
	pc_top2_add(&s->a, &s->b, v);
}

/* The couple of the values added so far; needs s->count >= 2. */
pc_couple pc_closed_result(const pc_closed *s);

/* The same, inline for the usual case: with a runner-up b >= 3 the couple
 * is (b, a), as pc_closed_result() says first (a == b included).  The
 * state comes by value, so that a caller's state can stay in registers. */
static inline pc_couple pc_closed_couple(pc_closed s)
{
	if (s.b >= 3)
		return (pc_couple){ s.b, s.a };
	return pc_closed_result(&s);
}

/* The couple of v[0..k-1] by examining every ordered pair; k >= 2. */
pc_couple pc_exhaustive(const uint64_t *v, size_t k);


/* What one run of the exhaustive method did, for tests: pairs that the
 * double-precision filter let through (j != i), and those of them that
 * the difference of logarithms left to the exact settling (perfect-power
 * roots, or MPFR). */
typedef struct {
	uint64_t filtered, exact;
} pc_exhaustive_stats;

/* pc_exhaustive() on the given path (the scalar one if this processor
 * does not run it), counting into *stats unless it is NULL. */
pc_couple pc_exhaustive_with(const uint64_t *v, size_t k, pc_simd path,
			     pc_exhaustive_stats *stats);


/* Exact sign of x1^y1 - x2^y2 (-1, 0 or 1), for all 64-bit values. */
int pc_pow_cmp(uint64_t x1, uint64_t y1, uint64_t x2, uint64_t y2);

/* Sign of x1^y1 - x2^y2 (x >= 2, y >= 1) when the two are known to
 * differ: MPFR's interval arithmetic at rising precision. */
int pc_pow_cmp_unequal(uint64_t x1, uint64_t y1, uint64_t x2, uint64_t y2);

/* x = root^exp with root not a perfect power (x >= 2). */
void pc_perfect_power(uint64_t x, uint64_t *root, unsigned *exp);

/* Make GMP and MPFR (the exhaustive method's near ties) allocate through
 * pc_xmalloc, so that running out of memory there is reported and exits 2
 * with the temporary files removed, as everywhere else, not GMP's abort().
 * Call it once, before any thread scores (GMP must have no object yet). */
void pc_kernel_init(void);

#endif
