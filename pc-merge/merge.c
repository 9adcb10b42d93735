/* merge.c - pc-merge's state and checks (see merge.h). */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "merge.h"

static const char *shown(const char *file)
{
	return strcmp(file, "-") == 0 ? "standard input" : file;
}

static void give_up(merger *m);

/* "pc-merge: run ID: ..." and the run is failed: no more rows go out. */
static void problem(merger *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(merger *m, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s: ", pc_program_name());
	if (m->id[0])
		fprintf(stderr, "run %s: ", m->id);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	m->problems++;
	give_up(m);
}

/* The run has failed: nothing more is worth keeping or writing. */
static void give_up(merger *m)
{
	if (m->broken)
		return;
	m->broken = true;
	for (size_t i = 0; i < m->table.cap; i++) {
		chunk *c = &m->table.slot[i];
		if (c->index && c->state == CHUNK_WAITING) {
			store_drop(&m->store, c);
			c->state = CHUNK_DROPPED;
		}
	}
	if (m->dest != NOWHERE && m->where == IN_CHUNK) {
		chunk *c = chunk_find(&m->table, m->head.index);
		if (c)
			store_drop(&m->store, c);
		m->dest = NOWHERE;
	}
}

/* The chunk is bad (reported): it holds its index, so it is not "missing". */
static void mark_bad(merger *m, uint64_t index)
{
	chunk *c = chunk_find(&m->table, index);
	if (!c && index >= m->next)
		c = chunk_add(&m->table, index, CHUNK_BAD);
	give_up(m);
	if (c) {
		store_drop(&m->store, c);
		c->state = CHUNK_BAD;
	}
}

static int write_out(merger *m, const char *p, size_t n)
{
	return pc_outfile_write(&m->out, p, n) == 0 ? 0 : -1;
}

/* Write the waiting chunks whose turn has come. */
static int catch_up(merger *m)
{
	chunk *c;
	while (!m->broken && (c = chunk_find(&m->table, m->next)) && c->state == CHUNK_WAITING) {
		if (store_write(&m->store, c, &m->out) != 0)
			return -1;
		store_drop(&m->store, c);
		c->state = CHUNK_WRITTEN;
		m->next++;
	}
	return 0;
}

/* ---- chunks -------------------------------------------------------------- */

/* The chunk being read ends without its trailer; `where` says how. */
static void truncated(merger *m, const char *where, const char *file, uint64_t line)
{
	if (m->head.index) {   /* not a chunk already told of as foreign or repeated */
		if (line)
			problem(m, "chunk %llu is truncated (no #pc:end line before %s at %s:%llu)",
				(unsigned long long)m->head.index, where, shown(file),
				(unsigned long long)line);
		else
			problem(m, "chunk %llu is truncated (no #pc:end line before the end of %s)",
				(unsigned long long)m->head.index, shown(file));
		mark_bad(m, m->head.index);
	}
	m->where = OUTSIDE;
}

/* Chunk 1 goes out first: after the header line, when the input had one
 * (header=1), with the chunks' delimiter in place of commas. */
static int write_header(merger *m, const pc_frame *f)
{
	const char d = f->delim ? f->delim : ',';
	const char line[] = { 'n', 'a', 'm', 'e', d, 'x', d, 'y', '\n' };
	return f->header ? write_out(m, line, sizeof line) : 0;
}

static int start_chunk(merger *m, const pc_frame *f)
{
	if (!m->id[0])
		memcpy(m->id, f->id, sizeof m->id);
	m->where = IN_CHUNK;
	m->head = *f;
	m->pos = (pc_row_pos){ 0 };
	m->blanks = 0;
	m->dest = NOWHERE;
	if (strcmp(f->id, m->id) != 0) {
		problem(m, "two runs: %s and %s (chunk %llu of run %s, %s:%llu)", m->id, f->id,
			(unsigned long long)f->index, f->id, shown(m->file),
			(unsigned long long)m->line);
		m->head.index = 0;   /* nothing of ours to mark */
		return 0;
	}
	if (!m->format_seen) {
		m->format_seen = f->index;
		m->header = f->header;
		m->delim = f->delim;
	} else if (f->header != m->header || f->delim != m->delim) {
		problem(m, "chunk %llu has other header=/delim= fields than chunk %llu",
			(unsigned long long)f->index, (unsigned long long)m->format_seen);
	}
	if (f->count) {
		if (!m->count)
			m->count = f->count;
		else if (f->count != m->count)
			problem(m, "chunk %llu says count=%llu but an earlier one said count=%llu",
				(unsigned long long)f->index, (unsigned long long)f->count,
				(unsigned long long)m->count);
	}
	if (f->index < m->next || chunk_find(&m->table, f->index)) {
		problem(m, "chunk %llu appears twice (again at %s:%llu)", (unsigned long long)f->index,
			shown(m->file), (unsigned long long)m->line);
		m->head.index = 0;
		return 0;
	}
	if (f->index > m->top)
		m->top = f->index;
	if (f->index == m->next && !m->broken) {
		m->dest = TO_OUTPUT;   /* its turn: straight out */
		return f->index == 1 ? write_header(m, f) : 0;
	}
	chunk_add(&m->table, f->index, CHUNK_COMING);
	m->dest = m->broken ? NOWHERE : TO_TABLE;
	return 0;
}

/* The chunk's trailer; `why` what the checker found wrong with it, or NULL. */
static int end_chunk(merger *m, const pc_frame *f, const char *why)
{
	uint64_t index = m->head.index;

	m->where = OUTSIDE;
	if (index == 0)
		return 0;   /* foreign or repeated: told already */
	if (why) {
		problem(m, "chunk %llu: %s", (unsigned long long)index, why);
		mark_bad(m, index);
		return 0;
	}
	if (f->last) {
		if (m->last)
			problem(m, "chunks %llu and %llu both say last=1",
				(unsigned long long)m->last, (unsigned long long)index);
		else
			m->last = index;
	}
	if (m->dest == TO_OUTPUT) {
		m->next++;
		return catch_up(m);
	}
	chunk *c = chunk_find(&m->table, index);
	if (!c)   /* it was going out when the run failed */
		c = chunk_add(&m->table, index, CHUNK_DROPPED);
	c->state = m->dest == TO_TABLE ? CHUNK_WAITING : CHUNK_DROPPED;
	return 0;
}

/* The rows of the chunk being read: count them and the block's LFs (into
 * *lines) in one pass, and send them on in one write. */
static int chunk_rows(merger *m, const pc_block *blk, uint64_t *lines)
{
	pc_chunk_rows(&m->check, pc_rows_count_lines(blk->data, blk->data + blk->len, blk->file_end,
						     &m->pos, &m->blanks, blk->delim, lines));
	switch (m->dest) {
	case TO_OUTPUT:
		return write_out(m, blk->data, blk->len);
	case TO_TABLE:
		return store_keep(&m->store, chunk_find(&m->table, m->head.index), blk->data, blk->len);
	case NOWHERE:
		break;
	}
	return 0;
}

/* ---- the input stream ---------------------------------------------------- */

static bool all_blank(const pc_block *blk)
{
	pc_row_pos pos = { 0 };
	return pc_rows_count(blk->data, blk->data + blk->len, blk->file_end, &pos, NULL, blk->delim) == 0 &&
	       !pos.in_row;
}

/* How many blank lines the block begins with: the line of its first row. */
static uint64_t leading_blanks(const pc_block *blk)
{
	const char *p = blk->data, *end = blk->data + blk->len;
	uint64_t n = 0;
	size_t blank;

	while (p < end && (blank = pc_blank_line(p, end, blk->file_end)) != 0) {
		p += blank;
		n++;
	}
	return n;
}

/* A framing line that does not parse: which chunk it hurts. */
static void corrupt_frame(merger *m, const pc_block *blk, const char *why)
{
	fprintf(stderr, "%s: %s:%llu: corrupt framing line: %s\n", pc_program_name(),
		shown(m->file), (unsigned long long)m->line, why);
	m->problems++;
	give_up(m);
	bool trailer = blk->len >= 7 && memcmp(blk->data, "#pc:end", 7) == 0;
	if (m->where == IN_CHUNK && trailer) {
		/* the chunk cannot be checked: it counts as bad, not as missing */
		if (m->head.index) {
			problem(m, "chunk %llu is truncated (its #pc:end line at %s:%llu is corrupt)",
				(unsigned long long)m->head.index, shown(m->file),
				(unsigned long long)m->line);
			mark_bad(m, m->head.index);
		}
		m->where = OUTSIDE;
	} else if (m->where == IN_CHUNK) {
		truncated(m, "the corrupt line", m->file, m->line);
		m->where = ORPHAN;
	} else {
		m->where = trailer ? OUTSIDE : ORPHAN;
	}
}

static int put_frame(merger *m, const pc_block *blk)
{
	char why[256];
	pc_frame f;

	if (m->kind == KIND_PLAIN) {
		pc_warn("%s:%llu: a framing line in unframed input: merge chunks or plain files, "
			"not both", shown(m->file), (unsigned long long)m->line);
		return PC_EXIT_BAD_INPUT;
	}
	m->kind = KIND_FRAMED;
	pc_buf_free(&m->held);
	m->check.open = m->where == IN_CHUNK;
	pc_chunk_event ev = pc_chunk_frame(&m->check, blk->data, blk->len, &f, why, sizeof why);
	switch (ev) {
	case PC_CHUNK_CORRUPT:
		corrupt_frame(m, blk, why);
		return 0;
	case PC_CHUNK_CUT:
		truncated(m, "the #pc:chunk line", m->file, m->line);
		/* fall through */
	case PC_CHUNK_HEADER:
		return start_chunk(m, &f) == 0 ? 0 : PC_EXIT_TROUBLE;
	case PC_CHUNK_TRAILER:
	case PC_CHUNK_BAD_END:
		m->rejected += f.rejected;
		m->all_rows += f.rows;
		if (ev == PC_CHUNK_TRAILER && m->blanks)
			snprintf(why, sizeof why, "it holds %llu blank line%s (a scorer writes none)",
				 (unsigned long long)m->blanks, m->blanks == 1 ? "" : "s");
		return end_chunk(m, &f, ev == PC_CHUNK_BAD_END || m->blanks ? why : NULL) == 0 ?
			       0 : PC_EXIT_TROUBLE;
	case PC_CHUNK_STRAY_END:
		break;
	}
	if (m->where == ORPHAN) {
		/* the trailer of a chunk whose header was corrupt: now it has a name */
		if (!m->id[0])
			memcpy(m->id, f.id, sizeof m->id);
		if (strcmp(f.id, m->id) == 0 && f.index >= m->next &&
		    !chunk_find(&m->table, f.index)) {
			problem(m, "chunk %llu has a corrupt #pc:chunk line (its #pc:end line is at %s:%llu)",
				(unsigned long long)f.index, shown(m->file), (unsigned long long)m->line);
			chunk_add(&m->table, f.index, CHUNK_BAD);
		}
		m->where = OUTSIDE;
		return 0;
	}
	fprintf(stderr, "%s: %s:%llu: a #pc:end line without a #pc:chunk line (chunk %llu)\n",
		pc_program_name(), shown(m->file), (unsigned long long)m->line,
		(unsigned long long)f.index);
	m->problems++;
	give_up(m);
	return 0;
}

/* A block of rows; *lines gets its LFs when they were counted on the way
 * (and stays NOT_COUNTED otherwise). */
#define NOT_COUNTED UINT64_MAX
static int put_rows(merger *m, const pc_block *blk, uint64_t *lines)
{
	if (m->kind == KIND_FRAMED) {
		if (m->where == IN_CHUNK) {
			*lines = 0;
			return chunk_rows(m, blk, lines) == 0 ? 0 : PC_EXIT_TROUBLE;
		}
		if (m->where == OUTSIDE && !m->outside_told && !all_blank(blk)) {
			fprintf(stderr, "%s: %s:%llu: rows outside any chunk (framed and unframed "
				"input mixed?)\n", pc_program_name(), shown(m->file),
				(unsigned long long)(m->line + leading_blanks(blk)));
			m->outside_told = true;
			m->problems++;
			give_up(m);
		}
		return 0;
	}
	if (blk->len)
		m->plain_lf = blk->data[blk->len - 1] == '\n';
	if (m->kind == KIND_UNKNOWN) {
		if (all_blank(blk)) {
			pc_buf_add(&m->held, blk->data, blk->len);
			return 0;
		}
		m->kind = KIND_PLAIN;
		if (write_out(m, m->held.data, m->held.len) != 0)
			return PC_EXIT_TROUBLE;
		pc_buf_free(&m->held);
	}
	return write_out(m, blk->data, blk->len) == 0 ? 0 : PC_EXIT_TROUBLE;
}

int merge_put(merger *m, const pc_block *blk)
{
	int status = 0;

	if (blk->file_start) {
		if (m->where == IN_CHUNK)
			truncated(m, NULL, m->file, 0);
		if (m->where == ORPHAN)
			m->where = OUTSIDE;
		/* plain files: keep the last line of one apart from the next */
		if (m->kind != KIND_FRAMED && !m->plain_lf) {
			if (m->kind == KIND_UNKNOWN)
				pc_buf_addc(&m->held, '\n');
			else if (write_out(m, "\n", 1) != 0)
				return PC_EXIT_TROUBLE;
			m->plain_lf = true;
		}
		m->file = blk->file;
		m->line = 1;
	}
	switch (blk->kind) {
	case PC_BLOCK_FRAME:
		status = put_frame(m, blk);
		m->line++;
		break;
	case PC_BLOCK_ROWS: {
		uint64_t lines = NOT_COUNTED;
		status = put_rows(m, blk, &lines);
		m->line += lines != NOT_COUNTED ? lines : pc_count_lf(blk->data, blk->data + blk->len);
		break;
	}
	case PC_BLOCK_HEADER:   /* pc-merge reads no headers: chunks say header=1 */
		abort();
	case PC_BLOCK_FIELD_TOO_LONG:
		pc_warn("%s:%llu: %s", shown(m->file), (unsigned long long)m->line,
			PC_FIELD_TOO_LONG_MSG);
		status = PC_EXIT_BAD_INPUT;
		break;
	case PC_BLOCK_IO_ERROR:
		pc_block_report_io(blk);
		status = PC_EXIT_TROUBLE;
		break;
	}
	return status;
}

/* Say which indexes from..to never came. */
static void tell_missing(merger *m, uint64_t from, uint64_t to)
{
	if (from > to)
		return;
	if (to - from < 10) {
		for (uint64_t i = from; i <= to; i++)
			problem(m, "chunk %llu is missing", (unsigned long long)i);
	} else {
		problem(m, "chunks %llu to %llu are missing (%llu chunks)", (unsigned long long)from,
			(unsigned long long)to, (unsigned long long)(to - from + 1));
	}
}

static int by_index(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* The checks that need the whole input. */
static void finish(merger *m)
{
	if (m->where == IN_CHUNK)
		truncated(m, NULL, m->file, 0);
	if (m->kind != KIND_FRAMED || !m->id[0])
		return;
	uint64_t top = m->last ? m->last : m->count ? m->count : m->top;
	if (!m->last)
		problem(m, "no chunk has last=1");
	else if (m->count && m->count != m->last)
		problem(m, "chunk %llu says last=1 but the headers say count=%llu",
			(unsigned long long)m->last, (unsigned long long)m->count);
	if (m->list && m->list->n) {
		/* the chunks pc-split made: the last of them, or at least the highest */
		const listed_chunk *hi = &m->list->item[m->list->n - 1];
		uint64_t last = 0;
		for (size_t i = 0; i < m->list->n; i++)
			if (m->list->item[i].last)
				last = m->list->item[i].index;
		if (m->last && last && last != m->last)
			problem(m, "chunk %llu says last=1, but in %s chunk %llu does",
				(unsigned long long)m->last, m->list_name, (unsigned long long)last);
		else if (!m->last && last)
			top = last;
		else if (!m->last && !m->count && hi->index > top)
			top = hi->index;
	}
	m->end = top;

	/* the gaps between the indexes at or above next that came */
	uint64_t *seen = pc_xmalloc((m->table.used + 1) * sizeof *seen);
	size_t n = 0;
	for (size_t i = 0; i < m->table.cap; i++)
		if (m->table.slot[i].index >= m->next)
			seen[n++] = m->table.slot[i].index;
	qsort(seen, n, sizeof *seen, by_index);
	uint64_t want = m->next;
	bool more = true;   /* want <= top, without wrapping past 2^64-1 */
	for (size_t i = 0; i < n && more && want <= top; i++) {
		tell_missing(m, want, seen[i] - 1 < top ? seen[i] - 1 : top);
		if (seen[i] >= top)
			more = false;
		else
			want = seen[i] + 1;
	}
	if (more && want <= top)
		tell_missing(m, want, top);
	if (m->last && m->next - 1 > m->last)   /* written before last=1 came */
		problem(m, "chunks %llu to %llu come after the last chunk, %llu",
			(unsigned long long)m->last + 1, (unsigned long long)m->next - 1,
			(unsigned long long)m->last);
	if (m->last)
		for (size_t i = 0; i < n; i++)
			if (seen[i] > m->last)
				problem(m, "chunk %llu comes after the last chunk, %llu",
					(unsigned long long)seen[i], (unsigned long long)m->last);
	free(seen);
}

void merge_init(merger *m, const pc_outfile *out, uint64_t budget, const char *tmpdir)
{
	*m = (merger){ .out = *out, .next = 1, .file = "-", .plain_lf = true,
		       .store = { .budget = budget, .tmpdir = tmpdir, .fd = -1 } };
	pc_chunk_init(&m->check, PC_CHUNK_SCORED);
}

/* The chunks of the run that never came whole, in index order: those of
 * the list to out, and the number of the others (whose paths are unknown)
 * told.  Call after finish(). */
static int write_rerun(merger *m, pc_outfile *out)
{
	const chunk_list *l = m->list;
	const char sep = m->zero ? '\0' : '\n';
	uint64_t listed = 0;

	for (size_t i = 0; i < l->n; i++) {
		uint64_t index = l->item[i].index;
		const chunk *c = chunk_find(&m->table, index);
		bool arrived = c ? c->state != CHUNK_BAD : index < m->next;
		if (arrived || (m->end && index > m->end))
			continue;
		listed++;
		if (pc_outfile_write(out, l->item[i].path, strlen(l->item[i].path)) != 0 ||
		    pc_outfile_write(out, &sep, 1) != 0)
			return -1;
	}
	if (m->kind != KIND_FRAMED || !m->end || m->end < m->next)
		return 0;
	/* the others to score again: from next to end, all but the good ones */
	uint64_t need = m->end - m->next + 1, first = 0;
	for (size_t i = 0; i < m->table.cap; i++) {
		const chunk *c = &m->table.slot[i];
		if (c->index >= m->next && c->index <= m->end && c->state != CHUNK_BAD)
			need--;
	}
	if (need == listed)
		return 0;
	for (uint64_t i = m->next; i <= m->end && !first; i++) {
		const chunk *c = chunk_find(&m->table, i);
		if ((!c || c->state == CHUNK_BAD) && !chunk_list_find(l, i))
			first = i;
	}
	problem(m, "%llu chunk%s to score again %s not in %s, so --rerun cannot name %s "
		"(the first: chunk %llu)", (unsigned long long)(need - listed),
		need - listed == 1 ? "" : "s", need - listed == 1 ? "is" : "are", m->list_name,
		need - listed == 1 ? "it" : "them", (unsigned long long)first);
	return 0;
}

int merge_finish(merger *m, int status)
{
	chunk_list list = { 0 };
	bool read_all = status == 0, listed = false;

	if (status == 0 && m->list_name && m->kind != KIND_PLAIN) {
		if (chunk_list_read(&list, m->list_name, m->zero) != 0) {
			status = PC_EXIT_TROUBLE;
		} else if (m->id[0] && list.id[0] && strcmp(m->id, list.id) != 0) {
			pc_warn("%s lists the chunks of run %s, not of run %s", m->list_name, list.id,
				m->id);
			status = PC_EXIT_TROUBLE;
		} else {
			listed = true;
			m->list = &list;
		}
	}
	if (status == 0) {
		finish(m);
		if (m->kind == KIND_UNKNOWN) {
			pc_warn("no input: no chunk and no row (did every job fail?)");
			status = PC_EXIT_BAD_INPUT;
		} else if (m->problems) {
			status = PC_EXIT_BAD_INPUT;
		}
	}
	pc_outfile rerun;
	bool rerun_open = false;
	if (read_all && (status == 0 || status == PC_EXIT_BAD_INPUT) && m->rerun_name) {
		if (pc_outfile_open(&rerun, m->rerun_name, 0) != 0) {
			status = PC_EXIT_TROUBLE;
		} else {
			rerun_open = true;
			if (listed && m->kind != KIND_PLAIN && write_rerun(m, &rerun) != 0)
				status = PC_EXIT_TROUBLE;
			if (m->problems && status == 0)   /* found by write_rerun */
				status = PC_EXIT_BAD_INPUT;
		}
	}
	if (status == 0 && m->rejected)   /* the scorers skipped bad rows: their totals */
		pc_warn("skipped %llu bad row%s of %llu", (unsigned long long)m->rejected,
			m->rejected == 1 ? "" : "s", (unsigned long long)m->all_rows);
	if (status == 0) {
		if (pc_outfile_commit(&m->out) != 0)
			status = PC_EXIT_TROUBLE;
	} else {
		pc_outfile_abort(&m->out);
	}
	if (rerun_open) {
		if (status == PC_EXIT_TROUBLE)
			pc_outfile_abort(&rerun);
		else if (pc_outfile_commit(&rerun) != 0)
			status = PC_EXIT_TROUBLE;
	}
	chunk_list_free(&list);
	m->list = NULL;
	chunk_table_free(&m->table);
	store_free(&m->store);
	pc_buf_free(&m->held);
	return status;
}
