/* frame.c - parse and write chunk framing lines. */
#include <config.h>

#include <string.h>

#include "buf.h"
#include "frame.h"

/* key=value with a whole-number value; 0 on a match. */
static int number_field(const char *tok, size_t n, const char *key, uint64_t *out)
{
	size_t k = strlen(key);
	char digits[24];
	if (n <= k + 1 || n - k - 1 >= sizeof digits || memcmp(tok, key, k) != 0 || tok[k] != '=')
		return -1;
	memcpy(digits, tok + k + 1, n - k - 1);
	digits[n - k - 1] = '\0';
	return pc_parse_u64(digits, out);
}

int pc_frame_parse(const char *line, size_t len, pc_frame *f, const char **why)
{
	const char *p = line, *end = line + len;
	bool have_v = false, have_id = false, have_index = false, have_rows = false;
	bool have_scored = false, have_rejected = false, have_file = false, have_line = false;
	uint64_t v;

	*f = (pc_frame){ 0 };
	if (len >= 10 && memcmp(p, "#pc:chunk ", 10) == 0) {
		f->type = PC_FRAME_CHUNK;
		p += 10;
	} else if (len >= 8 && memcmp(p, "#pc:end ", 8) == 0) {
		f->type = PC_FRAME_END;
		p += 8;
	} else {
		*why = "unknown framing line (expected #pc:chunk or #pc:end)";
		return -1;
	}
	while (p < end) {
		const char *sp = memchr(p, ' ', (size_t)(end - p));
		size_t n = (size_t)((sp ? sp : end) - p);
		if (n == 0) {
			p++;
			continue;
		}
		if (n == 19 && memcmp(p, "id=", 3) == 0) {
			for (size_t i = 3; i < 19; i++)
				if (!p[i] || !strchr("0123456789abcdef", p[i])) {
					*why = "bad run id (expected 16 hex digits)";
					return -1;
				}
			memcpy(f->id, p + 3, 16);
			have_id = true;
		} else if (number_field(p, n, "v", &v) == 0) {
			if (v != 1) {
				*why = "unsupported framing version (expected v=1)";
				return -1;
			}
			have_v = true;
		} else if (number_field(p, n, "index", &f->index) == 0) {
			if (f->index == 0) {
				*why = "index=0 (chunks count from 1)";
				return -1;
			}
			have_index = true;
		} else if (f->type == PC_FRAME_CHUNK && number_field(p, n, "count", &f->count) == 0) {
			/* optional: the number of chunks, when known */
		} else if (f->type == PC_FRAME_CHUNK && n > 5 && memcmp(p, "file=", 5) == 0) {
			f->file_enc = p + 5;
			f->file_enc_len = n - 5;
			have_file = true;
		} else if (f->type == PC_FRAME_CHUNK && number_field(p, n, "line", &f->line) == 0) {
			have_line = f->line >= 1;
		} else if (f->type == PC_FRAME_CHUNK && n == 8 && memcmp(p, "header=1", 8) == 0) {
			f->header = true;
		} else if (f->type == PC_FRAME_CHUNK && n > 6 && memcmp(p, "delim=", 6) == 0) {
			char c[4];
			pc_buf dec = { .data = c, .cap = sizeof c };
			if (n != 9 || pc_frame_decode_name(p + 6, 3, &dec) != 0 || dec.len != 1 ||
			    !pc_frame_delim_ok(c[0])) {
				*why = "bad delim= value (expected %XX, a delimiter -t takes)";
				return -1;
			}
			f->delim = c[0] == ',' ? 0 : c[0];
		} else if (f->type == PC_FRAME_END && number_field(p, n, "rows", &f->rows) == 0) {
			have_rows = true;
		} else if (f->type == PC_FRAME_END && number_field(p, n, "scored", &f->scored) == 0) {
			have_scored = true;
		} else if (f->type == PC_FRAME_END && number_field(p, n, "rejected", &f->rejected) == 0) {
			have_rejected = true;
		} else if (f->type == PC_FRAME_END && n == 6 && memcmp(p, "last=1", 6) == 0) {
			f->last = true;
		} else {
			*why = "unknown field in framing line";
			return -1;
		}
		p += n;
	}
	if (!have_v || !have_id || !have_index || (f->type == PC_FRAME_END && !have_rows) ||
	    have_scored != have_rejected) {
		*why = "incomplete framing line (needs v=1, id=, index= and, on #pc:end, rows=)";
		return -1;
	}
	if (have_file != have_line) {
		*why = "file= and line= go together (line counts from 1)";
		return -1;
	}
	f->scored_counts = have_scored;
	return 0;
}

void pc_frame_format(const pc_frame *f, pc_buf *out)
{
	pc_buf_add(out, f->type == PC_FRAME_CHUNK ? "#pc:chunk v=1 id=" : "#pc:end v=1 id=",
		   f->type == PC_FRAME_CHUNK ? 17 : 15);
	pc_buf_add(out, f->id, 16);
	pc_buf_add(out, " index=", 7);
	pc_buf_add_u64(out, f->index);
	if (f->type == PC_FRAME_CHUNK) {
		if (f->count) {
			pc_buf_add(out, " count=", 7);
			pc_buf_add_u64(out, f->count);
		}
		if (f->line) {
			pc_buf_add(out, " file=", 6);
			pc_buf_add(out, f->file_enc, f->file_enc_len);
			pc_buf_add(out, " line=", 6);
			pc_buf_add_u64(out, f->line);
		}
		if (f->header)
			pc_buf_add(out, " header=1", 9);
		if (f->delim && f->delim != ',') {
			char d[2] = { f->delim, '\0' };
			pc_buf_add(out, " delim=", 7);
			pc_frame_encode_name(d, out);
		}
	} else {
		pc_buf_add(out, " rows=", 6);
		pc_buf_add_u64(out, f->rows);
		if (f->scored_counts) {
			pc_buf_add(out, " scored=", 8);
			pc_buf_add_u64(out, f->scored);
			pc_buf_add(out, " rejected=", 10);
			pc_buf_add_u64(out, f->rejected);
		}
		if (f->last)
			pc_buf_add(out, " last=1", 7);
	}
	pc_buf_addc(out, '\n');
}

/* Every delimiter passes here (-t and a chunk's delim=): only ASCII ones,
 * which the lane (lib/lane.c, bound_of) counts on: none is 0xFF. */
bool pc_frame_delim_ok(char c)
{
	return c == '\t' || (c && strchr("!$&'()*,;<>?[\\]^`{|}", c));
}

static bool plain_name_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("-._~/+@:", c));
}

void pc_frame_encode_name(const char *name, pc_buf *out)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if (plain_name_byte(*p)) {
			pc_buf_addc(out, (char)*p);
		} else {
			char e[3] = { '%', hex[*p >> 4], hex[*p & 15] };
			pc_buf_add(out, e, 3);
		}
	}
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int pc_frame_decode_name(const char *enc, size_t n, pc_buf *out)
{
	for (size_t i = 0; i < n; i++) {
		if (enc[i] != '%') {
			pc_buf_addc(out, enc[i]);
			continue;
		}
		int hi = i + 2 < n ? hex_digit(enc[i + 1]) : -1;
		int lo = i + 2 < n ? hex_digit(enc[i + 2]) : -1;
		if (hi < 0 || lo < 0 || (hi | lo) == 0)
			return -1;   /* malformed, or a NUL no file name holds */
		pc_buf_addc(out, (char)(hi << 4 | lo));
		i += 2;
	}
	return 0;
}
