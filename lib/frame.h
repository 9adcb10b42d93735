/* frame.h - the chunk framing lines of SPEC 5.
 *
 *   #pc:chunk v=1 id=<16 hex> index=<i> [count=<n>] [file=<name> line=<l>]
 *             [header=1] [delim=%XX]
 *   #pc:end v=1 id=<16 hex> index=<i> rows=<r> [scored=<s> rejected=<e>] [last=1]
 */
#ifndef PC_FRAME_H
#define PC_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

typedef enum { PC_FRAME_CHUNK, PC_FRAME_END } pc_frame_type;

typedef struct {
	pc_frame_type type;
	char id[17];          /* 16 lower-case hex digits */
	uint64_t index;       /* from 1 */
	uint64_t count;       /* header: chunks in the run, 0 when unknown */
	/* header: where the chunk's data starts in the user's input (0.2):
	 * file= is the name percent-encoded (pc_frame_encode_name), so the
	 * line keeps its key=value form; line 0 when not given */
	const char *file_enc; /* parse: a slice of the line; format: as is */
	size_t file_enc_len;
	uint64_t line;
	/* header (0.2): the input had a header line (not in the chunk), and
	 * the rows' field separator, percent-encoded; 0 (absent) is ',' */
	bool header;
	char delim;
	uint64_t rows;        /* trailer: data rows in the chunk */
	bool scored_counts;   /* trailer: has scored= and rejected= */
	uint64_t scored, rejected;
	bool last;            /* trailer: the run's final chunk */
} pc_frame;

/* Parse one framing line (no line ending).  Returns 0, or -1 with *why. */
int pc_frame_parse(const char *line, size_t len, pc_frame *f, const char **why);
/* Append the line for f, with its LF. */
void pc_frame_format(const pc_frame *f, pc_buf *out);

/* A file name for file=: bytes other than letters, digits and "-._~/+@:"
 * become %XX.  And back: returns -1 for a malformed %. */
void pc_frame_encode_name(const char *name, pc_buf *out);

/* May c separate fields (-t)?  One byte that is no digit, no quote, no
 * line end and no byte a framing line can hold (letters, space, "#:=%"
 * and the plain bytes of file=), so that a data row and a framing line
 * can never be confused: TAB, or one of !$&'()*,;<>?[\]^`{|}. */
bool pc_frame_delim_ok(char c);
int pc_frame_decode_name(const char *enc, size_t n, pc_buf *out);

#endif
