/* table.c - pc-merge's chunk table (see table.h). */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "table.h"

static size_t slot_of(const chunk_table *t, uint64_t index)
{
	return (size_t)((index * 0x9E3779B97F4A7C15u) >> 32) & (t->cap - 1);
}

chunk *chunk_find(const chunk_table *t, uint64_t index)
{
	if (!t->cap)
		return NULL;
	for (size_t i = slot_of(t, index);; i = (i + 1) & (t->cap - 1)) {
		if (t->slot[i].index == index)
			return &t->slot[i];
		if (t->slot[i].index == 0)
			return NULL;
	}
}

chunk *chunk_add(chunk_table *t, uint64_t index, chunk_state state)
{
	if (2 * (t->used + 1) > t->cap) {
		chunk_table bigger = { .cap = t->cap ? 2 * t->cap : 64 };
		bigger.slot = pc_xmalloc(bigger.cap * sizeof *bigger.slot);
		memset(bigger.slot, 0, bigger.cap * sizeof *bigger.slot);
		for (size_t i = 0; i < t->cap; i++)
			if (t->slot[i].index)
				*chunk_add(&bigger, t->slot[i].index, 0) = t->slot[i];
		free(t->slot);
		*t = bigger;
	}
	size_t i = slot_of(t, index);
	while (t->slot[i].index)
		i = (i + 1) & (t->cap - 1);
	t->used++;
	t->slot[i] = (chunk){ .index = index, .state = state };
	pc_buf_init(&t->slot[i].mem);
	return &t->slot[i];
}

void chunk_table_free(chunk_table *t)
{
	for (size_t i = 0; i < t->cap; i++)
		pc_buf_free(&t->slot[i].mem);
	free(t->slot);
	*t = (chunk_table){ 0 };
}
