/* simd.c - choosing the vector path (see simd.h). */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "simd.h"

static const char *const simd_names[PC_SIMD_PATHS] = { "scalar", "sse2", "avx2", "avx512" };

const char *pc_simd_name(pc_simd p)
{
	return p < PC_SIMD_PATHS ? simd_names[p] : "?";
}

bool pc_simd_supported(pc_simd p)
{
	switch (p) {
	case PC_SIMD_SCALAR:
		return true;
#ifdef PC_HAVE_X86_SIMD
	case PC_SIMD_SSE2:
		return true;   /* every x86-64 has it */
	case PC_SIMD_AVX2:
		return __builtin_cpu_supports("avx2");
	case PC_SIMD_AVX512:
		return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
		       __builtin_cpu_supports("avx512dq");
#endif
	default:
		return false;
	}
}

static pc_simd widest_path(void)
{
	for (pc_simd p = PC_SIMD_PATHS; p-- > PC_SIMD_SCALAR;)
		if (pc_simd_supported(p))
			return p;
	return PC_SIMD_SCALAR;
}

int pc_simd_parse(const char *name, pc_simd *path)
{
	if (name == NULL || *name == '\0' || strcmp(name, "auto") == 0) {
		*path = widest_path();
		return 0;
	}
	for (pc_simd p = PC_SIMD_SCALAR; p < PC_SIMD_PATHS; p++)
		if (strcmp(name, simd_names[p]) == 0) {
			*path = p;
			return pc_simd_supported(p) ? 0 : -2;
		}
	return -1;
}

/* The path every kernel takes; PC_SIMD_PATHS until chosen. */
static pc_simd current_path = PC_SIMD_PATHS;

void pc_simd_init(void)
{
	if (__atomic_load_n(&current_path, __ATOMIC_RELAXED) != PC_SIMD_PATHS)
		return;   /* chosen already (or by pc_simd_use) */
	const char *env = getenv("PC_SIMD");
	pc_simd p;
	int rc = pc_simd_parse(env, &p);
	if (rc == -1) {
		pc_warn("PC_SIMD=%s: not a path (scalar, sse2, avx2, avx512 or auto)", env);
		exit(PC_EXIT_TROUBLE);
	}
	if (rc == -2) {
		pc_warn("PC_SIMD=%s: this processor does not run it", env);
		exit(PC_EXIT_TROUBLE);
	}
	__atomic_store_n(&current_path, p, __ATOMIC_RELAXED);
}

pc_simd pc_simd_current(void)
{
	pc_simd p = __atomic_load_n(&current_path, __ATOMIC_RELAXED);
	if (p == PC_SIMD_PATHS) {
		/* not chosen by pc_kernel_init() (a test, a fuzzer): PC_SIMD
		 * if it names a path this processor runs, else the widest */
		if (pc_simd_parse(getenv("PC_SIMD"), &p) != 0)
			p = widest_path();
		__atomic_store_n(&current_path, p, __ATOMIC_RELAXED);
	}
	return p;
}

void pc_simd_use(pc_simd p)
{
	__atomic_store_n(&current_path, pc_simd_supported(p) ? p : PC_SIMD_SCALAR, __ATOMIC_RELAXED);
}
