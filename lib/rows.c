/* rows.c - find row ends by quote parity, with memchr doing the scanning. */
#include <config.h>

#include <string.h>

#include "rows.h"

pc_row_state pc_row_rest(const char *p, const char *end, const char **next)
{
	/* The first LF from p; searched again only once a quoted stretch has
	 * gone past it, so that a row of many quotes costs one pass, not one
	 * pass per quote. */
	const char *lf = memchr(p, '\n', (size_t)(end - p));

	for (;;) {
		if (lf && lf < p)
			lf = memchr(p, '\n', (size_t)(end - p));
		const char *stop = lf ? lf : end;
		const char *quote = memchr(p, '"', (size_t)(stop - p));
		if (!quote) {
			*next = lf ? lf + 1 : end;
			return lf ? PC_ROW_ENDED : PC_ROW_OPEN;
		}
		/* a quoted stretch: LFs inside it end nothing ("" reopens it) */
		const char *close = memchr(quote + 1, '"', (size_t)(end - quote - 1));
		if (!close) {
			*next = end;
			return PC_ROW_QUOTED;
		}
		p = close + 1;
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
