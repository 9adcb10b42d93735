/* rows.c - the one row grammar: memchr for line feeds and quotes, and a
 * decision at each quote. */
#include <config.h>

#include <string.h>

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

uint64_t pc_rows_count(const char *p, const char *end, bool final, pc_row_pos *pos,
		       uint64_t *blanks, char delim)
{
	uint64_t rows = 0;

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
			if (blanks)
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

uint64_t pc_count_lf(const char *p, const char *end)
{
	uint64_t n = 0;
	for (; (p = memchr(p, '\n', (size_t)(end - p))); p++)
		n++;
	return n;
}
