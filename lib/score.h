/* score.h - turn a block of CSV rows into scored output (SPEC 1-3).
 *
 * pc_score_block() is a pure function of the block and the row carried in
 * from the previous block (only for rows longer than a block); so blocks may
 * be scored in any order, on any thread or rank, and the output is the same.
 * Line numbers in the result are relative to the block; the sink, which
 * sees blocks in order, makes them absolute.  The pieces: field.c (the
 * field grammar), lane.c (the SIMD lane of the closed form), rows.c (where
 * rows end), kernel.c (the power couple of a row).                      */
#ifndef PC_SCORE_H
#define PC_SCORE_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "kernel.h"
#include "reader.h"

typedef struct {
	pc_method method;
	bool skip;        /* --on-error=skip: keep going past bad rows */
	bool keep_rejects; /* copy bad rows verbatim into result.rejects */
} pc_score_opts;

/* One bad row. */
typedef struct {
	uint64_t dline;  /* lines after the block's first line */
	uint64_t col;    /* byte column; on the block's first line, from data[0] */
	char msg[160];   /* "what is wrong (what was found)" */
} pc_error;

typedef struct {
	pc_buf out;            /* scored rows: name,x,y LF */
	pc_buf rejects;        /* bad rows, verbatim */
	pc_error *errors;      /* in input order */
	size_t nerrors, errors_cap;
	uint64_t rows;         /* data rows finished in this block */
	uint64_t scored, rejected;
	uint64_t nlines;       /* line feeds in the block */
	uint64_t tail;         /* bytes after the block's last line feed */
	bool stopped;          /* fail mode: scoring stopped at errors[0] */
	size_t used;           /* bytes of the block this result covers: less than
				  len when PC_ERRORS_MAX bad rows filled it (skip
				  mode); the rest, from a row start, is scored next */
} pc_result;

/* Bad rows one result holds at most, so that skip mode's memory stays
 * bounded however many bad rows a block has. */
#define PC_ERRORS_MAX 4096

/* A row in progress across blocks. */
typedef struct {
	bool active;        /* a row is open */
	bool bad;           /* it already failed; skip to its end */
	pc_buf name;        /* the output name (a copy of its input form) */
	pc_buf raw;         /* its bytes so far, when rejects are kept */
	pc_closed closed;
	uint64_t *values;   /* exhaustive: the row so far */
	size_t nvalues, values_cap;
} pc_carry;

void pc_result_init(pc_result *res);
void pc_result_reset(pc_result *res);
void pc_result_free(pc_result *res);
void pc_carry_init(pc_carry *c);
void pc_carry_free(pc_carry *c);

/*
 * Score one block into res (reset first).  Of the block it reads exactly:
 *   kind       only PC_BLOCK_ROWS is scored; any other kind gives an empty
 *              result (the sink deals with framing and errors);
 *   data, len  the bytes, with PC_BLOCK_PAD NUL bytes after them;
 *   continued  data[0] goes on with the row in *carry (else *carry is
 *              ignored and overwritten);
 *   continues  a row still open at len goes on in the next block, so it
 *              is carried, not ended;
 *   file_end   len is the end of a file: a lone CR just before it ends the
 *              last line (SPEC 2);
 *   delim      the field separator (',' or -t's), in the output too.
 * Nothing else (seq, file, file_start, error) changes the result, so a
 * block scored on another thread or rank gives the same bytes.  *carry is
 * read and written only for blocks that are continued or continue.
 */
void pc_score_block(const pc_score_opts *o, const pc_block *blk,
		    pc_carry *carry, pc_result *res);

#endif
