/* pc-split - cut an input into framed chunks on row boundaries (SPEC 5).
 *
 * Each chunk is a CSV file between a "#pc:chunk" header and a "#pc:end"
 * trailer that counts its rows as the scorers count them; the final chunk
 * says last=1, so pc-merge can prove that none went missing.  A chunk is
 * written under a temporary name, renamed, and only then is its path
 * printed; a chunk whose path cannot be printed is removed.  A chunk is closed only when the next row arrives that belongs
 * to a new one, so the last chunk is known even on a pipe.
 *
 * Bytes are copied in whole spans of the reader's blocks, not row by row:
 * the rows are only walked (by memchr) to count them and find the cuts.  */
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

#include "cleanup.h"
#include "pc.h"
#include "rows.h"

typedef enum { BY_CHUNKS, BY_ROWS, BY_BYTES } split_mode;

typedef struct {
	/* what to do */
	split_mode mode;
	uint64_t amount;       /* chunks (-n), rows (-l) or bytes (-b) per chunk */
	uint64_t total;        /* -n: the input bytes to share out */
	const char *dir;       /* NULL: the current directory */
	const char *prefix;
	const char *input;     /* FILE, or "-" */
	const char *shown;     /* its name in messages */
	bool input_is_file;    /* a regular file, whose identity is: */
	dev_t input_dev;
	ino_t input_ino;
	char sep;              /* after each printed path: LF, or NUL with -z */
	bool header;           /* --header: the input's first line is no row */
	char delim;            /* -t: the field separator */
	int width;             /* of the zero-padded index */
	char id[17];
	pc_buf file_enc;       /* the input's name, for file= in headers */
	/* the chunk being written */
	pc_outfile out;
	pc_buf path, line;
	uint64_t index;        /* from 1 */
	uint64_t rows;         /* rows in it so far */
	uint64_t start;        /* input offset where its data began */
	bool ends_in_lf;       /* its data so far ends with an LF (or is empty) */
	/* the input */
	uint64_t offset;       /* input offset of the current block's first byte */
	uint64_t in_line;      /* the input's line at `counted` */
	const char *counted;   /* in the current block: LFs before it are in `line` */
	uint64_t all_rows;     /* rows so far, in every chunk */
	pc_row_pos row;        /* a row in progress across blocks */
	bool progress;         /* -p */
	pc_progress report;
} splitter;

/* ---- setting up ---------------------------------------------------------- */

/* 16 lower-case hex digits, fresh for each run. */
static void make_run_id(char id[17])
{
	uint64_t r = 0;
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || read(fd, &r, sizeof r) != (ssize_t)sizeof r) {
		/* no /dev/urandom (a chroot?): the clock and pid still differ per run */
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		r = ((uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec) ^
		    ((uint64_t)getpid() << 40);
		r ^= r >> 31;
		r *= 0x9E3779B97F4A7C15u;
		r ^= r >> 29;
	}
	if (fd >= 0)
		close(fd);
	snprintf(id, 17, "%016llx", (unsigned long long)r);
}

/* mkdir -p: make DIR and the directories above it that are missing. */
static int make_dirs(const char *dir)
{
	struct stat st;
	if (stat(dir, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return 0;
		errno = ENOTDIR;
		return -1;
	}
	size_t n = strlen(dir);
	char *path = pc_xmalloc(n + 1);
	memcpy(path, dir, n + 1);
	int status = 0;
	for (char *p = path + 1; status == 0; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		if (mkdir(path, 0777) != 0 && errno != EEXIST)
			status = -1;
		*p = c;
		if (c == '\0')
			break;
	}
	if (status == 0 && (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))) {
		errno = ENOTDIR;
		status = -1;
	}
	free(path);
	return status;
}

static int digits(uint64_t n)
{
	int d = 1;
	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d;
}

/*
 * Wide enough for the most chunks this input can make, so that the names
 * sort in index order: at least 5 digits; on a pipe, whose size nobody
 * knows, 10 (more files than a directory can hold).
 */
static int index_width(const splitter *s, bool sized, uint64_t size)
{
	uint64_t most;
	switch (s->mode) {
	case BY_CHUNKS:
		most = s->amount;
		break;
	case BY_BYTES:
		/* every chunk but the last holds at least `amount` bytes */
		most = sized ? size / s->amount + 1 : 0;
		break;
	default:
		/* a row takes two bytes at least (a blank line is no row) */
		most = sized ? (size / 2 + 1) / s->amount + 1 : 0;
		break;
	}
	if (!sized && s->mode != BY_CHUNKS)
		return 10;
	return digits(most) > 5 ? digits(most) : 5;
}

/* ---- chunks -------------------------------------------------------------- */

/* A new chunk whose data starts at input offset `at`, on input line `line`. */
static int open_chunk(splitter *s, uint64_t at, uint64_t line)
{
	pc_frame f = { .type = PC_FRAME_CHUNK, .index = ++s->index,
		       .count = s->mode == BY_CHUNKS ? s->amount : 0,
		       .file_enc = s->file_enc.data, .file_enc_len = s->file_enc.len,
		       .line = line, .header = s->header, .delim = s->delim };
	char name[48];

	memcpy(f.id, s->id, sizeof f.id);
	s->path.len = 0;
	if (s->dir) {
		pc_buf_add(&s->path, s->dir, strlen(s->dir));
		if (s->path.data[s->path.len - 1] != '/')
			pc_buf_addc(&s->path, '/');
	}
	pc_buf_add(&s->path, s->prefix, strlen(s->prefix));
	int n = snprintf(name, sizeof name, ".%0*llu.csv", s->width, (unsigned long long)s->index);
	pc_buf_add(&s->path, name, (size_t)n + 1);   /* with its NUL */
	struct stat st;
	if (s->input_is_file && stat(s->path.data, &st) == 0 && st.st_dev == s->input_dev &&
	    st.st_ino == s->input_ino) {
		/* as GNU split does: renaming the chunk into place would destroy it */
		pc_warn("'%s' would overwrite the input", s->path.data);
		return -1;
	}
	if (pc_outfile_open(&s->out, s->path.data, 0) != 0)
		return -1;
	s->rows = 0;
	s->start = at;
	s->ends_in_lf = true;
	s->line.len = 0;
	pc_frame_format(&f, &s->line);
	return pc_outfile_write(&s->out, s->line.data, s->line.len);
}

/* Write the trailer, rename the chunk into place, and only then say so.  A
 * chunk exists only once its path is printed: one whose path cannot be
 * written is removed again. */
static int close_chunk(splitter *s, bool last)
{
	pc_frame f = { .type = PC_FRAME_END, .index = s->index, .rows = s->rows, .last = last };

	memcpy(f.id, s->id, sizeof f.id);
	s->line.len = 0;
	if (!s->ends_in_lf)   /* the input's last row had no LF: the trailer needs its own line */
		pc_buf_addc(&s->line, '\n');
	pc_frame_format(&f, &s->line);
	if (pc_outfile_write(&s->out, s->line.data, s->line.len) != 0) {
		pc_outfile_abort(&s->out);
		return -1;
	}
	if (pc_outfile_commit(&s->out) != 0)
		return -1;
	/* until its path is out, a signal or an exit removes it, as it did
	 * its temporary file (the path stays NUL-terminated for that) */
	pc_cleanup_watch(s->path.data);
	s->line.len = 0;
	pc_buf_add(&s->line, s->path.data, s->path.len - 1);
	pc_buf_addc(&s->line, s->sep);
	if (fwrite(s->line.data, 1, s->line.len, stdout) != s->line.len || fflush(stdout) != 0) {
		pc_warn_errno("write error on standard output");
		unlink(s->path.data);
		pc_cleanup_forget(s->path.data);
		return -1;
	}
	pc_cleanup_forget(s->path.data);
	return 0;
}

/* Input bytes p..q of the current block go to the current chunk. */
static int put(splitter *s, const char *p, const char *q)
{
	if (p == q)
		return 0;
	s->ends_in_lf = q[-1] == '\n';
	return pc_outfile_write(&s->out, p, (size_t)(q - p));
}

/* Where chunk i + 1 begins (-n): the first row at or after this offset. */
static uint64_t boundary(const splitter *s, uint64_t i)
{
	return (uint64_t)((unsigned __int128)s->total * i / s->amount);
}

/* Does a row that begins at input offset `at` belong to a new chunk? */
static bool cut_before(const splitter *s, uint64_t at)
{
	switch (s->mode) {
	case BY_CHUNKS:
		return s->index < s->amount && at >= boundary(s, s->index);
	case BY_ROWS:
		return s->rows >= s->amount;
	case BY_BYTES:
		return at - s->start >= s->amount;
	}
	return false;
}

/* ---- the input ----------------------------------------------------------- */

/* The input line p is on (p in the current block, at or after s->counted). */
static uint64_t line_at(splitter *s, const char *p)
{
	s->in_line += pc_count_lf(s->counted, p);
	s->counted = p;
	return s->in_line;
}

/* Walk the rows of one block, cutting before each row that needs it. */
static int split_block(splitter *s, const pc_block *blk)
{
	const char *p = blk->data, *end = p + blk->len, *span = p;
	const bool final = blk->file_end;   /* one input, so its end is the end */

	s->counted = p;
	if (s->row.in_row) {   /* a row longer than a block goes on */
		const char *lf = pc_row_scan(&s->row.field, p, end, blk->delim);
		p = lf ? lf + 1 : end;
		s->row.in_row = !lf;
	}
	while (p < end) {
		size_t blank = pc_blank_line(p, end, final);
		if (blank) {
			p += blank;
			continue;
		}
		uint64_t at = s->offset + (uint64_t)(p - blk->data);
		if (cut_before(s, at)) {
			if (put(s, span, p) != 0)
				return -1;
			span = p;
			uint64_t line = line_at(s, p);
			do {
				if (close_chunk(s, false) != 0 || open_chunk(s, at, line) != 0)
					return -1;
			} while (cut_before(s, at));   /* -n: a long row may pass several */
		}
		s->rows++;
		s->all_rows++;
		s->row.field = PC_FIELD_START;
		const char *lf = pc_row_scan(&s->row.field, p, end, blk->delim);
		p = lf ? lf + 1 : end;
		s->row.in_row = !lf;
	}
	line_at(s, end);
	s->offset += blk->len;
	pc_progress_update(&s->report, s->offset, s->all_rows);
	return put(s, span, end);
}

static int split_input(splitter *s, pc_reader *r)
{
	pc_block blk;
	int status = PC_EXIT_OK;

	pc_block_init(&blk);
	while (status == PC_EXIT_OK && pc_reader_next(r, &blk) > 0) {
		switch (blk.kind) {
		case PC_BLOCK_ROWS:
			if (split_block(s, &blk) != 0)
				status = PC_EXIT_TROUBLE;
			break;
		case PC_BLOCK_HEADER:
			/* in no chunk: each chunk says header=1 instead */
			s->in_line++;
			s->offset += blk.len;
			break;
		case PC_BLOCK_FRAME:
			pc_warn("%s: input is already framed (a %.*s line after row %llu): "
				"split the original CSV instead", s->shown,
				(int)strcspn(blk.data, " "), blk.data, (unsigned long long)s->all_rows);
			status = PC_EXIT_BAD_INPUT;
			break;
		case PC_BLOCK_FIELD_TOO_LONG:
			pc_warn("%s:%llu: %s", s->shown, (unsigned long long)s->in_line,
				PC_FIELD_TOO_LONG_MSG);
			status = PC_EXIT_BAD_INPUT;
			break;
		case PC_BLOCK_IO_ERROR:
			pc_block_report_io(&blk);
			status = PC_EXIT_TROUBLE;
			break;
		}
	}
	/* A row whose quote never closes runs to the end of the input and stays
	 * in its chunk: the reader of the chunk finds the trailer after it, as
	 * the chunk's last line, and the scorer reports the row as pc-score
	 * does on the whole input. */
	pc_block_free(&blk);
	return status;
}

/* ---- the command line ---------------------------------------------------- */

static void usage(void)
{
	printf("Usage: %s [OPTION]... [FILE]\n"
	       "Cut FILE (or standard input) into framed chunks on row boundaries, for\n"
	       "pc-score, pc-threads or pc-mpirun to score and pc-merge to put back together.\n"
	       "Print each chunk's path once the chunk is complete.\n\n"
	       "  -n, --chunks=N       N chunks of about the same size (a regular file only;\n"
	       "                       the default, with N the online CPUs)\n"
	       "  -l, --lines=ROWS     ROWS rows per chunk (blank lines are no rows)\n"
	       "  -b, --bytes=SIZE     start a new chunk at the first row that begins SIZE\n"
	       "                       bytes or more into the chunk (the default for a\n"
	       "                       pipe, 64M)\n"
	       "  -d, --directory=DIR  write the chunks into DIR, made if missing (default .)\n"
	       "      --prefix=NAME    name the chunks NAME.INDEX.csv (default: the input's\n"
	       "                       base name without .csv, or stdin)\n"
	       "      --header         the input's first line is a header: it goes in no\n"
	       "                       chunk, each chunk's header line says header=1\n"
	       "  -t, --delimiter=CHAR the input's fields are separated by CHAR (one byte;\n"
	       "                       '\\t' for TAB): the chunks say delim=\n"
	       "  -z, --zero           end each printed path with NUL, not newline\n"
	       "  -p, --progress       report progress on standard error\n"
	       "  -h, --help           display this help and exit\n"
	       "  -V, --version        output version information and exit\n\n"
	       PC_SIZE_HELP "\n"
	       "INDEX counts from 1, zero-padded to one width for the run (5 digits or more)\n"
	       "so that the names sort in index order.  Each chunk is\n"
	       "  #pc:chunk v=1 id=RUN index=I [count=N] file=FILE line=L [header=1] [delim=%%XX]\n"
	       "  ...its rows, byte for byte...\n"
	       "  #pc:end v=1 id=RUN index=I rows=R [last=1]\n"
	       "where FILE (encoded) and L say where the chunk starts in the input, so that\n"
	       "the scorers report bad rows there.\n\n"
	       "Exit status: 0 on success, 1 if the input is already framed or a field is\n"
	       "over 64 MiB, 2 for usage or I/O errors, or a chunk that would overwrite\n"
	       "the input.\n", pc_program_name());
	pc_print_help_footer();
}

static char *default_prefix(const char *file)
{
	if (strcmp(file, "-") == 0)
		file = "stdin";
	const char *base = strrchr(file, '/');
	base = base && base[1] ? base + 1 : file;
	size_t n = strlen(base);
	if (n > 4 && strcmp(base + n - 4, ".csv") == 0)
		n -= 4;
	char *p = pc_xmalloc(n + 1);
	memcpy(p, base, n);
	p[n] = '\0';
	return p;
}

enum { OPT_PREFIX = CHAR_MAX + 1, OPT_HEADER };

static void parse_args(splitter *s, int argc, char **argv, bool *mode_set)
{
	static const struct option longopts[] = {
		{ "chunks", required_argument, NULL, 'n' },
		{ "lines", required_argument, NULL, 'l' },
		{ "bytes", required_argument, NULL, 'b' },
		{ "directory", required_argument, NULL, 'd' },
		{ "prefix", required_argument, NULL, OPT_PREFIX },
		{ "zero", no_argument, NULL, 'z' },
		{ "progress", no_argument, NULL, 'p' },
		{ "header", no_argument, NULL, OPT_HEADER },
		{ "delimiter", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v;
	int c;

	while ((c = getopt_long(argc, argv, "n:l:b:d:zpt:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'n': case 'l': case 'b':
			if (*mode_set)
				pc_usage_error("only one of -n, -l and -b may be given");
			*mode_set = true;
			if (c == 'b')
				v = pc_size_arg("chunk size", optarg, 0, 1, UINT64_MAX, "at least 1");
			else if (pc_parse_u64(optarg, &v) != 0 || v == 0)
				pc_usage_error("invalid %s '%s'", c == 'n' ? "number of chunks" :
					       "number of rows", optarg);
			if (c == 'n' && v > 1000000)
				pc_usage_error("invalid number of chunks '%s' (1 to 1000000)", optarg);
			s->mode = c == 'n' ? BY_CHUNKS : c == 'l' ? BY_ROWS : BY_BYTES;
			s->amount = v;
			break;
		case 'd':
			if (!*optarg)
				pc_usage_error("invalid directory ''");
			s->dir = optarg;
			break;
		case OPT_PREFIX:
			if (!*optarg || strchr(optarg, '/'))
				pc_usage_error("invalid prefix '%s' (a name, without '/')", optarg);
			s->prefix = optarg;
			break;
		case 'z':
			s->sep = '\0';
			break;
		case 'p':
			s->progress = true;
			break;
		case OPT_HEADER:
			s->header = true;
			break;
		case 't':
			s->delim = pc_parse_delimiter(optarg);
			break;
		case 'h':
			usage();
			exit(PC_EXIT_OK);
		case 'V':
			pc_print_version();
			exit(PC_EXIT_OK);
		default:
			pc_try_help();
		}
	}
	if (argc - optind > 1)
		pc_usage_error("extra operand '%s' (one input at a time)", argv[optind + 1]);
	s->input = optind < argc ? argv[optind] : "-";
	s->shown = strcmp(s->input, "-") == 0 ? "standard input" : s->input;
}

/* What the input is: a regular file has a size to balance chunks by.  A
 * named file is only stat()ed here: opening a FIFO twice would lose data. */
static int look_at_input(splitter *s, bool mode_set)
{
	struct stat st;
	bool is_std = strcmp(s->input, "-") == 0;

	if (is_std ? fstat(STDIN_FILENO, &st) != 0
		   : stat(s->input, &st) != 0 || access(s->input, R_OK) != 0) {
		pc_warn_errno("cannot open '%s'", s->input);
		return -1;
	}
	bool sized = S_ISREG(st.st_mode);
	s->input_is_file = sized;
	s->input_dev = st.st_dev;
	s->input_ino = st.st_ino;
	uint64_t size = 0;
	if (sized) {
		/* `pc-split < file` after someone read part of it */
		off_t here = is_std ? lseek(STDIN_FILENO, 0, SEEK_CUR) : 0;
		size = (uint64_t)st.st_size - (here > 0 && here <= st.st_size ? (uint64_t)here : 0);
	}
	if (!mode_set) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);
		s->mode = sized ? BY_CHUNKS : BY_BYTES;
		s->amount = sized ? (uint64_t)(cpus > 0 ? cpus : 1) : (uint64_t)64 << 20;
	}
	if (s->mode == BY_CHUNKS && !sized)
		pc_usage_error("-n needs a regular file to balance; use -l or -b for '%s'",
			       is_std ? "standard input" : s->input);
	s->total = size;
	pc_progress_start(&s->report, s->progress, size, 0);
	s->width = index_width(s, sized, size);
	return 0;
}

int main(int argc, char **argv)
{
	splitter s = { .sep = '\n', .in_line = 1, .delim = ',' };
	bool mode_set = false;
	int status;

	pc_set_program_name(argv[0]);
	pc_simd_init();   /* PC_SIMD: a bad value is a usage error, as in pc-score */
	parse_args(&s, argc, argv, &mode_set);
	if (look_at_input(&s, mode_set) != 0)
		return PC_EXIT_TROUBLE;
	if (s.dir && make_dirs(s.dir) != 0) {
		pc_warn_errno("cannot create directory '%s'", s.dir);
		return PC_EXIT_TROUBLE;
	}
	char *prefix = s.prefix ? NULL : default_prefix(s.input);
	if (prefix)
		s.prefix = prefix;
	make_run_id(s.id);
	pc_buf_init(&s.path);
	pc_buf_init(&s.line);
	pc_buf_init(&s.file_enc);
	pc_frame_encode_name(s.input, &s.file_enc);

	char *files[] = { (char *)s.input };
	pc_reader *r = pc_reader_new(files, 1, PC_DEFAULT_BLOCK_SIZE);
	pc_reader_set_format(r, s.header, s.delim);
	/* with a header, the rows start on line 2 */
	status = open_chunk(&s, 0, s.header ? 2 : 1) == 0 ? split_input(&s, r) : PC_EXIT_TROUBLE;
	/* -n makes exactly N chunks, even from fewer rows */
	while (status == PC_EXIT_OK && s.mode == BY_CHUNKS && s.index < s.amount)
		if (close_chunk(&s, false) != 0 || open_chunk(&s, s.offset, s.in_line) != 0)
			status = PC_EXIT_TROUBLE;
	if (status == PC_EXIT_OK) {
		if (close_chunk(&s, true) != 0)
			status = PC_EXIT_TROUBLE;
	} else {
		pc_outfile_abort(&s.out);   /* the chunk in progress leaves nothing */
	}
	pc_progress_finish(&s.report, s.offset, s.all_rows);
	pc_reader_free(r);
	pc_buf_free(&s.path);
	pc_buf_free(&s.line);
	pc_buf_free(&s.file_enc);
	free(prefix);
	return status;
}
