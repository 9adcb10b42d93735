/* lane.c - the SIMD fast lane of the closed form (see lane.h). */
#include <config.h>

#include <stdint.h>

#include "lane.h"

#if PC_HAVE_LANE
#include <emmintrin.h>

/* Bit i of each mask tells about p[i], for the 64 bytes at p. */
typedef struct {
	uint64_t digit, comma, lf;
	uint64_t prefix;   /* p[i], p[i+1] >= b's first two digits */
} lane_masks;

static inline uint64_t movemask(__m128i x)
{
	return (uint64_t)(unsigned)_mm_movemask_epi8(x);
}

static inline lane_masks classify64_sse2(const char *p, char d0, char d1)
{
	const __m128i c0 = _mm_set1_epi8('0'), nine = _mm_set1_epi8(9);
	const __m128i comma = _mm_set1_epi8(','), lf = _mm_set1_epi8('\n');
	const __m128i first = _mm_set1_epi8(d0), second = _mm_set1_epi8(d1);
	lane_masks m = { 0 };
	for (int k = 0; k < 4; k++) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
		__m128i next = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k + 1));
		__m128i t = _mm_sub_epi8(x, c0);
		/* (x, next) >= (d0, d1): x > d0, or x == d0 and next >= d1 */
		__m128i eq0 = _mm_cmpeq_epi8(x, first);
		__m128i ge0 = _mm_cmpeq_epi8(_mm_max_epu8(x, first), x);
		__m128i ge1 = _mm_cmpeq_epi8(_mm_max_epu8(next, second), next);
		__m128i prefix = _mm_andnot_si128(_mm_andnot_si128(ge1, eq0), ge0);
		m.digit |= movemask(_mm_cmpeq_epi8(_mm_min_epu8(t, nine), t)) << (16 * k);
		m.comma |= movemask(_mm_cmpeq_epi8(x, comma)) << (16 * k);
		m.lf |= movemask(_mm_cmpeq_epi8(x, lf)) << (16 * k);
		m.prefix |= movemask(prefix) << (16 * k);
	}
	return m;
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define PC_HAVE_AVX2_LANE 1

/* The same masks 32 bytes at a time, on CPUs that have AVX2. */
__attribute__((target("avx2")))
static inline lane_masks classify64_avx2(const char *p, char d0, char d1)
{
	const __m256i c0 = _mm256_set1_epi8('0'), nine = _mm256_set1_epi8(9);
	const __m256i comma = _mm256_set1_epi8(','), lf = _mm256_set1_epi8('\n');
	const __m256i first = _mm256_set1_epi8(d0), second = _mm256_set1_epi8(d1);
	lane_masks m = { 0 };
	for (int k = 0; k < 2; k++) {
		__m256i x = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32 * k));
		__m256i next = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32 * k + 1));
		__m256i t = _mm256_sub_epi8(x, c0);
		__m256i eq0 = _mm256_cmpeq_epi8(x, first);
		__m256i ge0 = _mm256_cmpeq_epi8(_mm256_max_epu8(x, first), x);
		__m256i ge1 = _mm256_cmpeq_epi8(_mm256_max_epu8(next, second), next);
		__m256i prefix = _mm256_andnot_si256(_mm256_andnot_si256(ge1, eq0), ge0);
		uint64_t sh = 32 * (unsigned)k;
		m.digit |= (uint64_t)(uint32_t)_mm256_movemask_epi8(
				   _mm256_cmpeq_epi8(_mm256_min_epu8(t, nine), t)) << sh;
		m.comma |= (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(x, comma)) << sh;
		m.lf |= (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(x, lf)) << sh;
		m.prefix |= (uint64_t)(uint32_t)_mm256_movemask_epi8(prefix) << sh;
	}
	return m;
}
#endif

/* What the lane needs of b: its number of digits and its first two. */
typedef struct {
	unsigned len;
	char d0, d1;
} lane_bound;

static lane_bound bound_of(uint64_t b)
{
	lane_bound bb = { 1, 0, 0 };
	uint64_t top = b;   /* becomes b's first two digits */
	while (top >= 100) {
		top /= 10;
		bb.len++;
	}
	if (top >= 10) {
		bb.len++;
		bb.d0 = (char)('0' + top / 10);
		bb.d1 = (char)('0' + top % 10);
	} else {
		bb.d0 = (char)('0' + top);
		bb.d1 = 0;   /* one digit: any next byte will do */
	}
	return bb;
}

/* Bits set in x; baseline x86-64 has no popcnt instruction. */
static inline uint64_t popcount64(uint64_t x)
{
	x = x - ((x >> 1) & UINT64_C(0x5555555555555555));
	x = (x & UINT64_C(0x3333333333333333)) + ((x >> 2) & UINT64_C(0x3333333333333333));
	x = (x + (x >> 4)) & UINT64_C(0x0F0F0F0F0F0F0F0F);
	return (x * UINT64_C(0x0101010101010101)) >> 56;
}

/*
 * Runs through the values of a row whose runner-up b is at least 3: from
 * then on the values 0..4 no longer matter (see pc_closed_result), and a
 * field can only beat b if it has more digits than b, or as many and its
 * first two digits are at least b's (a field with leading zeros is then
 * below b, or a candidate by its length).  64-byte windows of plain digits,
 * commas and LFs are classified at once; only the candidates are parsed
 * and compared exactly, the rest just counted.  Stops at what it does not
 * take (blanks, quotes, CR, empty fields, 20 digits or more, the block's
 * last 64 bytes) with p at that field's start, or just past the row's LF
 * with *row_end on it.
 */
typedef lane_masks classify_fn(const char *p, char d0, char d1);

static inline __attribute__((always_inline)) const char *
lane_with(classify_fn *classify64, const char *p, const char *end, pc_closed *st,
	  const char **row_end)
{
	uint64_t a = st->a, b = st->b, count = st->count;
	lane_bound bb = bound_of(b);

	while (end - p >= 65) {
		const char *base = p;
		lane_masks m = classify64(base, bb.d0, bb.d1);
		uint64_t delims = m.comma | m.lf;
		uint64_t starts = (delims << 1) | 1;
		uint64_t bad = ~(m.digit | delims) | (starts & delims);
		uint64_t good = (bad & -bad) - 1;          /* before the first bad byte */
		uint64_t lf = m.lf & good;
		if (lf)
			good &= ((lf & -lf) << 1) - 1;     /* up to the row's LF */
		uint64_t ends = delims & good;             /* the fields taken end here */
		if (!ends)
			break;
		unsigned last = 63 - (unsigned)__builtin_clzll(ends);
		uint64_t taken = last == 63 ? UINT64_MAX : (UINT64_C(2) << last) - 1;

		/* runs of at least len(b) and len(b)+1 digits from each start */
		uint64_t run = m.digit;
		for (unsigned i = 1; i < bb.len; i++)
			run &= m.digit >> i;
		uint64_t longer = run & (m.digit >> bb.len);
		uint64_t cand = starts & taken & (longer | (run & m.prefix));

		while (cand) {
			unsigned s = (unsigned)__builtin_ctzll(cand);
			const char *f = base + s;
			size_t len = (size_t)__builtin_ctzll(delims >> s);
			cand &= cand - 1;
			if (len > 19) {   /* may overflow: the general path decides */
				count += popcount64(delims & ((UINT64_C(1) << s) - 1));
				p = f;
				goto out;
			}
			uint64_t v = 0;
			for (size_t i = 0; i < len; i++)
				v = v * 10 + (uint64_t)(f[i] - '0');
			if (v > b) {
				if (v > a) {
					b = a;
					a = v;
				} else {
					b = v;
				}
				bb = bound_of(b);
			}
		}
		count += popcount64(ends);
		p = base + last + 1;
		if (lf && (lf & -lf) == (UINT64_C(1) << last)) {
			*row_end = base + last;
			break;
		}
	}
out:
	st->a = a;
	st->b = b;
	st->count = count;
	return p;
}

static const char *lane_sse2(const char *p, const char *end, pc_closed *st, const char **row_end)
{
	return lane_with(classify64_sse2, p, end, st, row_end);
}

#ifdef PC_HAVE_AVX2_LANE
__attribute__((target("avx2")))
static const char *lane_avx2(const char *p, const char *end, pc_closed *st, const char **row_end)
{
	return lane_with(classify64_avx2, p, end, st, row_end);
}
#endif

/* The widest lane this CPU runs: both give the same answers. */
const char *pc_lane(const char *p, const char *end, pc_closed *st, const char **row_end)
{
#ifdef PC_HAVE_AVX2_LANE
	if (__builtin_cpu_supports("avx2"))
		return lane_avx2(p, end, st, row_end);
#endif
	return lane_sse2(p, end, st, row_end);
}
#endif
