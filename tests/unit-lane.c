/* unit-lane.c - the closed form's lane on every SIMD path, against a
 * plain parse of the bytes it says it took, and each path against the
 * scalar one: where it stops, the row's end, the count and the largest two,
 * with ',', ';', TAB and '|' between the numbers. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "lane.h"
#include "score.h"
#include "tap.h"

/* A numeric field, mostly plain; sometimes something the lane must not
 * take (a blank, a quote, a CR, an empty field, 2^64, 21 digits). */
static size_t put_field(char *o, int shape)
{
	static const char *const odd[] = { " 5", "\"7\"", "5\r", "", "18446744073709551616",
					   "999999999999999999999", "1x", "-3", "+4", "\t9" };
	char tmp[32];
	uint64_t v;
	switch (shape == 0 ? (int)(rnd() % 8) : shape) {
	case 1: v = rnd() % 100; break;
	case 2: v = rnd() >> (rnd() % 64); break;   /* any length up to 20 digits */
	case 3: v = UINT64_MAX - rnd() % 3; break;
	case 4: {   /* leading zeros */
		size_t n = (size_t)snprintf(tmp, sizeof tmp, "00%llu", (unsigned long long)(rnd() % 1000));
		memcpy(o, tmp, n);
		return n;
	}
	case 5:
		if (rnd() % 16 == 0) {
			const char *s = odd[rnd() % (sizeof odd / sizeof odd[0])];
			memcpy(o, s, strlen(s));
			return strlen(s);
		}
		v = rnd() % 1000;
		break;
	default: v = rnd() % (rnd() % 2 ? 100 : 100000); break;
	}
	size_t n = (size_t)snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)v);
	memcpy(o, tmp, n);
	return n;
}

/* What the lane must have done over p..stop: every field in it plain
 * digits below 2^64 followed by the delimiter or (last) '\n'. */
static int check_taken(const char *p, const char *stop, char delim, const char *row_end,
		       pc_closed want, const pc_closed *got)
{
	const char *q = p;
	while (q < stop) {
		uint64_t v = 0;
		const char *f = q;
		for (; *q >= '0' && *q <= '9'; q++) {
			if (v > (UINT64_MAX - (uint64_t)(*q - '0')) / 10)
				return 0;
			v = v * 10 + (uint64_t)(*q - '0');
		}
		if (q == f || (*q != delim && *q != '\n'))
			return 0;
		want.count++;
		if (v > want.b) {
			want.b = v > want.a ? want.a : v;
			want.a = v > want.a ? v : want.a;
		}
		if (*q == '\n')
			if (q != row_end || q + 1 != stop)
				return 0;
		q++;
	}
	if (row_end && (stop == p || stop[-1] != '\n'))
		return 0;
	return q == stop && got->count == want.count && got->a == want.a && got->b == want.b;
}

int main(void)
{
	enum { CAP = 4096 };
	char *buf = malloc(CAP + 256);
	int bad_taken = 0, bad_path = 0, slow = 0, runs = 0;

	static const char delims[] = ",,,;\t|";
	for (int t = 0; t < 20000; t++) {
		int shape = (int)(rnd() % 7);
		char delim = delims[rnd() % (sizeof delims - 1)];
		size_t skew = rnd() % 64, len = skew;   /* every alignment */
		memset(buf, 'x', skew);
		size_t nf = 1 + rnd() % 300;
		for (size_t i = 0; i < nf && len < CAP - 64; i++) {
			len += put_field(buf + len, shape);
			buf[len++] = i + 1 == nf ? '\n' : delim;
		}
		if (rnd() % 4 == 0)   /* more rows after it */
			for (size_t i = 0; i < 20 && len < CAP - 64; i++) {
				len += put_field(buf + len, shape);
				buf[len++] = rnd() % 5 ? delim : '\n';
			}
		memset(buf + len, 0, 200);
		pc_closed init;
		pc_closed_init(&init);
		init.b = 3 + rnd() % (rnd() % 2 ? 100 : 1000000);
		init.a = init.b + rnd() % 3 * (rnd() % 1000);
		init.count = 2;
		const char *p = buf + skew, *end = buf + len;

		pc_closed ref = init;
		const char *ref_lf = NULL;
		const char *ref_stop = pc_lane_on(PC_SIMD_SCALAR, p, end, delim, &ref, &ref_lf);
		runs++;
		if (!check_taken(p, ref_stop, delim, ref_lf, init, &ref))
			bad_taken++;
		/* on a plain row it goes on to the row's end or the last 64 bytes */
		if (shape == 1 && !ref_lf && end - ref_stop > 64 + 21)
			slow++;
		for (pc_simd path = PC_SIMD_SSE2; path < PC_SIMD_PATHS; path++) {
			if (!pc_simd_supported(path))
				continue;
			pc_closed st = init;
			const char *lf = NULL;
			const char *stop = pc_lane_on(path, p, end, delim, &st, &lf);
			if (stop != ref_stop || lf != ref_lf || st.count != ref.count || st.a != ref.a ||
			    st.b != ref.b)
				bad_path++;
		}
	}
	ok(bad_taken == 0, "scalar lane: what it took parses as it says, %d runs (%d bad)", runs,
	   bad_taken);
	ok(slow == 0, "scalar lane: plain rows taken to their end or the last window (%d stopped early)",
	   slow);
	for (pc_simd path = PC_SIMD_SSE2; path < PC_SIMD_PATHS; path++)
		if (!pc_simd_supported(path))
			printf("# %s: not run by this processor\n", pc_simd_name(path));
	ok(bad_path == 0, "every path this processor runs agrees with the scalar one (%d differ)",
	   bad_path);
	free(buf);

	/* skip mode keeps at most PC_ERRORS_MAX bad rows a result, also for
	 * rows the fast row hands to parse_values() after its first numbers */
	const char *shapes[] = { "a,1,1,1,1,1,1,1,1,x\n", "a,1,1,1,1,1,1,x,1\n", "a,1,x\n" };
	for (size_t k = 0; k < 3; k++) {
		size_t n = 3 * PC_ERRORS_MAX, len = strlen(shapes[k]);
		pc_block blk;
		pc_block_init(&blk);
		pc_block_reserve(&blk, n * len);
		for (size_t i = 0; i < n; i++)
			memcpy(blk.data + i * len, shapes[k], len);
		pc_block_set_len(&blk, n * len);
		blk.file_end = true;
		pc_score_opts o = { .method = PC_METHOD_CLOSED, .skip = true };
		pc_carry carry;
		pc_result res;
		pc_carry_init(&carry);
		pc_result_init(&res);
		pc_score_block(&o, &blk, &carry, &res);
		ok(res.nerrors == PC_ERRORS_MAX && res.used == PC_ERRORS_MAX * len,
		   "skip mode: %s rows stop a result at %d bad rows (%zu kept, %zu bytes used)",
		   k == 0 ? "long bad" : k == 1 ? "eight-number bad" : "short bad", PC_ERRORS_MAX,
		   res.nerrors, res.used);
		pc_result_free(&res);
		pc_carry_free(&carry);
		pc_block_free(&blk);
	}
	return tap_done();
}
