/* reader.h - cut an input stream into blocks that end on row boundaries.
 *
 * Several files are read in order as one stream ("-" is standard input).  A
 * block holds whole rows of one file (rows end by the grammar of rows.h),
 * except that a row longer than a block is cut after a comma outside
 * quotes: the block then has `continues` set and the next one `continued`,
 * and the scorer carries the row across.  A framing line (#pc:... with no
 * comma, at a row start) is a block of its own, so data blocks never hold
 * one.  The reader knows nothing of numbers, and never prints: what goes
 * wrong (a file that cannot be opened or read, a field too long to hold)
 * travels as a block of its own kind, in its place in the stream, so that
 * whoever reports problems reports the first one in input order.
 *
 * With a header (pc_reader_set_format), each file's first line, up to its
 * first LF whatever it holds, is a block of its own kind, unless it is a
 * framing line: a chunk says itself whether its input had one (header=1).
 * The field separator is ',' or the one -t chose; within a chunk it is
 * the one its #pc:chunk line names (delim=), so a chunk reads the same
 * whatever options its reader was given.  Each block says which it is.
 *
 * Within a chunk (between a #pc:chunk and a #pc:end line) a row whose quote
 * never closes runs to the chunk's #pc:end line, when that line is the
 * file's last: that is where pc-split put it, and the row is still bad.  */
#ifndef PC_READER_H
#define PC_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
	PC_BLOCK_ROWS,  /* data rows (possibly blank lines) */
	PC_BLOCK_FRAME, /* one framing line, without its LF (a CR before it stays) */
	PC_BLOCK_HEADER, /* a file's header line (with its LF, if it has one) */
	PC_BLOCK_FIELD_TOO_LONG, /* a field over the limit: the stream ends here */
	PC_BLOCK_IO_ERROR,       /* data: what failed ("cannot open 'x'"), error: errno;
				    the stream ends here */
} pc_block_kind;

typedef struct {
	pc_block_kind kind;
	uint64_t seq;       /* 0, 1, 2, ... in stream order */
	const char *file;   /* display name of the file; valid while the reader is */
	bool file_start;    /* first block of its file: line numbers restart */
	bool continued;     /* data[0] is in the middle of a row, at a field's start */
	bool continues;     /* the last row goes on in the next block */
	bool file_end;      /* last block of its file (the row ends here at the latest) */
	char delim;         /* the field separator of its rows (',' by default) */
	int error;          /* PC_BLOCK_IO_ERROR: the errno */
	char *data;         /* then PC_BLOCK_PAD NUL bytes */
	size_t len;
	char *mem;          /* the allocation data points into */
	size_t cap;
} pc_block;

/* Can this block be scored anywhere, in any order?  Framing lines, errors
 * and the blocks of a row longer than a block (which need the row carried
 * in) are handled in stream order by whoever reads. */
static inline bool pc_block_independent(const pc_block *blk)
{
	return blk->kind == PC_BLOCK_ROWS && !blk->continued && !blk->continues;
}

typedef struct pc_reader pc_reader;

/* Files are opened lazily, in order; block_size is a target, not a limit. */
pc_reader *pc_reader_new(char **files, int nfiles, size_t block_size);
/* Before the first block: each file's first line is a header (--header),
 * and the field separator outside chunks (-t; ',' by default, or 0). */
void pc_reader_set_format(pc_reader *r, bool header, char delim);
/* For a reader that is done with each block before it asks for the next
 * (pc-merge): from now on a ROWS block is lent, not copied.  Its data
 * point into the reader's buffer, valid until the next pc_reader_next()
 * call, and are not followed by NUL bytes (data[len] is the next byte of
 * the input, or beyond it): such a block is not for pc_score_block(). */
void pc_reader_lend(pc_reader *r);
/* Fill *blk with the next block (its memory is reused, grown or swapped).
 * Returns 1 for a block, 0 at the end of the stream. */
int pc_reader_next(pc_reader *r, pc_block *blk);
/* Sum of the sizes of the inputs when all are regular files, else 0. */
uint64_t pc_reader_total_size(const pc_reader *r);
void pc_reader_free(pc_reader *r);

void pc_block_init(pc_block *blk);
void pc_block_free(pc_block *blk);
/* Make blk->mem hold n bytes and the padding; blk->data = blk->mem. */
void pc_block_reserve(pc_block *blk, size_t n);
/* Set blk->len = n and zero the padding after it. */
void pc_block_set_len(pc_block *blk, size_t n);

/* "PROGRAM: cannot open 'x': No such file or directory" for an I/O error block. */
void pc_block_report_io(const pc_block *blk);
/* The message for a PC_BLOCK_FIELD_TOO_LONG block (without position). */
#define PC_FIELD_TOO_LONG_MSG "a field longer than 64 MiB (an unterminated quote?)"

/* NUL bytes after a block's data, data[len .. len + PC_BLOCK_PAD - 1]:
 * the parser's sentinel at data[len], then room for the loads that start
 * at or before it (the name scan's 16 bytes reach data[len + 15]; the
 * SWAR number parse loads 8); the last byte is spare. */
#define PC_BLOCK_PAD 17

/* Longest single field (e.g. a quoted name) a block may grow to hold. */
#define PC_FIELD_MAX ((size_t)64 << 20)

#endif
