/* wire.h - a block and a result as bytes, for MPI (or any other transport).
 *
 * Every field travels, lengths as 64-bit numbers, little-endian whatever
 * the machine, behind a magic number with the format's version; nothing is
 * rebuilt by hand on the other side.  A block's bytes go last, so that a
 * received message can serve as the block's memory without a copy.      */
#ifndef PC_WIRE_H
#define PC_WIRE_H

#include <stddef.h>

#include "buf.h"
#include "reader.h"
#include "score.h"

#define PC_WIRE_VERSION 2   /* 2: a block's delimiter (0.2) */

/* Append the message for blk (or res) to out. */
void pc_wire_put_block(pc_buf *out, const pc_block *blk);
void pc_wire_put_result(pc_buf *out, const pc_result *res);

/*
 * blk->mem holds a block message of n bytes (and room for PC_BLOCK_PAD
 * more): set every field of blk from it, data and file pointing into mem.
 * Returns 0, or -1 for a message that is not one.
 */
int pc_wire_get_block(pc_block *blk, size_t n);
/* Set every field of res from the result message p[0..n). */
int pc_wire_get_result(pc_result *res, const char *p, size_t n);

#endif
