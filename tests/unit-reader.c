/* unit-reader.c - the block reader's promises, on generated inputs:
 * blocks put back together give the input; rows are cut only outside
 * quotes; a row is split only after a comma; framing lines, and only
 * they, come as blocks of their own.                                   */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "reader.h"
#include "rows.h"
#include "tap.h"

/* A CSV text with the awkward cases; frames=true adds framing lines. */
static void make_input(pc_buf *b, bool frames)
{
	static const char *names[] = { "A", "\"Doe, J.\"", "\"two\nlines\"", "\"q\"\"uote\"",
				       "#pc:notaframe", "\"#pc:chunk,quoted\"", "\"\n\n\"" };
	int rows = 1 + (int)(rnd() % 60);
	if (rnd() % 2)
		pc_buf_add(b, "\xEF\xBB\xBF", 3);
	for (int r = 0; r < rows; r++) {
		if (frames && rnd() % 5 == 0) {
			const char *f = rnd() % 2 ? "#pc:chunk v=1 id=0123456789abcdef index=1\n"
						  : "#pc:end v=1 id=0123456789abcdef index=1 rows=0\r\n";
			pc_buf_add(b, f, strlen(f));
		}
		const char *n = names[rnd() % (sizeof names / sizeof names[0])];
		pc_buf_add(b, n, strlen(n));
		int k = 2 + (int)(rnd() % (rnd() % 8 == 0 ? 300 : 6));
		for (int i = 0; i < k; i++) {
			char num[32];
			int len = snprintf(num, sizeof num, rnd() % 9 ? ",%llu" : ", \"%llu\" ",
					   (unsigned long long)(rnd() % 1000));
			pc_buf_add(b, num, (size_t)len);
		}
		if (rnd() % 10 == 0)
			pc_buf_add(b, "\n", 1);   /* a blank line */
		if (r + 1 < rows || rnd() % 3) {   /* the last line may lack its ending */
			const char *eol = rnd() % 4 ? "\n" : "\r\n";
			pc_buf_add(b, eol, strlen(eol));
		}
	}
}

static bool even_quotes(const char *d, size_t n)
{
	size_t q = 0;
	for (size_t i = 0; i < n; i++)
		q += d[i] == '"';
	return q % 2 == 0;
}

/* Read `text` back with block size `bs`; 0 when every promise holds. */
static int check(const pc_buf *text, size_t bs, char *why, size_t why_size)
{
	char path[] = "/tmp/pc-unit-reader.XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0 || write(fd, text->data, text->len) != (ssize_t)text->len) {
		snprintf(why, why_size, "cannot write %s", path);
		return -1;
	}
	close(fd);
	char *files[] = { path };
	pc_reader *r = pc_reader_new(files, 1, bs);
	pc_block blk;
	pc_block_init(&blk);
	pc_buf back;
	pc_buf_init(&back);
	size_t skip = text->len >= 3 && memcmp(text->data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	int got, bad = 0;
	bool in_row = false;
	uint64_t seq = 0;

	while ((got = pc_reader_next(r, &blk)) > 0 && !bad) {
		if (blk.seq != seq++)
			snprintf(why, why_size, "block %llu out of order", (unsigned long long)blk.seq), bad = 1;
		else if (blk.continued != in_row)
			snprintf(why, why_size, "continued flag wrong at block %llu", (unsigned long long)blk.seq), bad = 1;
		else if (memcmp(blk.data + blk.len, (const char[PC_BLOCK_PAD]){ 0 }, PC_BLOCK_PAD) != 0)
			snprintf(why, why_size, "not PC_BLOCK_PAD NUL bytes after the data"), bad = 1;
		else if (!even_quotes(blk.data, blk.len))
			snprintf(why, why_size, "block %llu ends inside quotes", (unsigned long long)blk.seq), bad = 1;
		else if (blk.kind == PC_BLOCK_FRAME &&
			 (blk.len < 4 || memcmp(blk.data, "#pc:", 4) || memchr(blk.data, ',', blk.len)))
			snprintf(why, why_size, "a frame block that is no framing line"), bad = 1;
		else if (blk.kind == PC_BLOCK_ROWS && blk.continues && blk.data[blk.len - 1] != ',')
			snprintf(why, why_size, "a row split elsewhere than after a comma"), bad = 1;
		else if (blk.kind == PC_BLOCK_ROWS && !blk.continues && !blk.file_end &&
			 blk.len && blk.data[blk.len - 1] != '\n')
			snprintf(why, why_size, "a block that ends inside a row"), bad = 1;
		else if (blk.kind == PC_BLOCK_FIELD_TOO_LONG)
			snprintf(why, why_size, "field too long"), bad = 1;
		pc_buf_add(&back, blk.data, blk.len);
		if (blk.kind == PC_BLOCK_FRAME) {
			/* the frame lost its line ending; put back what the input had */
			const char *src = text->data + skip + (back.len - blk.len);
			size_t extra = src[blk.len] == '\r' ? 2 : src[blk.len] == '\n' ? 1 : 0;
			pc_buf_add(&back, src + blk.len, extra);
		}
		in_row = blk.continues;
	}
	if (!bad && got < 0)
		snprintf(why, why_size, "read error"), bad = 1;
	if (!bad && (back.len != text->len - skip || memcmp(back.data, text->data + skip, back.len)))
		snprintf(why, why_size, "blocks do not add up to the input (%zu vs %zu bytes)",
			 back.len, text->len - skip), bad = 1;
	pc_reader_free(r);
	pc_block_free(&blk);
	pc_buf_free(&back);
	unlink(path);
	return bad;
}

/* The row grammar of SPEC 2, one byte at a time: the LF that ends the row
 * starting at d[0], or NULL when d[0..n) ends first. */
static const char *naive_row_end(const char *d, size_t n)
{
	enum { START, TEXT, QUOTED, CLOSED } st = START;
	for (size_t i = 0; i < n; i++) {
		char c = d[i];
		switch (st) {
		case START:
			if (c == '"')
				st = QUOTED;
			else if (c == '\n')
				return d + i;
			else if (c != ' ' && c != '\t' && c != ',')
				st = TEXT;
			break;
		case TEXT:
			if (c == ',')
				st = START;
			else if (c == '\n')
				return d + i;
			break;   /* a stray quote opens nothing */
		case QUOTED:
			if (c == '"')
				st = CLOSED;
			break;
		case CLOSED:
			if (c == '"')
				st = QUOTED;   /* "" */
			else if (c == ',')
				st = START;
			else if (c == '\n')
				return d + i;
			else
				st = TEXT;
			break;
		}
	}
	return NULL;
}

/* pc_row_scan() against the byte-by-byte grammar, in one piece and cut in
 * two at every point (the state carried across), on bytes that are often
 * quotes, commas, blanks and LFs. */
static void check_row_scan(void)
{
	static const char alphabet[] = { '"', '"', ',', ' ', '\t', '\n', 'a', '\r' };
	char buf[48];
	int bad = 0;
	for (int t = 0; t < 20000 && !bad; t++) {
		size_t n = 1 + rnd() % sizeof buf;
		for (size_t i = 0; i < n; i++)
			buf[i] = alphabet[rnd() % sizeof alphabet];
		const char *want = naive_row_end(buf, n);
		for (size_t cut = 0; cut <= n && !bad; cut++) {
			pc_field_state st = PC_FIELD_START;
			const char *got = pc_row_scan(&st, buf, buf + cut, ',');
			if (!got)
				got = pc_row_scan(&st, buf + cut, buf + n, ',');
			if (got != want) {
				bad = 1;
				printf("# row end of \"%.*s\" cut at %zu: %td, want %td\n", (int)n, buf, cut,
				       got ? got - buf : -1, want ? want - buf : -1);
			}
		}
	}
	ok(!bad, "pc_row_scan agrees with the byte-by-byte grammar, whole and cut anywhere");
}

int main(void)
{
	tap_rng_state = 7;
	check_row_scan();
	static const size_t sizes[] = { 1, 2, 3, 5, 8, 13, 64, 100, 1000, 1 << 20 };
	char why[200] = "";
	for (int frames = 0; frames < 2; frames++) {
		for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
			int bad = 0;
			for (int t = 0; t < 60 && !bad; t++) {
				pc_buf text;
				pc_buf_init(&text);
				make_input(&text, frames);
				bad = check(&text, sizes[s], why, sizeof why);
				pc_buf_free(&text);
			}
			ok(!bad, "block size %zu%s: 60 inputs read back whole %s", sizes[s],
			   frames ? ", with framing lines" : "", bad ? why : "");
		}
	}

	/* A frame line is a block of its own; "#pc:" with a comma is data. */
	pc_buf t;
	pc_buf_init(&t);
	const char *sample = "A,1,2\n#pc:chunk v=1 id=0123456789abcdef index=1\n#pc:x,1,2\nB,3,4\n";
	pc_buf_add(&t, sample, strlen(sample));
	char path[] = "/tmp/pc-unit-reader.XXXXXX";
	int fd = mkstemp(path);
	ok(fd >= 0 && write(fd, t.data, t.len) == (ssize_t)t.len, "write a framed sample");
	close(fd);
	char *files[] = { path };
	pc_reader *r = pc_reader_new(files, 1, 1 << 20);
	pc_block blk;
	pc_block_init(&blk);
	int kinds[8], n = 0;
	while (n < 8 && pc_reader_next(r, &blk) > 0)
		kinds[n++] = blk.kind;
	ok(n == 3 && kinds[0] == PC_BLOCK_ROWS && kinds[1] == PC_BLOCK_FRAME && kinds[2] == PC_BLOCK_ROWS,
	   "rows, a frame, rows (got %d blocks)", n);
	pc_reader_free(r);
	pc_block_free(&blk);
	pc_buf_free(&t);
	unlink(path);

	/* pc_rows_count() across pieces cut after a comma, as the reader cuts
	 * a scored row longer than a block (pc-merge): a name of 2 MiB - 10,
	 * then rows that end with their piece, and one that does not. */
	size_t big = ((size_t)2 << 20) - 10;
	pc_buf_init(&t);
	pc_buf_reserve(&t, big + 64);
	memset(t.data, 'n', big);
	t.len = big;
	static const char rest[] = ",18446744073709551615,1\nb,4,3\nc,6,5\nd,8,";
	pc_buf_add(&t, rest, strlen(rest));
	size_t cut1 = big + 1;                      /* after "name," */
	size_t cut2 = cut1 + strlen("18446744073709551615,1\nb,4,3\n");   /* ends at a row end */
	size_t cut3 = cut2 + strlen("c,6,5\nd,8,");   /* and one mid-row */
	pc_buf_add(&t, "7\n", 2);
	pc_row_pos pos = { 0 };
	uint64_t blanks = 0, c[4];
	c[0] = pc_rows_count(t.data, t.data + cut1, false, &pos, &blanks, ',');
	c[1] = pc_rows_count(t.data + cut1, t.data + cut2, false, &pos, &blanks, ',');
	c[2] = pc_rows_count(t.data + cut2, t.data + cut3, false, &pos, &blanks, ',');
	c[3] = pc_rows_count(t.data + cut3, t.data + t.len, true, &pos, &blanks, ',');
	ok(c[0] == 1 && c[1] == 1 && c[2] == 2 && c[3] == 0 && !pos.in_row && blanks == 0,
	   "a row of 2 MiB in pieces: rows 1, 1, 2, 0 (got %llu, %llu, %llu, %llu)",
	   (unsigned long long)c[0], (unsigned long long)c[1], (unsigned long long)c[2],
	   (unsigned long long)c[3]);

	/* the same text through the reader with 1 MiB blocks, which cuts the
	 * long row after its name's comma (its LF is past 2 MiB): 4 rows */
	char path2[] = "/tmp/pc-unit-reader.XXXXXX";
	fd = mkstemp(path2);
	ok(fd >= 0 && write(fd, t.data, t.len) == (ssize_t)t.len, "write a row of 2 MiB");
	close(fd);
	char *files2[] = { path2 };
	r = pc_reader_new(files2, 1, 1 << 20);
	pc_block_init(&blk);
	pos = (pc_row_pos){ 0 };
	uint64_t rows = 0;
	int cut_rows = 0;
	while (pc_reader_next(r, &blk) > 0 && blk.kind == PC_BLOCK_ROWS) {
		rows += pc_rows_count(blk.data, blk.data + blk.len, blk.file_end, &pos, NULL, blk.delim);
		cut_rows += blk.continues;
	}
	ok(rows == 4 && cut_rows >= 1, "read in 1 MiB blocks (%d cut in a row), the rows are counted once each: %llu",
	   cut_rows, (unsigned long long)rows);
	pc_reader_free(r);
	pc_block_free(&blk);
	pc_buf_free(&t);
	unlink(path2);
	return tap_done();
}
