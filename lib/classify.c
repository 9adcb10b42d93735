/* classify.c - the structural bytes of a 64-byte window (classify.h), one
 * path per PC_SIMD level, and the choice among them made once.
 *
 * Each vector path compares the window with the five bytes in turn and
 * packs each comparison into a mask: AVX-512 BW compares all 64 bytes at
 * once into a mask register; AVX2 and SSE2 compare 32 and 16 bytes and
 * pack them with movemask, two and four pieces to a mask.  The scalar
 * path is the definition: bit i of a mask is set when p[i] is its byte. */
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

#endif /* PC_HAVE_X86_SIMD */

/* ---- the choice ----------------------------------------------------------- */

pc_classify_fn *pc_classify_kernel(pc_simd path)
{
	if (!pc_simd_supported(path))
		return NULL;
	switch (path) {
	case PC_SIMD_SCALAR:
		return classify_scalar;
#ifdef PC_HAVE_X86_SIMD
	case PC_SIMD_SSE2:
		return classify_sse2;
	case PC_SIMD_AVX2:
		return classify_avx2;
	case PC_SIMD_AVX512:
		return classify_avx512;
#endif
	default:
		return NULL;
	}
}

static void classify_first(const char *p, char delim, pc_class *c);

/* The path in force, resolved on the first call (classify_first). */
static pc_classify_fn *classify_now = classify_first;
static pc_simd classify_level = PC_SIMD_PATHS;

static void set_path(pc_simd path, pc_classify_fn *fn)
{
	__atomic_store_n(&classify_level, path, __ATOMIC_RELAXED);
	__atomic_store_n(&classify_now, fn, __ATOMIC_RELAXED);
}

/* The widest path at or below pc_simd_current() that has code here. */
static void resolve(void)
{
	pc_simd path = pc_simd_current();
	pc_classify_fn *fn;
	while (!(fn = pc_classify_kernel(path)))
		path--;   /* the scalar path always has code */
	set_path(path, fn);
}

static void classify_first(const char *p, char delim, pc_class *c)
{
	resolve();
	__atomic_load_n(&classify_now, __ATOMIC_RELAXED)(p, delim, c);
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
	pc_classify_fn *fn = pc_classify_kernel(path);
	if (!fn)
		return -1;
	set_path(path, fn);
	return 0;
}

pc_simd pc_classify_path(void)
{
	if (__atomic_load_n(&classify_level, __ATOMIC_RELAXED) == PC_SIMD_PATHS)
		resolve();
	return __atomic_load_n(&classify_level, __ATOMIC_RELAXED);
}
