/* list.h - pc-split's list of chunk paths, for pc-merge --rerun.
 *
 * pc-split prints the path of each raw chunk it makes, one a line (or
 * NUL-terminated with -z).  pc-merge reads such a list back, opens every
 * chunk on it and reads its header and trailer: its run id, its index and
 * whether it is the run's last.  The paths are kept byte for byte, so that
 * the rerun list names the chunks exactly as pc-split did.               */
#ifndef PC_MERGE_LIST_H
#define PC_MERGE_LIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
	char *path;
	uint64_t index;
	bool last;
} listed_chunk;

typedef struct {
	listed_chunk *item;   /* sorted by index */
	size_t n;
	char id[17];          /* the run id of every chunk listed, "" when none */
} chunk_list;

/* Read the list in `name` (entries end with NUL when zero, else with LF).
 * Returns 0, or -1 after saying what is wrong (a file that cannot be read,
 * an entry that is no chunk of pc-split's, two runs, an index twice). */
int chunk_list_read(chunk_list *l, const char *name, bool zero);
/* The entry for index, or NULL. */
const listed_chunk *chunk_list_find(const chunk_list *l, uint64_t index);
void chunk_list_free(chunk_list *l);

#endif
