/* rowmasks.h - the classification of short rows, 64 bytes at a time.
 *
 * score.c takes the plain short rows of the closed form many at a time
 * from these masks; the kernels are inline, so that its loop is compiled
 * once per path with the kernel in it (no call a window, the constants
 * made once).  lane.h's pc_row_masks_on() gives each as a function, for
 * tests.                                                                 */
#ifndef PC_ROWMASKS_H
#define PC_ROWMASKS_H

#include <stdint.h>

#include "simd.h"

/*
 * The masks of short rows (score.c takes plain rows of up to 64 bytes
 * many at a time from them): bit i for p[i] of the 64 bytes at p, and the
 * value of a short number beginning at each; 65 bytes at p are read.
 */
typedef struct {
	uint64_t digit;   /* '0'..'9' */
	uint64_t delim;   /* the field delimiter */
	uint64_t lf;      /* '\n' */
	uint64_t odd;     /* CR, '"' or NUL: what no plain row holds */
	/* at a digit d, the number of one or two digits it begins: 10 d + e
	 * where the next byte is a digit e, else d (at other bytes,
	 * anything) */
	uint8_t value[64];
} pc_row_masks;

typedef void pc_row_masks_fn(const char *p, char delim, pc_row_masks *m);

static inline void pc_row_masks_scalar(const char *p, char delim, pc_row_masks *m)
{
	pc_row_masks r = { 0 };
	for (unsigned i = 0; i < 64; i++) {
		unsigned char c = (unsigned char)p[i];
		unsigned d = c - '0', next = (unsigned char)p[i + 1] - '0';
		uint64_t bit = UINT64_C(1) << i;
		r.digit |= d <= 9 ? bit : 0;
		r.delim |= c == (unsigned char)delim ? bit : 0;
		r.lf |= c == '\n' ? bit : 0;
		r.odd |= c == '\r' || c == '"' || c == '\0' ? bit : 0;
		r.value[i] = (uint8_t)(next <= 9 ? 10 * d + next : d);
	}
	*m = r;
}

#ifdef PC_HAVE_X86_SIMD
#include <immintrin.h>

static inline uint64_t pc_movemask16(__m128i x)
{
	return (uint64_t)(unsigned)_mm_movemask_epi8(x);
}

static inline void pc_row_masks_sse2(const char *p, char delim, pc_row_masks *m)
{
	const __m128i c0 = _mm_set1_epi8('0'), nine = _mm_set1_epi8(9);
	const __m128i sep = _mm_set1_epi8(delim), lf = _mm_set1_epi8('\n');
	const __m128i cr = _mm_set1_epi8('\r'), quote = _mm_set1_epi8('"');
	const __m128i nul = _mm_setzero_si128();
	uint64_t digit = 0, delims = 0, lfs = 0, odd_bits = 0;
	for (int k = 0; k < 4; k++) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
		__m128i t = _mm_sub_epi8(x, c0);
		__m128i odd = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, cr), _mm_cmpeq_epi8(x, quote)),
					   _mm_cmpeq_epi8(x, nul));
		digit |= pc_movemask16(_mm_cmpeq_epi8(_mm_min_epu8(t, nine), t)) << (16 * k);
		delims |= pc_movemask16(_mm_cmpeq_epi8(x, sep)) << (16 * k);
		lfs |= pc_movemask16(_mm_cmpeq_epi8(x, lf)) << (16 * k);
		odd_bits |= pc_movemask16(odd) << (16 * k);
		/* 10 t + the next byte's digit where that is one, else t:
		 * 10 t as 8 t + 2 t, byte lanes (no byte multiply) */
		__m128i n = _mm_sub_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k + 1)), c0);
		__m128i next_digit = _mm_cmpeq_epi8(_mm_min_epu8(n, nine), n);
		__m128i t2 = _mm_add_epi8(t, t), t4 = _mm_add_epi8(t2, t2), t8 = _mm_add_epi8(t4, t4);
		__m128i two = _mm_add_epi8(_mm_add_epi8(t8, t2), n);
		_mm_storeu_si128((__m128i *)(void *)(m->value + 16 * k),
				 _mm_or_si128(_mm_and_si128(next_digit, two), _mm_andnot_si128(next_digit, t)));
	}
	m->digit = digit;
	m->delim = delims;
	m->lf = lfs;
	m->odd = odd_bits;
}

__attribute__((target("avx2")))
static inline void pc_row_masks_avx2(const char *p, char delim, pc_row_masks *m)
{
	const __m256i c0 = _mm256_set1_epi8('0'), nine = _mm256_set1_epi8(9);
	const __m256i sep = _mm256_set1_epi8(delim), lf = _mm256_set1_epi8('\n');
	/* NUL, '"' and CR by their low nibble (0, 2, 13): a byte is one of
	 * them when the table's byte at its low nibble is the byte itself;
	 * the other entries are 0x80, which a byte below 0x80 is not, and a
	 * byte of 0x80 or more looks up 0, which it is not either */
	const char no = (char)0x80;   /* a byte the look-up of no byte gives */
	const __m256i odd_of = _mm256_setr_epi8(0x00, no, 0x22, no, no, no, no, no,
						no, no, no, no, no, 0x0D, no, no,
						0x00, no, 0x22, no, no, no, no, no,
						no, no, no, no, no, 0x0D, no, no);
	uint64_t digit = 0, delims = 0, lfs = 0, odd = 0;
	for (int k = 0; k < 2; k++) {
		__m256i x = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32 * k));
		__m256i t = _mm256_sub_epi8(x, c0);
		uint64_t sh = 32 * (unsigned)k;
		digit |= (uint64_t)(uint32_t)_mm256_movemask_epi8(
				 _mm256_cmpeq_epi8(_mm256_min_epu8(t, nine), t)) << sh;
		delims |= (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(x, sep)) << sh;
		lfs |= (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(x, lf)) << sh;
		odd |= (uint64_t)(uint32_t)_mm256_movemask_epi8(
			       _mm256_cmpeq_epi8(_mm256_shuffle_epi8(odd_of, x), x)) << sh;
		/* 10 t + the next byte's digit where that is one, else t */
		__m256i n = _mm256_sub_epi8(_mm256_loadu_si256((const __m256i *)(const void *)(p + 32 * k + 1)), c0);
		__m256i next_digit = _mm256_cmpeq_epi8(_mm256_min_epu8(n, nine), n);
		__m256i t2 = _mm256_add_epi8(t, t);
		__m256i t4 = _mm256_add_epi8(t2, t2);
		__m256i ten = _mm256_add_epi8(_mm256_add_epi8(t4, t4), t2);
		_mm256_storeu_si256((__m256i *)(void *)(m->value + 32 * k),
				    _mm256_blendv_epi8(t, _mm256_add_epi8(ten, n), next_digit));
	}
	m->digit = digit;
	m->delim = delims;
	m->lf = lfs;
	m->odd = odd;
}

__attribute__((target("avx512f,avx512bw")))
static inline void pc_row_masks_avx512(const char *p, char delim, pc_row_masks *m)
{
	__m512i x = _mm512_loadu_si512((const void *)p);
	m->digit = _mm512_cmple_epu8_mask(_mm512_sub_epi8(x, _mm512_set1_epi8('0')),
					  _mm512_set1_epi8(9));
	m->delim = _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8(delim));
	m->lf = _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8('\n'));
	m->odd = _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8('\r')) |
		 _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8('"')) |
		 _mm512_testn_epi8_mask(x, x);
	/* 10 t + the next byte's digit where that is one, else t */
	__m512i t = _mm512_sub_epi8(x, _mm512_set1_epi8('0'));
	__m512i n = _mm512_sub_epi8(_mm512_loadu_si512((const void *)(p + 1)), _mm512_set1_epi8('0'));
	__mmask64 next_digit = _mm512_cmple_epu8_mask(n, _mm512_set1_epi8(9));
	__m512i t2 = _mm512_add_epi8(t, t);
	__m512i t8 = _mm512_add_epi8(_mm512_add_epi8(t2, t2), _mm512_add_epi8(t2, t2));
	_mm512_storeu_si512((void *)m->value,
			    _mm512_mask_add_epi8(t, next_digit, _mm512_add_epi8(t8, t2), n));
}
#endif

#endif
