/* classify.c - the structural bytes of a 64-byte window (classify.h), one
 * path per PC_SIMD level, and the choice among them made once.
 *
 * Each vector path compares the window with the five bytes in turn and
 * packs each comparison into a mask: AVX-512 BW compares all 64 bytes at
 * once into a mask register; AVX2 and SSE2 compare 32 and 16 bytes and
 * pack them with movemask, two and four pieces to a mask.  The scalar
 * path is the definition: bit i of a mask is set when p[i] is its byte.
 * Each path also counts one byte over a whole stretch (the LFs of a
 * block), with no masks to store: popcounts of compares, or for SSE2,
 * which has no popcount, compares summed in byte lanes.               */
#include <config.h>

#include <string.h>

#include "classify.h"

#ifdef PC_HAVE_X86_SIMD
#include <immintrin.h>
#endif

/* ---- plain C ------------------------------------------------------------- */

static void classify_scalar(const char *p, char delim, pc_class *c)
{
	uint64_t lf = 0, quote = 0, d = 0, hash = 0, cr = 0;
	for (unsigned i = 0; i < PC_CLASS_WINDOW; i++) {
		const char b = p[i];
		const uint64_t bit = (uint64_t)1 << i;
		lf |= b == '\n' ? bit : 0;
		quote |= b == '"' ? bit : 0;
		d |= b == delim ? bit : 0;
		hash |= b == '#' ? bit : 0;
		cr |= b == '\r' ? bit : 0;
	}
	*c = (pc_class){ .lf = lf, .quote = quote, .delim = d, .hash = hash, .cr = cr };
}

static size_t count_scalar(const char *p, size_t n, char byte)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += p[i] == byte;
	return k;
}

/*
 * The reader's question, asked of a whole stretch: from p to the first
 * quote, or the first '#' just after an LF (not at p), whichever comes
 * first; the last LF before it into *last_lf (left as it was when there is
 * none).  Each path runs this loop with its own three compares inlined, so
 * that a window costs a few instructions and no call; the last window of
 * fewer than 64 bytes is copied into a zeroed one (a NUL is none of the
 * three).
 */
typedef struct {
	uint64_t lf, quote, hash;
} stop_masks;

static inline __attribute__((always_inline)) const char *
stop_with(stop_masks (*masks)(const char *), const char *p, const char *end,
	  const char **last_lf)
{
	uint64_t after_lf = 0;   /* bit 0: the byte before the window is an LF */
	char window[PC_CLASS_WINDOW];
	for (; p < end; p += PC_CLASS_WINDOW) {
		stop_masks m;
		size_t n = (size_t)(end - p);
		if (n >= PC_CLASS_WINDOW) {
			m = masks(p);
		} else {
			memset(window, 0, sizeof window);
			memcpy(window, p, n);
			m = masks(window);
		}
		uint64_t stop = m.quote | (m.hash & ((m.lf << 1) | after_lf));
		uint64_t lf = m.lf;
		if (stop)
			lf &= pc_mask_below(pc_mask_first(stop));
		if (lf)
			*last_lf = p + pc_mask_last(lf);
		if (stop)
			return p + pc_mask_first(stop);
		after_lf = m.lf >> 63;
	}
	return end;
}

static inline stop_masks stop_masks_scalar(const char *p)
{
	stop_masks m = { 0, 0, 0 };
	for (unsigned i = 0; i < PC_CLASS_WINDOW; i++) {
		const uint64_t bit = (uint64_t)1 << i;
		m.lf |= p[i] == '\n' ? bit : 0;
		m.quote |= p[i] == '"' ? bit : 0;
		m.hash |= p[i] == '#' ? bit : 0;
	}
	return m;
}

static const char *stop_scalar(const char *p, const char *end, const char **last_lf)
{
	return stop_with(stop_masks_scalar, p, end, last_lf);
}

#ifdef PC_HAVE_X86_SIMD

/* ---- SSE2: four 16-byte pieces -------------------------------------------- */

static inline uint64_t eq16(__m128i a, __m128i b, __m128i x, __m128i y, __m128i v)
{
	uint64_t m0 = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(a, v));
	uint64_t m1 = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(b, v));
	uint64_t m2 = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(x, v));
	uint64_t m3 = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(y, v));
	return m0 | m1 << 16 | m2 << 32 | m3 << 48;
}

static void classify_sse2(const char *p, char delim, pc_class *c)
{
	const __m128i a = _mm_loadu_si128((const __m128i *)(const void *)p);
	const __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(p + 16));
	const __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + 32));
	const __m128i y = _mm_loadu_si128((const __m128i *)(const void *)(p + 48));
	c->lf = eq16(a, b, x, y, _mm_set1_epi8('\n'));
	c->quote = eq16(a, b, x, y, _mm_set1_epi8('"'));
	c->delim = eq16(a, b, x, y, _mm_set1_epi8(delim));
	c->hash = eq16(a, b, x, y, _mm_set1_epi8('#'));
	c->cr = eq16(a, b, x, y, _mm_set1_epi8('\r'));
}

/* Each equal byte is -1: subtracting adds 1 to its lane, for up to 255
 * pieces; then _mm_sad_epu8 adds each half's 8 lanes. */
static size_t count_sse2(const char *p, size_t n, char byte)
{
	const __m128i v = _mm_set1_epi8(byte);
	size_t k = 0, i = 0;
	while (n - i >= 16) {
		__m128i acc = _mm_setzero_si128();
		for (unsigned r = 0; r < 255 && n - i >= 16; r++, i += 16)
			acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(
					     _mm_loadu_si128((const __m128i *)(const void *)(p + i)), v));
		__m128i sum = _mm_sad_epu8(acc, _mm_setzero_si128());
		k += (size_t)_mm_cvtsi128_si32(sum) + (size_t)_mm_extract_epi16(sum, 4);
	}
	return k + count_scalar(p + i, n - i, byte);
}

/* ---- AVX2: two 32-byte pieces --------------------------------------------- */

__attribute__((target("avx2"))) static inline uint64_t eq32(__m256i lo, __m256i hi, __m256i v)
{
	uint64_t m0 = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(lo, v));
	uint64_t m1 = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(hi, v));
	return m0 | m1 << 32;
}

__attribute__((target("avx2"))) static void classify_avx2(const char *p, char delim, pc_class *c)
{
	const __m256i lo = _mm256_loadu_si256((const __m256i *)(const void *)p);
	const __m256i hi = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32));
	c->lf = eq32(lo, hi, _mm256_set1_epi8('\n'));
	c->quote = eq32(lo, hi, _mm256_set1_epi8('"'));
	c->delim = eq32(lo, hi, _mm256_set1_epi8(delim));
	c->hash = eq32(lo, hi, _mm256_set1_epi8('#'));
	c->cr = eq32(lo, hi, _mm256_set1_epi8('\r'));
}

__attribute__((target("avx2,popcnt"))) static size_t count_avx2(const char *p, size_t n,
								  char byte)
{
	const __m256i v = _mm256_set1_epi8(byte);
	size_t k = 0, i = 0;
	for (; n - i >= 32; i += 32)
		k += (size_t)__builtin_popcount((unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(
			_mm256_loadu_si256((const __m256i *)(const void *)(p + i)), v)));
	return k + count_scalar(p + i, n - i, byte);
}

/* ---- AVX-512 BW: the whole window ----------------------------------------- */

__attribute__((target("avx512f,avx512bw"))) static void classify_avx512(const char *p, char delim,
									 pc_class *c)
{
	const __m512i w = _mm512_loadu_si512((const void *)p);
	c->lf = _mm512_cmpeq_epi8_mask(w, _mm512_set1_epi8('\n'));
	c->quote = _mm512_cmpeq_epi8_mask(w, _mm512_set1_epi8('"'));
	c->delim = _mm512_cmpeq_epi8_mask(w, _mm512_set1_epi8(delim));
	c->hash = _mm512_cmpeq_epi8_mask(w, _mm512_set1_epi8('#'));
	c->cr = _mm512_cmpeq_epi8_mask(w, _mm512_set1_epi8('\r'));
}

__attribute__((target("avx512f,avx512bw,popcnt"))) static size_t count_avx512(const char *p,
									     size_t n, char byte)
{
	const __m512i v = _mm512_set1_epi8(byte);
	size_t k = 0, i = 0;
	for (; n - i >= 64; i += 64)
		k += (size_t)__builtin_popcountll(
			_mm512_cmpeq_epi8_mask(_mm512_loadu_si512((const void *)(p + i)), v));
	return k + count_scalar(p + i, n - i, byte);
}

/* ---- the reader's stop on each vector path ------------------------------- */

static inline stop_masks stop_masks_sse2(const char *p)
{
	const __m128i a = _mm_loadu_si128((const __m128i *)(const void *)p);
	const __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(p + 16));
	const __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + 32));
	const __m128i y = _mm_loadu_si128((const __m128i *)(const void *)(p + 48));
	return (stop_masks){ eq16(a, b, x, y, _mm_set1_epi8('\n')),
			     eq16(a, b, x, y, _mm_set1_epi8('"')),
			     eq16(a, b, x, y, _mm_set1_epi8('#')) };
}

static const char *stop_sse2(const char *p, const char *end, const char **last_lf)
{
	return stop_with(stop_masks_sse2, p, end, last_lf);
}

__attribute__((target("avx2"))) static inline stop_masks stop_masks_avx2(const char *p)
{
	const __m256i lo = _mm256_loadu_si256((const __m256i *)(const void *)p);
	const __m256i hi = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32));
	return (stop_masks){ eq32(lo, hi, _mm256_set1_epi8('\n')),
			     eq32(lo, hi, _mm256_set1_epi8('"')),
			     eq32(lo, hi, _mm256_set1_epi8('#')) };
}

__attribute__((target("avx2"))) static const char *stop_avx2(const char *p, const char *end,
							       const char **last_lf)
{
	return stop_with(stop_masks_avx2, p, end, last_lf);
}

__attribute__((target("avx512f,avx512bw"))) static inline stop_masks
stop_masks_avx512(const char *p)
{
	const __m512i w = _mm512_loadu_si512((const void *)p);
	return (stop_masks){ _mm512_cmpeq_epi8_mask(w, _mm512_set1_epi8('\n')),
			     _mm512_cmpeq_epi8_mask(w, _mm512_set1_epi8('"')),
			     _mm512_cmpeq_epi8_mask(w, _mm512_set1_epi8('#')) };
}

__attribute__((target("avx512f,avx512bw"))) static const char *
stop_avx512(const char *p, const char *end, const char **last_lf)
{
	return stop_with(stop_masks_avx512, p, end, last_lf);
}

#endif /* PC_HAVE_X86_SIMD */

/* ---- the choice ----------------------------------------------------------- */

typedef size_t count_fn(const char *p, size_t n, char byte);
typedef const char *stop_fn(const char *p, const char *end, const char **last_lf);

/* The three parts of one path: classify, count and the reader's stop. */
static bool path_code(pc_simd path, pc_classify_fn **classify, count_fn **count, stop_fn **stop)
{
	if (!pc_simd_supported(path))
		return false;
	switch (path) {
	case PC_SIMD_SCALAR:
		*classify = classify_scalar;
		*count = count_scalar;
		*stop = stop_scalar;
		return true;
#ifdef PC_HAVE_X86_SIMD
	case PC_SIMD_SSE2:
		*classify = classify_sse2;
		*count = count_sse2;
		*stop = stop_sse2;
		return true;
	case PC_SIMD_AVX2:
		*classify = classify_avx2;
		*count = count_avx2;
		*stop = stop_avx2;
		return true;
	case PC_SIMD_AVX512:
		*classify = classify_avx512;
		*count = count_avx512;
		*stop = stop_avx512;
		return true;
#endif
	default:
		return false;
	}
}

pc_classify_fn *pc_classify_kernel(pc_simd path)
{
	pc_classify_fn *classify;
	count_fn *count;
	stop_fn *stop;
	return path_code(path, &classify, &count, &stop) ? classify : NULL;
}

static void classify_first(const char *p, char delim, pc_class *c);
static size_t count_first(const char *p, size_t n, char byte);
static const char *stop_first(const char *p, const char *end, const char **last_lf);

/* The path in force, resolved on the first call (classify_first,
 * count_first, stop_first). */
static pc_classify_fn *classify_now = classify_first;
static count_fn *count_now = count_first;
static stop_fn *stop_now = stop_first;
static pc_simd classify_level = PC_SIMD_PATHS;

static int set_path(pc_simd path)
{
	pc_classify_fn *classify;
	count_fn *count;
	stop_fn *stop;
	if (!path_code(path, &classify, &count, &stop))
		return -1;
	__atomic_store_n(&classify_level, path, __ATOMIC_RELAXED);
	__atomic_store_n(&count_now, count, __ATOMIC_RELAXED);
	__atomic_store_n(&stop_now, stop, __ATOMIC_RELAXED);
	__atomic_store_n(&classify_now, classify, __ATOMIC_RELAXED);
	return 0;
}

/* The widest path at or below pc_simd_current() that has code here. */
static void resolve(void)
{
	pc_simd path = pc_simd_current();
	while (set_path(path) != 0)
		path--;   /* the scalar path always has code */
}

static void classify_first(const char *p, char delim, pc_class *c)
{
	resolve();
	__atomic_load_n(&classify_now, __ATOMIC_RELAXED)(p, delim, c);
}

static size_t count_first(const char *p, size_t n, char byte)
{
	resolve();
	return __atomic_load_n(&count_now, __ATOMIC_RELAXED)(p, n, byte);
}

static const char *stop_first(const char *p, const char *end, const char **last_lf)
{
	resolve();
	return __atomic_load_n(&stop_now, __ATOMIC_RELAXED)(p, end, last_lf);
}

const char *pc_classify_stop(const char *p, const char *end, const char **last_lf)
{
	return __atomic_load_n(&stop_now, __ATOMIC_RELAXED)(p, end, last_lf);
}

size_t pc_classify_count(const char *p, size_t n, char byte)
{
	return __atomic_load_n(&count_now, __ATOMIC_RELAXED)(p, n, byte);
}

void pc_classify(const char *p, char delim, pc_class *c)
{
	__atomic_load_n(&classify_now, __ATOMIC_RELAXED)(p, delim, c);
}

void pc_classify_tail(const char *p, size_t n, char delim, pc_class *c)
{
	char window[PC_CLASS_WINDOW];
	/* the bytes past n must match no class: a NUL matches none but a NUL
	 * delimiter, whose bits from n up are cleared below */
	memset(window, 0, sizeof window);
	memcpy(window, p, n);
	pc_classify(window, delim, c);
	c->delim &= pc_mask_below((unsigned)n);
}

int pc_classify_use(pc_simd path)
{
	return set_path(path);
}

pc_simd pc_classify_path(void)
{
	if (__atomic_load_n(&classify_level, __ATOMIC_RELAXED) == PC_SIMD_PATHS)
		resolve();
	return __atomic_load_n(&classify_level, __ATOMIC_RELAXED);
}
