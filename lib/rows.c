/* rows.c - find row ends by quote parity: memchr for LFs and first quotes,
 * a word-wise count from there. */
#include <config.h>

#include <string.h>

#include "rows.h"

bool pc_quotes_odd(const char *p, const char *end)
{
	/* Eight bytes at a time: x has a zero byte where a quote was, and t a
	 * clear high bit exactly there (no carry crosses bytes).  The parity
	 * of a sum of popcounts is the parity of the popcount of the XOR. */
	const uint64_t quotes = 0x2222222222222222u, low7 = 0x7f7f7f7f7f7f7f7fu;
	uint64_t marks = 0;
	bool odd = false;

	for (; end - p >= 8; p += 8) {
		uint64_t w;
		memcpy(&w, p, sizeof w);
		uint64_t x = w ^ quotes;
		marks ^= ~(((x & low7) + low7) | x) & ~low7;
	}
	for (; p < end; p++)
		odd ^= *p == '"';
	return odd ^ (__builtin_popcountll(marks) & 1);
}

pc_row_state pc_row_rest(const char *p, const char *end, const char **next)
{
	/* Line by line: an LF ends the row when the quotes since the row's
	 * start are even.  A memchr or two per line and a counting pass from
	 * its first quote, however many quoted fields the line has. */
	bool odd = false;

	for (;;) {
		const char *lf = memchr(p, '\n', (size_t)(end - p));
		const char *stop = lf ? lf : end;
		const char *quote = memchr(p, '"', (size_t)(stop - p));   /* most lines have none */
		if (quote)
			odd ^= pc_quotes_odd(quote, stop);
		if (!lf) {
			*next = end;
			return odd ? PC_ROW_QUOTED : PC_ROW_OPEN;
		}
		if (!odd) {
			*next = lf + 1;
			return PC_ROW_ENDED;
		}
		p = lf + 1;   /* an LF inside quotes */
	}
}

uint64_t pc_rows_count(const char *p, const char *end, bool final, bool *in_row)
{
	uint64_t rows = 0;

	if (*in_row) {
		if (pc_row_rest(p, end, &p) != PC_ROW_ENDED)
			return 0;
		*in_row = false;
	}
	while (p < end) {
		size_t blank = pc_blank_line(p, end, final);
		if (blank) {
			p += blank;
			continue;
		}
		rows++;
		if (pc_row_rest(p, end, &p) != PC_ROW_ENDED) {
			*in_row = true;
			break;
		}
	}
	return rows;
}
