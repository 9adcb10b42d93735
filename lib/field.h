/* field.h - the field grammar of SPEC 2, for the block scorer.
 *
 * A parser walks one block (score.c); these functions parse one field at
 * P->p by every rule of the input format (names quoted or not, numbers with
 * blanks, quotes and leading zeros) and record bad rows with their
 * position.  Where a row ENDS is not decided here but in rows.h: a field
 * that goes wrong leaves P->p at its start, a field's start, from where
 * the scorer skips the rest of the row by the one row grammar.  Private to
 * the scorer (field.c, score.c).                                         */
#ifndef PC_FIELD_H
#define PC_FIELD_H

#include <stdbool.h>
#include <stdint.h>

#include "score.h"

typedef struct {
	const pc_score_opts *o;
	const pc_block *blk;
	pc_carry *row;          /* the row in progress: kernel state, values */
	pc_result *res;
	const char *p, *end;
	char delim;             /* the field separator: blk->delim */
	const char *line_start; /* first byte of the current line (or data[0]) */
	const char *row_start;  /* first byte of the row in this block */
	uint64_t dline;
	/* where the last row ending (LF, CRLF or end of data) was */
	const char *eol, *eol_line_start;
	uint64_t eol_dline;
	/* the line state at the row's start, to rescan a bad name */
	const char *row_line_start;
	uint64_t row_dline;
	/* the name of the row in progress, in output form (a slice of the input) */
	const char *name;
	size_t name_len;
	/* the closed form's guess at a row's runner-up, from the row before
	 * (see lane_guessed in score.c): 0, none */
	uint64_t guess;
} pc_parser;

/* What ended a field or a row. */
enum {
	PC_END_COMMA,   /* a field ended at a comma (the delimiter) */
	PC_END_ROW,     /* the row ended */
	PC_END_BLOCK,   /* the block ended inside the row: carry it on */
	PC_END_ERROR,   /* a bad field: P->p is at its start, the rest of the row is to skip */
	PC_END_SHORT,   /* the row ended with fewer than two numbers */
};

static inline void pc_parser_newline(pc_parser *P, const char *lf)
{
	P->dline++;
	P->line_start = lf + 1;
}

/* A CR that is the input's last byte ends its line: the input is a CRLF
 * file that lost only its final LF.  (pc-split, which must end every
 * chunk's last row before its trailer, makes the same CR a CRLF.) */
static inline bool pc_cr_at_input_end(const pc_parser *P, const char *q)
{
	return *q == '\r' && q + 1 == P->end && P->blk->file_end;
}

/* The name field at P->p (a row's start).  Returns PC_END_COMMA with P->p
 * past the comma, or PC_END_ERROR / PC_END_SHORT (recorded). */
int pc_parse_name(pc_parser *P);
/* A numeric field at P->p, by every rule; *value on success.  Returns
 * PC_END_COMMA or PC_END_ROW with P->p past the field's end, or
 * PC_END_ERROR (recorded) with P->p unmoved. */
int pc_parse_field(pc_parser *P, uint64_t *value);
/* Record that the row that just ended had fewer than two numbers. */
int pc_fail_short_row(pc_parser *P);

#endif
