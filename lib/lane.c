/* lane.c - the SIMD fast lane of the closed form (see lane.h). */
#include <config.h>

#include <stdint.h>

#include "lane.h"
#include "rowmasks.h"

#include "buf.h"

#include "simd.h"

/* Bit i of each mask tells about p[i], for the 64 bytes at p. */
typedef struct {
	uint64_t digit, delim, lf;   /* delim: the field separator */
	uint64_t prefix;   /* p[i], p[i+1] >= b's first two digits */
} lane_masks;

/* The masks byte by byte: the reference every vector path must match. */
static inline lane_masks classify64_scalar(const char *p, unsigned char d0, unsigned char d1, char delim)
{
	lane_masks m = { 0 };
	for (unsigned i = 0; i < 64; i++) {
		unsigned char c = (unsigned char)p[i], next = (unsigned char)p[i + 1];
		uint64_t bit = UINT64_C(1) << i;
		if (c - '0' <= 9u)
			m.digit |= bit;
		if (c == (unsigned char)delim)
			m.delim |= bit;
		if (c == '\n')
			m.lf |= bit;
		/* (c, next) >= (d0, d1): c > d0, or c == d0 and next >= d1 */
		if (c > d0 || (c == d0 && next >= d1))
			m.prefix |= bit;
	}
	return m;
}

#ifdef PC_HAVE_X86_SIMD
#include <immintrin.h>

static inline uint64_t movemask(__m128i x)
{
	return (uint64_t)(unsigned)_mm_movemask_epi8(x);
}

/* 16 bytes at a time: SSE2, which every x86-64 has. */
static inline lane_masks classify64_sse2(const char *p, unsigned char d0, unsigned char d1, char delim)
{
	const __m128i c0 = _mm_set1_epi8('0'), nine = _mm_set1_epi8(9);
	const __m128i sep = _mm_set1_epi8(delim), lf = _mm_set1_epi8('\n');
	const __m128i first = _mm_set1_epi8((char)d0), second = _mm_set1_epi8((char)d1);
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
		m.delim |= movemask(_mm_cmpeq_epi8(x, sep)) << (16 * k);
		m.lf |= movemask(_mm_cmpeq_epi8(x, lf)) << (16 * k);
		m.prefix |= movemask(prefix) << (16 * k);
	}
	return m;
}

/* 32 bytes at a time. */
__attribute__((target("avx2,popcnt")))
static inline lane_masks classify64_avx2(const char *p, unsigned char d0, unsigned char d1, char delim)
{
	const __m256i c0 = _mm256_set1_epi8('0'), nine = _mm256_set1_epi8(9);
	const __m256i sep = _mm256_set1_epi8(delim), lf = _mm256_set1_epi8('\n');
	const __m256i first = _mm256_set1_epi8((char)d0), second = _mm256_set1_epi8((char)d1);
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
		m.delim |= (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(x, sep)) << sh;
		m.lf |= (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(x, lf)) << sh;
		m.prefix |= (uint64_t)(uint32_t)_mm256_movemask_epi8(prefix) << sh;
	}
	return m;
}

/* All 64 at once, into mask registers. */
__attribute__((target("avx512f,avx512bw,popcnt")))
static inline lane_masks classify64_avx512(const char *p, unsigned char d0, unsigned char d1, char delim)
{
	__m512i x = _mm512_loadu_si512((const void *)p);
	__m512i next = _mm512_loadu_si512((const void *)(p + 1));
	__m512i first = _mm512_set1_epi8((char)d0);
	lane_masks m;
	m.digit = _mm512_cmple_epu8_mask(_mm512_sub_epi8(x, _mm512_set1_epi8('0')),
					 _mm512_set1_epi8(9));
	m.delim = _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8(delim));
	m.lf = _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8('\n'));
	m.prefix = _mm512_cmpgt_epu8_mask(x, first) |
		   (_mm512_cmpeq_epi8_mask(x, first) &
		    _mm512_cmpge_epu8_mask(next, _mm512_set1_epi8((char)d1)));
	return m;
}
#endif

/* What the lane needs of b: its number of digits and its first two, as
 * the masks compare them.  A field can beat b only with more digits, or
 * as many and its first two digits (x, y) at least (d0, d1) (beyond two
 * digits, equal first two leave it open); with one or two digits, (x, y)
 * must be greater: d1 is then one more than b's second digit (':' after
 * '9', no digit) or, for one digit, 0xFF, which the byte after a
 * one-digit field never reaches: it is the delimiter or an LF, and
 * pc_frame_delim_ok allows only ASCII delimiters. */
typedef struct {
	unsigned len;
	unsigned char d0, d1;
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
		bb.d0 = (unsigned char)('0' + top / 10);
		bb.d1 = (unsigned char)('0' + top % 10 + (bb.len == 2));
	} else {
		bb.d0 = (unsigned char)('0' + top);
		bb.d1 = 0xFF;
	}
	return bb;
}

/*
 * Runs through the values of a row whose runner-up b is at least 3: from
 * then on the values 0..4 no longer matter (see pc_closed_result), and a
 * field can only beat b if it has more digits than b, or as many and its
 * first two digits are at least b's (a field with leading zeros is then
 * below b, or a candidate by its length).  64-byte windows of plain digits,
 * delimiters and LFs are classified at once; only the candidates are parsed
 * and compared exactly, the rest just counted.
 *
 * The windows follow each other 64 bytes apart whatever they hold, so that
 * no load waits for the window before it to be understood: a field that
 * runs over a window's end is `open` and is settled in the window where it
 * ends, from its bytes.  Stops at what it does not take (blanks, quotes,
 * CR, empty fields, numbers of 2^64 or more, the block's last 64 bytes) with p
 * at that field's start, or just past the row's LF with *row_end on it.
 */
typedef lane_masks classify_fn(const char *p, unsigned char d0, unsigned char d1, char delim);

/* A field of len digits at f could beat the bound (the masks' rule). */
static inline bool could_beat(const char *f, size_t len, lane_bound bb)
{
	unsigned char x = (unsigned char)f[0], y = (unsigned char)f[1];
	/* & and |, not && and ||: one branch on the answer, which is
	 * rarely yes, instead of several on the digits */
	return (len > bb.len) | ((len == bb.len) & ((x > bb.d0) | ((x == bb.d0) & (y >= bb.d1))));
}

/* The field of len <= 20 digits at f, if it is below 2^64, into *a, *b
 * (the largest two): false when it is not (the general path says so). */
static inline bool take(const char *f, size_t len, uint64_t *a, uint64_t *b, lane_bound *bb)
{
	uint64_t v = 0;
	if (len <= 8) {   /* the usual: no loop, no branch on the length */
		uint64_t x;
		memcpy(&x, f, 8);
		v = pc_swar_digits(x, (unsigned)len);
	} else {
		size_t n = len < 19 ? len : 19;   /* 19 digits always fit */
		for (size_t i = 0; i < n; i++)
			v = v * 10 + (uint64_t)(f[i] - '0');
	}
	if (len == 20) {
		unsigned d = (unsigned)(f[19] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	if (v > *b) {
		if (v > *a) {
			*b = *a;
			*a = v;
		} else {
			*b = v;
		}
		*bb = bound_of(*b);
	}
	return true;
}

/* Bits 64..127 of a window's mask come from the next window's: the low 64
 * bits of (hi:lo) >> k, for 0 <= k < 64. */
static inline uint64_t ahead(uint64_t lo, uint64_t hi, unsigned k)
{
	return lo >> k | (hi << 1) << (63 - k);   /* no shift by 64 */
}

/* Bit i set when bits i .. i+len-1 of (hi:lo) are (1 <= len <= 20): hi
 * is the next window's digits, so that a field that starts in the window
 * is judged whole even when it ends in the next one (hi 0: the window
 * alone); *longer: those with one more digit after them.  A run of len bits is
 * two runs of k bits, k the power of 2 with k <= len < 2k, len - k apart
 * (they overlap): runs of 2, 4, 8 and 16 bits by constant shifts, then
 * one shift by len - k. */
static inline uint64_t runs_ahead(uint64_t lo, uint64_t hi, unsigned len, uint64_t *longer)
{
	typedef unsigned __int128 u128;
	if (len <= 2) {   /* values below 100: no 128-bit work */
		uint64_t run = len == 2 ? lo & ahead(lo, hi, 1) : lo;
		*longer = run & ahead(lo, hi, len);
		return run;
	}
	u128 r = (u128)hi << 64 | lo;
	r &= r >> 1;   /* runs of k bits: constant shifts, and branches that */
	unsigned k = 2;   /* go the same way in every window */
	if (len >= 4)
		r &= r >> 2, k = 4;
	if (len >= 8)
		r &= r >> 4, k = 8;
	if (len >= 16)
		r &= r >> 8, k = 16;
	uint64_t run = (uint64_t)r & ahead((uint64_t)r, (uint64_t)(r >> 64), len - k);
	*longer = run & ahead(lo, hi, len);
	return run;
}

/* The field open since an earlier window, at open, that ends in the window
 * at base (masks m), judged there: true when it is plain digits, ends in
 * that window in 20 digits or fewer and cannot beat b or was taken. */
static inline bool settle_open(lane_masks m, const char *base, const char *open, uint64_t *a,
			       uint64_t *b, lane_bound *bb)
{
	uint64_t sep = m.delim | m.lf;
	if (!sep)
		return false;
	size_t len = (size_t)(base + __builtin_ctzll(sep) - open);
	return !(~m.digit & ((sep & -sep) - 1)) && len <= 20 &&
	       (!could_beat(open, len, *bb) || take(open, len, a, b, bb));
}

/*
 * The quick run: windows of plain digits and delimiters, no LF, none of
 * whose fields could beat b, passed with a few instructions each.  The
 * next window's masks are made first, so that a field starting in the
 * window is judged whole there even when it ends in the next one: nothing
 * is left open.  From base, where a field starts (*carry 1) or the open
 * field is settled; returns the first window it does not pass, its masks
 * in *m, with *carry, *count and *open (the start of the field crossing
 * into it) brought up to it.
 */
static inline __attribute__((always_inline)) const char *
quick_loop(classify_fn *classify64, const char *base, const char *end, char delim, lane_bound bb,
	   unsigned len, bool prefix_may, lane_masks *m_out, uint64_t *carry, uint64_t *count,
	   const char **open)
{
	lane_masks m = *m_out;
	uint64_t c = *carry, fields = 0, sep = 0;
	while (end - base >= 129) {
		lane_masks n = classify64(base + 64, bb.d0, bb.d1, delim);
		uint64_t s = m.delim | m.lf, starts = s << 1 | c;
		uint64_t longer, run = runs_ahead(m.digit, n.digit, len, &longer);
		uint64_t cand = prefix_may ? longer | (run & m.prefix) : longer;
		/* a bad byte, an empty field, an LF or a candidate: stop */
		if ((~(m.digit | s) | (starts & s) | m.lf | (starts & cand)) || !s)
			break;
		fields += (uint64_t)__builtin_popcountll(s);
		c = s >> 63;
		sep = s;
		base += 64;
		m = n;
	}
	if (sep) {   /* it passed a window: the last one's delimiters */
		*open = base - __builtin_clzll(sep);
		*carry = c;
		*count += fields;
		if (!prefix_may)   /* the loop's masks went without it: made again */
			m = classify64(base, bb.d0, bb.d1, delim);
		*m_out = m;
	}
	return base;
}

/* The loop with b's length a constant where it is short (the shifts by it
 * are then immediates), or as it comes. */
static inline __attribute__((always_inline)) const char *
quick_run(classify_fn *classify64, const char *base, const char *end, char delim, lane_bound bb,
	  lane_masks *m, uint64_t *carry, uint64_t *count, const char **open)
{
	/* b is 9 or 99 (the bound '9', then none of the digits): a field of
	 * as many digits never beats it, only a longer one, so the loop
	 * makes no prefix mask (the next window's load and five vector
	 * operations a half, where the values are below 100 and b soon 99) */
	bool top = bb.d0 == '9' && bb.d1 > '9';
	switch (bb.len) {
	case 1:
		return top ? quick_loop(classify64, base, end, delim, bb, 1, false, m, carry, count, open)
			   : quick_loop(classify64, base, end, delim, bb, 1, true, m, carry, count, open);
	case 2:
		return top ? quick_loop(classify64, base, end, delim, bb, 2, false, m, carry, count, open)
			   : quick_loop(classify64, base, end, delim, bb, 2, true, m, carry, count, open);
	default:
		return quick_loop(classify64, base, end, delim, bb, bb.len, true, m, carry, count, open);
	}
}

static inline __attribute__((always_inline)) const char *
lane_with(classify_fn *classify64, const char *p, const char *end, char delim, pc_closed *st,
	  const char **row_end)
{
	uint64_t a = st->a, b = st->b, count = st->count;
	lane_bound bb = bound_of(b);
	const char *open = p;      /* start of the field not ended yet */
	uint64_t carry = 1;        /* 1: base[0] starts a field */
	bool settled = false;      /* the open field is already judged */
	const char *base = p;
	/* in each window, m: its masks, and mb: the bound they judge by, the
	 * one at their making: for a greater b found since, they are a
	 * superset of its candidates */
	for (; end - base >= 65; base += 64) {
		lane_bound mb = bb;
		lane_masks m = classify64(base, mb.d0, mb.d1, delim);

		/* the quick run, from a field's start or a settled open field;
		 * it reads the next window too */
		if (end - base >= 129) {
			if (!carry && !settled) {
				uint64_t was = b;
				settled = settle_open(m, base, open, &a, &b, &bb);
				if (b != was) {   /* masks by the new b: len and prefix agree */
					mb = bb;
					m = classify64(base, mb.d0, mb.d1, delim);
				}
			}
			if (carry || settled) {
				const char *from = base;
				base = quick_run(classify64, base, end, delim, bb, &m, &carry, &count,
						 &open);
				if (base != from) {
					settled = true;   /* the field crossing into this window */
					mb = bb;
				}
			}
		}

		/* The window as a whole: a bad byte, an LF, the block's end. */
		uint64_t delims = m.delim | m.lf;
		uint64_t starts = (delims << 1) | carry;
		uint64_t bad = ~(m.digit | delims) | (starts & delims);
		uint64_t good = (bad & -bad) - 1;          /* before the first bad byte */
		uint64_t lf = m.lf & good;
		if (lf)
			good &= ((lf & -lf) << 1) - 1;     /* up to the row's LF */
		uint64_t ends = delims & good;             /* the fields taken end here */
		if (!ends) {
			if (bad || base + 64 - open > 20)
				break;   /* stop at the open field: the general path decides */
			carry = 0;
			settled = false;
			continue;
		}
		/* the field open since an earlier window (carry 0) ends here */
		if (!carry && !settled && !settle_open(m, base, open, &a, &b, &bb))
			break;
		settled = false;
		unsigned last = 63 - (unsigned)__builtin_clzll(ends);
		uint64_t taken = UINT64_MAX >> (63 - last);

		/* runs of at least len(b) and len(b)+1 digits from each start */
		uint64_t longer, run = runs_ahead(m.digit, 0, mb.len, &longer);
		uint64_t cand = starts & taken & (longer | (run & m.prefix));

		while (cand) {
			unsigned s = (unsigned)__builtin_ctzll(cand);
			const char *f = base + s;
			size_t flen = (size_t)__builtin_ctzll(delims >> s);
			cand &= cand - 1;
			if (flen > 20 || !take(f, flen, &a, &b, &bb)) {
				/* out of range: the general path says so */
				count += (uint64_t)__builtin_popcountll(delims & ((UINT64_C(1) << s) - 1));
				open = f;
				goto out;
			}
		}
		count += (uint64_t)__builtin_popcountll(ends);
		open = base + last + 1;
		if (lf) {   /* its LF is the last end taken */
			*row_end = base + last;
			break;
		}
		if (good != UINT64_MAX)
			break;   /* a bad byte: stop at its field */
		carry = ends >> 63;
	}
out:
	st->a = a;
	st->b = b;
	st->count = count;
	return open;
}

/* One function per path, each with the lane inlined for its classifier
 * (and, on the vector paths, the popcnt instruction). */
static const char *lane_scalar(const char *p, const char *end, char delim, pc_closed *st,
			       const char **row_end)
{
	return lane_with(classify64_scalar, p, end, delim, st, row_end);
}

#ifdef PC_HAVE_X86_SIMD
static const char *lane_sse2(const char *p, const char *end, char delim, pc_closed *st,
			       const char **row_end)
{
	return lane_with(classify64_sse2, p, end, delim, st, row_end);
}

__attribute__((target("avx2,popcnt")))
static const char *lane_avx2(const char *p, const char *end, char delim, pc_closed *st,
			       const char **row_end)
{
	return lane_with(classify64_avx2, p, end, delim, st, row_end);
}

__attribute__((target("avx512f,avx512bw,popcnt")))
static const char *lane_avx512(const char *p, const char *end, char delim, pc_closed *st,
			       const char **row_end)
{
	return lane_with(classify64_avx512, p, end, delim, st, row_end);
}
#endif

/* ---- the masks of short rows (rowmasks.h) ------------------------------ */

pc_row_masks_fn *pc_row_masks_on(pc_simd path)
{
	if (!pc_simd_supported(path))
		path = PC_SIMD_SCALAR;
	switch (path) {
#ifdef PC_HAVE_X86_SIMD
	case PC_SIMD_AVX512:
		return pc_row_masks_avx512;
	case PC_SIMD_AVX2:
		return pc_row_masks_avx2;
	case PC_SIMD_SSE2:
		return pc_row_masks_sse2;
#endif
	default:
		return pc_row_masks_scalar;
	}
}

typedef const char *lane_fn(const char *p, const char *end, char delim, pc_closed *st,
			    const char **row_end);

static lane_fn *lane_of(pc_simd path)
{
	switch (path) {
#ifdef PC_HAVE_X86_SIMD
	case PC_SIMD_AVX512:
		return lane_avx512;
	case PC_SIMD_AVX2:
		return lane_avx2;
	case PC_SIMD_SSE2:
		return lane_sse2;
#endif
	default:
		return lane_scalar;
	}
}

const char *pc_lane_on(pc_simd path, const char *p, const char *end, char delim, pc_closed *st,
		       const char **row_end)
{
	if (!pc_simd_supported(path))
		path = PC_SIMD_SCALAR;
	return lane_of(path)(p, end, delim, st, row_end);
}

/* The path PC_SIMD chose (a load and a jump a row). */
const char *pc_lane(const char *p, const char *end, char delim, pc_closed *st,
		    const char **row_end)
{
	return lane_of(pc_simd_current())(p, end, delim, st, row_end);
}
