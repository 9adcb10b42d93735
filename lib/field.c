/* field.c - the field grammar: names, numbers, and what is wrong with them. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "field.h"
#include "rows.h"

#define U64_MAX_DIV10 1844674407370955161u  /* (2^64 - 1) / 10 */

/* Show up to 32 bytes of what was found, from `from` to the field's end. */
static void describe(char *out, size_t size, const char *from, const char *end, char delim)
{
	size_t n = 0;
	const char *p = from;
	out[n++] = '"';
	for (; p < end && *p != delim && *p != '\n' && p - from < 32; p++) {
		unsigned char c = (unsigned char)*p;
		if (n + 6 >= size)
			break;
		if (c == '"' || c == '\\')
			n += (size_t)snprintf(out + n, size - n, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			n += (size_t)snprintf(out + n, size - n, "\\x%02X", c);
		else
			out[n++] = (char)c;
	}
	if (p < end && *p != delim && *p != '\n' && n + 4 < size) {
		memcpy(out + n, "...", 3);
		n += 3;
	}
	out[n++] = '"';
	out[n] = '\0';
}

/* Record a bad row: "what (found)" at line dline, column of `at`. */
static int fail_in_line(pc_parser *P, uint64_t dline, const char *line_start,
			const char *at, const char *what, const char *found_from)
{
	pc_result *res = P->res;
	if (res->nerrors == res->errors_cap) {
		res->errors_cap = res->errors_cap ? 2 * res->errors_cap : 8;
		res->errors = pc_xrealloc(res->errors, res->errors_cap * sizeof *res->errors);
	}
	pc_error *e = &res->errors[res->nerrors++];
	e->dline = dline;
	e->col = (uint64_t)(at - line_start) + 1;
	char found[160];
	if (found_from)
		describe(found, sizeof found, found_from, P->end, P->delim);
	else
		snprintf(found, sizeof found, "found %zu",
			 P->o->method == PC_METHOD_EXHAUSTIVE ? P->row->nvalues
							       : (size_t)P->row->closed.count);
	snprintf(e->msg, sizeof e->msg, "%s (%s)", what, found);
	return PC_END_ERROR;
}

static int fail(pc_parser *P, const char *at, const char *what, const char *found_from)
{
	return fail_in_line(P, P->dline, P->line_start, at, what, found_from);
}

/* A row that ended too soon: the error is where its line ending is. */
int pc_fail_short_row(pc_parser *P)
{
	fail_in_line(P, P->eol_dline, P->eol_line_start, P->eol,
		     "fewer than two numbers", NULL);
	return PC_END_SHORT;
}

/* A NUL in d[from..to) is the real problem, whatever else is wrong there. */
static int fail_field(pc_parser *P, const char *from, const char *at, const char *what)
{
	for (const char *q = from; q < P->end && *q != P->delim && *q != '\n'; q++)
		if (*q == '\0')
			return fail(P, q, "NUL byte", q);
	return fail(P, at, what, at);
}

static inline bool at_field_end(const pc_parser *P, const char *q)
{
	return *q == P->delim || *q == '\n' || (*q == '\r' && q[1] == '\n') || q == P->end ||
	       pc_cr_at_input_end(P, q);
}

/* After a field: the delimiter or the row's end (LF, CRLF, end of the data). */
static int field_end(pc_parser *P, const char *q)
{
	if (*q == P->delim) {
		P->p = q + 1;
		return PC_END_COMMA;
	}
	P->eol = q;
	P->eol_dline = P->dline;
	P->eol_line_start = P->line_start;
	if (*q == '\n') {
		pc_parser_newline(P, q);
		P->p = q + 1;
		return PC_END_ROW;
	}
	if (*q == '\r' && q[1] == '\n') {
		pc_parser_newline(P, q + 1);
		P->p = q + 2;
		return PC_END_ROW;
	}
	if (pc_cr_at_input_end(P, q)) {
		P->p = P->end;
		return PC_END_ROW;
	}
	if (q == P->end) {
		P->p = q;
		return PC_END_ROW;
	}
	return -1;
}

/* A quoted number went wrong at q: a quote that never closes is the
 * problem when no quote follows (the row then runs to the input's end). */
static int fail_quoted(pc_parser *P, const char *f, const char *text, const char *q)
{
	if (!memchr(q, '"', (size_t)(P->end - q)))
		return fail(P, text, "unterminated quote", text);
	return fail_field(P, f, text, "not a number");
}

/*
 * A numeric field by every rule of SPEC 2: blanks around, an optional pair
 * of quotes (with blanks inside too), leading zeros.  P->p is its start.
 */
int pc_parse_field(pc_parser *P, uint64_t *value)
{
	const char *f = P->p, *q = f;
	bool quoted = false;

	while (pc_blank(*q, P->delim))
		q++;
	const char *text = q;
	if (*q == '"') {
		quoted = true;
		q++;
		while (pc_blank(*q, P->delim))
			q++;
	}
	const char *digits = q;
	uint64_t v = 0;
	for (unsigned d; (d = (unsigned char)*q - '0') <= 9; q++) {
		if (v >= U64_MAX_DIV10 && (v > U64_MAX_DIV10 || d > 5))
			return fail(P, text, "value over 18446744073709551615", text);
		v = v * 10 + d;
	}
	if (q == digits) {
		if (*q == '-')
			return fail_field(P, f, text, "negative value");
		if (*q == '+')
			return fail_field(P, f, text, "signed value");
		if (*q == '.' && (unsigned)((unsigned char)q[1] - '0') <= 9)
			return fail_field(P, f, text, "fractional value");
		if (quoted ? *q == '"' : at_field_end(P, q))
			return fail(P, f, "empty field", f);
		return quoted ? fail_quoted(P, f, text, q) : fail_field(P, f, text, "not a number");
	}
	if (*q == '.')
		return fail_field(P, f, text, "fractional value");
	while (pc_blank(*q, P->delim))
		q++;
	if (quoted) {
		if (*q != '"')
			return fail_quoted(P, f, text, q);
		q++;
		while (pc_blank(*q, P->delim))
			q++;
	}
	int end = field_end(P, q);
	if (end < 0)
		return fail_field(P, f, text, "not a number");
	*value = v;
	return end;
}

/*
 * The name field.  Its output form is always a slice of the input: a quoted
 * name that needs quoting is written exactly as it came ("" escapes and
 * all), one that does not is written without its quotes.
 */
/* An error at the name's start, which may lie lines above P->p. */
static int fail_name(pc_parser *P, const char *what)
{
	const char *f = P->row_start;
	return fail_in_line(P, P->row_dline, P->row_line_start, f, what, f);
}

int pc_parse_name(pc_parser *P)
{
	const char *f = P->p, *q = f;

	if (*q == '"') {
		bool special = false;
		for (q++;; q++) {
			const char *close = memchr(q, '"', (size_t)(P->end - q));
			if (!close)
				return fail_name(P, "unterminated quote");
			for (; q < close; q++) {
				if (*q == '\n') {
					pc_parser_newline(P, q);
					special = true;
				} else if (*q == P->delim || *q == '\r') {
					special = true;
				} else if (*q == '\0') {
					return fail(P, q, "NUL byte", q);
				}
			}
			if (close[1] != '"')
				break;
			special = true;   /* "" is a quote in the name */
			q = close + 1;
		}
		q++;   /* past the closing quote */
		P->name = special ? f : f + 1;
		P->name_len = (size_t)(special ? q - f : q - f - 2);
	} else {
		/* SPEC 2: a quote here opens nothing, a CR belongs only before an LF */
		for (;; q++) {
			char c = *q;
			if (c == P->delim || c == '\n' || (c == '\0' && q == P->end))
				break;
			if (c == '\r') {
				if (q[1] == '\n' || pc_cr_at_input_end(P, q))
					break;
				return fail_name(P, "CR inside an unquoted field");
			} else if (c == '"') {
				return fail_name(P, "quote inside an unquoted field");
			} else if (c == '\0') {
				return fail(P, q, "NUL byte", q);
			}
		}
		P->name = f;
		P->name_len = (size_t)(q - f);
	}
	int end = field_end(P, q);
	if (end < 0) {
		for (const char *n = q; n < P->end && *n != P->delim && *n != '\n'; n++)
			if (*n == '\0')
				return fail(P, n, "NUL byte", n);
		return fail_name(P, "text after a closing quote");
	}
	if (end == PC_END_ROW)
		return pc_fail_short_row(P);
	return end;
}
