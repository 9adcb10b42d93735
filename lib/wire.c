/* wire.c - blocks and results as bytes. */
#include <config.h>

#include <stdint.h>
#include <stdbool.h>
#include <string.h>

#include "wire.h"

#define MAGIC_BLOCK  UINT32_C(0x70636231)   /* "pcb1" */
#define MAGIC_RESULT UINT32_C(0x70637231)   /* "pcr1" */

static void put_u64(pc_buf *out, uint64_t v)
{
	unsigned char b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	pc_buf_add(out, b, 8);
}

static void put_bytes(pc_buf *out, const void *p, size_t n)
{
	put_u64(out, n);
	pc_buf_add(out, p, n);
}

/* A cursor over a message: every get fails once the message ran short. */
typedef struct {
	const char *p, *end;
	bool bad;
} cursor;

static uint64_t get_u64(cursor *c)
{
	if (c->bad || c->end - c->p < 8) {
		c->bad = true;
		return 0;
	}
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v |= (uint64_t)(unsigned char)c->p[i] << (8 * i);
	c->p += 8;
	return v;
}

static const char *get_bytes(cursor *c, uint64_t *n)
{
	*n = get_u64(c);
	if (c->bad || (uint64_t)(c->end - c->p) < *n) {
		c->bad = true;
		return NULL;
	}
	const char *p = c->p;
	c->p += *n;
	return p;
}

void pc_wire_put_block(pc_buf *out, const pc_block *blk)
{
	put_u64(out, MAGIC_BLOCK);
	put_u64(out, PC_WIRE_VERSION);
	put_u64(out, (uint64_t)blk->kind);
	put_u64(out, blk->seq);
	put_u64(out, (uint64_t)blk->file_start | (uint64_t)blk->continued << 1 |
			     (uint64_t)blk->continues << 2 | (uint64_t)blk->file_end << 3 |
			     (uint64_t)(unsigned char)blk->delim << 8);
	put_u64(out, (uint64_t)(int64_t)blk->error);
	const char *file = blk->file ? blk->file : "";
	put_bytes(out, file, strlen(file) + 1);   /* with its NUL: it is used in place */
	put_bytes(out, blk->data, blk->len);      /* last: the block's bytes */
}

int pc_wire_get_block(pc_block *blk, size_t n)
{
	cursor c = { blk->mem, blk->mem + n, false };
	uint64_t len, flen;

	if (get_u64(&c) != MAGIC_BLOCK || get_u64(&c) != PC_WIRE_VERSION)
		return -1;
	uint64_t kind = get_u64(&c);
	blk->seq = get_u64(&c);
	uint64_t flags = get_u64(&c);
	blk->error = (int)(int64_t)get_u64(&c);
	const char *file = get_bytes(&c, &flen);
	const char *data = get_bytes(&c, &len);
	if (c.bad || kind > PC_BLOCK_IO_ERROR || flen == 0 || file[flen - 1] != '\0' ||
	    c.p != c.end)
		return -1;
	blk->kind = (pc_block_kind)kind;
	blk->file_start = flags & 1;
	blk->continued = flags >> 1 & 1;
	blk->continues = flags >> 2 & 1;
	blk->file_end = flags >> 3 & 1;
	blk->delim = (char)(flags >> 8 & 0xff);
	blk->file = file;
	blk->data = (char *)data;
	pc_block_set_len(blk, (size_t)len);   /* the padding lies past the message */
	return 0;
}

void pc_wire_put_result(pc_buf *out, const pc_result *res)
{
	put_u64(out, MAGIC_RESULT);
	put_u64(out, PC_WIRE_VERSION);
	put_u64(out, res->rows);
	put_u64(out, res->scored);
	put_u64(out, res->rejected);
	put_u64(out, res->nlines);
	put_u64(out, res->tail);
	put_u64(out, res->stopped);
	put_u64(out, res->used);
	put_u64(out, res->nerrors);
	for (size_t i = 0; i < res->nerrors; i++) {
		put_u64(out, res->errors[i].dline);
		put_u64(out, res->errors[i].col);
		put_bytes(out, res->errors[i].msg, strlen(res->errors[i].msg));
	}
	put_bytes(out, res->out.data, res->out.len);
	put_bytes(out, res->rejects.data, res->rejects.len);
}

int pc_wire_get_result(pc_result *res, const char *p, size_t n)
{
	cursor c = { p, p + n, false };
	uint64_t len;

	if (get_u64(&c) != MAGIC_RESULT || get_u64(&c) != PC_WIRE_VERSION)
		return -1;
	pc_result_reset(res);
	res->rows = get_u64(&c);
	res->scored = get_u64(&c);
	res->rejected = get_u64(&c);
	res->nlines = get_u64(&c);
	res->tail = get_u64(&c);
	res->stopped = get_u64(&c) != 0;
	res->used = (size_t)get_u64(&c);
	uint64_t nerrors = get_u64(&c);
	if (c.bad || nerrors > (uint64_t)(c.end - c.p) / 24)
		return -1;   /* each error takes 24 bytes at least */
	if (nerrors > res->errors_cap) {
		res->errors_cap = (size_t)nerrors;
		res->errors = pc_xrealloc(res->errors, res->errors_cap * sizeof *res->errors);
	}
	for (uint64_t i = 0; i < nerrors; i++) {
		pc_error *e = &res->errors[i];
		e->dline = get_u64(&c);
		e->col = get_u64(&c);
		const char *msg = get_bytes(&c, &len);
		if (c.bad || len >= sizeof e->msg)
			return -1;
		memcpy(e->msg, msg, (size_t)len);
		e->msg[len] = '\0';
	}
	res->nerrors = (size_t)nerrors;
	const char *out = get_bytes(&c, &len);
	if (c.bad)
		return -1;
	pc_buf_add(&res->out, out, (size_t)len);
	const char *rej = get_bytes(&c, &len);
	if (c.bad || c.p != c.end)
		return -1;
	pc_buf_add(&res->rejects, rej, (size_t)len);
	return 0;
}
