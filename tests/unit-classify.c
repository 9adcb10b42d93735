/* unit-classify.c - the byte classifier and what is built on it.
 *
 * Every path of the classifier this processor runs against a naive byte
 * loop, on random and awkward windows at every alignment; then the row
 * counter (pc_rows_count_lines, pc_count_lf) on each path against a
 * row-by-row model made of pc_row_scan() and pc_blank_line() alone, as
 * rows.c counted before it had masks; then the reader's blocks with each
 * path forced are the same blocks.                                      */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "classify.h"
#include "reader.h"
#include "rows.h"
#include "tap.h"

static const char delims[] = { ',', ';', '\t', '|' };

/* The definition: bit i of a mask for byte p[i]. */
static pc_class naive(const char *p, size_t n, char delim)
{
	pc_class c = { 0 };
	for (size_t i = 0; i < n; i++) {
		uint64_t bit = (uint64_t)1 << i;
		c.lf |= p[i] == '\n' ? bit : 0;
		c.quote |= p[i] == '"' ? bit : 0;
		c.delim |= p[i] == delim ? bit : 0;
		c.hash |= p[i] == '#' ? bit : 0;
		c.cr |= p[i] == '\r' ? bit : 0;
	}
	return c;
}

static bool same(const pc_class *a, const pc_class *b)
{
	return a->lf == b->lf && a->quote == b->quote && a->delim == b->delim &&
	       a->hash == b->hash && a->cr == b->cr;
}

/* A byte that is often structural: the test's alphabet. */
static char awkward(char delim)
{
	static const char some[] = "\n\"#\r,;\t| a1\0\xff";
	unsigned r = (unsigned)(rnd() % 24);
	if (r < sizeof some - 1)
		return some[r];
	if (r == 23)
		return delim;
	return (char)rnd();   /* any byte at all */
}

static void fill_random(char *p, size_t n, char delim, int mode)
{
	for (size_t i = 0; i < n; i++) {
		switch (mode) {
		case 0:
			p[i] = awkward(delim);
			break;
		case 1:
			p[i] = (char)rnd();
			break;
		default:   /* CSV-like: mostly letters, digits, commas, LFs */
			p[i] = "abc123,,\n\"  #\r"[rnd() % 14];
			if (p[i] == ',')
				p[i] = delim;
		}
	}
}

/* Each path, whole windows and tails, every alignment of a 64-byte window
 * in a larger buffer. */
static void kernels(void)
{
	char buf[64 + 128];
	for (pc_simd path = PC_SIMD_SCALAR; path < PC_SIMD_PATHS; path++) {
		pc_classify_fn *fn = pc_classify_kernel(path);
		if (!fn) {
			printf("# %s: not run by this processor\n", pc_simd_name(path));
			continue;
		}
		int bad = 0, tried = 0;
		for (int round = 0; round < 3000; round++) {
			char delim = delims[round % 4];
			fill_random(buf, sizeof buf, delim, round % 3);
			if (round % 7 == 0)
				memset(buf, delim, sizeof buf);   /* every byte one class */
			if (round % 11 == 0)
				memset(buf, round % 2 ? '"' : '\n', sizeof buf);
			for (size_t at = 0; at < 64; at++) {
				pc_class want = naive(buf + at, 64, delim), got;
				fn(buf + at, delim, &got);
				bad += !same(&want, &got);
				tried++;
			}
		}
		ok(bad == 0, "%s: %d of %d windows differ from the byte loop", pc_simd_name(path),
		   bad, tried);

		/* through pc_classify() and pc_classify_tail(), lengths 0..64 */
		ok(pc_classify_use(path) == 0 && pc_classify_path() == path, "%s: forced",
		   pc_simd_name(path));
		bad = 0;
		for (int round = 0; round < 2000; round++) {
			/* and a NUL delimiter, which the padding of a tail must not
			 * match (no option makes one, but the kernel takes any byte) */
			char delim = round % 5 == 4 ? '\0' : delims[round % 4];
			fill_random(buf, sizeof buf, delim, round % 3);
			size_t n = (size_t)(rnd() % 65), at = (size_t)(rnd() % 64);
			pc_class want = naive(buf + at, n, delim), got;
			pc_classify_upto(buf + at, n, delim, &got);
			bad += !same(&want, &got);
		}
		ok(bad == 0, "%s: %d windows of 0 to 64 bytes differ", pc_simd_name(path), bad);
	}
	/* counting one byte over a stretch: lengths 0..300 at every
	 * alignment, and long runs of that byte alone (a byte lane of the
	 * SSE2 sum holds 255 at most) */
	static char big[20000];
	for (pc_simd path = PC_SIMD_SCALAR; path < PC_SIMD_PATHS; path++) {
		if (pc_classify_use(path) != 0)
			continue;
		int bad = 0;
		for (int round = 0; round < 3000; round++) {
			char byte = round % 5 ? '\n' : delims[round % 4];
			size_t n = (size_t)(rnd() % 301), at = (size_t)(rnd() % 64);
			fill_random(big, n + at, byte, round % 3);
			size_t want = 0;
			for (size_t i = 0; i < n; i++)
				want += big[at + i] == byte;
			bad += pc_classify_count(big + at, n, byte) != want;
		}
		for (size_t n = 4000; n <= sizeof big; n += 4001) {
			memset(big, '\n', sizeof big);
			bad += pc_classify_count(big, n, '\n') != n;
			bad += pc_classify_count(big + 1, n - 1, '\n') != n - 1;
		}
		ok(bad == 0, "%s: counts of one byte as the byte loop's (%d differ)", pc_simd_name(path),
		   bad);
	}
	/* the reader's stop: the first quote or '#' after an LF, and the
	 * last LF before it, over stretches of 0..300 bytes */
	for (pc_simd path = PC_SIMD_SCALAR; path < PC_SIMD_PATHS; path++) {
		if (pc_classify_use(path) != 0)
			continue;
		int bad = 0, stops = 0;
		for (int round = 0; round < 20000; round++) {
			size_t n = (size_t)(rnd() % 301), at = (size_t)(rnd() % 64);
			fill_random(big, n + at + 64, ',', round % 3);
			if (round % 5 == 0)   /* long plain stretches: few stops */
				for (size_t i = 0; i < n; i++)
					if (big[at + i] == '"' || big[at + i] == '#')
						big[at + i] = round % 10 ? 'x' : '\n';
			const char *p = big + at, *end = p + n;
			const char *want_lf = big, *want = end;
			for (const char *q = p; q < end; q++) {
				if (*q == '"' || (*q == '#' && q > p && q[-1] == '\n')) {
					want = q;
					break;
				}
				if (*q == '\n')
					want_lf = q;
			}
			const char *got_lf = big;
			const char *got = pc_classify_stop(p, end, &got_lf);
			bad += got != want || got_lf != want_lf;
			stops += want != end;
		}
		ok(bad == 0, "%s: the reader's stop as the byte loop's (%d of 20000 differ, %d stopped)",
		   pc_simd_name(path), bad, stops);
	}
	pc_classify_fn *none = pc_classify_kernel(PC_SIMD_PATHS);
	ok(none == NULL && pc_classify_use(PC_SIMD_PATHS) == -1, "no path past the widest");
}

/* ---- the row counter ------------------------------------------------------ */

/* rows.c's counting before masks: one row at a time. */
static uint64_t model_count(const char *p, const char *end, bool final, pc_row_pos *pos,
			    uint64_t *blanks, char delim, uint64_t *lines)
{
	uint64_t rows = 0;
	for (const char *q = p; q < end; q++)
		*lines += *q == '\n';
	if (pos->in_row) {
		const char *lf = pc_row_scan(&pos->field, p, end, delim);
		if (!lf)
			return 0;
		p = lf + 1;
		pos->in_row = false;
	}
	while (p < end) {
		size_t blank = pc_blank_line(p, end, final);
		if (blank) {
			++*blanks;
			p += blank;
			continue;
		}
		rows++;
		pos->field = PC_FIELD_START;
		const char *lf = pc_row_scan(&pos->field, p, end, delim);
		if (!lf) {
			pos->in_row = true;
			break;
		}
		p = lf + 1;
	}
	return rows;
}

/* Text for the counter: rows with quotes at field starts and elsewhere,
 * blank lines, CRs, '#', NULs, long plain stretches. */
static size_t make_rows(char *p, size_t cap, char delim)
{
	static const char *const pieces[] = {
		"\n", "\r\n", "\r", "\"", "\"\"", " \"", "#", "#pc:end x\n", "\0", "a", "12",
		"\"a\nb\"", "\"x\"\"y\"", "x\"y", "\t", " ", "\n\n", "\r\r\n",
	};
	size_t n = 0;
	while (n < cap) {
		unsigned r = (unsigned)(rnd() % 24);
		const char *s;
		size_t len;
		char one[2] = { delim, 0 };
		if (r < sizeof pieces / sizeof pieces[0]) {
			s = pieces[r];
			len = r == 8 ? 1 : strlen(s);
		} else if (r < 22) {
			s = one;
			len = 1;
		} else {
			/* a long plain stretch: many windows without a quote */
			size_t k = (size_t)(rnd() % 150);
			for (size_t i = 0; i < k && n < cap; i++) {
				char ch = "abcdefgh,1\n"[rnd() % 11];
				p[n++] = ch == ',' ? delim : ch;
			}
			continue;
		}
		for (size_t i = 0; i < len && n < cap; i++)
			p[n++] = s[i];
	}
	return n;
}

static void counter(void)
{
	static char text[4096];
	for (pc_simd path = PC_SIMD_SCALAR; path < PC_SIMD_PATHS; path++) {
		if (pc_classify_use(path) != 0)
			continue;
		int bad = 0, tried = 0;
		for (int round = 0; round < 4000; round++) {
			char delim = delims[round % 4];
			size_t cap = round % 5 ? (size_t)(rnd() % 301) : (size_t)(rnd() % sizeof text);
			size_t n = make_rows(text, cap, delim);
			bool final = rnd() % 2;
			/* one stretch, or cut in pieces at random places, going on
			 * from one call to the next as pc-merge does */
			pc_row_pos a = { 0 }, b = { 0 };
			uint64_t ra = 0, rb = 0, ba = 0, bb = 0, la = 0, lb = 0;
			size_t from = 0;
			while (from < n || from == 0) {
				size_t to = round % 3 ? n : from + (size_t)(rnd() % (n - from + 1));
				bool fin = final && to == n;
				ra += model_count(text + from, text + to, fin, &a, &ba, delim, &la);
				rb += pc_rows_count_lines(text + from, text + to, fin, &b, &bb, delim, &lb);
				if (to == n)
					break;
				from = to;
			}
			tried++;
			if (ra != rb || ba != bb || la != lb || a.in_row != b.in_row ||
			    a.field != b.field) {
				if (bad++ == 0)
					printf("# %s: rows %llu/%llu blanks %llu/%llu lfs %llu/%llu in_row %d/%d field %d/%d (%zu bytes, delim %d)\n",
					       pc_simd_name(path), (unsigned long long)ra,
					       (unsigned long long)rb, (unsigned long long)ba,
					       (unsigned long long)bb, (unsigned long long)la,
					       (unsigned long long)lb, a.in_row, b.in_row, a.field,
					       b.field, n, delim);
			}
			uint64_t lf = 0;
			for (size_t i = 0; i < n; i++)
				lf += text[i] == '\n';
			if (pc_count_lf(text, text + n) != lf)
				bad++;
		}
		ok(bad == 0, "%s: rows, blank lines, LFs and the state at the end as the row-by-row count (%d of %d texts differ)",
		   pc_simd_name(path), bad, tried);
	}
}

/* ---- the reader ----------------------------------------------------------- */

/* The blocks of `text` read with block size bs, as one string of
 * "kind len flags\n" lines and the bytes. */
static void blocks_of(const char *text, size_t n, size_t bs, pc_buf *out)
{
	char path[] = "/tmp/pc-unit-classify.XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0 || write(fd, text, n) != (ssize_t)n) {
		perror("mkstemp");
		exit(2);
	}
	close(fd);
	char *files[] = { path };
	pc_reader *r = pc_reader_new(files, 1, bs);
	pc_block blk;
	pc_block_init(&blk);
	while (pc_reader_next(r, &blk) > 0) {
		char head[96];
		int k = snprintf(head, sizeof head, "%d %zu %d%d%d %d\n", (int)blk.kind, blk.len,
				 blk.continued, blk.continues, blk.file_end, blk.delim);
		pc_buf_add(out, head, (size_t)k);
		pc_buf_add(out, blk.data, blk.len);
	}
	pc_block_free(&blk);
	pc_reader_free(r);
	unlink(path);
}

static void reader(void)
{
	static char text[6000];
	int bad = 0, tried = 0;
	for (int round = 0; round < 300; round++) {
		size_t n = make_rows(text, (size_t)(rnd() % sizeof text), ',');
		/* framing lines at line starts, some of them chunks with delim= */
		for (int k = 0; k < 3 && n > 80; k++) {
			size_t at = (size_t)(rnd() % (n - 70));
			const char *f = rnd() % 2 ? "\n#pc:chunk v=1 id=0123456789abcdef index=1 delim=;\n"
						  : "\n#pc:end v=1 id=0123456789abcdef index=1 rows=0\n";
			memcpy(text + at, f, strlen(f));
		}
		size_t bs = 4 + (size_t)(rnd() % 300);
		pc_buf want, got;
		pc_buf_init(&want);
		pc_classify_use(PC_SIMD_SCALAR);
		blocks_of(text, n, bs, &want);
		for (pc_simd path = PC_SIMD_SSE2; path < PC_SIMD_PATHS; path++) {
			if (pc_classify_use(path) != 0)
				continue;
			pc_buf_init(&got);
			blocks_of(text, n, bs, &got);
			tried++;
			if (got.len != want.len || memcmp(got.data, want.data, want.len) != 0)
				bad++;
			pc_buf_free(&got);
		}
		pc_buf_free(&want);
	}
	ok(bad == 0, "the reader cuts the same blocks on every path (%d of %d differ)", bad, tried);
}

/* A framing line after rows of every length, so that its '#' falls at
 * every offset of a window and its LF on either side of a window's end:
 * it comes as a block of its own, on every path, and a '#' that is not at
 * a line start, or is in a row, does not. */
static void frames_everywhere(void)
{
	static const char frame[] = "#pc:end v=1 id=0123456789abcdef index=1 rows=0";
	int bad = 0, tried = 0;
	for (pc_simd path = PC_SIMD_SCALAR; path < PC_SIMD_PATHS; path++) {
		if (pc_classify_use(path) != 0)
			continue;
		for (size_t len = 1; len <= 200; len++) {
			for (int variant = 0; variant < 3; variant++) {
				pc_buf text, blocks;
				pc_buf_init(&text);
				pc_buf_init(&blocks);
				/* rows of `len` bytes with their LF, one of them a '#' row */
				for (size_t i = 0; i + 1 < len; i++)
					pc_buf_addc(&text, i == len / 2 ? '#' : variant == 2 ? ',' : 'x');
				pc_buf_addc(&text, '\n');
				if (variant == 1)
					pc_buf_add(&text, "#x,1\n", 5);   /* a row that begins with '#' */
				pc_buf_add(&text, frame, sizeof frame - 1);
				pc_buf_add(&text, variant ? "\r\nb,2\n" : "\nb,2\n", variant ? 6 : 5);
				for (size_t bs = 7; bs <= 4096; bs *= 8) {
					pc_buf_free(&blocks);
					pc_buf_init(&blocks);
					blocks_of(text.data, text.len, bs, &blocks);
					/* the one FRAME block: kind 1, its line with the CR */
					char want[128];
					int n = snprintf(want, sizeof want, "\n1 %zu 000 44\n%s%s0 ",
							 sizeof frame - 1 + (variant != 0), frame,
							 variant ? "\r" : "");
					tried++;
					const char *at = memmem(blocks.data, blocks.len, want, (size_t)n);
					if (!at || memmem(at + 1, blocks.len - (size_t)(at + 1 - blocks.data),
							  "\n1 ", 3)) {
						if (bad++ == 0)
							printf("# %s: len %zu variant %d bs %zu: no frame block, or more\n",
							       pc_simd_name(path), len, variant, bs);
					}
				}
				pc_buf_free(&text);
				pc_buf_free(&blocks);
			}
		}
	}
	ok(bad == 0, "a framing line at every offset is a block of its own (%d of %d wrong)", bad,
	   tried);
}

int main(void)
{
	tap_rng_state = 7;
	kernels();
	counter();
	reader();
	frames_everywhere();
	return tap_done();
}
