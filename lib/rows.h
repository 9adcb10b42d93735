/* rows.h - the one row grammar (SPEC 2): where a row begins and ends.
 *
 * Every program that needs to know where rows end asks here: the reader
 * (to cut blocks), the scorer (to skip a bad row), pc-split (to count and
 * cut rows) and pc-merge (to count a chunk's rows).  So pc-split's rows=,
 * the scorer's scored + rejected and pc-merge's checks agree by
 * construction.
 *
 * The rule: a row begins at a line start that is not a blank line ("\n" or
 * "\r\n" alone, or a lone CR that is the input's last byte) and ends at the
 * first LF outside a quoted section, or where the input ends.  A '"' opens
 * a quoted section only at the start of a field (a row's start, or after a
 * comma), after optional blanks; inside, '""' is a quote and '"' followed
 * by anything else closes the section.  Any other '"' is a stray quote: it
 * makes the row bad (the scorer says so) but opens nothing, so the bad row
 * still ends at its line feed.  CRs never decide where a row ends.
 *
 * The field separator is a comma unless -t chose another byte (`delim`,
 * cli.h says which bytes may be one): every "comma" above is then that
 * byte, and a TAB that separates fields is no blank.                    */
#ifndef PC_ROWS_H
#define PC_ROWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Where in a row a scan stands. */
typedef enum {
	PC_FIELD_START,  /* at a field's start (or a row's), maybe after blanks */
	PC_FIELD_TEXT,   /* in an unquoted field, or in text after a closing quote */
	PC_FIELD_QUOTED, /* inside a quoted section */
	PC_FIELD_CLOSED, /* just past a quote that closed one: '"' here is '""' */
} pc_field_state;

/* A blank around a number: a space, or a TAB unless TAB is the delimiter. */
static inline bool pc_blank(char c, char delim)
{
	return c == ' ' || (c == '\t' && delim != '\t');
}

/*
 * Scan a row from p, in state *st.  Returns the LF that ends the row (and
 * sets *st to PC_FIELD_START for the next row), or NULL when p..end ends
 * first, with *st the state at end, so that a scan of the next bytes can
 * go on from there.
 */
const char *pc_row_scan(pc_field_state *st, const char *p, const char *end, char delim);

/*
 * For a row longer than a block: one past the last delimiter outside quotes
 * in p..end (which holds no row end), scanning from state st; NULL if none.
 */
const char *pc_row_last_delim(pc_field_state st, const char *p, const char *end, char delim);

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

/* The LFs in p..end. */
uint64_t pc_count_lf(const char *p, const char *end);

/* A row in progress across calls: in_row false (and field START) between rows. */
typedef struct {
	bool in_row;
	pc_field_state field;
} pc_row_pos;

/*
 * Count the rows that begin in p..end, going on from *pos (and leaving in
 * it where p..end ends).  `final` as for pc_blank_line().  When `blanks`
 * is not NULL, add to it the blank lines met.
 */
uint64_t pc_rows_count(const char *p, const char *end, bool final, pc_row_pos *pos,
		       uint64_t *blanks, char delim);
/* The same, and when `lines` is not NULL, add to it the LFs in p..end
 * (pc_count_lf()): one pass for both. */
uint64_t pc_rows_count_lines(const char *p, const char *end, bool final, pc_row_pos *pos,
			     uint64_t *blanks, char delim, uint64_t *lines);

#endif
