/* buf.h - a growable byte buffer, and fast decimal formatting. */
#ifndef PC_BUF_H
#define PC_BUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct {
	char *data;
	size_t len, cap;
} pc_buf;

void pc_buf_init(pc_buf *b);
void pc_buf_free(pc_buf *b);
/* Make room for n more bytes; aborts with a message when memory runs out. */
void pc_buf_reserve(pc_buf *b, size_t n);

static inline void pc_buf_add(pc_buf *b, const void *p, size_t n)
{
	if (n == 0)
		return;   /* p may be the NULL of an empty buffer */
	if (b->cap - b->len < n)
		pc_buf_reserve(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

static inline void pc_buf_addc(pc_buf *b, char c)
{
	if (b->cap == b->len)
		pc_buf_reserve(b, 1);
	b->data[b->len++] = c;
}

/* "00", "01", ... "99": two digits at a time. */
extern const char pc_digit_pairs[201];
/* The value of the n digits (1 <= n <= 8) at the start of the 8 bytes x
 * (loaded from memory, byte 0 first on any byte order): the other bytes
 * are ignored.  Three multiplies, no branch on n: the digits go to the top
 * bytes as an 8-digit number with leading zeros, then pairs, quads, all. */
static inline uint64_t pc_swar_digits(uint64_t x, unsigned n)
{
	const uint64_t ones = UINT64_C(0x0101010101010101);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	x = __builtin_bswap64(x);   /* byte 0 in the low bits */
#endif
	uint64_t d = (x & 0x0F * ones) << (8 * (8 - n));
	d = (d * 2561) >> 8 & UINT64_C(0x00FF00FF00FF00FF);
	d = (d * 6553601) >> 16 & UINT64_C(0x0000FFFF0000FFFF);
	return (d * UINT64_C(42949672960001)) >> 32;
}
/* Canonical decimal of v (no sign, no leading zeros); returns the length. */
size_t pc_u64_to_dec(uint64_t v, char out[20]);
void pc_buf_add_u64(pc_buf *b, uint64_t v);
/* Parse a whole decimal number (digits only, no sign, no blanks): 0, or -1
 * for empty, malformed or out-of-range text. */
int pc_parse_u64(const char *s, uint64_t *out);

/* Out-of-memory is the one failure nobody can recover from here. */
void *pc_xmalloc(size_t n);
void *pc_xrealloc(void *p, size_t n);
/* "PROGRAM: out of memory (asked for N bytes)" and exit 2, which removes
 * the temporary files (cleanup.h).  From any thread: the first one to get
 * here reports and exits, any other waits for the end. */
_Noreturn void pc_out_of_memory(size_t n);

#endif
