/* exhaustive.c - the exhaustive method (SPEC 1.2): every ordered pair,
 * compared exactly, many pairs at a time with SIMD where the processor
 * has it.  See kernel.h; the comparison is explained in powercouples(7).
 *
 * For a row, once the best pair so far is worth more than 1, the scan goes
 * through the rows i of the k x k table of pairs (x = v[i], y = v[j]) in
 * order.  Three stages decide whether (i, j) beats the best (bi, bj):
 *
 *   1. filter    key = (double)y * log(x), for 4 or 8 j at a time: a key
 *                below the floor (the best's key less a proven bound) is
 *                surely a smaller power.  Nearly every pair stops here.
 *   2. near      for the few pairs left: the sign of the difference of
 *                the two logarithms, computed without cancellation as
 *                y*ln(x/xb) + (y - yb)*ln(xb), with its own proven bound.
 *   3. exact     inside that bound the powers may be equal: they are iff
 *                both bases are powers of one root r (no perfect power)
 *                and the exponents of r agree; else MPFR decides.
 *
 * Everything per value (its log, its double, its perfect-power root) is
 * computed once per row, not once per pair; ln(x/xb) once per row i and
 * best.  A pair replaces the best only when it is strictly greater, and
 * the pairs are taken in the order (i, j): ties go to the smallest i, then
 * the smallest j, as the closed form's.  The SIMD loops are chosen at run
 * time (PC_SIMD, see pc-score(1)); each gives the same couples as the
 * scalar one, pair for pair.
 */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "kernel.h"

#ifdef PC_HAVE_X86_SIMD
#include <immintrin.h>
#endif

/*
 * ---- the two bounds -------------------------------------------------------
 *
 * u = 2^-53, the unit roundoff of double.  Assumed of libm: log and log1p
 * within 2 ulps (glibc documents at most 1 for both on x86_64), so within
 * a relative 4u of the exact value of their (double) argument.
 *
 * Stage 1, the filter.  The key of (x, y), x >= 2, y >= 1, is
 * K = fl(fl(y) * L) with L = log(fl(x)).
 *   fl(x) = x(1 + a), |a| <= u, so ln fl(x) = ln x + ln(1 + a), an absolute
 *   error of at most 1.01u, which is a relative 1.01u / ln 2 < 1.46u of
 *   ln x >= ln 2; log adds 4u: L = ln(x) (1 + l), |l| <= 5.5u.
 *   fl(y) = y(1 + b), |b| <= u, and the product rounds by u:
 *   K = y ln(x) (1 + d), |d| <= (1 + 5.5u)(1 + u)^2 - 1 < 7.6u.
 * The floor is F = fl(Kb (1 - t)), Kb the best's key; its rounding is u.
 * A key K < F then means, with T and Tb the exact y ln x:
 *   T <= K / (1 - 7.6u) < F / (1 - 7.6u) <= Kb (1 - t)(1 + u) / (1 - 7.6u)
 *     <= Tb (1 + 7.6u)(1 + u)(1 - t) / (1 - 7.6u),
 * which is < Tb once t >= 16.3u + O(u^2).  t = 2^-47 = 64u: a pair whose
 * key is below the floor is surely smaller, with a margin of four.  (Pairs
 * with y = 0 have key 0 < F: the best is worth more than 1, so Kb > 0.)
 *
 * Stage 2, the near test.  (x, y) against the best (xb, yb), x != xb,
 * y != yb, both worth more than 1.  Exactly,
 *   D = y ln x - yb ln xb = y ln(x/xb) + (y - yb) ln xb = T1 + T2.
 *   R = +-log1p(fl(|x - xb|) / fl(min(x, xb))) is ln(x/xb), the sign that
 *   of x - xb: the quotient q >= 0 has three roundings (3.01u), which move
 *   log1p(q) by a relative 3.02u at most (q/(1+q) <= log1p(q) for q >= 0),
 *   and log1p adds 4u: R = ln(x/xb) (1 + r), |r| <= 7.1u.
 *   E = fl(y - yb), from the exact difference of the integers: |e| <= u.
 *   Lb = log(fl(xb)) as in stage 1: 5.5u.
 *   T1^ = fl(fl(y) R) within 9.2u of T1, T2^ = fl(E Lb) within 7.6u of T2,
 *   so |T1^ + T2^ - D| <= 9.3u (|T1^| + |T2^|); S = fl(T1^ + T2^) is
 *   within u of T1^ + T2^ (with fused multiply-adds fewer roundings: the
 *   bound holds all the more).
 * With B = fl(2^-48 (|T1^| + |T2^|)) = 32u (|T1^| + |T2^|)(1 +- u):
 *   S > B means T1^ + T2^ >= S (1 - u) > 31.9u (...), so D > 22u (...) >= 0:
 *   surely greater; S < -B likewise surely smaller.  Otherwise, stage 3.
 * No underflow (|R| >= log1p(2^-64) or R = 0) and no overflow (y <= 2^64).
 */
#define FILTER_TOLERANCE 0x1p-47
#define NEAR_TOLERANCE 0x1p-48

/* ---- one row's scan --------------------------------------------------------- */

/* The per-value arrays are padded to a whole number of the widest loop's
 * steps, 4 x 8 pairs. */
#define BLOCK 32

typedef struct {
	const uint64_t *v;
	size_t k;
	double *lx;        /* log((double)v[i]), 0 for v[i] < 2 */
	double *yd;        /* (double)v[j]; 0 past k */
	uint64_t *root;    /* perfect-power root of v[i], 0 until needed */
	unsigned char *rexp;
	size_t bi, bj;     /* the best pair so far, worth more than 1 */
	double floor;      /* keys below it are surely smaller (stage 1) */
	size_t r_row, r_bi;/* ln(v[r_row] / v[r_bi]) = r, or r_row = SIZE_MAX */
	double r;
	pc_exhaustive_stats *stats;
} scan;

static void set_best(scan *s, size_t i, size_t j)
{
	s->bi = i;
	s->bj = j;
	s->floor = s->yd[j] * s->lx[i] * (1 - FILTER_TOLERANCE);
}

static void root_of(scan *s, size_t i, uint64_t *r, unsigned *e)
{
	if (s->root[i] == 0) {
		pc_perfect_power(s->v[i], &s->root[i], e);
		s->rexp[i] = (unsigned char)*e;
	}
	*r = s->root[i];
	*e = s->rexp[i];
}

/* Stage 3: x1^y1 against x2^y2 = the best, inside the near bound. */
static int settle_exact(scan *s, size_t i, size_t j)
{
	uint64_t r1, r2;
	unsigned m1, m2;
	if (s->stats)
		s->stats->exact++;
	root_of(s, i, &r1, &m1);
	root_of(s, s->bi, &r2, &m2);
	if (r1 == r2) {
		/* r^(m1 y1) against r^(m2 y2), r >= 2: the exponents decide */
		unsigned __int128 p1 = (unsigned __int128)m1 * s->v[j];
		unsigned __int128 p2 = (unsigned __int128)m2 * s->v[s->bj];
		return (p1 > p2) - (p1 < p2);
	}
	return pc_pow_cmp_unequal(s->v[i], s->v[j], s->v[s->bi], s->v[s->bj]);
}

/* ln(v[i] / v[bi]) for stage 2, computed once per row and best. */
static inline __attribute__((always_inline)) double ratio_log(scan *s, size_t i)
{
	if (s->r_row != i || s->r_bi != s->bi) {
		uint64_t x = s->v[i], xb = s->v[s->bi];
		double q = x > xb ? (double)(x - xb) / (double)xb : (double)(xb - x) / (double)x;
		s->r = x > xb ? log1p(q) : -log1p(q);
		s->r_row = i;
		s->r_bi = s->bi;
	}
	return s->r;
}

/* Stages 2 and 3: (i, j) against the best; both are worth more than 1. */
static inline __attribute__((always_inline)) int compare_near(scan *s, size_t i, size_t j)
{
	uint64_t x = s->v[i], y = s->v[j], xb = s->v[s->bi], yb = s->v[s->bj];
	if (x == xb)
		return (y > yb) - (y < yb);
	if (y == yb)
		return (x > xb) - (x < xb);
	double e = y > yb ? (double)(y - yb) : -(double)(yb - y);
	double t1 = s->yd[j] * ratio_log(s, i), t2 = e * s->lx[s->bi];
	double sum = t1 + t2, bound = NEAR_TOLERANCE * (fabs(t1) + fabs(t2));
	if (sum > bound)
		return 1;
	if (sum < -bound)
		return -1;
	return settle_exact(s, i, j);
}

/*
 * A pair a block's filter let through, against the best of its turn: with
 * filter, through the floor of its turn first (a best found earlier in
 * the block raised it), else known to be through it.  j == i is no pair.
 */
static inline __attribute__((always_inline)) void consider(scan *s, size_t i, size_t j,
							     bool filter)
{
	if (j == i || j >= s->k)
		return;
	if (filter) {
		if (s->yd[j] * s->lx[i] < s->floor)
			return;
		if (s->stats)
			s->stats->filtered++;
	}
	if (compare_near(s, i, j) > 0)
		set_best(s, i, j);
}

static void row_scalar(scan *s, size_t i, size_t j)
{
	const double lx = s->lx[i];
	for (; j < s->k; j++)
		if (s->yd[j] * lx >= s->floor)   /* as consider() checks again */
			consider(s, i, j, true);
}

#ifdef PC_HAVE_X86_SIMD
/* Bits 0..3: the pairs (i, j..j+3) whose keys are not below the floor. */
__attribute__((target("avx2")))
static inline unsigned filter4_avx2(const scan *s, size_t i, size_t j)
{
	__m256d key = _mm256_mul_pd(_mm256_loadu_pd(s->yd + j), _mm256_set1_pd(s->lx[i]));
	return (unsigned)_mm256_movemask_pd(_mm256_cmp_pd(key, _mm256_set1_pd(s->floor), _CMP_GE_OQ));
}

/* Stage 2 for the 4 pairs (i, j..j+3), as near8_avx512() does it: AVX2
 * has no unsigned 64-bit comparison or conversion, so the comparison
 * flips the sign bits, and |y - yb| = hi 2^32 + lo becomes a double as
 * fl(hi 2^32 + lo), both terms exact: one rounding, as the conversion's. */
__attribute__((target("avx2")))
static inline unsigned near4_avx2(scan *s, size_t i, size_t j)
{
	unsigned valid = s->k - j >= 4 ? 0xf : (1u << (s->k - j)) - 1;
	const __m256i lane = _mm256_setr_epi64x(0, 1, 2, 3);
	__m256i load = _mm256_cmpgt_epi64(_mm256_set1_epi64x((long long)(s->k - j)), lane);
	__m256i y = _mm256_maskload_epi64((const long long *)(const void *)(s->v + j), load);
	__m256i yb = _mm256_set1_epi64x((long long)s->v[s->bj]);
	const __m256i sign = _mm256_set1_epi64x(INT64_MIN);
	__m256i lt = _mm256_cmpgt_epi64(_mm256_xor_si256(yb, sign), _mm256_xor_si256(y, sign));
	__m256i ad = _mm256_blendv_epi8(_mm256_sub_epi64(y, yb), _mm256_sub_epi64(yb, y), lt);
	const __m256i magic = _mm256_set1_epi64x(0x4330000000000000);   /* 2^52 */
	const __m256d two52 = _mm256_set1_pd(0x1p52);
	__m256d lo = _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(
		_mm256_and_si256(ad, _mm256_set1_epi64x(0xffffffff)), magic)), two52);
	__m256d hi = _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(
		_mm256_srli_epi64(ad, 32), magic)), two52);
	__m256d a = _mm256_add_pd(_mm256_mul_pd(hi, _mm256_set1_pd(0x1p32)), lo);
	__m256d e = _mm256_xor_pd(a, _mm256_and_pd(_mm256_castsi256_pd(lt), _mm256_set1_pd(-0.0)));
	__m256d t1 = _mm256_mul_pd(_mm256_loadu_pd(s->yd + j), _mm256_set1_pd(ratio_log(s, i)));
	__m256d t2 = _mm256_mul_pd(e, _mm256_set1_pd(s->lx[s->bi]));
	__m256d sum = _mm256_add_pd(t1, t2);
	const __m256d nosign = _mm256_castsi256_pd(_mm256_set1_epi64x(INT64_MAX));
	__m256d bound = _mm256_mul_pd(_mm256_set1_pd(NEAR_TOLERANCE),
				      _mm256_add_pd(_mm256_and_pd(t1, nosign), _mm256_and_pd(t2, nosign)));
	unsigned less = (unsigned)_mm256_movemask_pd(
		_mm256_cmp_pd(sum, _mm256_sub_pd(_mm256_setzero_pd(), bound), _CMP_LT_OQ));
	return valid & ~less;
}

/* The pairs (i, j..j+3) in order, as block8_avx512() takes its 8. */
__attribute__((target("avx2")))
static void block4_avx2(scan *s, size_t i, size_t j)
{
	unsigned self = i >= j && i < j + 4 ? 1u << (i - j) : 0;
	unsigned rest = 0xf & ~self;
	while (rest) {
		unsigned m = filter4_avx2(s, i, j) & rest;
		unsigned maybe = m ? m & near4_avx2(s, i, j) : 0;
		unsigned upto = maybe ? (2u << __builtin_ctz(maybe)) - 1 : 0xf;
		if (s->stats)
			s->stats->filtered += (uint64_t)__builtin_popcount(m & upto);
		if (maybe == 0)
			return;
		consider(s, i, j + (size_t)__builtin_ctz(maybe), false);
		rest &= ~upto;
	}
}

__attribute__((target("avx2")))
static void row_avx2(scan *s, size_t i)
{
	const __m256d lx = _mm256_set1_pd(s->lx[i]);
	__m256d floor = _mm256_set1_pd(s->floor);
	for (size_t j = 0; j < s->k; j += 16) {
		const double *y = s->yd + j;
		unsigned m = (unsigned)_mm256_movemask_pd(
			_mm256_cmp_pd(_mm256_mul_pd(_mm256_loadu_pd(y), lx), floor, _CMP_GE_OQ));
		m |= (unsigned)_mm256_movemask_pd(
			_mm256_cmp_pd(_mm256_mul_pd(_mm256_loadu_pd(y + 4), lx), floor, _CMP_GE_OQ)) << 4;
		m |= (unsigned)_mm256_movemask_pd(
			_mm256_cmp_pd(_mm256_mul_pd(_mm256_loadu_pd(y + 8), lx), floor, _CMP_GE_OQ)) << 8;
		m |= (unsigned)_mm256_movemask_pd(
			_mm256_cmp_pd(_mm256_mul_pd(_mm256_loadu_pd(y + 12), lx), floor, _CMP_GE_OQ)) << 12;
		if (m == 0)
			continue;
		/* the floor only rises: a lane below it stays below */
		for (unsigned b = 0; b < 4; b++)
			if (m >> (4 * b) & 0xf)
				block4_avx2(s, i, j + 4 * b);
		floor = _mm256_set1_pd(s->floor);
	}
}

/*
 * Stage 2 for the 8 pairs (i, j..j+7) at once, the same arithmetic as
 * compare_near() (for x == xb, R is 0 exactly; for y == yb, E is: the
 * bound holds there too): the lanes that are not surely smaller than the
 * best.  Lanes past the row's end are left out.
 */
__attribute__((target("avx512f,avx512dq")))
static inline __mmask8 near8_avx512(scan *s, size_t i, size_t j)
{
	__mmask8 valid = s->k - j >= 8 ? 0xff : (__mmask8)((1u << (s->k - j)) - 1);
	__m512i y = _mm512_maskz_loadu_epi64(valid, s->v + j);
	__m512i yb = _mm512_set1_epi64((long long)s->v[s->bj]);
	__mmask8 ge = _mm512_cmpge_epu64_mask(y, yb);
	/* |y - yb| exactly, then rounded once to double, then its sign */
	__m512i ad = _mm512_mask_blend_epi64(ge, _mm512_sub_epi64(yb, y), _mm512_sub_epi64(y, yb));
	__m512d a = _mm512_cvtepu64_pd(ad);
	__m512d e = _mm512_mask_blend_pd(ge, _mm512_sub_pd(_mm512_setzero_pd(), a), a);
	__m512d t1 = _mm512_mul_pd(_mm512_loadu_pd(s->yd + j), _mm512_set1_pd(ratio_log(s, i)));
	__m512d t2 = _mm512_mul_pd(e, _mm512_set1_pd(s->lx[s->bi]));
	__m512d sum = _mm512_add_pd(t1, t2);
	__m512d bound = _mm512_mul_pd(_mm512_set1_pd(NEAR_TOLERANCE),
				      _mm512_add_pd(_mm512_abs_pd(t1), _mm512_abs_pd(t2)));
	__mmask8 less = _mm512_cmp_pd_mask(sum, _mm512_sub_pd(_mm512_setzero_pd(), bound),
					   _CMP_LT_OQ);
	return (__mmask8)(valid & ~less);
}

/* Bits 0..7: the pairs (i, j..j+7) whose keys are not below the floor. */
__attribute__((target("avx512f,avx512dq")))
static inline unsigned filter8_avx512(const scan *s, size_t i, size_t j)
{
	__m512d key = _mm512_mul_pd(_mm512_loadu_pd(s->yd + j), _mm512_set1_pd(s->lx[i]));
	return _mm512_cmp_pd_mask(key, _mm512_set1_pd(s->floor), _CMP_GE_OQ);
}

/*
 * The pairs (i, j..j+7), in order, each against the best of its turn: a
 * lane is let through by the floor of its turn, then stage 2 for all the
 * lanes at once, the first one left goes to consider(), and after it the
 * rest of the lanes are taken again (the best may have changed).
 */
__attribute__((target("avx512f,avx512dq")))
static void block8_avx512(scan *s, size_t i, size_t j)
{
	unsigned self = i >= j && i < j + 8 ? 1u << (i - j) : 0;   /* j == i: no pair */
	unsigned rest = 0xff & ~self;
	while (rest) {
		unsigned m = filter8_avx512(s, i, j) & rest;
		unsigned maybe = m ? m & near8_avx512(s, i, j) : 0;
		unsigned upto = maybe ? (2u << __builtin_ctz(maybe)) - 1 : 0xff;
		if (s->stats)
			s->stats->filtered += (uint64_t)__builtin_popcount(m & upto);
		if (maybe == 0)
			return;
		consider(s, i, j + (size_t)__builtin_ctz(maybe), false);
		rest &= ~upto;
	}
}

__attribute__((target("avx512f,avx512dq")))
static void row_avx512(scan *s, size_t i)
{
	const __m512d lx = _mm512_set1_pd(s->lx[i]);
	__m512d floor = _mm512_set1_pd(s->floor);
	for (size_t j = 0; j < s->k; j += 32) {
		const double *y = s->yd + j;
		uint32_t m = _mm512_cmp_pd_mask(_mm512_mul_pd(_mm512_loadu_pd(y), lx), floor, _CMP_GE_OQ);
		m |= (uint32_t)_mm512_cmp_pd_mask(_mm512_mul_pd(_mm512_loadu_pd(y + 8), lx), floor,
						  _CMP_GE_OQ) << 8;
		m |= (uint32_t)_mm512_cmp_pd_mask(_mm512_mul_pd(_mm512_loadu_pd(y + 16), lx), floor,
						  _CMP_GE_OQ) << 16;
		m |= (uint32_t)_mm512_cmp_pd_mask(_mm512_mul_pd(_mm512_loadu_pd(y + 24), lx), floor,
						  _CMP_GE_OQ) << 24;
		if (m == 0)
			continue;
		/* the floor only rises: a lane below it stays below */
		for (unsigned b = 0; b < 4; b++)
			if (m >> (8 * b) & 0xff)
				block8_avx512(s, i, j + 8 * b);
		floor = _mm512_set1_pd(s->floor);
	}
}
#endif

/*
 * The rest of the scan once the best pair (bi, bj) is worth more than 1;
 * (i, j) is the next pair.  Only rows with x >= 2 can beat it.
 */
static void scan_more(scan *s, size_t i, size_t j, pc_simd path)
{
	const size_t k = s->k;
	for (size_t t = 0; t < k; t++) {
		s->lx[t] = s->v[t] >= 2 ? log((double)s->v[t]) : 0;
		s->yd[t] = (double)s->v[t];
	}
	set_best(s, s->bi, s->bj);
	if (s->v[i] >= 2)
		row_scalar(s, i, j);   /* the rest of the row the scan is in */
	for (i++; i < k; i++) {
		if (s->v[i] < 2)
			continue;
		switch (path) {
#ifdef PC_HAVE_X86_SIMD
		case PC_SIMD_AVX512:
			row_avx512(s, i);
			break;
		case PC_SIMD_AVX2:
			row_avx2(s, i);
			break;
#endif
		default:
			row_scalar(s, i, 0);
			break;
		}
	}
}

/* Which of 0, 1 or "more than 1" x^y is. */
enum { POW_ZERO, POW_ONE, POW_MORE };

static int pow_class(uint64_t x, uint64_t y)
{
	if (y == 0 || x == 1)
		return POW_ONE;
	return x == 0 ? POW_ZERO : POW_MORE;
}

/* Values per row kept on the stack; longer rows allocate. */
#define STACK_VALUES 64

pc_couple pc_exhaustive_with(const uint64_t *v, size_t k, pc_simd path,
			     pc_exhaustive_stats *stats)
{
	/* (0, 1) is the first best; a later pair must beat it strictly.  While
	 * the best is worth 0 or 1, pc_pow_cmp() decides: its classes are all
	 * there is to compare. */
	size_t bi = 0, bj = 1, i = 0, j = 2;
	for (; i < k; i++, j = 0)
		for (; j < k; j++) {
			if (pow_class(v[bi], v[bj]) == POW_MORE)
				goto more;
			if (j != i && pc_pow_cmp(v[i], v[j], v[bi], v[bj]) > 0) {
				bi = i;
				bj = j;
			}
		}
	return (pc_couple){ v[bi], v[bj] };

more:;
	if (!pc_simd_supported(path))
		path = PC_SIMD_SCALAR;
	size_t padded = (k + BLOCK - 1) / BLOCK * BLOCK;
	double lx_stack[STACK_VALUES], yd_stack[STACK_VALUES];
	uint64_t root_stack[STACK_VALUES];
	unsigned char rexp_stack[STACK_VALUES];
	void *heap = NULL;
	scan s = { .v = v, .k = k, .bi = bi, .bj = bj, .r_row = SIZE_MAX, .stats = stats };
	if (padded <= STACK_VALUES) {
		s.lx = lx_stack;
		s.yd = yd_stack;
		s.root = root_stack;
		s.rexp = rexp_stack;
	} else {
		heap = pc_xmalloc(padded * (2 * sizeof(double) + sizeof(uint64_t) + 1));
		s.lx = heap;
		s.yd = s.lx + padded;
		s.root = (uint64_t *)(s.yd + padded);
		s.rexp = (unsigned char *)(s.root + padded);
	}
	memset(s.yd + k, 0, (padded - k) * sizeof(double));   /* keys 0: filtered */
	memset(s.root, 0, padded * sizeof(uint64_t));
	scan_more(&s, i, j, path);
	free(heap);
	return (pc_couple){ v[s.bi], v[s.bj] };
}

pc_couple pc_exhaustive(const uint64_t *v, size_t k)
{
	return pc_exhaustive_with(v, k, pc_simd_current(), NULL);
}
