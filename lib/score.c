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

#include "field.h"
#include "lane.h"
#include "rows.h"
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


/* The row's fields after its name, to the row's end or the block's. */
static int parse_values(pc_parser *P)
{
	const bool exhaustive = P->o->method == PC_METHOD_EXHAUSTIVE;
	const char delim = P->delim;
	pc_closed st = P->row->closed;
	const char *p = P->p;
	int end;
#if PC_HAVE_LANE
	unsigned lane_rest = 0;   /* fields to go before trying the lane again */
#endif

	for (;;) {
		uint64_t v = 0;
		unsigned d;
#if PC_HAVE_LANE
		/* the lane knows commas only; another delimiter takes the general path */
		if (!exhaustive && delim == ',' && st.b >= 3 && lane_rest-- == 0) {
			const char *from = p, *lf = NULL;
			p = pc_lane(p, P->end, &st, &lf);
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
#endif
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

		int end = pc_parse_name(&P);
		if (end == PC_END_ERROR) {
			/* rescan the name from its start, counting its lines once */
			P.dline = P.row_dline;
			P.line_start = P.row_line_start;
			P.p = P.row_start;
		} else if (end == PC_END_COMMA) {
			end = parse_values(&P);
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
