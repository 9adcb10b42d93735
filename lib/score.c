/* score.c - parse a block of CSV rows and score each row (SPEC 1-3).
 *
 * The parser walks the block once.  A numeric field that is plain digits
 * followed by ',' or LF takes the fast path; anything else (blanks, quotes,
 * CR, errors) is parsed again from the field's start by parse_field(), the
 * one place that knows every rule for numbers.  Output is written only when
 * a row ends well, so a bad row leaves nothing behind in `out`.         */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "score.h"

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

/* ---- the parser ---------------------------------------------------------- */

typedef struct {
	const pc_score_opts *o;
	const pc_block *blk;
	pc_carry *row;          /* the row in progress: kernel state, values */
	pc_result *res;
	const char *p, *end;
	const char *line_start; /* first byte of the current line (or data[0]) */
	const char *row_start;  /* first byte of the row in this block */
	uint64_t dline;
	/* where the last row ending (LF, CRLF or end of data) was */
	const char *eol, *eol_line_start;
	uint64_t eol_dline;
	/* the line state at the row's start, to rescan a bad name */
	const char *row_line_start;
	uint64_t row_dline;
	/* the name of the row in progress, in output form */
	const char *name;
	size_t name_len;
	bool name_wrap;         /* write it between quotes */
} parser;

/* What ended a field or a row. */
enum {
	END_COMMA,   /* a field ended at a comma */
	END_ROW,     /* the row ended */
	END_BLOCK,   /* the block ended inside the row: carry it on */
	END_ERROR,   /* a bad field: the rest of the row is still to skip */
	END_SHORT,   /* the row ended with fewer than two numbers */
};

static inline void newline(parser *P, const char *lf)
{
	P->dline++;
	P->line_start = lf + 1;
}

/* Show up to 32 bytes of what was found, from `from` to the field's end. */
static void describe(char *out, size_t size, const char *from, const char *end)
{
	size_t n = 0;
	const char *p = from;
	out[n++] = '"';
	for (; p < end && *p != ',' && *p != '\n' && p - from < 32; p++) {
		unsigned char c = (unsigned char)*p;
		if (n + 6 >= size)
			break;
		if (c == '"' || c == '\\')
			n += (size_t)snprintf(out + n, size - n, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			n += (size_t)snprintf(out + n, size - n, "\\x%02X", c);
		else
			out[n++] = (char)c;
	}
	if (p < end && *p != ',' && *p != '\n' && n + 4 < size) {
		memcpy(out + n, "...", 3);
		n += 3;
	}
	out[n++] = '"';
	out[n] = '\0';
}

/* Record a bad row: "what (found)" at line dline, column of `at`. */
static int fail_in_line(parser *P, uint64_t dline, const char *line_start,
			const char *at, const char *what, const char *found_from)
{
	pc_result *res = P->res;
	if (res->nerrors == res->errors_cap) {
		res->errors_cap = res->errors_cap ? 2 * res->errors_cap : 8;
		res->errors = pc_xrealloc(res->errors, res->errors_cap * sizeof *res->errors);
	}
	pc_error *e = &res->errors[res->nerrors++];
	e->dline = dline;
	e->col = (uint64_t)(at - line_start) + 1;
	char found[160];
	if (found_from)
		describe(found, sizeof found, found_from, P->end);
	else
		snprintf(found, sizeof found, "found %zu",
			 P->o->method == PC_METHOD_EXHAUSTIVE ? P->row->nvalues
							       : (size_t)P->row->closed.count);
	snprintf(e->msg, sizeof e->msg, "%s (%s)", what, found);
	return END_ERROR;
}

static int fail(parser *P, const char *at, const char *what, const char *found_from)
{
	return fail_in_line(P, P->dline, P->line_start, at, what, found_from);
}

/* A row that ended too soon: the error is where its line ending is. */
static int fail_short_row(parser *P)
{
	fail_in_line(P, P->eol_dline, P->eol_line_start, P->eol,
		     "fewer than two numbers", NULL);
	return END_SHORT;
}

/* A NUL in d[from..to) is the real problem, whatever else is wrong there. */
static int fail_field(parser *P, const char *from, const char *at, const char *what)
{
	for (const char *q = from; q < P->end && *q != ',' && *q != '\n'; q++)
		if (*q == '\0')
			return fail(P, q, "NUL byte", q);
	return fail(P, at, what, at);
}

static inline bool blank(char c)
{
	return c == ' ' || c == '\t';
}

/* A CR that is the input's last byte ends its line: the input is a CRLF
 * file that lost only its final LF.  (pc-split, which must end every
 * chunk's last row before its trailer, makes the same CR a CRLF.) */
static inline bool cr_at_input_end(const parser *P, const char *q)
{
	return *q == '\r' && q + 1 == P->end && P->blk->file_end;
}

static inline bool at_field_end(const parser *P, const char *q)
{
	return *q == ',' || *q == '\n' || (*q == '\r' && q[1] == '\n') || q == P->end ||
	       cr_at_input_end(P, q);
}

/* After a field: ',' or the row's end (LF, CRLF, end of the data). */
static int field_end(parser *P, const char *q)
{
	if (*q == ',') {
		P->p = q + 1;
		return END_COMMA;
	}
	P->eol = q;
	P->eol_dline = P->dline;
	P->eol_line_start = P->line_start;
	if (*q == '\n') {
		newline(P, q);
		P->p = q + 1;
		return END_ROW;
	}
	if (*q == '\r' && q[1] == '\n') {
		newline(P, q + 1);
		P->p = q + 2;
		return END_ROW;
	}
	if (cr_at_input_end(P, q)) {
		P->p = P->end;
		return END_ROW;
	}
	if (q == P->end) {
		P->p = q;
		return END_ROW;
	}
	return -1;
}

/* A quoted number went wrong at q: a quote that never closes is the
 * problem when no quote follows (the row then runs to the input's end). */
static int fail_quoted(parser *P, const char *f, const char *text, const char *q)
{
	if (!memchr(q, '"', (size_t)(P->end - q)))
		return fail(P, text, "unterminated quote", text);
	return fail_field(P, f, text, "not a number");
}

/*
 * A numeric field by every rule of SPEC 2: blanks around, an optional pair
 * of quotes (with blanks inside too), leading zeros.  P->p is its start.
 */
static int parse_field(parser *P, uint64_t *value)
{
	const char *f = P->p, *q = f;
	bool quoted = false;

	while (blank(*q))
		q++;
	const char *text = q;
	if (*q == '"') {
		quoted = true;
		q++;
		while (blank(*q))
			q++;
	}
	const char *digits = q;
	uint64_t v = 0;
	for (unsigned d; (d = (unsigned char)*q - '0') <= 9; q++) {
		if (v >= U64_MAX_DIV10 && (v > U64_MAX_DIV10 || d > 5))
			return fail(P, text, "value over 18446744073709551615", text);
		v = v * 10 + d;
	}
	if (q == digits) {
		if (*q == '-')
			return fail_field(P, f, text, "negative value");
		if (*q == '+')
			return fail_field(P, f, text, "signed value");
		if (*q == '.' && (unsigned)((unsigned char)q[1] - '0') <= 9)
			return fail_field(P, f, text, "fractional value");
		if (quoted ? *q == '"' : at_field_end(P, q))
			return fail(P, f, "empty field", f);
		return quoted ? fail_quoted(P, f, text, q) : fail_field(P, f, text, "not a number");
	}
	if (*q == '.')
		return fail_field(P, f, text, "fractional value");
	while (blank(*q))
		q++;
	if (quoted) {
		if (*q != '"')
			return fail_quoted(P, f, text, q);
		q++;
		while (blank(*q))
			q++;
	}
	int end = field_end(P, q);
	if (end < 0)
		return fail_field(P, f, text, "not a number");
	*value = v;
	return end;
}

/*
 * The name field.  Its output form is always a slice of the input: a quoted
 * name that needs quoting is written exactly as it came ("" escapes and
 * all), one that does not is written without its quotes.
 */
/* An error at the name's start, which may lie lines above P->p. */
static int fail_name(parser *P, const char *what)
{
	const char *f = P->row_start;
	return fail_in_line(P, P->row_dline, P->row_line_start, f, what, f);
}

static int parse_name(parser *P)
{
	const char *f = P->p, *q = f;

	if (*q == '"') {
		bool special = false;
		for (q++;; q++) {
			const char *close = memchr(q, '"', (size_t)(P->end - q));
			if (!close)
				return fail_name(P, "unterminated quote");
			for (; q < close; q++) {
				if (*q == '\n') {
					newline(P, q);
					special = true;
				} else if (*q == ',' || *q == '\r') {
					special = true;
				} else if (*q == '\0') {
					return fail(P, q, "NUL byte", q);
				}
			}
			if (close[1] != '"')
				break;
			special = true;   /* "" is a quote in the name */
			q = close + 1;
		}
		q++;   /* past the closing quote */
		P->name = special ? f : f + 1;
		P->name_len = (size_t)(special ? q - f : q - f - 2);
		P->name_wrap = false;
	} else {
		bool cr = false;
		for (;; q++) {
			char c = *q;
			if (c == ',' || c == '\n' || (c == '\0' && q == P->end))
				break;
			if (c == '\r') {
				if (q[1] == '\n' || cr_at_input_end(P, q))
					break;
				cr = true;
			} else if (c == '"') {
				return fail_name(P, "quote inside an unquoted field");
			} else if (c == '\0') {
				return fail(P, q, "NUL byte", q);
			}
		}
		P->name = f;
		P->name_len = (size_t)(q - f);
		P->name_wrap = cr;
	}
	int end = field_end(P, q);
	if (end < 0) {
		for (const char *n = q; n < P->end && *n != ',' && *n != '\n'; n++)
			if (*n == '\0')
				return fail(P, n, "NUL byte", n);
		return fail_name(P, "text after a closing quote");
	}
	if (end == END_ROW)
		return fail_short_row(P);
	return end;
}

static void push_value(pc_carry *row, uint64_t v)
{
	if (row->nvalues == row->values_cap) {
		row->values_cap = row->values_cap ? 2 * row->values_cap : 64;
		row->values = pc_xrealloc(row->values, row->values_cap * sizeof *row->values);
	}
	row->values[row->nvalues++] = v;
}


/* ---- the fast lane of the closed form ------------------------------------ */

#if defined(__SSE2__)
#include <emmintrin.h>
#define PC_HAVE_LANE 1

/* Bit i of each mask tells about p[i], for the 64 bytes at p. */
typedef struct {
	uint64_t digit, comma, lf;
	uint64_t prefix;   /* p[i], p[i+1] >= b's first two digits */
} lane_masks;

static inline uint64_t movemask(__m128i x)
{
	return (uint64_t)(unsigned)_mm_movemask_epi8(x);
}

static inline lane_masks classify64_sse2(const char *p, char d0, char d1)
{
	const __m128i c0 = _mm_set1_epi8('0'), nine = _mm_set1_epi8(9);
	const __m128i comma = _mm_set1_epi8(','), lf = _mm_set1_epi8('\n');
	const __m128i first = _mm_set1_epi8(d0), second = _mm_set1_epi8(d1);
	lane_masks m = { 0 };
	for (int k = 0; k < 4; k++) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
		__m128i next = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k + 1));
		__m128i t = _mm_sub_epi8(x, c0);
		/* (x, next) >= (d0, d1): x > d0, or x == d0 and next >= d1 */
		__m128i eq0 = _mm_cmpeq_epi8(x, first);
		__m128i ge0 = _mm_cmpeq_epi8(_mm_max_epu8(x, first), x);
		__m128i ge1 = _mm_cmpeq_epi8(_mm_max_epu8(next, second), next);
		__m128i prefix = _mm_andnot_si128(_mm_andnot_si128(ge1, eq0), ge0);
		m.digit |= movemask(_mm_cmpeq_epi8(_mm_min_epu8(t, nine), t)) << (16 * k);
		m.comma |= movemask(_mm_cmpeq_epi8(x, comma)) << (16 * k);
		m.lf |= movemask(_mm_cmpeq_epi8(x, lf)) << (16 * k);
		m.prefix |= movemask(prefix) << (16 * k);
	}
	return m;
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define PC_HAVE_AVX2_LANE 1

/* The same masks 32 bytes at a time, on CPUs that have AVX2. */
__attribute__((target("avx2")))
static inline lane_masks classify64_avx2(const char *p, char d0, char d1)
{
	const __m256i c0 = _mm256_set1_epi8('0'), nine = _mm256_set1_epi8(9);
	const __m256i comma = _mm256_set1_epi8(','), lf = _mm256_set1_epi8('\n');
	const __m256i first = _mm256_set1_epi8(d0), second = _mm256_set1_epi8(d1);
	lane_masks m = { 0 };
	for (int k = 0; k < 2; k++) {
		__m256i x = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32 * k));
		__m256i next = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32 * k + 1));
		__m256i t = _mm256_sub_epi8(x, c0);
		__m256i eq0 = _mm256_cmpeq_epi8(x, first);
		__m256i ge0 = _mm256_cmpeq_epi8(_mm256_max_epu8(x, first), x);
		__m256i ge1 = _mm256_cmpeq_epi8(_mm256_max_epu8(next, second), next);
		__m256i prefix = _mm256_andnot_si256(_mm256_andnot_si256(ge1, eq0), ge0);
		uint64_t sh = 32 * (unsigned)k;
		m.digit |= (uint64_t)(uint32_t)_mm256_movemask_epi8(
				   _mm256_cmpeq_epi8(_mm256_min_epu8(t, nine), t)) << sh;
		m.comma |= (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(x, comma)) << sh;
		m.lf |= (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(x, lf)) << sh;
		m.prefix |= (uint64_t)(uint32_t)_mm256_movemask_epi8(prefix) << sh;
	}
	return m;
}
#endif

/* What the lane needs of b: its number of digits and its first two. */
typedef struct {
	unsigned len;
	char d0, d1;
} lane_bound;

static lane_bound bound_of(uint64_t b)
{
	lane_bound bb = { 1, 0, 0 };
	uint64_t top = b;   /* becomes b's first two digits */
	while (top >= 100) {
		top /= 10;
		bb.len++;
	}
	if (top >= 10) {
		bb.len++;
		bb.d0 = (char)('0' + top / 10);
		bb.d1 = (char)('0' + top % 10);
	} else {
		bb.d0 = (char)('0' + top);
		bb.d1 = 0;   /* one digit: any next byte will do */
	}
	return bb;
}

/* Bits set in x; baseline x86-64 has no popcnt instruction. */
static inline uint64_t popcount64(uint64_t x)
{
	x = x - ((x >> 1) & UINT64_C(0x5555555555555555));
	x = (x & UINT64_C(0x3333333333333333)) + ((x >> 2) & UINT64_C(0x3333333333333333));
	x = (x + (x >> 4)) & UINT64_C(0x0F0F0F0F0F0F0F0F);
	return (x * UINT64_C(0x0101010101010101)) >> 56;
}

/*
 * Runs through the values of a row whose runner-up b is at least 3: from
 * then on the values 0..4 no longer matter (see pc_closed_result), and a
 * field can only beat b if it has more digits than b, or as many and its
 * first two digits are at least b's (a field with leading zeros is then
 * below b, or a candidate by its length).  64-byte windows of plain digits,
 * commas and LFs are classified at once; only the candidates are parsed
 * and compared exactly, the rest just counted.  Stops at what it does not
 * take (blanks, quotes, CR, empty fields, 20 digits or more, the block's
 * last 64 bytes) with p at that field's start, or just past the row's LF
 * with *row_end on it.
 */
typedef lane_masks classify_fn(const char *p, char d0, char d1);

static inline __attribute__((always_inline)) const char *
lane_with(classify_fn *classify64, const char *p, const char *end, pc_closed *st,
	  const char **row_end)
{
	uint64_t a = st->a, b = st->b, count = st->count;
	lane_bound bb = bound_of(b);

	while (end - p >= 65) {
		const char *base = p;
		lane_masks m = classify64(base, bb.d0, bb.d1);
		uint64_t delims = m.comma | m.lf;
		uint64_t starts = (delims << 1) | 1;
		uint64_t bad = ~(m.digit | delims) | (starts & delims);
		uint64_t good = (bad & -bad) - 1;          /* before the first bad byte */
		uint64_t lf = m.lf & good;
		if (lf)
			good &= ((lf & -lf) << 1) - 1;     /* up to the row's LF */
		uint64_t ends = delims & good;             /* the fields taken end here */
		if (!ends)
			break;
		unsigned last = 63 - (unsigned)__builtin_clzll(ends);
		uint64_t taken = last == 63 ? UINT64_MAX : (UINT64_C(2) << last) - 1;

		/* runs of at least len(b) and len(b)+1 digits from each start */
		uint64_t run = m.digit;
		for (unsigned i = 1; i < bb.len; i++)
			run &= m.digit >> i;
		uint64_t longer = run & (m.digit >> bb.len);
		uint64_t cand = starts & taken & (longer | (run & m.prefix));

		while (cand) {
			unsigned s = (unsigned)__builtin_ctzll(cand);
			const char *f = base + s;
			size_t len = (size_t)__builtin_ctzll(delims >> s);
			cand &= cand - 1;
			if (len > 19) {   /* may overflow: the general path decides */
				count += popcount64(delims & ((UINT64_C(1) << s) - 1));
				p = f;
				goto out;
			}
			uint64_t v = 0;
			for (size_t i = 0; i < len; i++)
				v = v * 10 + (uint64_t)(f[i] - '0');
			if (v > b) {
				if (v > a) {
					b = a;
					a = v;
				} else {
					b = v;
				}
				bb = bound_of(b);
			}
		}
		count += popcount64(ends);
		p = base + last + 1;
		if (lf && (lf & -lf) == (UINT64_C(1) << last)) {
			*row_end = base + last;
			break;
		}
	}
out:
	st->a = a;
	st->b = b;
	st->count = count;
	return p;
}

static const char *lane_sse2(const char *p, const char *end, pc_closed *st, const char **row_end)
{
	return lane_with(classify64_sse2, p, end, st, row_end);
}

#ifdef PC_HAVE_AVX2_LANE
__attribute__((target("avx2")))
static const char *lane_avx2(const char *p, const char *end, pc_closed *st, const char **row_end)
{
	return lane_with(classify64_avx2, p, end, st, row_end);
}
#endif

/* The widest lane this CPU runs: both give the same answers. */
static const char *lane(const char *p, const char *end, pc_closed *st, const char **row_end)
{
#ifdef PC_HAVE_AVX2_LANE
	if (__builtin_cpu_supports("avx2"))
		return lane_avx2(p, end, st, row_end);
#endif
	return lane_sse2(p, end, st, row_end);
}
#endif

/* The row's fields after its name, to the row's end or the block's. */
static int parse_values(parser *P)
{
	const bool exhaustive = P->o->method == PC_METHOD_EXHAUSTIVE;
	pc_closed st = P->row->closed;
	const char *p = P->p;
	int end;
#ifdef PC_HAVE_LANE
	unsigned lane_rest = 0;   /* fields to go before trying the lane again */
#endif

	for (;;) {
		uint64_t v = 0;
		unsigned d;
#ifdef PC_HAVE_LANE
		if (!exhaustive && st.b >= 3 && lane_rest-- == 0) {
			const char *from = p, *lf = NULL;
			p = lane(p, P->end, &st, &lf);
			if (lf) {
				P->eol = lf;
				P->eol_dline = P->dline;
				P->eol_line_start = P->line_start;
				newline(P, lf);
				P->p = p;
				end = END_ROW;
				break;
			}
			/* no headway: let the general path take a few fields */
			lane_rest = p == from ? 16 : 0;
		}
#endif
		d = (unsigned char)*p - '0';
		if (likely(d <= 9)) {
			/* digits, then ',' or LF */
			const char *f = p;
			v = d;
			for (p++; (d = (unsigned char)*p - '0') <= 9 && v < U64_MAX_DIV10; p++)
				v = v * 10 + d;
			if (likely(*p == ',' || *p == '\n')) {
				if (exhaustive)
					push_value(P->row, v);
				else
					pc_closed_add(&st, v);
				if (*p++ == ',')
					continue;
				P->eol = p - 1;
				P->eol_dline = P->dline;
				P->eol_line_start = P->line_start;
				newline(P, p - 1);
				P->p = p;
				end = END_ROW;
				break;
			}
			p = f;
		}
		if (p == P->end && P->blk->continues) {
			P->p = p;
			end = END_BLOCK;   /* the row goes on in the next block */
			break;
		}
		P->p = p;
		end = parse_field(P, &v);
		if (end == END_ERROR)
			break;
		if (exhaustive)
			push_value(P->row, v);
		else
			pc_closed_add(&st, v);
		p = P->p;
		if (end == END_ROW)
			break;
	}
	P->row->closed = st;
	return end;
}

/* The row ended well: write name,x,y (or find it short). */
static int finish_row(parser *P)
{
	pc_carry *row = P->row;
	pc_buf *out = &P->res->out;
	const bool exhaustive = P->o->method == PC_METHOD_EXHAUSTIVE;
	size_t k = exhaustive ? row->nvalues : (size_t)row->closed.count;

	if (k < 2)
		return fail_short_row(P);
	pc_couple c = exhaustive ? pc_exhaustive(row->values, k) : pc_closed_result(&row->closed);
	pc_buf_reserve(out, P->name_len + 2 + 2 * 20 + 3);
	if (P->name_wrap)
		out->data[out->len++] = '"';
	if (P->name_len)   /* an empty carried name has no buffer */
		memcpy(out->data + out->len, P->name, P->name_len);
	out->len += P->name_len;
	if (P->name_wrap)
		out->data[out->len++] = '"';
	out->data[out->len++] = ',';
	out->len += pc_u64_to_dec(c.x, out->data + out->len);
	out->data[out->len++] = ',';
	out->len += pc_u64_to_dec(c.y, out->data + out->len);
	out->data[out->len++] = '\n';
	P->res->scored++;
	return END_ROW;
}

/*
 * Skip the rest of a bad row from `from` (a field's start, where the quote
 * parity is even) to the first LF outside quotes: the same rule the reader
 * cuts blocks by.  Returns false when the row goes on in the next block.
 */
static bool skip_row(parser *P, const char *from)
{
	bool quoted = false;
	for (const char *q = from; q < P->end; q++) {
		if (*q == '"') {
			quoted = !quoted;
		} else if (*q == '\n') {
			newline(P, q);
			if (!quoted) {
				P->p = q + 1;
				return true;
			}
		}
	}
	P->p = P->end;
	return !P->blk->continues;
}

/* A row is over: count it, and keep it verbatim if it was bad. */
static void end_row(parser *P, bool bad)
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
static void carry_row(parser *P, bool bad)
{
	pc_carry *row = P->row;

	if (!row->active || row->name.data != P->name) {
		row->name.len = 0;
		if (P->name_wrap)
			pc_buf_addc(&row->name, '"');
		pc_buf_add(&row->name, P->name, P->name_len);
		if (P->name_wrap)
			pc_buf_addc(&row->name, '"');
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
static bool settle_row(parser *P, int end)
{
	switch (end) {
	case END_ROW:
		end = finish_row(P);
		if (end == END_ROW) {
			end_row(P, false);
			return true;
		}
		break;
	case END_BLOCK:
		carry_row(P, false);
		return true;
	case END_ERROR:
		if (P->o->skip && !skip_row(P, P->p)) {
			carry_row(P, true);
			return true;
		}
		break;
	}
	/* a bad row (END_ERROR or END_SHORT) */
	if (!P->o->skip) {
		P->res->stopped = true;
		return false;
	}
	end_row(P, true);
	return true;
}

/* Blank lines (LF or CRLF alone, or a CR that ends the input) are skipped. */
static bool skip_blank_line(parser *P)
{
	const char *p = P->p;
	if (cr_at_input_end(P, p)) {
		P->p = P->end;
		return true;
	}
	if (*p == '\r' && p[1] == '\n')
		p++;
	if (*p != '\n')
		return false;
	newline(P, p);
	P->p = p + 1;
	return true;
}

void pc_score_block(const pc_score_opts *o, const pc_block *blk,
		    pc_carry *row, pc_result *res)
{
	parser P = { .o = o, .blk = blk, .row = row, .res = res,
		     .p = blk->data, .end = blk->data + blk->len,
		     .line_start = blk->data };

	pc_result_reset(res);
	if (blk->kind != PC_BLOCK_ROWS)
		return;

	if (blk->continued && row->active) {
		P.row_start = P.p;
		P.name = row->name.data;
		P.name_len = row->name.len;
		P.name_wrap = false;
		bool go_on;
		if (row->bad) {
			if (skip_row(&P, P.p))
				end_row(&P, true);
			else
				carry_row(&P, true);
			go_on = true;
		} else {
			go_on = settle_row(&P, parse_values(&P));
		}
		if (!go_on)
			goto done;
	}
	while (P.p < P.end) {
		if (skip_blank_line(&P))
			continue;
		P.row_start = P.p;
		P.row_dline = P.dline;
		P.row_line_start = P.line_start;
		row->active = false;
		pc_closed_init(&row->closed);
		row->nvalues = 0;

		int end = parse_name(&P);
		if (end == END_ERROR) {
			/* rescan the name from its start, counting its lines once */
			P.dline = P.row_dline;
			P.line_start = P.row_line_start;
			P.p = P.row_start;
		} else if (end == END_COMMA) {
			end = parse_values(&P);
		}
		if (!settle_row(&P, end))
			break;
	}
done:
	res->nlines = P.dline;
	res->tail = (uint64_t)(P.end - P.line_start);
}
