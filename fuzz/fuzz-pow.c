/* fuzz-pow.c - the exact power comparison and the kernel, against GMP.
 *
 * The input is a mode byte and little-endian 64-bit values (missing bytes
 * are 0).  By mode % 5:
 *
 *   0  raw      pc_pow_cmp(x1, y1, x2, y2) on the values as they are;
 *   1  small    x = v mod 2^32, y = w mod 4096: powers GMP always holds;
 *   2  roots    x1 = r^a, x2 = r^b (+ -1, 0 or +1), y1, y2 any 64-bit values,
 *               or made so that a*y1 = b*y2 (a tie, or next to one): the
 *               answer is known exactly (r^(a*y1) against r^(b*y2)), however
 *               large the powers;
 *   3  near     x2 and y2 a little off x1 and y1;
 *   4  row      2 to 12 values from the bytes: pc_exhaustive() on each SIMD
 *               path the processor runs and the closed form against the
 *               couple found by GMP over every pair; or (mode & 0x40) the
 *               values 2^64 - 1 - byte, near-equal huge values, where every
 *               path must give the closed form's couple.
 *
 * Every comparison is checked against GMP (mpz_ui_pow_ui, mpz_cmp) when both
 * powers have at most FUZZ_POW_BITS bits, or when one surely has more bits
 * than the other can; and everywhere, pc_pow_cmp(a, b) = -pc_pow_cmp(b, a)
 * and pc_pow_cmp(a, a) = 0.  pc_perfect_power(x) must give root^exp = x
 * with a root that is no perfect power (mpz_perfect_power_p).            */
#include <config.h>

#include <gmp.h>

#include "fuzz-common.h"
#include "kernel.h"

#define FUZZ_POW_BITS ((uint64_t)1 << 20)

static unsigned bit_length(uint64_t x)
{
	return x ? 64u - (unsigned)__builtin_clzll(x) : 0;
}

/* The exact sign of x1^y1 - x2^y2 by GMP, or 2 when it costs too much. */
static int gmp_cmp(uint64_t x1, uint64_t y1, uint64_t x2, uint64_t y2)
{
	/* bits(x) - 1 <= log2(x) < bits(x) for x >= 1 */
	unsigned __int128 hi1 = (unsigned __int128)bit_length(x1) * y1;
	unsigned __int128 hi2 = (unsigned __int128)bit_length(x2) * y2;
	unsigned __int128 lo1 = x1 >= 2 ? (unsigned __int128)(bit_length(x1) - 1) * y1 : 0;
	unsigned __int128 lo2 = x2 >= 2 ? (unsigned __int128)(bit_length(x2) - 1) * y2 : 0;

	/* 2^lo <= x^y < 2^hi when x >= 2 and y >= 1; else x^y is 0 or 1 and
	 * below 2^hi or equal to 2^0: one side may be surely the larger */
	bool big1 = x1 >= 2 && y1 >= 1, big2 = x2 >= 2 && y2 >= 1;
	if (big1 && lo1 >= hi2)
		return 1;
	if (big2 && lo2 >= hi1)
		return -1;
	if (hi1 > FUZZ_POW_BITS || hi2 > FUZZ_POW_BITS)
		return 2;
	mpz_t p1, p2;
	mpz_init(p1);
	mpz_init(p2);
	mpz_ui_pow_ui(p1, x1, y1);   /* GMP: 0^0 = 1, as SPEC 1 */
	mpz_ui_pow_ui(p2, x2, y2);
	int c = mpz_cmp(p1, p2);
	mpz_clear(p1);
	mpz_clear(p2);
	return (c > 0) - (c < 0);
}

static void check_cmp(uint64_t x1, uint64_t y1, uint64_t x2, uint64_t y2, int known)
{
	int c = pc_pow_cmp(x1, y1, x2, y2);
	int back = pc_pow_cmp(x2, y2, x1, y1);
	if (c < -1 || c > 1 || back != -c)
		fz_fail("pc_pow_cmp(%llu, %llu, %llu, %llu) = %d but the other way round %d",
			(unsigned long long)x1, (unsigned long long)y1, (unsigned long long)x2,
			(unsigned long long)y2, c, back);
	if (pc_pow_cmp(x1, y1, x1, y1) != 0)
		fz_fail("pc_pow_cmp(%llu, %llu, %llu, %llu) is not 0", (unsigned long long)x1,
			(unsigned long long)y1, (unsigned long long)x1, (unsigned long long)y1);
	int want = known != 2 ? known : gmp_cmp(x1, y1, x2, y2);
	if (want != 2 && c != want)
		fz_fail("pc_pow_cmp(%llu, %llu, %llu, %llu) = %d, but %llu^%llu %s %llu^%llu "
			"(%s)", (unsigned long long)x1, (unsigned long long)y1,
			(unsigned long long)x2, (unsigned long long)y2, c, (unsigned long long)x1,
			(unsigned long long)y1, want < 0 ? "<" : want > 0 ? ">" : "=",
			(unsigned long long)x2, (unsigned long long)y2,
			known != 2 ? "known from the roots" : "GMP");
}

static void check_perfect_power(uint64_t x)
{
	if (x < 2)
		return;
	uint64_t root;
	unsigned e;
	pc_perfect_power(x, &root, &e);
	mpz_t p, want;
	mpz_init(p);
	mpz_init(want);
	mpz_import(want, 1, -1, sizeof x, 0, 0, &x);
	if (root < 2 || e < 1 || e > 63)
		fz_fail("pc_perfect_power(%llu) = %llu^%u", (unsigned long long)x,
			(unsigned long long)root, e);
	mpz_ui_pow_ui(p, root, e);
	if (mpz_cmp(p, want) != 0)
		fz_fail("pc_perfect_power(%llu) = %llu^%u, which is not it", (unsigned long long)x,
			(unsigned long long)root, e);
	mpz_set_ui(p, root);
	if (mpz_perfect_power_p(p))
		fz_fail("pc_perfect_power(%llu) = %llu^%u, but %llu is a perfect power",
			(unsigned long long)x, (unsigned long long)root, e,
			(unsigned long long)root);
	mpz_clear(p);
	mpz_clear(want);
}

/* r^e if it fits in 64 bits, else 0. */
static uint64_t pow_fits(uint64_t r, unsigned e)
{
	uint64_t p = 1;
	for (unsigned i = 0; i < e; i++) {
		if (p > UINT64_MAX / r)
			return 0;
		p *= r;
	}
	return p;
}

static uint64_t gcd(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* Mode 2: x1 = r^a, x2 = r^b (+ delta): the answer from the exponents. */
static void check_roots(const uint64_t *v, uint8_t mode)
{
	uint64_t r = v[0] < 2 ? v[0] + 2 : v[0];
	unsigned a = 1 + (unsigned)(v[1] % 63), b = 1 + (unsigned)(v[2] % 63);
	uint64_t y1 = v[3], y2 = v[4];
	uint64_t x1, x2;
	while ((x1 = pow_fits(r, a)) == 0)
		a--;
	while ((x2 = pow_fits(r, b)) == 0)
		b--;
	if (mode & 0x20) {
		/* a tie: a*y1 = b*y2 */
		uint64_t g = gcd(a, b), y = v[3] % (UINT64_MAX / 64);
		y1 = y * (b / g);
		y2 = y * (a / g);
	}
	/* x1^y1 = r^(a*y1), x2^y2 = r^(b*y2), and r >= 2 */
	unsigned __int128 e1 = (unsigned __int128)a * y1, e2 = (unsigned __int128)b * y2;
	int want = (e1 > e2) - (e1 < e2);
	check_cmp(x1, y1, x2, y2, want);
	int delta = (int)((mode >> 3) % 3) - 1;
	if (delta == 0 || (delta < 0 && x2 == 0) || (delta > 0 && x2 == UINT64_MAX))
		return;
	uint64_t x2d = x2 + (uint64_t)(int64_t)delta;
	/* next to a tie the sign is delta's; otherwise x2 +- 1 keeps a strict
	 * order only sometimes: ask GMP */
	int known = 2;
	if (want == 0 && y2 >= 1)
		known = -delta;
	else if (want == 0)
		known = 0;   /* y2 = 0 (then y1 = 0 too): 1 against 1 */
	check_cmp(x1, y1, x2d, y2, known);
}

static void row_text(char *out, size_t size, const uint64_t *v, size_t k)
{
	out[0] = '\0';
	for (size_t i = 0; i < k; i++)
		snprintf(out + strlen(out), size - strlen(out), "%s%llu", i ? "," : "",
			 (unsigned long long)v[i]);
}

/* Mode 4: the couple of a row by GMP over every ordered pair. */
static void check_row(const uint8_t *bytes, size_t n, uint8_t mode)
{
	size_t k = 2 + (size_t)((mode >> 3) % 11);
	bool huge = mode & 0x40;
	uint64_t v[12];
	for (size_t i = 0; i < k; i++) {
		uint8_t byte = i < n ? bytes[i] : 0;
		v[i] = huge ? UINT64_MAX - byte : mode & 0x80 ? byte % 6 : byte;
	}
	pc_closed st;
	pc_closed_init(&st);
	for (size_t i = 0; i < k; i++)
		pc_closed_add(&st, v[i]);
	pc_couple cl = pc_closed_result(&st), want = cl;
	if (!huge) {
		mpz_t best, p;
		mpz_init(best);
		mpz_init(p);
		size_t bi = 0, bj = 1;
		mpz_ui_pow_ui(best, v[0], v[1]);
		for (size_t i = 0; i < k; i++)
			for (size_t j = 0; j < k; j++) {
				if (i == j)
					continue;
				mpz_ui_pow_ui(p, v[i], v[j]);
				if (mpz_cmp(p, best) > 0) {
					mpz_swap(p, best);
					bi = i;
					bj = j;
				}
			}
		mpz_clear(best);
		mpz_clear(p);
		want = (pc_couple){ v[bi], v[bj] };
	}
	char row[12 * 21 + 1];
	if (cl.x != want.x || cl.y != want.y) {
		row_text(row, sizeof row, v, k);
		fz_fail("row %s: GMP says %llu,%llu; closed %llu,%llu", row,
			(unsigned long long)want.x, (unsigned long long)want.y,
			(unsigned long long)cl.x, (unsigned long long)cl.y);
	}
	for (pc_simd path = PC_SIMD_SCALAR; path < PC_SIMD_PATHS; path++) {
		if (!pc_simd_supported(path))
			continue;
		pc_couple ex = pc_exhaustive_with(v, k, path, NULL);
		if (ex.x != want.x || ex.y != want.y) {
			row_text(row, sizeof row, v, k);
			fz_fail("row %s: %s %llu,%llu; exhaustive (%s) %llu,%llu", row,
				huge ? "closed" : "GMP", (unsigned long long)want.x,
				(unsigned long long)want.y, pc_simd_name(path),
				(unsigned long long)ex.x, (unsigned long long)ex.y);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	uint8_t mode = data[0];
	uint64_t v[5] = { 0 };
	for (size_t i = 0; i < 5; i++)
		for (size_t b = 0; b < 8; b++) {
			size_t at = 1 + 8 * i + b;
			if (at < size)
				v[i] |= (uint64_t)data[at] << (8 * b);
		}
	uint64_t x1 = v[0], y1 = v[1], x2 = v[2], y2 = v[3];

	switch (mode % 5) {
	case 0:
		check_cmp(x1, y1, x2, y2, 2);
		break;
	case 1:
		check_cmp(x1 & 0xFFFFFFFFu, y1 % 4096, x2 & 0xFFFFFFFFu, y2 % 4096, 2);
		break;
	case 2:
		check_roots(v, mode);
		break;
	case 3: {
		int64_t dx = (int64_t)(x2 % 17) - 8, dy = (int64_t)(y2 % 17) - 8;
		check_cmp(x1, y1, x1 + (uint64_t)dx, y1 + (uint64_t)dy, 2);
		check_cmp(x1 >> (y1 % 64), y1 % 65536, (x1 >> (y1 % 64)) + (uint64_t)dx,
			  (y1 % 65536) + (uint64_t)dy, 2);
		break;
	}
	case 4:
		check_row(data + 1, size - 1, mode);
		break;
	}
	check_perfect_power(x1);
	check_perfect_power(x2);
	return 0;
}
