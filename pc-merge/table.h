/* table.h - pc-merge's chunks that wait or went wrong, by index.
 *
 * An open-addressing hash table keyed by chunk index (indexes count from
 * 1, so 0 marks a free slot).  A chunk below the next index to write was
 * written and is not kept here.                                          */
#ifndef PC_MERGE_TABLE_H
#define PC_MERGE_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"

typedef enum {
	CHUNK_COMING,   /* being read */
	CHUNK_WAITING,  /* complete, kept until its turn */
	CHUNK_DROPPED,  /* complete, its rows thrown away: the run had failed */
	CHUNK_WRITTEN,
	CHUNK_BAD,      /* truncated or inconsistent (reported) */
} chunk_state;

typedef struct {
	uint64_t index;    /* 0: a free slot (indexes count from 1) */
	chunk_state state;
	bool spilled;      /* its rows are in the spill file, not in mem */
	pc_buf mem;        /* its rows, when not spilled */
	uint64_t off, len; /* where in the spill file */
} chunk;

typedef struct {
	chunk *slot;
	size_t cap, used;  /* cap is a power of two */
} chunk_table;

chunk *chunk_find(const chunk_table *t, uint64_t index);
/* A new entry (index not in the table); earlier pointers become stale. */
chunk *chunk_add(chunk_table *t, uint64_t index, chunk_state state);
void chunk_table_free(chunk_table *t);

#endif
