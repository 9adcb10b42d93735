/* buf.c - growable byte buffers and decimal formatting. */
#include <config.h>

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "buf.h"
#include "diag.h"

void pc_out_of_memory(size_t n)
{
	/* exit() from two threads at once is undefined: the second one to run
	 * out waits here, never unlocked, until the first one's exit ends it */
	static pthread_mutex_t exiting = PTHREAD_MUTEX_INITIALIZER;
	pthread_mutex_lock(&exiting);
	pc_warn("out of memory (asked for %zu bytes)", n);
	exit(PC_EXIT_TROUBLE);
}

void *pc_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		pc_out_of_memory(n);
	return p;
}

void *pc_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		pc_out_of_memory(n);
	return p;
}

void pc_buf_init(pc_buf *b)
{
	b->data = NULL;
	b->len = b->cap = 0;
}

void pc_buf_free(pc_buf *b)
{
	free(b->data);
	pc_buf_init(b);
}

void pc_buf_reserve(pc_buf *b, size_t n)
{
	if (b->cap - b->len >= n)
		return;
	if (n > SIZE_MAX / 4 - b->len) {   /* doubling would wrap: no such memory anyway */
		pc_warn("out of memory (asked for %zu more bytes)", n);
		exit(PC_EXIT_TROUBLE);
	}
	size_t cap = b->cap ? b->cap : 256;
	while (cap - b->len < n)
		cap *= 2;
	b->data = pc_xrealloc(b->data, cap);
	b->cap = cap;
}

const char pc_digit_pairs[201] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

size_t pc_u64_to_dec(uint64_t v, char out[20])
{
	char tmp[20];
	char *p = tmp + sizeof tmp;
	while (v >= 100) {
		unsigned r = (unsigned)(v % 100);
		v /= 100;
		p -= 2;
		memcpy(p, pc_digit_pairs + 2 * r, 2);
	}
	if (v >= 10) {
		p -= 2;
		memcpy(p, pc_digit_pairs + 2 * v, 2);
	} else {
		*--p = (char)('0' + v);
	}
	size_t n = (size_t)(tmp + sizeof tmp - p);
	memcpy(out, p, n);
	return n;
}

void pc_buf_add_u64(pc_buf *b, uint64_t v)
{
	pc_buf_reserve(b, 20);
	b->len += pc_u64_to_dec(v, b->data + b->len);
}

int pc_parse_u64(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	if (!*s)
		return -1;
	for (; *s; s++) {
		unsigned d = (unsigned char)*s - '0';
		if (d > 9 || v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}
