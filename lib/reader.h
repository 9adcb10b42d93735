/* reader.h - cut an input stream into blocks that end on row boundaries.
 *
 * Several files are read in order as one stream ("-" is standard input).  A
 * block holds whole rows of one file, except that a row longer than a block
 * is cut after a comma outside quotes: the block then has `continues` set
 * and the next one `continued`, and the scorer carries the row across.
 * A framing line (#pc:... with no comma, at a row start) is a block of its
 * own, so data blocks never hold one.  The reader knows nothing of numbers;
 * it only finds row boundaries (an LF after an even number of quotes).   */
#ifndef PC_READER_H
#define PC_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
	PC_BLOCK_ROWS,  /* data rows (possibly blank lines) */
	PC_BLOCK_FRAME, /* one framing line, without its line ending */
	PC_BLOCK_FIELD_TOO_LONG, /* a field over the limit: unrecoverable */
} pc_block_kind;

typedef struct {
	pc_block_kind kind;
	uint64_t seq;       /* 0, 1, 2, ... in stream order */
	const char *file;   /* display name of the file; valid while the reader is */
	bool file_start;    /* first block of its file: line numbers restart */
	bool continued;     /* data[0] is in the middle of a row */
	bool continues;     /* the last row goes on in the next block */
	bool file_end;      /* last block of its file (the row ends here at the latest) */
	char *data;         /* data[len .. len + PC_BLOCK_PAD] are NUL bytes */
	size_t len, cap;
} pc_block;

/* Can this block be scored anywhere, in any order?  Framing lines and the
 * blocks of a row longer than a block (which need the row carried in) are
 * handled in stream order by whoever reads. */
static inline bool pc_block_independent(const pc_block *blk)
{
	return blk->kind == PC_BLOCK_ROWS && !blk->continued && !blk->continues;
}

typedef struct pc_reader pc_reader;

/* Files are opened lazily, in order; block_size is a target, not a limit. */
pc_reader *pc_reader_new(char **files, int nfiles, size_t block_size);
/* Fill *blk with the next block (its buffer is reused or grown).
 * Returns 1 for a block, 0 at the end, -1 after an I/O error (reported). */
int pc_reader_next(pc_reader *r, pc_block *blk);
/* Sum of the sizes of the inputs when all are regular files, else 0. */
uint64_t pc_reader_total_size(const pc_reader *r);
void pc_reader_free(pc_reader *r);

void pc_block_init(pc_block *blk);
void pc_block_free(pc_block *blk);

/* Zero bytes after a block's data: a NUL sentinel for the parser, and
 * room for word-sized loads that run past the last field. */
#define PC_BLOCK_PAD 16

/* Longest single field (e.g. a quoted name) a block may grow to hold. */
#define PC_FIELD_MAX ((size_t)64 << 20)

#endif
