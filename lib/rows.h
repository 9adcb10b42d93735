/* rows.h - walk CSV rows the way the scorer counts them.
 *
 * A row ends at the first LF outside quotes; a blank line ("\n" or
 * "\r\n" alone) is not a row.  pc-split's rows= and pc-merge's check of
 * scored= rely on counting exactly as pc_score_block() does.           */
#ifndef PC_ROWS_H
#define PC_ROWS_H

#include <stdbool.h>
#include <stddef.h>

/* p starts a line (at even quote parity).  Returns the end of its row, just
 * past the LF, or NULL when the row does not end before `end`.  *blank is
 * set when the line is blank (then it is no row). */
const char *pc_row_end(const char *p, const char *end, bool *blank);

/* The same from the middle of a row (after a comma outside quotes). */
const char *pc_row_rest(const char *p, const char *end);

#endif
