/* api.c - the public API of libpowercouples (include/powercouples.h), on
 * the kernel (kernel.h) and the block scorer (score.h).
 *
 * A caller's buffer becomes one block, scored the way pc-score scores
 * one file in fail mode: the same parser, the same messages, the same
 * positions.  Nothing here is global: each call has its own block, result
 * and carry, so calls from any number of threads are independent.
 *
 * pc_kernel_init() is deliberately not called: it replaces GMP's memory
 * functions for the whole process, which a library must not do to a
 * program that may use GMP itself.  GMP's own allocator is used instead
 * (it aborts when memory runs out, where pc_xmalloc exits).          */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "powercouples.h"
#include "kernel.h"
#include "reader.h"
#include "rows.h"
#include "score.h"

const char *powercouples_version(void)
{
	return PACKAGE_VERSION;
}

static int to_method(int method, pc_method *m)
{
	switch (method) {
	case POWERCOUPLES_CLOSED:
		*m = PC_METHOD_CLOSED;
		return 0;
	case POWERCOUPLES_EXHAUSTIVE:
		*m = PC_METHOD_EXHAUSTIVE;
		return 0;
	}
	return -1;
}

int powercouples_row(const uint64_t *values, size_t k, int method,
		     uint64_t *x, uint64_t *y)
{
	pc_method m;
	if (!values || !x || !y || k < 2 || to_method(method, &m) != 0) {
		errno = EINVAL;
		return -1;
	}
	pc_couple c;
	if (m == PC_METHOD_EXHAUSTIVE) {
		c = pc_exhaustive(values, k);
	} else {
		pc_closed s;
		pc_closed_init(&s);
		for (size_t i = 0; i < k; i++)
			pc_closed_add(&s, values[i]);
		c = pc_closed_result(&s);
	}
	*x = c.x;
	*y = c.y;
	return 0;
}

/*
 * pc-score's reader takes a line that starts a row with "#pc:" and has no
 * comma as a framing line of pc-split's chunks; scored as a row it is
 * always bad (it has no numbers), so it can only be the first bad row.
 * Is the line at data[at] such a line, at a row start?  (Not when a
 * quoted field of an earlier row spans it.)
 */
static int framing_line_at(const char *data, size_t len, size_t at)
{
	const char *end = data + len, *line = data + at;
	if (len - at < 4 || memcmp(line, "#pc:", 4) != 0)
		return 0;
	const char *lf = memchr(line, '\n', len - at);
	if (memchr(line, ',', (size_t)((lf ? lf : end) - line)))
		return 0;
	const char *p = data;
	while (p < line) {
		pc_field_state st = PC_FIELD_START;
		const char *row_end = pc_row_scan(&st, p, end, ',');
		if (!row_end)
			return 0;
		p = row_end + 1;
	}
	return p == line;
}

/* Where line `dline` (0 for the first) of data[0..len) starts. */
static size_t line_start(const char *data, size_t len, uint64_t dline)
{
	size_t at = 0;
	for (; dline > 0; dline--) {
		const char *lf = memchr(data + at, '\n', len - at);
		if (!lf)
			break;
		at = (size_t)(lf - data) + 1;
	}
	return at;
}

/* The first bad row's "LINE:COL: message" into errbuf, as pc-score says it. */
static void describe_error(const pc_error *e, const char *data, size_t len,
			   char *errbuf, size_t errlen)
{
	uint64_t line = e->dline + 1, col = e->col;
	const char *msg = e->msg;
	if (framing_line_at(data, len, line_start(data, len, e->dline))) {
		col = 1;
		msg = "a framing line (#pc:...): pc-split's chunks are read by "
		      "pc-score, not by powercouples_csv";
	}
	if (errlen > 0)
		snprintf(errbuf, errlen, "%llu:%llu: %s", (unsigned long long)line,
			 (unsigned long long)col, msg);
}

int powercouples_csv(const char *data, size_t len, int method,
		     char **out, size_t *outlen, char *errbuf, size_t errlen)
{
	pc_method m;

	if (out)
		*out = NULL;
	if (outlen)
		*outlen = 0;
	if (errbuf && errlen > 0)
		errbuf[0] = '\0';
	if (!data || !out || !outlen || (!errbuf && errlen > 0) || to_method(method, &m) != 0) {
		errno = EINVAL;
		return -1;
	}
	/* a byte-order mark starts no row: pc-score's reader drops it, and
	 * columns count from after it */
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		len -= 3;
	}
	/* the scorer needs PC_BLOCK_PAD NUL bytes after the data */
	if (len > SIZE_MAX - PC_BLOCK_PAD) {
		errno = ENOMEM;
		return -1;
	}
	char *mem = malloc(len + PC_BLOCK_PAD);
	if (!mem) {
		errno = ENOMEM;
		return -1;
	}
	if (len > 0)
		memcpy(mem, data, len);
	memset(mem + len, 0, PC_BLOCK_PAD);

	pc_block blk;
	pc_block_init(&blk);
	blk.kind = PC_BLOCK_ROWS;
	blk.file = "-";
	blk.file_start = blk.file_end = true;   /* one whole input */
	blk.data = mem;
	blk.len = len;

	pc_score_opts o = { .method = m };   /* fail mode: stop at the first bad row */
	pc_carry carry;
	pc_result res;
	pc_carry_init(&carry);
	pc_result_init(&res);
	pc_score_block(&o, &blk, &carry, &res);

	int status = 0;
	if (res.nerrors > 0) {
		describe_error(&res.errors[0], mem, len, errbuf, errlen);
		status = 1;
	}
	/* hand the output over, NUL-terminated */
	size_t n = res.out.len;
	char *text = res.out.data;
	if (res.out.cap == n) {
		text = realloc(text, n + 1);
		if (!text) {
			status = -1;
			text = res.out.data;   /* still ours: pc_result_free frees it */
		}
	}
	if (status >= 0) {
		text[n] = '\0';
		res.out.data = NULL;
		pc_buf_init(&res.out);
		*out = text;
		*outlen = n;
	} else if (errbuf && errlen > 0) {
		errbuf[0] = '\0';
	}
	pc_result_free(&res);
	pc_carry_free(&carry);
	free(mem);
	if (status < 0)
		errno = ENOMEM;
	return status;
}

void powercouples_free(void *p)
{
	free(p);
}
