/* score.c - the block scorer: parse a block of CSV rows and score each row
 * (SPEC 1-3).
 *
 * The parser walks the block once.  A numeric field that is plain digits
 * followed by ',' or LF takes the fast path (or, for the closed form, the
 * SIMD lane of lane.c); anything else (blanks, quotes, CR, errors) is
 * parsed again from the field's start by field.c, the one place that knows
 * every rule for fields.  A bad row is skipped to its end by the one row
 * grammar of rows.h.  Output is written only when a row ends well, so a
 * bad row leaves nothing behind in `out`.                               */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "field.h"
#include "lane.h"
#include "rows.h"
#include "score.h"
#include "simd.h"

#define likely(x) __builtin_expect(!!(x), 1)
#define U64_MAX_DIV10 1844674407370955161u  /* (2^64 - 1) / 10 */

void pc_result_init(pc_result *res)
{
	memset(res, 0, sizeof *res);
}

void pc_result_reset(pc_result *res)
{
	res->out.len = res->rejects.len = 0;
	res->nerrors = 0;
	res->rows = res->scored = res->rejected = 0;
	res->nlines = res->tail = 0;
	res->stopped = false;
	res->used = 0;
}

void pc_result_free(pc_result *res)
{
	pc_buf_free(&res->out);
	pc_buf_free(&res->rejects);
	free(res->errors);
	pc_result_init(res);
}

void pc_carry_init(pc_carry *c)
{
	memset(c, 0, sizeof *c);
	pc_closed_init(&c->closed);
}

void pc_carry_free(pc_carry *c)
{
	pc_buf_free(&c->name);
	pc_buf_free(&c->raw);
	free(c->values);
	pc_carry_init(c);
}

static void push_value(pc_carry *row, uint64_t v)
{
	if (row->nvalues == row->values_cap) {
		row->values_cap = row->values_cap ? 2 * row->values_cap : 64;
		row->values = pc_xrealloc(row->values, row->values_cap * sizeof *row->values);
	}
	row->values[row->nvalues++] = v;
}


/* Fields of a row parsed one by one before the lane takes over: it pays
 * on long rows, and a short row is over before it would. */
#define LANE_AFTER 4

/*
 * The lane, first run with a guess g at the row's runner-up: as if two
 * values g had come before (a = max(a, g), b = g), so that it takes only
 * the values above g, far fewer than above a runner-up still growing.
 * The guess is right when b ends above g: two real values above g were
 * taken (a value g itself is never taken), and no value at or below g can
 * be among the two largest, so a and b are the row's own, exactly.  Else
 * the same bytes are run again with the real state.  The guess comes from
 * the row before: its b, cut to the two first digits the lane's masks
 * judge by (for b < 100, b - 1: values of b or more are taken).
 */
static uint64_t guess_of(uint64_t b)
{
	if (b < 100)
		return b - 1;
	uint64_t scale = 1;
	while (b / scale >= 100)
		scale *= 10;
	return b / scale * scale;
}

static const char *lane_guessed(pc_parser *P, const char *p, char delim, pc_closed *st,
				const char **lf)
{
	const char *q;
	uint64_t g = P->guess;
	if (g > st->b) {
		pc_closed t = *st;
		t.b = g;
		if (t.a < g)
			t.a = g;
		q = pc_lane(p, P->end, delim, &t, lf);
		if (t.b > g) {
			*st = t;
			goto done;
		}
		*lf = NULL;
	}
	q = pc_lane(p, P->end, delim, st, lf);
done:
	if (*lf)
		P->guess = guess_of(st->b);
	return q;
}

/* The row's fields after its name, to the row's end or the block's;
 * the lane is tried after lane_rest fields whose runner-up is 3 or more. */
static int parse_values(pc_parser *P, unsigned lane_rest)
{
	const bool exhaustive = P->o->method == PC_METHOD_EXHAUSTIVE;
	const char delim = P->delim;
	pc_closed st = P->row->closed;
	const char *p = P->p;
	int end;

	for (;;) {
		uint64_t v = 0;
		unsigned d;
		if (!exhaustive && st.b >= 3 && lane_rest > 0) {
			lane_rest--;
		} else if (!exhaustive && st.b >= 3) {
			const char *from = p, *lf = NULL;
			p = lane_guessed(P, p, delim, &st, &lf);
			if (lf) {
				P->eol = lf;
				P->eol_dline = P->dline;
				P->eol_line_start = P->line_start;
				pc_parser_newline(P, lf);
				P->p = p;
				end = PC_END_ROW;
				break;
			}
			/* no headway: let the general path take a few fields */
			lane_rest = p == from ? 16 : 0;
		}
		d = (unsigned char)*p - '0';
		if (likely(d <= 9)) {
			/* digits, then the delimiter or LF */
			const char *f = p;
			v = d;
			for (p++; (d = (unsigned char)*p - '0') <= 9 && v < U64_MAX_DIV10; p++)
				v = v * 10 + d;
			if (likely(*p == delim || *p == '\n')) {
				if (exhaustive)
					push_value(P->row, v);
				else
					pc_closed_add(&st, v);
				if (*p++ == delim)
					continue;
				P->eol = p - 1;
				P->eol_dline = P->dline;
				P->eol_line_start = P->line_start;
				pc_parser_newline(P, p - 1);
				P->p = p;
				end = PC_END_ROW;
				break;
			}
			p = f;
		}
		if (p == P->end && P->blk->continues) {
			P->p = p;
			end = PC_END_BLOCK;   /* the row goes on in the next block */
			break;
		}
		P->p = p;
		end = pc_parse_field(P, &v);
		if (end == PC_END_ERROR)
			break;
		if (exhaustive)
			push_value(P->row, v);
		else
			pc_closed_add(&st, v);
		p = P->p;
		if (end == PC_END_ROW)
			break;
	}
	P->row->closed = st;
	return end;
}

/* The row ended well: write name,x,y, with the delimiter (or find it short). */
static int finish_row(pc_parser *P)
{
	pc_carry *row = P->row;
	pc_buf *out = &P->res->out;
	const bool exhaustive = P->o->method == PC_METHOD_EXHAUSTIVE;
	size_t k = exhaustive ? row->nvalues : (size_t)row->closed.count;

	if (k < 2)
		return pc_fail_short_row(P);
	pc_couple c = exhaustive ? pc_exhaustive(row->values, k) : pc_closed_result(&row->closed);
	pc_buf_reserve(out, P->name_len + 2 * 20 + 3);
	if (P->name_len)   /* an empty carried name has no buffer */
		memcpy(out->data + out->len, P->name, P->name_len);
	out->len += P->name_len;
	out->data[out->len++] = P->delim;
	out->len += pc_u64_to_dec(c.x, out->data + out->len);
	out->data[out->len++] = P->delim;
	out->len += pc_u64_to_dec(c.y, out->data + out->len);
	out->data[out->len++] = '\n';
	P->res->scored++;
	return PC_END_ROW;
}

/*
 * Skip the rest of a bad row from `from`, a field's start, by the one row
 * grammar (rows.h), counting its lines.  Returns false when the row goes on
 * in the next block.
 */
static bool skip_row(pc_parser *P, const char *from)
{
	pc_field_state st = PC_FIELD_START;
	const char *lf = pc_row_scan(&st, from, P->end, P->delim);
	const char *stop = lf ? lf + 1 : P->end;

	for (const char *q = from; (q = memchr(q, '\n', (size_t)(stop - q))); q++)
		pc_parser_newline(P, q);
	P->p = stop;
	return lf || !P->blk->continues;
}

/* A row is over: count it, and keep it verbatim if it was bad. */
static void end_row(pc_parser *P, bool bad)
{
	pc_carry *row = P->row;
	pc_result *res = P->res;

	res->rows++;
	if (bad) {
		res->rejected++;
		if (P->o->keep_rejects) {
			pc_buf_add(&res->rejects, row->raw.data, row->raw.len);
			pc_buf_add(&res->rejects, P->row_start, (size_t)(P->p - P->row_start));
			if (res->rejects.len == 0 || res->rejects.data[res->rejects.len - 1] != '\n')
				pc_buf_addc(&res->rejects, '\n');
		}
	}
	row->active = row->bad = false;
	row->name.len = row->raw.len = 0;
}

/* The block ends inside the row: keep what the next block needs. */
static void carry_row(pc_parser *P, bool bad)
{
	pc_carry *row = P->row;

	if (!row->active || row->name.data != P->name) {
		row->name.len = 0;
		pc_buf_add(&row->name, P->name, P->name_len);
	}
	if (P->o->keep_rejects)
		pc_buf_add(&row->raw, P->row_start, (size_t)(P->end - P->row_start));
	row->active = true;
	row->bad = bad;
}

/*
 * What a row's parse ended with.  Returns false when scoring must stop
 * (a bad row in fail mode).
 */
static bool settle_row(pc_parser *P, int end)
{
	switch (end) {
	case PC_END_ROW:
		end = finish_row(P);
		if (end == PC_END_ROW) {
			end_row(P, false);
			return true;
		}
		break;
	case PC_END_BLOCK:
		carry_row(P, false);
		return true;
	case PC_END_ERROR:
		if (P->o->skip && !skip_row(P, P->p)) {
			carry_row(P, true);
			return true;
		}
		break;
	}
	/* a bad row (PC_END_ERROR or PC_END_SHORT) */
	if (!P->o->skip) {
		P->res->stopped = true;
		return false;
	}
	end_row(P, true);
	return true;
}

/* ---- the fast row: a whole plain row at once ---------------------------- */

/* The first byte at or after p that may not be in a plain name: the
 * delimiter, LF, CR, '"' or NUL (the padding after the block's end is NUL,
 * so the scan always stops). */
static inline const char *name_end_scalar(const char *p, char delim)
{
	for (;; p++) {
		char c = *p;
		if (c == delim || c == '\n' || c == '\r' || c == '"' || c == '\0')
			return p;
	}
}

#ifdef PC_HAVE_X86_SIMD
#include <emmintrin.h>

/* The same, 16 bytes at a time: a load at p < end stays within the
 * block's PC_BLOCK_PAD bytes of padding. */
static inline const char *name_end_sse2(const char *p, char delim)
{
	const __m128i d = _mm_set1_epi8(delim), lf = _mm_set1_epi8('\n');
	const __m128i cr = _mm_set1_epi8('\r'), quote = _mm_set1_epi8('"');
	const __m128i nul = _mm_setzero_si128();
	for (;; p += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
		__m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, d), _mm_cmpeq_epi8(x, lf)),
					   _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, cr),
								     _mm_cmpeq_epi8(x, quote)),
							_mm_cmpeq_epi8(x, nul)));
		unsigned mask = (unsigned)_mm_movemask_epi8(hit);
		if (mask)
			return p + __builtin_ctz(mask);
	}
}
#endif

/* Is the name scan to use SSE2 (every path but PC_SIMD=scalar)? */
static bool name_scan_sse2(void)
{
#ifdef PC_HAVE_X86_SIMD
	return pc_simd_current() != PC_SIMD_SCALAR;
#else
	return false;
#endif
}

/* v in decimal at out (20 bytes of room); its length.  Numbers below 100,
 * the usual answer, without the loop. */
static inline size_t put_u64(uint64_t v, char *out)
{
	if (v < 10) {
		out[0] = (char)('0' + v);
		return 1;
	}
	if (v < 100) {
		memcpy(out, pc_digit_pairs + 2 * v, 2);
		return 2;
	}
	return pc_u64_to_dec(v, out);
}

/* The value of the n digits (1 <= n <= 8) that begin the 8 bytes raw (as
 * loaded from memory); one or two digits, the usual short number, without
 * the multiplies of pc_swar_digits() and without a branch on which. */
static inline uint64_t digits_value(uint64_t raw, unsigned n)
{
	if (n > 2)
		return pc_swar_digits(raw, n);
	uint64_t x = raw;
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	x = __builtin_bswap64(x);   /* byte 0 in the low bits */
#endif
	uint64_t d0 = x & 0x0F, d1 = (x >> 8) & 0x0F;
	return d0 + ((d0 * 9 + d1) & -(uint64_t)(n - 1));   /* d0, or 10 d0 + d1 */
}

/*
 * The digits that begin the 8 bytes at f (a load within the block and its
 * padding), 0 to 8 of them, and their value into *value: eight bytes at
 * once, with no loop.  A byte is a digit when its high
 * nibble is 3 and adding 6 leaves it 3; a carry out of a byte >= 0xFA
 * only disturbs the bytes after it, which no longer count.
 */
static inline unsigned leading_digits(const char *f, uint64_t *value)
{
	const uint64_t ones = UINT64_C(0x0101010101010101);
	uint64_t raw, x;
	memcpy(&raw, f, 8);
	x = raw;
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	x = __builtin_bswap64(x);   /* byte 0 in the low bits */
#endif
	uint64_t other = ((x & 0xF0 * ones) ^ 0x30 * ones) |
			 (((x + 0x06 * ones) & 0xF0 * ones) ^ 0x30 * ones);
	uint64_t stop = (((other & 0x7F * ones) + 0x7F * ones) | other) & 0x80 * ones;
	unsigned n = stop ? (unsigned)__builtin_ctzll(stop) >> 3 : 8;
	if (n == 0)
		return 0;
	*value = digits_value(raw, n);
	return n;
}

/* name, x and y of the couple c, each after the delimiter, and the LF, at
 * o (room for name_len + 16 + 2 * 20 + 3 bytes); returns the end.  The
 * name is in the block: one of 16 bytes or fewer is copied with one load
 * and store of 16 (the padding after the block covers it).  Numbers
 * below 100, the usual answer, come from the pairs "00" to "99" (a digit
 * alone is the second byte of "0d") with no branch on their length; each
 * store's extra byte is written over. */
static inline __attribute__((always_inline)) char *
put_couple(char *o, const char *name, size_t name_len, char delim, pc_couple c)
{
	if (name_len <= 16)
		memcpy(o, name, 16);
	else
		memcpy(o, name, name_len);
	o += name_len;
	if ((c.x < 100) & (c.y < 100)) {
		uint64_t x1 = c.x < 10, y1 = c.y < 10;
		*o++ = delim;
		memcpy(o, pc_digit_pairs + 2 * c.x + x1, 2);
		o += 2 - x1;
		*o++ = delim;
		memcpy(o, pc_digit_pairs + 2 * c.y + y1, 2);
		o += 2 - y1;
	} else {
		*o++ = delim;
		o += put_u64(c.x, o);
		*o++ = delim;
		o += put_u64(c.y, o);
	}
	*o++ = '\n';
	return o;
}

enum { FAST_NO, FAST_DONE, FAST_LONG };

/*
 * A row of the closed form at P->p (a line start) that is plain: a name of
 * bytes no field rule cares about, then numbers of plain digits below
 * 10^19, each followed by the delimiter or the row's LF.  Such a row is
 * scored and written here at once (FAST_DONE); a row with more than
 * LANE_AFTER numbers is handed to parse_values() after them, its name
 * taken (FAST_LONG), since from there the lane does better.  Anything else
 * (FAST_NO) has changed nothing: the general path parses the row from its
 * start, and finds what is wrong or special in it.
 */
static int fast_row(pc_parser *P, bool sse2)
{
	const char delim = P->delim;
	const char *p = P->p;
#ifdef PC_HAVE_X86_SIMD
	const char *q = sse2 ? name_end_sse2(p, delim) : name_end_scalar(p, delim);
#else
	(void)sse2;
	const char *q = name_end_scalar(p, delim);
#endif
	if (*q != delim)   /* the padding's NUL stops the scan at the block's end */
		return FAST_NO;
	const char *name = p;
	size_t name_len = (size_t)(q - p);
	pc_closed st;
	pc_closed_init(&st);
	for (;;) {
		const char *f = ++q;
		uint64_t v;
		unsigned n = leading_digits(f, &v);
		if (n == 0)
			return FAST_NO;
		q = f + n;
		if (n == 8) {
			unsigned d;
			for (; (d = (unsigned char)*q - '0') <= 9; q++)
				v = v * 10 + d;
			if (q - f > 19)
				return FAST_NO;   /* 2^64 or more, maybe: the general path knows */
		}
		pc_closed_add(&st, v);
		if (*q == '\n')
			break;
		if (*q != delim)
			return FAST_NO;
		if (st.count == LANE_AFTER) {
			P->row_start = p;
			P->row_dline = P->dline;
			P->row_line_start = P->line_start;
			P->name = name;
			P->name_len = name_len;
			P->row->active = false;
			P->row->nvalues = 0;
			P->row->closed = st;
			P->p = q + 1;
			return FAST_LONG;
		}
	}
	if (q >= P->end || st.count < 2)
		return FAST_NO;   /* the block's end, or a short row: said elsewhere */
	pc_buf *out = &P->res->out;
	if (out->cap - out->len < name_len + 16 + 2 * 20 + 3)
		pc_buf_reserve(out, name_len + 16 + 2 * 20 + 3);
	char *o = put_couple(out->data + out->len, name, name_len, P->delim, pc_closed_couple(st));
	out->len = (size_t)(o - out->data);
	P->res->scored++;
	P->res->rows++;
	pc_parser_newline(P, q);
	P->p = q + 1;
	return FAST_DONE;
}

/* The value of the n plain digits at q (1 <= n <= 19), 8 bytes at q
 * readable. */
static inline uint64_t field_value(const char *q, unsigned n)
{
	uint64_t raw;
	memcpy(&raw, q, 8);
	if (n <= 8)
		return digits_value(raw, n);
	uint64_t v = pc_swar_digits(raw, 8);
	for (unsigned k = 8; k < n; k++)
		v = v * 10 + (unsigned)(q[k] - '0');
	return v;
}

static inline uint64_t below(unsigned i)   /* bits 0..i-1, i < 64 */
{
	return ((uint64_t)1 << i) - 1;
}

/* What short_rows_with() asks of a window's masks: its LFs and
 * delimiters; what no number holds; a separator right after a delimiter
 * (an empty field); CR, '"' and NUL; the third digit of a run and those
 * after it. */
typedef struct {
	uint64_t lf, delim, notnum, empty, odd, long3;
} short_window;

static inline short_window window_of(const pc_row_masks *m)
{
	return (short_window){
		.lf = m->lf,
		.delim = m->delim,
		.notnum = ~(m->digit | m->delim),
		.empty = (m->delim << 1) & (m->delim | m->lf),
		.odd = m->odd,
		.long3 = m->digit & (m->digit << 1) & (m->digit << 2),
	};
}

/* Output room for one short row: a name of at most 63 bytes copied 16 at
 * a time, two numbers of 20 digits, two delimiters and the LF. */
enum { SHORT_ROW_ROOM = 64 + 16 + 2 * 20 + 3 };

/*
 * Short rows, many at a time: the plain rows of the closed form from P->p
 * (a line start) that lie wholly inside a window of 64 bytes of the block.
 * One classification of the window (lane.h: digits, delimiters, LFs, and
 * CR, '"' and NUL) says of each row in it where its name and each number
 * end and that it is plain, just as fast_row() finds it byte by byte: a
 * name of bytes that are not CR, '"' or NUL, then numbers of 1 to 19
 * plain digits, each after the delimiter, the last before the LF, two or
 * more.  A row crossing the window's end starts the next window.
 *
 * Only the largest two values a >= b are kept: when b >= 3 the couple is
 * (b, a) (pc_closed_couple); a row whose runner-up is 0, 1 or 2, where the
 * ties of small values need the whole pc_closed state, is left to
 * fast_row().  Stops at the first row it does not take (not plain, longer
 * than 64 bytes, within 64 bytes of the block's end, or b < 3), P->p
 * there: fast_row() and the general path go on from it, so they decide
 * every other row as before.
 *
 * The output pointer, the row count and the masks live in locals, not in
 * *P or the result: every byte written through a char pointer may alias
 * memory the compiler cannot see, which would reload and store them on
 * every row.
 */
static inline __attribute__((always_inline)) void
short_rows_with(pc_parser *P, pc_row_masks_fn *classify)
{
	const char *base = P->p;
	const char *const end = P->end;
	const char delim = P->delim;
	unsigned s = 0;   /* the row at base + s */
	uint64_t rows = 0;

	if (end - base < 64)
		return;
	pc_buf *out = &P->res->out;
	if (out->cap - out->len < SHORT_ROW_ROOM)
		pc_buf_reserve(out, SHORT_ROW_ROOM);
	char *o = out->data + out->len;
	const char *o_room = out->data + out->cap - SHORT_ROW_ROOM;   /* o <= o_room */
	pc_row_masks m;
	classify(base, delim, &m);
	short_window w = window_of(&m);
	for (;;) {   /* e and name_end are below 64, s up to 64: no shift by 64 */
		uint64_t from = s < 64 ? ~below(s) : 0;
		uint64_t lf = w.lf & from;
		if (!lf) {   /* the row crosses the window's end, or starts at it */
			if (s == 0 || end - (base + s) < 64)
				break;
			base += s;
			s = 0;
			classify(base, delim, &m);
			w = window_of(&m);
			continue;
		}
		unsigned e = pc_mask_first(lf);
		uint64_t row = from & below(e);             /* its bytes before the LF */
		uint64_t delims = w.delim & row;
		if (!delims)
			break;   /* no name end (a row of one number is left with
				  * b = 0, below: fast_row() reports it) */
		unsigned name_end = pc_mask_first(delims);
		uint64_t values = row & ~below(name_end + 1);
		uint64_t starts = delims << 1;               /* each number's first byte */
		/* only digits and delimiters after the name; no field empty
		 * (a separator after a delimiter of the row: (row << 1) has the
		 * LF); no CR, '"' or NUL in the row */
		if ((values & w.notnum) | (w.empty & (row << 1)) | (w.odd & row))
			break;
		uint64_t a = 0, b = 0;   /* the largest two, a >= b, by max and min */
		if (!(values & w.long3)) {
			/* every number of one or two digits: its value from
			 * the window's masks */
			for (uint64_t t = starts; t; t &= t - 1) {
				pc_top2_add(&a, &b, m.value[pc_mask_first(t)]);
			}
		} else {
			uint64_t ends = (delims & values) | (UINT64_C(1) << e);
			for (uint64_t t = starts; t; t &= t - 1) {
				unsigned f = pc_mask_first(t);
				unsigned n = pc_mask_first(ends >> f);
				if (n > 19)
					goto stop;   /* 2^64 or more, maybe: the general path knows */
				pc_top2_add(&a, &b, field_value(base + f, n));
			}
		}
		if (b < 3)
			goto stop;   /* the ties of 0, 1 and 2: fast_row() */
		if (o > o_room) {
			out->len = (size_t)(o - out->data);
			pc_buf_reserve(out, SHORT_ROW_ROOM);
			o = out->data + out->len;
			o_room = out->data + out->cap - SHORT_ROW_ROOM;
		}
		o = put_couple(o, base + s, name_end - s, delim, (pc_couple){ b, a });
		rows++;
		s = e + 1;
	}
stop:
	out->len = (size_t)(o - out->data);
	P->res->scored += rows;
	P->res->rows += rows;
	P->dline += rows;
	if (rows)
		P->line_start = base + s;   /* just past the last row's LF */
	P->p = base + s;
}

/* short_rows_with() once per path, its kernel inlined: the vector
 * paths' (the scalar path's masks, a byte loop, would cost more than
 * fast_row()'s own scan, so it has none). */
typedef void short_rows_fn(pc_parser *P);

#ifdef PC_HAVE_X86_SIMD
static void short_rows_sse2(pc_parser *P)
{
	short_rows_with(P, pc_row_masks_sse2);
}

__attribute__((target("avx2")))
static void short_rows_avx2(pc_parser *P)
{
	short_rows_with(P, pc_row_masks_avx2);
}

__attribute__((target("avx512f,avx512bw")))
static void short_rows_avx512(pc_parser *P)
{
	short_rows_with(P, pc_row_masks_avx512);
}
#endif

static short_rows_fn *short_rows_of(pc_simd path)
{
	switch (path) {
#ifdef PC_HAVE_X86_SIMD
	case PC_SIMD_AVX512:
		return short_rows_avx512;
	case PC_SIMD_AVX2:
		return short_rows_avx2;
	case PC_SIMD_SSE2:
		return short_rows_sse2;
#endif
	default:
		return NULL;
	}
}

/* Blank lines (LF or CRLF alone, or a CR that ends the input) are skipped. */
static bool skip_blank_line(pc_parser *P)
{
	const char *p = P->p;
	if (pc_cr_at_input_end(P, p)) {
		P->p = P->end;
		return true;
	}
	if (*p == '\r' && p[1] == '\n')
		p++;
	if (*p != '\n')
		return false;
	pc_parser_newline(P, p);
	P->p = p + 1;
	return true;
}

void pc_score_block(const pc_score_opts *o, const pc_block *blk,
		    pc_carry *row, pc_result *res)
{
	pc_parser P = { .o = o, .blk = blk, .row = row, .res = res,
		     .p = blk->data, .end = blk->data + blk->len, .delim = blk->delim,
		     .line_start = blk->data };

	pc_result_reset(res);
	if (blk->kind != PC_BLOCK_ROWS) {
		res->used = blk->len;
		return;
	}

	if (blk->continued && row->active) {
		P.row_start = P.p;
		P.name = row->name.data;
		P.name_len = row->name.len;
		bool go_on;
		if (row->bad) {
			if (skip_row(&P, P.p))
				end_row(&P, true);
			else
				carry_row(&P, true);
			go_on = true;
		} else {
			go_on = settle_row(&P, parse_values(&P, LANE_AFTER));
		}
		if (!go_on)
			goto done;
	}
	const bool fast = o->method == PC_METHOD_CLOSED;
	const bool sse2 = name_scan_sse2();
	/* short rows from masks on the vector paths.  Where they take none,
	 * the window was classified for nothing: they are tried again only
	 * after a row that fast_row() took whole (not where rows are long),
	 * and only `skip` bytes further on, twice as far after each time in
	 * a row they take none (not at each of the rows they leave, such as
	 * those whose runner-up is 0, 1 or 2) */
	short_rows_fn *short_rows = fast ? short_rows_of(pc_simd_current()) : NULL;
	bool try_short = true;
	const char *retry_at = P.p;
	size_t skip = 64;
	while (P.p < P.end) {
		if (short_rows && try_short && P.p >= retry_at) {
			const char *was = P.p;
			short_rows(&P);
			if (P.p == P.end)
				break;
			if (P.p != was) {
				skip = 64;
			} else {
				retry_at = was + skip;
				skip = skip < 65536 ? 2 * skip : skip;
			}
		}
		int how = fast ? fast_row(&P, sse2) : FAST_NO;
		try_short = how == FAST_DONE;
		if (how == FAST_DONE)
			continue;
		int end;
		if (how == FAST_LONG) {
			/* the name and the first numbers are taken: on from there */
			end = parse_values(&P, 0);
		} else {
			if (skip_blank_line(&P))
				continue;
			P.row_start = P.p;
			P.row_dline = P.dline;
			P.row_line_start = P.line_start;
			row->active = false;
			pc_closed_init(&row->closed);
			row->nvalues = 0;

			end = pc_parse_name(&P);
			if (end == PC_END_ERROR) {
				/* rescan the name from its start, counting its lines once */
				P.dline = P.row_dline;
				P.line_start = P.row_line_start;
				P.p = P.row_start;
			} else if (end == PC_END_COMMA) {
				end = parse_values(&P, LANE_AFTER);
			}
		}
		if (!settle_row(&P, end))
			break;
		if (res->nerrors >= PC_ERRORS_MAX && P.p < P.end) {
			/* enough for one result: the rest, from this row start, is
			 * another's (the loop scores it next, in order) */
			res->used = (size_t)(P.p - blk->data);
			res->nlines = P.dline;
			res->tail = (uint64_t)(P.p - P.line_start);
			return;
		}
	}
done:
	res->used = blk->len;
	res->nlines = P.dline;
	res->tail = (uint64_t)(P.end - P.line_start);
}
