/* store.h - where pc-merge keeps the rows of chunks that came early.
 *
 * In memory while all waiting chunks fit the budget (--buffer-size), else
 * in one temporary file, unlinked as soon as it is made so that nothing is
 * left behind whatever happens; the file is emptied whenever no spilled
 * chunk waits any more.                                                 */
#ifndef PC_MERGE_STORE_H
#define PC_MERGE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "outfile.h"
#include "table.h"

typedef struct {
	uint64_t budget;      /* bytes the waiting chunks may hold in memory */
	uint64_t in_memory;
	const char *tmpdir;
	int fd;               /* the spill file, -1 until the first spill */
	uint64_t end;         /* its length */
	size_t spilled;       /* spilled chunks still waiting */
	pc_buf copy;          /* to read spilled rows back */
} store;

/* Keep n more bytes of chunk c.  Returns 0, or -1 (reported). */
int store_keep(store *s, chunk *c, const char *p, size_t n);
/* Write what c holds to out.  Returns 0, or -1 (reported). */
int store_write(store *s, chunk *c, pc_outfile *out);
/* Forget what c holds. */
void store_drop(store *s, chunk *c);
void store_free(store *s);

#endif
