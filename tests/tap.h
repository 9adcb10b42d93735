/* tap.h - a few lines of TAP for the C unit tests. */
#ifndef PC_TAP_H
#define PC_TAP_H

#include <stdint.h>
#include <stdio.h>

static int tap_count, tap_failed;

#define ok(cond, ...)                                                       \
	do {                                                                \
		int ok_ = (cond);                                           \
		printf("%sok %d - ", ok_ ? "" : "not ", ++tap_count);       \
		printf(__VA_ARGS__);                                        \
		printf("\n");                                               \
		if (!ok_) {                                                 \
			tap_failed++;                                       \
			printf("# failed at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
		}                                                           \
	} while (0)

/* A seeded generator (splitmix64), so every run tests the same cases. */
static uint64_t tap_rng_state = 42;

static inline uint64_t rnd(void)
{
	uint64_t z = (tap_rng_state += 0x9E3779B97F4A7C15u);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
	return z ^ (z >> 31);
}

static inline int tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed ? 1 : 0;
}

#endif
