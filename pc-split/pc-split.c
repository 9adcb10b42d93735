/* pc-split - cut an input into framed chunks on row boundaries (SPEC 5).
 *
 * Each chunk is a CSV file between a "#pc:chunk" header and a "#pc:end"
 * trailer that counts its rows; the final chunk says last=1, so pc-merge
 * can prove that none went missing.  A chunk's path is printed only once
 * it is complete and renamed into place.  A cut is made just before the
 * next row that needs a new chunk, so the last chunk is known even when
 * reading a pipe.                                                      */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "powercouples.h"
#include "rows.h"

typedef enum { BY_CHUNKS, BY_ROWS, BY_BYTES } split_mode;

typedef struct {
	split_mode mode;
	uint64_t amount;       /* chunks, rows per chunk, or bytes per chunk */
	const char *dir;
	char *prefix;
	char sep;              /* after each printed path: LF, or NUL with -z */
	unsigned width;        /* of the zero-padded index */
	char id[17];
	uint64_t total;        /* the input's size, for -n */
	/* the chunk being written */
	pc_outfile out;
	pc_buf path, line;
	uint64_t index, rows, bytes;
	uint64_t pos;          /* input bytes consumed */
	bool cut_due;          /* the next row starts a new chunk */
	bool ends_in_lf;       /* the chunk's data so far ends with an LF */
} splitter;

static void make_run_id(char id[17])
{
	uint64_t r = 0;
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || read(fd, &r, sizeof r) != (ssize_t)sizeof r) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		r = ((uint64_t)ts.tv_sec << 32) ^ (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 16);
	}
	if (fd >= 0)
		close(fd);
	snprintf(id, 17, "%016llx", (unsigned long long)r);
}

/* Where chunk `index + 1` should start, in input bytes (-n only). */
static uint64_t next_target(const splitter *s)
{
	if (s->index >= s->amount)
		return UINT64_MAX;
	return (uint64_t)((unsigned __int128)s->total * s->index / s->amount);
}

static int write_line(splitter *s)
{
	return pc_outfile_write(&s->out, s->line.data, s->line.len);
}

static int open_chunk(splitter *s)
{
	pc_frame f = { .type = PC_FRAME_CHUNK, .index = ++s->index,
		       .count = s->mode == BY_CHUNKS ? s->amount : 0 };
	memcpy(f.id, s->id, sizeof f.id);
	s->path.len = 0;
	char name[64];
	int n = snprintf(name, sizeof name, ".%0*llu.csv", (int)s->width, (unsigned long long)s->index);
	if (strcmp(s->dir, ".") != 0) {
		pc_buf_add(&s->path, s->dir, strlen(s->dir));
		pc_buf_addc(&s->path, '/');
	}
	pc_buf_add(&s->path, s->prefix, strlen(s->prefix));
	pc_buf_add(&s->path, name, (size_t)n);
	pc_buf_addc(&s->path, '\0');
	if (pc_outfile_open(&s->out, s->path.data) != 0)
		return -1;
	s->rows = s->bytes = 0;
	s->ends_in_lf = true;
	s->line.len = 0;
	pc_frame_format(&f, &s->line);
	return write_line(s);
}

static int close_chunk(splitter *s, bool last)
{
	pc_frame f = { .type = PC_FRAME_END, .index = s->index, .rows = s->rows, .last = last };
	memcpy(f.id, s->id, sizeof f.id);
	s->line.len = 0;
	if (!s->ends_in_lf)   /* the input's last line had no newline */
		pc_buf_addc(&s->line, '\n');
	pc_frame_format(&f, &s->line);
	if (write_line(s) != 0) {
		pc_outfile_abort(&s->out);
		return -1;
	}
	if (pc_outfile_commit(&s->out) != 0)
		return -1;
	/* announce it only now that it is complete */
	if (fputs(s->path.data, stdout) == EOF || putchar(s->sep) == EOF || fflush(stdout) != 0) {
		pc_warn_errno("write error on standard output");
		return -1;
	}
	return 0;
}

/* Start a new chunk if the last row made one due (and, for -n, skip the
 * chunks a long row went past: they stay empty). */
static int before_row(splitter *s)
{
	while (s->cut_due) {
		if (close_chunk(s, false) != 0 || open_chunk(s) != 0)
			return -1;
		s->cut_due = s->mode == BY_CHUNKS && s->pos >= next_target(s);
	}
	return 0;
}

static void after_row(splitter *s)
{
	switch (s->mode) {
	case BY_CHUNKS: s->cut_due = s->pos >= next_target(s); break;
	case BY_ROWS: s->cut_due = s->rows >= s->amount; break;
	case BY_BYTES: s->cut_due = s->bytes >= s->amount; break;
	}
}

static int emit(splitter *s, const char *p, size_t n)
{
	if (n == 0)
		return 0;
	s->pos += n;
	s->bytes += n;
	s->ends_in_lf = p[n - 1] == '\n';
	return pc_outfile_write(&s->out, p, n);
}

/* The rows of one block into the chunks. */
static int split_block(splitter *s, const pc_block *blk)
{
	const char *p = blk->data, *end = p + blk->len;
	bool row_open_at_end = blk->continues;

	if (blk->continued) {
		/* the rest of a row begun in an earlier block */
		const char *q = pc_row_rest(p, end);
		if (emit(s, p, (size_t)((q ? q : end) - p)) != 0)
			return -1;
		if (q || !row_open_at_end)
			after_row(s);
		p = q ? q : end;
	}
	while (p < end) {
		bool blank;
		const char *q = pc_row_end(p, end, &blank);
		if (!blank) {
			if (before_row(s) != 0)
				return -1;
			s->rows++;
		}
		if (emit(s, p, (size_t)((q ? q : end) - p)) != 0)
			return -1;
		if (!blank && (q || !row_open_at_end))
			after_row(s);
		p = q ? q : end;
	}
	return 0;
}

static void usage(void)
{
	printf("Usage: %s [OPTION]... [FILE]\n"
	       "Cut FILE (or standard input) into framed chunks on row boundaries, for\n"
	       "pc-score, pc-threads or pc-mpirun to score and pc-merge to put back together.\n"
	       "Print each chunk's path once it is complete.\n\n"
	       "  -n, --chunks=N       N chunks balanced by bytes (a regular file; the\n"
	       "                       default, with N the online CPUs)\n"
	       "  -l, --lines=ROWS     ROWS rows per chunk\n"
	       "  -b, --bytes=SIZE     a new chunk at the first row end past SIZE bytes\n"
	       "                       (suffixes K, M, G; 16M for standard input by default)\n"
	       "  -d, --directory=DIR  write the chunks into DIR, made if missing (default .)\n"
	       "      --prefix=NAME    name the chunks NAME.<index>.csv (default: the input's\n"
	       "                       base name without .csv, or stdin)\n"
	       "  -z, --zero           end each printed path with NUL, not newline\n"
	       "  -h, --help           display this help and exit\n"
	       "  -V, --version        output version information and exit\n\n"
	       "Exit status: 0 on success, 1 if the input is already framed or a field is\n"
	       "too long, 2 for usage or I/O errors.\n", pc_program_name());
}

static char *default_prefix(const char *file)
{
	if (strcmp(file, "-") == 0)
		return strdup("stdin");
	const char *base = strrchr(file, '/');
	base = base ? base + 1 : file;
	size_t n = strlen(base);
	if (n > 4 && strcmp(base + n - 4, ".csv") == 0)
		n -= 4;
	char *p = pc_xmalloc(n + 1);
	memcpy(p, base, n);
	p[n] = '\0';
	return p;
}

enum { OPT_PREFIX = CHAR_MAX + 1 };

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "chunks", required_argument, NULL, 'n' },
		{ "lines", required_argument, NULL, 'l' },
		{ "bytes", required_argument, NULL, 'b' },
		{ "directory", required_argument, NULL, 'd' },
		{ "prefix", required_argument, NULL, OPT_PREFIX },
		{ "zero", no_argument, NULL, 'z' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	splitter s = { .dir = ".", .sep = '\n' };
	bool mode_set = false;
	const char *prefix = NULL;
	uint64_t v;
	int c;

	pc_set_program_name(argv[0]);
	while ((c = getopt_long(argc, argv, "n:l:b:d:zhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'n': case 'l': case 'b':
			if (mode_set)
				pc_usage_error("only one of -n, -l and -b may be given");
			mode_set = true;
			if ((c == 'b' ? pc_parse_size(optarg, &v) : pc_parse_u64(optarg, &v)) != 0 || v == 0)
				pc_usage_error("invalid %s '%s'", c == 'n' ? "number of chunks" :
					       c == 'l' ? "number of rows" : "size", optarg);
			s.mode = c == 'n' ? BY_CHUNKS : c == 'l' ? BY_ROWS : BY_BYTES;
			s.amount = v;
			break;
		case 'd':
			s.dir = optarg;
			break;
		case OPT_PREFIX:
			if (!*optarg || strchr(optarg, '/'))
				pc_usage_error("invalid prefix '%s' (a name, without '/')", optarg);
			prefix = optarg;
			break;
		case 'z':
			s.sep = '\0';
			break;
		case 'h':
			usage();
			return PC_EXIT_OK;
		case 'V':
			pc_print_version();
			return PC_EXIT_OK;
		default:
			fprintf(stderr, "Try '%s --help' for more information.\n", pc_program_name());
			return PC_EXIT_TROUBLE;
		}
	}
	if (argc - optind > 1)
		pc_usage_error("extra operand '%s' (one input at a time)", argv[optind + 1]);
	char *input = optind < argc ? argv[optind] : "-";

	struct stat st;
	bool is_std = strcmp(input, "-") == 0;
	bool regular = (is_std ? fstat(STDIN_FILENO, &st) : stat(input, &st)) == 0 && S_ISREG(st.st_mode);
	if (!is_std && access(input, R_OK) != 0) {
		pc_warn_errno("cannot open '%s'", input);
		return PC_EXIT_TROUBLE;
	}
	if (!mode_set) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);
		s.mode = regular ? BY_CHUNKS : BY_BYTES;
		s.amount = regular ? (uint64_t)(cpus > 0 ? cpus : 1) : (uint64_t)16 << 20;
	}
	if (s.mode == BY_CHUNKS) {
		if (!regular)
			pc_usage_error("-n needs a regular file to balance; use -l or -b for a stream");
		s.total = (uint64_t)st.st_size;
	}
	if (mkdir(s.dir, 0777) != 0 && errno != EEXIST) {
		pc_warn_errno("cannot create directory '%s'", s.dir);
		return PC_EXIT_TROUBLE;
	}
	s.prefix = prefix ? strdup(prefix) : default_prefix(input);
	s.width = 8;
	if (s.mode == BY_CHUNKS) {
		s.width = 4;
		for (uint64_t n = s.amount; n >= 10000; n /= 10)
			s.width++;
	}
	make_run_id(s.id);
	pc_buf_init(&s.path);
	pc_buf_init(&s.line);

	char *files[] = { input };
	pc_reader *r = pc_reader_new(files, 1, PC_DEFAULT_BLOCK_SIZE);
	pc_block blk;
	pc_block_init(&blk);
	int status = open_chunk(&s) == 0 ? PC_EXIT_OK : PC_EXIT_TROUBLE;
	int got = 0;
	while (status == PC_EXIT_OK && (got = pc_reader_next(r, &blk)) > 0) {
		if (blk.kind == PC_BLOCK_FRAME) {
			pc_warn("%s: the input is already framed (a '#pc:' line): split the "
				"original CSV instead", input);
			status = PC_EXIT_BAD_INPUT;
		} else if (blk.kind == PC_BLOCK_FIELD_TOO_LONG) {
			pc_warn("%s: a field longer than 64 MiB (an unterminated quote?)", input);
			status = PC_EXIT_BAD_INPUT;
		} else if (split_block(&s, &blk) != 0) {
			status = PC_EXIT_TROUBLE;
		}
	}
	if (status == PC_EXIT_OK && got < 0)
		status = PC_EXIT_TROUBLE;
	if (status == PC_EXIT_OK && s.mode == BY_CHUNKS) {
		/* -n makes exactly N chunks, even from fewer rows */
		while (status == PC_EXIT_OK && s.index < s.amount)
			if (close_chunk(&s, false) != 0 || open_chunk(&s) != 0)
				status = PC_EXIT_TROUBLE;
	}
	if (status == PC_EXIT_OK) {
		if (close_chunk(&s, true) != 0)
			status = PC_EXIT_TROUBLE;
	} else {
		pc_outfile_abort(&s.out);
	}
	pc_reader_free(r);
	pc_block_free(&blk);
	pc_buf_free(&s.path);
	pc_buf_free(&s.line);
	free(s.prefix);
	return status;
}
