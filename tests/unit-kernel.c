/* unit-kernel.c - the kernel against exact big-integer arithmetic (GMP). */
#include <config.h>

#include <gmp.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "tap.h"

/* A value that makes ties and edge cases likely. */
static uint64_t interesting(void)
{
	static const uint64_t special[] = {
		0, 1, 2, 3, 4, 5, 8, 9, 16, 27, 32, 64, 81, 100, 243, 256, 1024,
		4294967295u, 4294967296u, UINT64_C(1) << 62, UINT64_C(1) << 63,
		UINT64_MAX, UINT64_MAX - 1, 3486784401u /* 3^20 */,
		UINT64_C(12157665459056928801) /* 3^40 */,
	};
	switch (rnd() % 4) {
	case 0: return rnd() % 5;
	case 1: return special[rnd() % (sizeof special / sizeof special[0])];
	case 2: return rnd() % 100;
	default: return rnd() >> (rnd() % 64);
	}
}

/* x^y <=> x2^y2 by computing both powers (only for small results). */
static int gmp_cmp(uint64_t x1, uint64_t y1, uint64_t x2, uint64_t y2)
{
	mpz_t a, b;
	mpz_inits(a, b, NULL);
	mpz_ui_pow_ui(a, x1, y1);
	mpz_ui_pow_ui(b, x2, y2);
	int c = mpz_cmp(a, b);
	mpz_clears(a, b, NULL);
	return (c > 0) - (c < 0);
}

/* bits of x^y, roughly; to keep the GMP oracle cheap */
static double pow_bits(uint64_t x, uint64_t y)
{
	int bits = x ? 64 - __builtin_clzll(x) : 0;
	return (double)bits * (double)y;
}

static pc_couple brute(const uint64_t *v, size_t k)
{
	size_t bi = 0, bj = 1;
	for (size_t i = 0; i < k; i++)
		for (size_t j = 0; j < k; j++)
			if (i != j && pc_pow_cmp(v[i], v[j], v[bi], v[bj]) > 0) {
				bi = i;
				bj = j;
			}
	return (pc_couple){ v[bi], v[bj] };
}

static pc_couple closed_of(const uint64_t *v, size_t k)
{
	pc_closed s;
	pc_closed_init(&s);
	for (size_t i = 0; i < k; i++)
		pc_closed_add(&s, v[i]);
	return pc_closed_result(&s);
}

static void spec_examples(void)
{
	static const struct { uint64_t v[4]; size_t k; uint64_t x, y; } ex[] = {
		{ { 2, 3, 5, 8 }, 4, 5, 8 }, { { 4, 9, 4, 7 }, 4, 7, 9 },
		{ { 5, 9, 4, 8 }, 4, 8, 9 }, { { 2, 4 }, 2, 2, 4 },
		{ { 4, 2, 2 }, 3, 4, 2 },    { { 3, 2 }, 2, 3, 2 },
		{ { 1, 7, 1 }, 3, 7, 1 },    { { 1, 1 }, 2, 1, 1 },
		{ { 1, 0, 1 }, 3, 1, 0 },    { { 0, 0, 5 }, 3, 0, 0 },
		{ { 5, 0, 0 }, 3, 5, 0 },    { { 0, 5 }, 2, 5, 0 },
		{ { 0, 1 }, 2, 1, 0 },       { { 0, 0 }, 2, 0, 0 },
	};
	for (size_t i = 0; i < sizeof ex / sizeof ex[0]; i++) {
		pc_couple c = closed_of(ex[i].v, ex[i].k), e = pc_exhaustive(ex[i].v, ex[i].k);
		ok(c.x == ex[i].x && c.y == ex[i].y && e.x == ex[i].x && e.y == ex[i].y,
		   "spec example %zu: closed %llu,%llu exhaustive %llu,%llu", i,
		   (unsigned long long)c.x, (unsigned long long)c.y,
		   (unsigned long long)e.x, (unsigned long long)e.y);
	}
}

static void pow_cmp_small(void)
{
	int bad = 0, n = 0;
	for (int i = 0; i < 200000; i++) {
		uint64_t x1 = interesting(), y1 = interesting() % 2000;
		uint64_t x2 = interesting(), y2 = interesting() % 2000;
		if (rnd() % 3 == 0) {   /* a likely near tie: same power, other base */
			x2 = x1 * x1;
			y2 = y1 / 2;
		}
		if (pow_bits(x1, y1) > 20000 || pow_bits(x2, y2) > 20000)
			continue;
		n++;
		if (pc_pow_cmp(x1, y1, x2, y2) != gmp_cmp(x1, y1, x2, y2) && bad++ < 5)
			printf("# pc_pow_cmp(%llu,%llu,%llu,%llu) wrong\n", (unsigned long long)x1,
			       (unsigned long long)y1, (unsigned long long)x2, (unsigned long long)y2);
	}
	ok(bad == 0 && n > 50000, "pc_pow_cmp agrees with GMP on %d pairs (%d wrong)", n, bad);
}

static void pow_cmp_huge(void)
{
	/* equal powers far beyond any big-integer computation */
	ok(pc_pow_cmp(2, UINT64_C(1) << 62, 4, UINT64_C(1) << 61) == 0, "2^(2^62) == 4^(2^61)");
	ok(pc_pow_cmp(UINT64_C(1) << 62, 31, UINT64_C(1) << 31, 62) == 0, "(2^62)^31 == (2^31)^62");
	ok(pc_pow_cmp(8, 3 * (UINT64_C(1) << 40), 16, 9 * (UINT64_C(1) << 38)) == 0,
	   "8^(3*2^40) == 16^(9*2^38)");
	ok(pc_pow_cmp(UINT64_MAX, UINT64_MAX, UINT64_MAX - 1, UINT64_MAX) > 0,
	   "(2^64-1)^(2^64-1) > (2^64-2)^(2^64-1)");
	/* for 3 <= b < a, b^a > a^b */
	ok(pc_pow_cmp(UINT64_MAX, UINT64_MAX - 1, UINT64_MAX - 1, UINT64_MAX) < 0,
	   "(2^64-1)^(2^64-2) < (2^64-2)^(2^64-1)");
	/* 2^b vs 3^d with b/d a continued-fraction convergent of log2(3):
	 * 665 * log2(3) = 1054.00006..., checked with exact integers */
	ok(pc_pow_cmp(3, 665, 2, 1054) > 0 && pc_pow_cmp(3, 665, 2, 1055) < 0, "3^665 between 2^1054 and 2^1055");
	ok(pc_pow_cmp(3, 665 * (UINT64_C(1) << 50), 2, 1054 * (UINT64_C(1) << 50)) > 0,
	   "3^(665*2^50) > 2^(1054*2^50), a near tie at 2^60");
	ok(pc_pow_cmp(3, 190537, 2, 301994) < 0 && pc_pow_cmp(3, 190537, 2, 301993) > 0,
	   "3^190537 between 2^301993 and 2^301994 (a convergent)");
	/* antisymmetry on random huge arguments */
	int bad = 0;
	for (int i = 0; i < 100000; i++) {
		uint64_t x1 = interesting(), y1 = interesting(), x2 = interesting(), y2 = interesting();
		if (pc_pow_cmp(x1, y1, x2, y2) != -pc_pow_cmp(x2, y2, x1, y1))
			bad++;
	}
	ok(bad == 0, "pc_pow_cmp is antisymmetric on 100000 random pairs");
}

static void perfect_powers(void)
{
	static const uint64_t roots[] = { 2, 3, 5, 6, 7, 10, 12, 1000003, 4294967291u };
	int bad = 0;
	for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++) {
		uint64_t x = roots[i];
		for (unsigned m = 1; ; m++) {
			uint64_t r;
			unsigned e;
			pc_perfect_power(x, &r, &e);
			if (r != roots[i] || e != m)
				bad++;
			if (x > UINT64_MAX / roots[i])
				break;
			x *= roots[i];
		}
	}
	uint64_t r;
	unsigned e;
	pc_perfect_power(UINT64_MAX, &r, &e);
	ok(bad == 0 && r == UINT64_MAX && e == 1, "perfect-power reduction of r^m");
}

/* Values that are powers of one another and their exponents: rows of
 * them tie often on the way to the best (2^32 = 4^16 = 16^8 = 256^4,
 * 3^40 = 9^20 = 81^10, 2^62 ^ 31 = 2^31 ^ 62), and near ties. */
static uint64_t power_family(void)
{
	static const uint64_t v[] = {
		2, 4, 16, 256, 65536, 4294967296u, 8, 32, 3, 9, 81, 6561, 10, 20, 40,
		3486784401u, UINT64_C(12157665459056928801) /* 3^40 */,
		UINT64_C(1) << 62, UINT64_C(1) << 31, 31, 62, 64, 5, 25, 125, 625,
	};
	return v[rnd() % (sizeof v / sizeof v[0])];
}

/* A row of kind mode: 0 tiny values, 1 0..2, 2 interesting values,
 * 3 near-equal huge values (the 1000 below 2^64), 4 values near 2^62
 * (keys that round alike), 5 the power family, 6 values below 100,
 * 7 0, 1, 2 and 4 (2^4 = 4^2), 8 near-equal values near 2^20 (keys a
 * relative 2^-20 or so apart, far more than the filter's 2^-47). */
static void random_row(uint64_t *v, size_t k, int mode)
{
	for (size_t i = 0; i < k; i++) {
		switch (mode) {
		case 0: v[i] = rnd() % 5; break;
		case 1: v[i] = rnd() % 3; break;
		case 2: v[i] = interesting(); break;
		case 3: v[i] = UINT64_MAX - rnd() % 1000; break;
		case 4: v[i] = (UINT64_C(1) << 62) + rnd() % 4096 - 2048; break;
		case 5: v[i] = power_family(); break;
		case 7: v[i] = (uint64_t[]){ 0, 1, 2, 4 }[rnd() % 4]; break;
		case 8: v[i] = (UINT64_C(1) << 20) + rnd() % 1000; break;
		default: v[i] = rnd() % 100; break;
		}
		if (mode >= 3 && rnd() % 8 == 0)
			v[i] = rnd() % 5;   /* some 0s, 1s, 2s and 4s among them */
	}
	if (rnd() % 4 == 0)
		v[rnd() % k] = v[rnd() % k];   /* duplicate something */
}

#define NMODES 9

static void closed_vs_exhaustive(pc_simd path, int rows)
{
	uint64_t v[70];
	int bad = 0;
	for (int n = 0; n < rows; n++) {
		size_t k = 2 + rnd() % (n % 2 ? 6 : 68);
		random_row(v, k, (int)(rnd() % NMODES));
		pc_couple c = closed_of(v, k), e = pc_exhaustive_with(v, k, path, NULL);
		if ((c.x != e.x || c.y != e.y) && bad++ < 5)
			printf("# row %d: closed %llu,%llu exhaustive %llu,%llu\n", n,
			       (unsigned long long)c.x, (unsigned long long)c.y,
			       (unsigned long long)e.x, (unsigned long long)e.y);
		if (n < rows / 10 && k <= 8) {
			pc_couple b = brute(v, k);
			if ((b.x != e.x || b.y != e.y) && bad++ < 5)
				printf("# row %d: brute force %llu,%llu exhaustive %llu,%llu\n", n,
				       (unsigned long long)b.x, (unsigned long long)b.y,
				       (unsigned long long)e.x, (unsigned long long)e.y);
		}
	}
	ok(bad == 0, "%s: closed == exhaustive == brute force on %d random rows (%d wrong)",
	   pc_simd_name(path), rows, bad);
}

/*
 * What each stage of the exhaustive method must do, from pc_pow_cmp()
 * over the pairs in order: once the best is worth more than 1, the filter
 * lets through exactly the pairs (j != i) not smaller than the best so far
 * (for these rows no two different powers are within its 2^-47 of each
 * other), and the exact settling sees exactly the ties whose bases
 * and exponents both differ (no two different powers of these rows are
 * within 2^-48 of the terms of the difference of logarithms).
 */
static pc_exhaustive_stats stats_of(const uint64_t *v, size_t k)
{
	pc_exhaustive_stats st = { 0 };
	size_t bi = 0, bj = 1;
	bool more = false;
	for (size_t i = 0; i < k; i++)
		for (size_t j = i == 0 ? 2 : 0; j < k; j++) {
			more = more || (v[bi] >= 2 && v[bj] >= 1);
			if (j == i)
				continue;
			int c = pc_pow_cmp(v[i], v[j], v[bi], v[bj]);
			if (more && v[i] >= 2) {
				st.filtered += c >= 0;
				st.exact += c == 0 && v[i] != v[bi] && v[j] != v[bj];
			}
			if (c > 0) {
				bi = i;
				bj = j;
			}
		}
	return st;
}

static void stages(pc_simd path)
{
	uint64_t v[300];
	int bad = 0;
	uint64_t exact = 0, filtered = 0;
	for (int n = 0; n < 1000; n++) {
		static const int modes[] = { 6, 5, 3, 7, 8 };
		int mode = modes[n % 5];
		size_t k = 2 + rnd() % (mode == 3 ? 23 : 120);   /* pc_pow_cmp is slow on huge near ties */
		random_row(v, k, mode);
		pc_exhaustive_stats want = stats_of(v, k), got = { 0 };
		pc_exhaustive_with(v, k, path, &got);
		/* near-equal huge values all have the same key: no filter there */
		bool same = got.exact == want.exact && (mode == 3 || got.filtered == want.filtered);
		if (!same && bad++ < 5)
			printf("# row %d (kind %d, k %zu): filtered %llu exact %llu, want %llu and %llu\n",
			       n, mode, k, (unsigned long long)got.filtered,
			       (unsigned long long)got.exact, (unsigned long long)want.filtered,
			       (unsigned long long)want.exact);
		exact += got.exact;
		filtered += got.filtered;
	}
	/* ties and near ties met on the way: 16^8 = 2^32, 9^20 = 3^40,
	 * 4^8 = 2^16 (exact settling), and 3^665c against 2^1054c, 3^190537
	 * against 2^301994 (2^-24 and less apart: the difference of logs) */
	static const uint64_t fixed[][4] = {
		{ 2, 16, 8, 32 }, { 3, 9, 20, 40 }, { 2, 4, 8, 16 }, { 2, 3, 665, 1054 },
		{ 2, 3, 665 * 12345, 1054 * 12345 }, { 2, 3, 190537, 301994 },
		{ 2, 3, 190537 * (UINT64_C(1) << 40), 301994 * (UINT64_C(1) << 40) },
	};
	uint64_t fixed_exact = 0;
	for (size_t n = 0; n < sizeof fixed / sizeof fixed[0]; n++) {
		pc_exhaustive_stats want = stats_of(fixed[n], 4), got = { 0 };
		pc_exhaustive_with(fixed[n], 4, path, &got);
		if ((got.exact != want.exact || got.filtered != want.filtered) && bad++ < 10)
			printf("# fixed row %zu: filtered %llu exact %llu, want %llu and %llu\n", n,
			       (unsigned long long)got.filtered, (unsigned long long)got.exact,
			       (unsigned long long)want.filtered, (unsigned long long)want.exact);
		fixed_exact += want.exact;
	}
	ok(bad == 0 && exact > 100 && filtered > 1000 && fixed_exact == 3,
	   "%s: the filter passes exactly the pairs not below the best, the exact settling "
	   "gets exactly the ties (%llu and %llu pairs, %d rows wrong)",
	   pc_simd_name(path), (unsigned long long)filtered, (unsigned long long)exact, bad);
}

/* Ties at the best itself, whose order decides the answer. */
static void tie_rows(pc_simd path)
{
	static const struct { uint64_t v[6]; size_t k; uint64_t x, y; } rows[] = {
		{ { 2, 4 }, 2, 2, 4 },              { { 4, 2 }, 2, 4, 2 },
		{ { 1, 4, 0, 2 }, 4, 4, 2 },        { { 0, 2, 1, 4, 2 }, 5, 2, 4 },
		{ { 9, 9 }, 2, 9, 9 },              { { 3, 2, 0, 1 }, 4, 3, 2 },
		{ { 4294967296u, 4294967296u, 4 }, 3, 4294967296u, 4294967296u },
		{ { UINT64_MAX, 7, UINT64_MAX }, 3, UINT64_MAX, UINT64_MAX },
		{ { UINT64_MAX - 1, UINT64_MAX }, 2, UINT64_MAX - 1, UINT64_MAX },
		{ { UINT64_MAX, UINT64_MAX - 1 }, 2, UINT64_MAX - 1, UINT64_MAX },
	};
	int bad = 0;
	for (size_t n = 0; n < sizeof rows / sizeof rows[0]; n++) {
		pc_couple e = pc_exhaustive_with(rows[n].v, rows[n].k, path, NULL);
		if ((e.x != rows[n].x || e.y != rows[n].y) && bad++ < 5)
			printf("# tie row %zu: %llu,%llu\n", n, (unsigned long long)e.x,
			       (unsigned long long)e.y);
	}
	ok(bad == 0, "%s: rows whose best is a tie", pc_simd_name(path));
}

/* PC_SIMD's names, and which paths this processor runs (from cpuid). */
static void simd_paths(void)
{
	pc_simd p;
	ok(pc_simd_parse("scalar", &p) == 0 && p == PC_SIMD_SCALAR, "PC_SIMD=scalar");
	ok(pc_simd_parse("sse2", &p) == (pc_simd_supported(PC_SIMD_SSE2) ? 0 : -2) &&
	   p == PC_SIMD_SSE2, "PC_SIMD=sse2");
	ok(pc_simd_parse("avx2", &p) == (pc_simd_supported(PC_SIMD_AVX2) ? 0 : -2) &&
	   p == PC_SIMD_AVX2, "PC_SIMD=avx2");
	ok(pc_simd_parse("avx512", &p) == (pc_simd_supported(PC_SIMD_AVX512) ? 0 : -2) &&
	   p == PC_SIMD_AVX512, "PC_SIMD=avx512");
	ok(pc_simd_parse("sse9", &p) == -1 && pc_simd_parse("AVX2", &p) == -1, "unknown paths");
	ok(pc_simd_parse("", &p) == 0 && pc_simd_supported(p) &&
	   (p == PC_SIMD_PATHS - 1 || !pc_simd_supported(p + 1)), "auto: the widest path");
}

int main(void)
{
	tap_rng_state = 42;
	spec_examples();
	pow_cmp_small();
	pow_cmp_huge();
	perfect_powers();
	simd_paths();
	/* every path this processor runs: a path it lacks is the scalar one */
	for (pc_simd p = PC_SIMD_SCALAR; p < PC_SIMD_PATHS; p++) {
		if (!pc_simd_supported(p)) {
			printf("# %s: not run by this processor\n", pc_simd_name(p));
			continue;
		}
		closed_vs_exhaustive(p, 100000);
		stages(p);
		tie_rows(p);
	}
	return tap_done();
}
