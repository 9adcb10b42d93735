/* kernel.c - the closed form (SPEC 1.1) and the exact comparison of powers
 * the exhaustive method (exhaustive.c, SPEC 1.2) settles near ties with. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "buf.h"
#include "kernel.h"

#include <gmp.h>
#define MPFR_USE_INTMAX_T 1   /* for mpfr_set_uj: values are 64-bit */
#include <mpfr.h>

/* ---- memory ------------------------------------------------------------- */

static void *gmp_alloc(size_t n)
{
	return pc_xmalloc(n);
}

static void *gmp_realloc(void *p, size_t old, size_t n)
{
	(void)old;
	return pc_xrealloc(p, n);
}

static void gmp_free(void *p, size_t n)
{
	(void)n;
	free(p);
}

void pc_kernel_init(void)
{
	mp_set_memory_functions(gmp_alloc, gmp_realloc, gmp_free);
	pc_simd_init();
}

/* ---- the closed form ---------------------------------------------------- */

pc_couple pc_closed_result(const pc_closed *s)
{
	uint64_t a = s->a, b = s->b;

	if (b >= 2) {
		if (a == b)
			return (pc_couple){ a, a };
		if (b >= 3)
			return (pc_couple){ b, a };   /* 3 <= b < a: b^a > a^b */
		/* b == 2 */
		if (a == 3)
			return (pc_couple){ 3, 2 };   /* 9 > 8 */
		if (a == 4)                           /* 2^4 == 4^2: the first pair wins */
			return s->first2 < s->first4 ? (pc_couple){ 2, 4 } : (pc_couple){ 4, 2 };
		return (pc_couple){ 2, a };
	}
	if (b == 1 && a >= 2)
		return (pc_couple){ a, 1 };
	/*
	 * Every pair is worth at most 1, and n_i^n_j == 1 iff n_i == 1 or
	 * n_j == 0: the answer is the first such (i, j).  With b <= 1 the scan
	 * never gets past i = 1 (see powercouples(7)).
	 */
	if (s->v0 == 1)
		return (pc_couple){ 1, s->v1 };
	if (s->zero_from1)
		return (pc_couple){ s->v0, 0 };
	if (s->v1 == 1)
		return (pc_couple){ 1, s->v0 };
	return (pc_couple){ s->v1, 0 };
}

/* ---- exact comparison of powers ----------------------------------------- */

/* Which of 0, 1 or "more than 1" x^y is. */
enum { POW_ZERO, POW_ONE, POW_MORE };

static int pow_class(uint64_t x, uint64_t y)
{
	if (y == 0 || x == 1)
		return POW_ONE;
	return x == 0 ? POW_ZERO : POW_MORE;
}

static int cmp_u64(uint64_t a, uint64_t b)
{
	return (a > b) - (a < b);
}

/* r^e, or 0 when it does not fit in 64 bits. */
static uint64_t pow_u64_checked(uint64_t r, unsigned e)
{
	uint64_t p = 1;
	while (e--) {
		if (p > UINT64_MAX / r)
			return 0;
		p *= r;
	}
	return p;
}

/* The integer e-th root of x if x is a perfect e-th power, else 0. */
static uint64_t exact_root(uint64_t x, unsigned e)
{
	uint64_t r = (uint64_t)llround(pow((double)x, 1.0 / e));
	/* the estimate is within one of the true root; check its neighbours */
	for (uint64_t c = r > 1 ? r - 1 : 1; c <= r + 1; c++) {
		uint64_t p = pow_u64_checked(c, e);
		if (p == x)
			return c;
	}
	return 0;
}

void pc_perfect_power(uint64_t x, uint64_t *root, unsigned *exp)
{
	static const unsigned primes[] = { 2, 3, 5, 7, 11, 13, 17, 19, 23, 29,
					   31, 37, 41, 43, 47, 53, 59, 61 };
	unsigned e = 1;
	for (size_t i = 0; i < sizeof primes / sizeof primes[0]; i++) {
		uint64_t r;
		/* 2^p > x: no larger prime can divide the exponent */
		if (primes[i] >= 64 || (x >> primes[i]) == 0)
			break;
		while (x >= 4 && (r = exact_root(x, primes[i])) != 0) {
			x = r;
			e *= primes[i];
		}
	}
	*root = x;
	*exp = e;
}

/* Compare m1*y1 with m2*y2 exactly (products up to 70 bits). */
static int cmp_products(uint64_t m1, uint64_t y1, uint64_t m2, uint64_t y2)
{
	unsigned __int128 p1 = (unsigned __int128)m1 * y1;
	unsigned __int128 p2 = (unsigned __int128)m2 * y2;
	return (p1 > p2) - (p1 < p2);
}

/*
 * y1*ln(x1) against y2*ln(x2) with interval arithmetic at rising
 * precision.  Only called when x1^y1 != x2^y2, so it terminates.
 */
int pc_pow_cmp_unequal(uint64_t x1, uint64_t y1, uint64_t x2, uint64_t y2)
{
	mpfr_t lo1, hi1, lo2, hi2, t;
	int result = 0;

	for (mpfr_prec_t prec = 128; result == 0; prec *= 2) {
		if (prec > 1 << 20) {
			fprintf(stderr, "pc_pow_cmp: no decision at %ld bits\n", (long)prec);
			abort();
		}
		mpfr_inits2(prec, lo1, hi1, lo2, hi2, t, (mpfr_ptr)0);
		mpfr_set_uj(t, x1, MPFR_RNDN);           /* exact: prec >= 64 */
		mpfr_log(lo1, t, MPFR_RNDD);
		mpfr_log(hi1, t, MPFR_RNDU);
		mpfr_set_uj(t, y1, MPFR_RNDN);
		mpfr_mul(lo1, lo1, t, MPFR_RNDD);        /* logs are > 0 */
		mpfr_mul(hi1, hi1, t, MPFR_RNDU);
		mpfr_set_uj(t, x2, MPFR_RNDN);
		mpfr_log(lo2, t, MPFR_RNDD);
		mpfr_log(hi2, t, MPFR_RNDU);
		mpfr_set_uj(t, y2, MPFR_RNDN);
		mpfr_mul(lo2, lo2, t, MPFR_RNDD);
		mpfr_mul(hi2, hi2, t, MPFR_RNDU);
		if (mpfr_greater_p(lo1, hi2))
			result = 1;
		else if (mpfr_less_p(hi1, lo2))
			result = -1;
		mpfr_clears(lo1, hi1, lo2, hi2, t, (mpfr_ptr)0);
	}
	/* MPFR keeps log constants per thread; this path is rare, so give
	 * them back rather than leave them behind when a thread ends */
	mpfr_free_cache();
	return result;
}

/*
 * Relative error of y*log(x) in double: the conversions of x and y, log
 * and the product each add at most an ulp (2^-53) and ln x >= ln 2, so
 * the computed key is within 5 * 2^-53 of the truth.  Keys further apart
 * than this tolerance (2^-47, six times both errors) compare correctly.
 */
#define PC_LOG_TOLERANCE 0x1p-47

static double pow_key(uint64_t x, uint64_t y)
{
	return (double)y * log((double)x);
}

/* Both powers exceed 1 (x >= 2, y >= 1): decide exactly. */
static int cmp_more(uint64_t x1, uint64_t y1, uint64_t x2, uint64_t y2,
		    double k1, double k2)
{
	if (x1 == x2)
		return cmp_u64(y1, y2);
	if (y1 == y2)
		return cmp_u64(x1, x2);
	if (k1 > k2 * (1 + PC_LOG_TOLERANCE))
		return 1;
	if (k2 > k1 * (1 + PC_LOG_TOLERANCE))
		return -1;
	/* a near tie: x1^y1 == x2^y2 iff they share the non-power root */
	uint64_t r1, r2;
	unsigned m1, m2;
	pc_perfect_power(x1, &r1, &m1);
	pc_perfect_power(x2, &r2, &m2);
	if (r1 == r2)
		return cmp_products(m1, y1, m2, y2);
	return pc_pow_cmp_unequal(x1, y1, x2, y2);
}

int pc_pow_cmp(uint64_t x1, uint64_t y1, uint64_t x2, uint64_t y2)
{
	int c1 = pow_class(x1, y1), c2 = pow_class(x2, y2);
	if (c1 != c2 || c1 != POW_MORE)
		return (c1 > c2) - (c1 < c2);
	return cmp_more(x1, y1, x2, y2, pow_key(x1, y1), pow_key(x2, y2));
}
