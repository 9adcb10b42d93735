/* rows.h - walk CSV rows by quote parity, counting them as the scorer does.
 *
 * A row begins at a line start outside quotes that is not a blank line
 * ("\n" or "\r\n" alone), and ends at the first LF after an even number of
 * quotes since it began, or where the input ends.  pc_score_block() counts
 * rows this way (a bad row is still a row), so pc-split's rows= and
 * pc-merge's check of scored= agree with the scorers by construction.   */
#ifndef PC_ROWS_H
#define PC_ROWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
	PC_ROW_ENDED,   /* at an LF outside quotes */
	PC_ROW_OPEN,    /* the bytes ran out at even quote parity */
	PC_ROW_QUOTED,  /* the bytes ran out inside quotes */
} pc_row_state;

/* Whether p..end holds an odd number of quotes ('"'); linear, word-wise. */
bool pc_quotes_odd(const char *p, const char *end);

/*
 * p is inside a row (or at its start) at even quote parity.  Sets *next
 * just past the LF that ends the row, or to `end` when it does not end
 * in p..end, and says which.
 */
pc_row_state pc_row_rest(const char *p, const char *end, const char **next);

/*
 * The length of the blank line at p (a line start), or 0 when a row
 * begins there.  `final` says that p..end is all the input left: a lone
 * CR there is blank too, since whoever adds the missing LF makes it "\r\n".
 */
static inline size_t pc_blank_line(const char *p, const char *end, bool final)
{
	if (p < end && p[0] == '\n')
		return 1;
	if (p < end && p[0] == '\r') {
		if (end - p >= 2 && p[1] == '\n')
			return 2;
		if (final && end - p == 1)
			return 1;
	}
	return 0;
}

/*
 * Count the rows that begin in p..end.  *in_row says on entry that p is in
 * the middle of a row begun before (at even parity), and on return that
 * the last row goes on past end.  `final` as for pc_blank_line().
 */
uint64_t pc_rows_count(const char *p, const char *end, bool final, bool *in_row);

#endif
