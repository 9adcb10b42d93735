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

static void closed_vs_exhaustive(void)
{
	uint64_t v[40];
	int bad = 0;
	for (int n = 0; n < 200000; n++) {
		size_t k = 2 + rnd() % (n % 2 ? 6 : 38);
		int mode = (int)(rnd() % 4);
		for (size_t i = 0; i < k; i++)
			v[i] = mode == 0 ? rnd() % 5 : mode == 1 ? rnd() % 3 : interesting();
		if (rnd() % 4 == 0)
			v[rnd() % k] = v[rnd() % k];   /* duplicate something */
		pc_couple c = closed_of(v, k), e = pc_exhaustive(v, k);
		if ((c.x != e.x || c.y != e.y) && bad++ < 5)
			printf("# row %d: closed %llu,%llu exhaustive %llu,%llu\n", n,
			       (unsigned long long)c.x, (unsigned long long)c.y,
			       (unsigned long long)e.x, (unsigned long long)e.y);
		if (n < 20000 && k <= 8) {
			pc_couple b = brute(v, k);
			if ((b.x != e.x || b.y != e.y) && bad++ < 5)
				printf("# row %d: brute force %llu,%llu exhaustive %llu,%llu\n", n,
				       (unsigned long long)b.x, (unsigned long long)b.y,
				       (unsigned long long)e.x, (unsigned long long)e.y);
		}
	}
	ok(bad == 0, "closed == exhaustive == brute force on 200000 random rows (%d wrong)", bad);
}

int main(void)
{
	tap_rng_state = 42;
	spec_examples();
	pow_cmp_small();
	pow_cmp_huge();
	perfect_powers();
	closed_vs_exhaustive();
	return tap_done();
}
