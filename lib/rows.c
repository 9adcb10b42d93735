/* rows.c - find row ends by quote parity, as the reader cuts blocks. */
#include <config.h>

#include <string.h>

#include "rows.h"

const char *pc_row_rest(const char *p, const char *end)
{
	for (;;) {
		const char *lf = memchr(p, '\n', (size_t)(end - p));
		if (!lf)
			return NULL;
		const char *quote = memchr(p, '"', (size_t)(lf - p));
		if (!quote)
			return lf + 1;
		/* skip the quoted part: an LF inside it ends nothing */
		const char *close = memchr(quote + 1, '"', (size_t)(end - quote - 1));
		if (!close)
			return NULL;
		p = close + 1;
	}
}

const char *pc_row_end(const char *p, const char *end, bool *blank)
{
	*blank = true;
	if (p < end && *p == '\n')
		return p + 1;
	if (end - p >= 2 && p[0] == '\r' && p[1] == '\n')
		return p + 2;
	*blank = false;
	return pc_row_rest(p, end);
}
