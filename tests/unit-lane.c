/* unit-lane.c - the closed form's lane on every SIMD path, against a
 * plain parse of the bytes it says it took, and each path against the
 * scalar one: where it stops, the row's end, the count and the largest two,
 * with ',', ';', TAB and '|' between the numbers; the masks of short
 * rows on every path against the scalar ones; pc_score_block() on blocks
 * of short rows that end where the memory does. */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

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

/* The masks of the 64 bytes at p, byte by byte, from their definition,
 * and the value of the number of one or two digits at each digit (0 at
 * other bytes, where any value will do). */
static pc_row_masks masks_by_bytes(const char *p, char delim)
{
	pc_row_masks m = { 0, 0, 0, 0, { 0 } };
	for (unsigned i = 0; i < 64; i++) {
		uint64_t bit = (uint64_t)1 << i;
		char c = p[i];
		if (c >= '0' && c <= '9') {
			m.digit |= bit;
			m.value[i] = (uint8_t)(c - '0');
			if (p[i + 1] >= '0' && p[i + 1] <= '9')
				m.value[i] = (uint8_t)(10 * (c - '0') + (p[i + 1] - '0'));
		}
		if (c == delim)
			m.delim |= bit;
		if (c == '\n')
			m.lf |= bit;
		if (c == '\r' || c == '"' || c == '\0')
			m.odd |= bit;
	}
	return m;
}

/* Whether two masks of the same 64 bytes agree: every bit, and the value
 * at every digit. */
static int same_masks(const pc_row_masks *got, const pc_row_masks *want)
{
	if (got->digit != want->digit || got->delim != want->delim || got->lf != want->lf ||
	    got->odd != want->odd)
		return 0;
	for (unsigned i = 0; i < 64; i++)
		if ((want->digit >> i & 1) && got->value[i] != want->value[i])
			return 0;
	return 1;
}

/* Short rows, plain or now and then not, into o (at most 64 bytes). */
static size_t put_short_row(char *o, char delim)
{
	static const char name_bytes[] = "abxyz019 .-\"\r\xff";
	size_t n = 0, len = rnd() % (rnd() % 2 ? 12 : 44);
	for (size_t i = 0; i < len; i++)
		o[n++] = rnd() % 16 ? name_bytes[rnd() % 11] : name_bytes[rnd() % (sizeof name_bytes - 1)];
	for (size_t i = 0, k = 1 + rnd() % 5; i < k; i++) {
		o[n++] = delim;
		if (rnd() % 40)
			n += (size_t)snprintf(o + n, 8, "%u", (unsigned)(rnd() % (rnd() % 2 ? 5 : 100)));
	}
	o[n++] = '\n';
	return n;
}

/* pc_score_block() in skip mode on blk, the whole of one file, into res
 * (initialized here; the caller frees it). */
static void score_whole(pc_block *blk, pc_result *res)
{
	pc_score_opts o = { .method = PC_METHOD_CLOSED, .skip = true };
	pc_carry carry;
	blk->file_end = true;
	pc_carry_init(&carry);
	pc_result_init(res);
	pc_score_block(&o, blk, &carry, res);
	pc_carry_free(&carry);
}

/* pc_score_block() on the len bytes at text as one whole block: its
 * output (the caller frees it), and its block placed so that its
 * padding ends where readable memory does (guard, a page without access
 * after it), so that a load beyond the padding faults. */
static char *score_short(const char *text, size_t len, char delim, char *guard, size_t *out_len)
{
	pc_block blk;
	pc_block_init(&blk);
	blk.data = guard - PC_BLOCK_PAD - len;
	memcpy(blk.data, text, len);
	pc_block_set_len(&blk, len);
	blk.delim = delim;
	pc_result res;
	score_whole(&blk, &res);
	char *out = malloc(res.out.len + 1);
	if (res.out.len)   /* an empty block's output may have no memory */
		memcpy(out, res.out.data, res.out.len);
	*out_len = res.out.len;
	pc_result_free(&res);
	return out;   /* blk.mem is NULL: nothing of blk to free */
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
		pc_result res;
		score_whole(&blk, &res);
		ok(res.nerrors == PC_ERRORS_MAX && res.used == PC_ERRORS_MAX * len,
		   "skip mode: %s rows stop a result at %d bad rows (%zu kept, %zu bytes used)",
		   k == 0 ? "long bad" : k == 1 ? "eight-number bad" : "short bad", PC_ERRORS_MAX,
		   res.nerrors, res.used);
		pc_result_free(&res);
		pc_block_free(&blk);
	}
	/* the masks of short rows: every path as by the bytes themselves, on
	 * windows of digits, delimiters, LFs, CR, '"', NUL and others */
	/* (0x7F, 0x80, 0x8D, 0xA2 and 0xFF share a low nibble with NUL, CR or
	 * '"', or have the high bit: a look-up by nibble must not take them) */
	static const char window_bytes[] = "0123456789,;\t|\n\r\"\0ax \xff\x80\x7f\x8d\xa2\x0f/:";
	int bad_masks = 0;
	for (int t = 0; t < 20000; t++) {
		char w[65];   /* a window and the byte after it */
		char delim = delims[rnd() % (sizeof delims - 1)];
		for (int i = 0; i < 65; i++)
			w[i] = window_bytes[rnd() % (sizeof window_bytes - 1)];
		pc_row_masks want = masks_by_bytes(w, delim);
		for (pc_simd path = PC_SIMD_SCALAR; path < PC_SIMD_PATHS; path++) {
			pc_row_masks got;
			pc_row_masks_on(path)(w, delim, &got);
			if (!same_masks(&got, &want))
				bad_masks++;
		}
	}
	ok(bad_masks == 0, "the masks of short rows: every path as the bytes say (%d differ)", bad_masks);

	/* blocks of short rows of every length up to 600 bytes, ending where
	 * the memory does: every path writes what the scalar one does */
	long page = sysconf(_SC_PAGESIZE);
	char *map = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ok(map != MAP_FAILED && mprotect(map + page, (size_t)page, PROT_NONE) == 0,
	   "a page with no access after one that has");
	int bad_blocks = 0, blocks = 0;
	char text[700];
	for (size_t want_len = 0; want_len <= 600; want_len++) {
		char delim = delims[rnd() % (sizeof delims - 1)];
		size_t len = 0;
		while (len < want_len)
			len += put_short_row(text + len, delim);
		pc_simd_use(PC_SIMD_SCALAR);
		size_t ref_len;
		char *ref = score_short(text, len, delim, map + page, &ref_len);
		for (pc_simd path = PC_SIMD_SSE2; path < PC_SIMD_PATHS; path++) {
			if (!pc_simd_supported(path))
				continue;
			pc_simd_use(path);
			size_t got_len;
			char *got = score_short(text, len, delim, map + page, &got_len);
			blocks++;
			if (got_len != ref_len || memcmp(got, ref, ref_len) != 0)
				bad_blocks++;
			free(got);
		}
		free(ref);
	}
	ok(bad_blocks == 0, "short rows flush with the end of memory: %d blocks, %d differ from scalar",
	   blocks, bad_blocks);
	munmap(map, (size_t)page * 2);
	return tap_done();
}
