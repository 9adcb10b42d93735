/* simd.h - which vector instructions the kernels use (PC_SIMD).
 *
 * Each kernel that has vector code (the exhaustive method's filter, the
 * closed form's lane, the reader's and the row counter's byte
 * classification) has one path per level below, and every path of a kernel
 * gives the same answers: the levels exist to run the widest the processor
 * has, and to test and time each.  A kernel without code of its own for a
 * level takes the next narrower one it has (the exhaustive method has no
 * SSE2 filter: it runs the scalar one there).
 *
 * The level is chosen once, from the environment variable PC_SIMD, by
 * pc_simd_init(); every kernel asks pc_simd_current().                  */
#ifndef PC_SIMD_H
#define PC_SIMD_H

#include <stdbool.h>

#if defined(__x86_64__) && defined(__GNUC__)
#define PC_HAVE_X86_SIMD 1
#endif

typedef enum {
	PC_SIMD_SCALAR,  /* plain C, any processor */
	PC_SIMD_SSE2,    /* x86-64's baseline */
	PC_SIMD_AVX2,
	PC_SIMD_AVX512,  /* AVX-512 F, BW and DQ */
	PC_SIMD_PATHS
} pc_simd;

/* "scalar", "sse2", "avx2", "avx512". */
const char *pc_simd_name(pc_simd p);
bool pc_simd_supported(pc_simd p);
/* NAME (a path's name; auto, empty or NULL: the widest this processor
 * runs) into *path: 0, -1 for an unknown name, -2 for a path this
 * processor does not run. */
int pc_simd_parse(const char *name, pc_simd *path);
/* Choose the path from the environment variable PC_SIMD, unless it is
 * chosen already; a bad value is reported and the program exits with
 * status 2.  pc_kernel_init() calls
 * it; without it, the first pc_simd_current() takes PC_SIMD if valid,
 * else the widest path. */
void pc_simd_init(void);
pc_simd pc_simd_current(void);
/* For tests and fuzzers, which drive every path in one process: take
 * path p from now on (one this processor runs; the scalar one if not). */
void pc_simd_use(pc_simd p);

#endif
