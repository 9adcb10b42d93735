/* rows.c - the one row grammar: memchr for line feeds and quotes, and a
 * decision at each quote.  Counting rows and line feeds goes 64 bytes at a
 * time (classify.h) up to a quote, and hands the row of each quote to the
 * byte-wise pc_row_scan(). */
#include <config.h>

#include <string.h>

#include "classify.h"
#include "rows.h"

/* Does the quote at q (outside quotes, in a scan that began at p in state
 * st) open a quoted section?  Only at a field's start, after blanks. */
static bool opens(pc_field_state st, const char *p, const char *q, char delim)
{
	const char *b = q;
	while (b > p && pc_blank(b[-1], delim))
		b--;
	if (b > p)
		return b[-1] == delim;
	return st == PC_FIELD_START;
}

/* The state at end after p..end, which holds no quote and no LF. */
static pc_field_state plain_tail(pc_field_state st, const char *p, const char *end,
				  char delim)
{
	const char *b = end;
	while (b > p && pc_blank(b[-1], delim))
		b--;
	if (b > p)
		return b[-1] == delim ? PC_FIELD_START : PC_FIELD_TEXT;
	if (end == p)
		return st;
	/* only blanks: still at a field's start, or text after a close */
	return st == PC_FIELD_START ? PC_FIELD_START : PC_FIELD_TEXT;
}

/* Past the quote at q, met outside quotes: the new state. */
static pc_field_state at_quote(pc_field_state st, const char *p, const char *q, char delim)
{
	if (st == PC_FIELD_CLOSED && q == p)
		return PC_FIELD_QUOTED;   /* "" inside a quoted section */
	return opens(st, p, q, delim) ? PC_FIELD_QUOTED : PC_FIELD_TEXT;   /* else stray */
}

/* Inside a quoted section at p: just past its closing quote (the state is
 * then PC_FIELD_CLOSED), or NULL when p..end ends first. */
static const char *past_close(const char *p, const char *end)
{
	const char *close = memchr(p, '"', (size_t)(end - p));
	return close ? close + 1 : NULL;
}

const char *pc_row_scan(pc_field_state *st, const char *p, const char *end, char delim)
{
	pc_field_state s = *st;

	while (p < end) {
		if (s == PC_FIELD_QUOTED) {
			if (!(p = past_close(p, end)))
				break;
			s = PC_FIELD_CLOSED;
			continue;
		}
		const char *lf = memchr(p, '\n', (size_t)(end - p));
		const char *stop = lf ? lf : end;
		const char *q = memchr(p, '"', (size_t)(stop - p));
		if (!q) {
			if (lf) {
				*st = PC_FIELD_START;
				return lf;
			}
			s = plain_tail(s, p, end, delim);
			p = end;
			break;
		}
		s = at_quote(s, p, q, delim);
		p = q + 1;
	}
	*st = s;
	return NULL;
}

const char *pc_row_last_delim(pc_field_state st, const char *p, const char *end, char delim)
{
	const char *last = NULL;

	while (p < end) {
		if (st == PC_FIELD_QUOTED) {
			if (!(p = past_close(p, end)))
				break;
			st = PC_FIELD_CLOSED;
			continue;
		}
		const char *q = memchr(p, '"', (size_t)(end - p));
		const char *stop = q ? q : end;
		const char *comma = memrchr(p, delim, (size_t)(stop - p));
		if (comma)
			last = comma + 1;
		if (!q)
			break;
		st = at_quote(st, p, q, delim);
		p = q + 1;
	}
	return last;
}

/* How far count_plain() came. */
typedef struct {
	uint64_t rows, blanks, lfs;
	const char *quote;   /* the first quote, or NULL: count_plain went to end */
	const char *row;     /* the start of the quote's row; without a quote,
				the start of the row going on at end, or NULL */
} plain_count;

/*
 * From the line start p, up to the first quote or end: add the rows, the
 * blank lines and the LFs there to *k, and say where it stopped.
 *
 * Outside quotes every LF ends a row, so the line starts of a window are
 * its LFs shifted up by one (and p itself); one of them is a blank line
 * when its byte is an LF, a CR before an LF, or (final) a CR that is the
 * last byte.  Up to the first quote, a row is a line start that is no
 * blank line: a popcount.  The row of the quote is the last line start at
 * or before it: a blank line holds no quote, and ends before the next
 * line start.
 */
static void count_plain(const char *p, const char *end, bool final, char delim, plain_count *k)
{
	uint64_t carry = 1;   /* p is a line start */
	const char *last = NULL;   /* the last line start so far */

	k->quote = k->row = NULL;
	for (; p < end; p += PC_CLASS_WINDOW) {
		size_t n = (size_t)(end - p);
		pc_class c;
		pc_classify_upto(p, n, delim, &c);
		const uint64_t valid = pc_mask_below(n < 64 ? (unsigned)n : 64);
		const uint64_t starts = ((c.lf << 1) | carry) & valid;
		uint64_t lf_next = c.lf >> 1;   /* bit i: p[i + 1] is an LF */
		if (n > 64 && p[64] == '\n')
			lf_next |= (uint64_t)1 << 63;
		uint64_t blank = c.lf | (c.cr & lf_next);
		if (final && n <= 64)
			blank |= c.cr & ((uint64_t)1 << (n - 1));   /* a lone CR at the very end */
		uint64_t upto = valid, lfs = c.lf;
		if (c.quote) {
			unsigned q = pc_mask_first(c.quote);
			upto = pc_mask_below(q + 1);
			lfs &= pc_mask_below(q);
			k->quote = p + q;
		}
		const uint64_t s = starts & upto;
		k->rows += pc_mask_count(s & ~blank);
		if (s & blank)
			k->blanks += pc_mask_count(s & blank);
		k->lfs += pc_mask_count(lfs);
		if (s)
			last = p + pc_mask_last(s);
		if (c.quote) {
			k->row = last;
			return;
		}
		carry = c.lf >> 63;
	}
	/* the last line goes on at end unless it ended (with an LF) or is blank */
	if (last && end[-1] != '\n' && !(final && last == end - 1 && *last == '\r'))
		k->row = last;
}

uint64_t pc_rows_count_lines(const char *p, const char *end, bool final, pc_row_pos *pos,
			     uint64_t *blanks, char delim, uint64_t *lines)
{
	plain_count k = { 0 };

	if (pos->in_row) {
		const char *lf = pc_row_scan(&pos->field, p, end, delim);
		k.lfs = pc_count_lf(p, lf ? lf + 1 : end);
		p = lf ? lf + 1 : end;
		pos->in_row = !lf;
	}
	while (p < end) {
		count_plain(p, end, final, delim, &k);
		if (!k.quote) {
			if (k.row) {
				/* no LF and no quote from there: only the state moves */
				pos->in_row = true;
				pos->field = PC_FIELD_START;
				pc_row_scan(&pos->field, k.row, end, delim);
			}
			break;
		}
		pos->field = PC_FIELD_START;
		const char *lf = pc_row_scan(&pos->field, k.row, end, delim);
		k.lfs += pc_count_lf(k.quote, lf ? lf + 1 : end);
		if (!lf) {
			pos->in_row = true;
			break;
		}
		p = lf + 1;
	}
	if (blanks)
		*blanks += k.blanks;
	if (lines)
		*lines += k.lfs;
	return k.rows;
}

uint64_t pc_rows_count(const char *p, const char *end, bool final, pc_row_pos *pos,
		       uint64_t *blanks, char delim)
{
	return pc_rows_count_lines(p, end, final, pos, blanks, delim, NULL);
}

uint64_t pc_count_lf(const char *p, const char *end)
{
	return p < end ? pc_classify_count(p, (size_t)(end - p), '\n') : 0;
}
