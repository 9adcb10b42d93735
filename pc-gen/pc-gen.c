/* pc-gen - generate seeded, reproducible PowerCouples input.
 *
 * Integer-only arithmetic (splitmix64 and Lemire's unbiased range
 * reduction, on 32-bit halves when the range fits), so a seed gives the
 * same bytes on every machine.                                         */
#include <config.h>

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pc.h"

typedef struct {
	uint64_t state;
} splitmix64;

static uint64_t next_u64(splitmix64 *g)
{
	uint64_t z = (g->state += 0x9E3779B97F4A7C15u);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
	return z ^ (z >> 31);
}

/* Uniform in [0, range); range 0 stands for 2^64. */
static uint64_t uniform(splitmix64 *g, uint64_t range)
{
	uint64_t x = next_u64(g);
	if (range == 0)
		return x;
	unsigned __int128 m = (unsigned __int128)x * range;
	uint64_t low = (uint64_t)m;
	if (low < range) {
		uint64_t threshold = -range % range;
		while (low < threshold) {
			x = next_u64(g);
			m = (unsigned __int128)x * range;
			low = (uint64_t)m;
		}
	}
	return (uint64_t)(m >> 64);
}

/*
 * Draws values in [0, range).  Ranges that fit in 32 bits take two values
 * from each 64-bit output (low half first), by the same unbiased method.
 */
typedef struct {
	splitmix64 g;
	uint64_t range;     /* 0 stands for 2^64 */
	uint32_t spare;     /* the high half of the last output, if unused */
	bool have_spare;
} drawer;

static uint32_t next_u32(drawer *d)
{
	if (d->have_spare) {
		d->have_spare = false;
		return d->spare;
	}
	uint64_t x = next_u64(&d->g);
	d->spare = (uint32_t)(x >> 32);
	d->have_spare = true;
	return (uint32_t)x;
}

static uint64_t draw(drawer *d)
{
	if (d->range == 0 || d->range > UINT32_MAX)
		return uniform(&d->g, d->range);
	uint32_t range = (uint32_t)d->range;
	uint64_t m = (uint64_t)next_u32(d) * range;
	if ((uint32_t)m < range) {
		uint32_t threshold = (uint32_t)-range % range;
		while ((uint32_t)m < threshold)
			m = (uint64_t)next_u32(d) * range;
	}
	return m >> 32;
}

/* Ten capital letters: the base-26 digits of a 64-bit fraction. */
static void add_name(pc_buf *b, splitmix64 *g)
{
	uint64_t r = next_u64(g);
	pc_buf_reserve(b, 10);
	for (int i = 0; i < 10; i++) {
		unsigned __int128 m = (unsigned __int128)r * 26;
		b->data[b->len++] = (char)('A' + (int)(m >> 64));
		r = (uint64_t)m;
	}
}

static void usage(void)
{
	printf("Usage: %s [-r ROWS] [-c COLS] [-m MAX] [--min MIN] [-s SEED] [-o FILE] [-p]\n"
	       "              [--header] [-t CHAR]\n"
	       "Generate reproducible PowerCouples input: ROWS rows of a name of 10\n"
	       "capital letters and COLS whole numbers drawn uniformly from [MIN, MAX).\n\n"
	       "  -r, --rows=ROWS     rows to write (default 10)\n"
	       "  -c, --cols=COLS     numbers per row (default 500)\n"
	       "  -m, --max=MAX       exclusive upper bound (default 100; at most\n"
	       "                      18446744073709551616 = 2^64, for every 64-bit value)\n"
	       "      --min=MIN       inclusive lower bound (default 0)\n"
	       "  -s, --seed=SEED     seed of the generator (default 1); the same seed\n"
	       "                      gives the same bytes on every machine\n"
	       "  -o, --output=FILE   write to FILE, only if the whole run succeeds\n"
	       "      --header        write a header line first: name,v1,...,vCOLS\n"
	       "  -t, --delimiter=CHAR  separate the fields with CHAR, not ',' (one byte;\n"
	       "                      '\\t' for TAB), as the scorers' -t reads them\n"
	       "  -p, --progress      report progress on standard error\n"
	       "  -h, --help          display this help and exit\n"
	       "  -V, --version       output version information and exit\n\n"
	       "Exit status: 0 on success, 2 for usage or I/O errors.\n",
	       pc_program_name());
	pc_print_help_footer();
}

enum { OPT_MIN = CHAR_MAX + 1, OPT_HEADER };

/* The header line: name, then v1 to vCOLS, written in pieces as the rows
 * are, so that any -c fits in bounded memory.  0 or -1 (write error). */
static int write_header(pc_outfile *out, pc_buf *b, uint64_t cols, char delim)
{
	b->len = 0;
	pc_buf_reserve(b, 4);
	memcpy(b->data, "name", 4);
	b->len = 4;
	for (uint64_t k = 1; k <= cols; k++) {
		pc_buf_reserve(b, 23);
		b->data[b->len++] = delim;
		b->data[b->len++] = 'v';
		b->len += pc_u64_to_dec(k, b->data + b->len);
		if (k == cols)
			b->data[b->len++] = '\n';
		if (b->len >= ((size_t)1 << 16) || k == cols) {
			if (pc_outfile_write(out, b->data, b->len) != 0)
				return -1;
			b->len = 0;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "rows", required_argument, NULL, 'r' },
		{ "cols", required_argument, NULL, 'c' },
		{ "max", required_argument, NULL, 'm' },
		{ "min", required_argument, NULL, OPT_MIN },
		{ "seed", required_argument, NULL, 's' },
		{ "output", required_argument, NULL, 'o' },
		{ "progress", no_argument, NULL, 'p' },
		{ "header", no_argument, NULL, OPT_HEADER },
		{ "delimiter", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t rows = 10, cols = 500, max = 100, min = 0, seed = 1;
	bool max_is_2_64 = false, progress = false, header = false;
	char delim = ',';
	const char *output = NULL;
	int c;

	pc_set_program_name(argv[0]);
	while ((c = getopt_long(argc, argv, "r:c:m:s:o:pt:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			if (pc_parse_u64(optarg, &rows) != 0)
				pc_usage_error("invalid number of rows '%s'", optarg);
			break;
		case 'c':
			if (pc_parse_u64(optarg, &cols) != 0 || cols < 1)
				pc_usage_error("invalid number of columns '%s' (at least 1)", optarg);
			break;
		case 'm':
			max_is_2_64 = strcmp(optarg, "18446744073709551616") == 0;
			if (!max_is_2_64 && pc_parse_u64(optarg, &max) != 0)
				pc_usage_error("invalid maximum '%s' (at most 18446744073709551616)", optarg);
			break;
		case OPT_MIN:
			if (pc_parse_u64(optarg, &min) != 0)
				pc_usage_error("invalid minimum '%s'", optarg);
			break;
		case 's':
			if (pc_parse_u64(optarg, &seed) != 0)
				pc_usage_error("invalid seed '%s' (a whole number below 2^64)", optarg);
			break;
		case 'o':
			output = optarg;
			break;
		case 'p':
			progress = true;
			break;
		case OPT_HEADER:
			header = true;
			break;
		case 't':
			delim = pc_parse_delimiter(optarg);
			break;
		case 'h':
			usage();
			return PC_EXIT_OK;
		case 'V':
			pc_print_version();
			return PC_EXIT_OK;
		default:
			pc_try_help();
		}
	}
	if (optind < argc)
		pc_usage_error("extra operand '%s'", argv[optind]);
	if (max_is_2_64)
		max = 0;   /* the range below wraps to 2^64 - min */
	else if (min >= max)
		pc_usage_error("the minimum %llu must be below the maximum %llu",
			       (unsigned long long)min, (unsigned long long)max);
	uint64_t range = max - min;

	pc_outfile out;
	if (pc_outfile_open(&out, output, PC_OUTFILE_DURABLE) != 0)
		return PC_EXIT_TROUBLE;
	drawer d = { .g = { seed }, .range = range };
	pc_buf row;
	pc_buf_init(&row);
	pc_progress report;
	uint64_t written = 0;
	pc_progress_start(&report, progress, 0, rows);
	if (header && write_header(&out, &row, cols, delim) != 0) {
		pc_outfile_abort(&out);
		pc_buf_free(&row);
		return PC_EXIT_TROUBLE;
	}
	/* A row goes out in pieces of at most PIECE values, so that any -c
	 * fits in bounded memory (and cols * 21 cannot overflow). */
	enum { PIECE = 4096 };
	for (uint64_t r = 0; r < rows; r++) {
		d.have_spare = false;   /* each row starts on a fresh output */
		add_name(&row, &d.g);
		for (uint64_t k = 0; k < cols;) {
			uint64_t n = cols - k < PIECE ? cols - k : PIECE;
			pc_buf_reserve(&row, (size_t)n * 21 + 1);
			char *o = row.data + row.len;
			for (uint64_t end = k + n; k < end; k++) {
				uint64_t v = min + draw(&d);
				*o++ = delim;
				if (v < 10) {
					*o++ = (char)('0' + v);
				} else if (v < 100) {
					*o++ = (char)('0' + v / 10);
					*o++ = (char)('0' + v % 10);
				} else {
					o += pc_u64_to_dec(v, o);
				}
			}
			if (k == cols)
				*o++ = '\n';
			row.len = (size_t)(o - row.data);
			if (row.len >= ((size_t)1 << 16) || (r + 1 == rows && k == cols)) {
				if (pc_outfile_write(&out, row.data, row.len) != 0) {
					pc_outfile_abort(&out);
					pc_buf_free(&row);
					return PC_EXIT_TROUBLE;
				}
				written += row.len;
				row.len = 0;
				pc_progress_update(&report, written, k == cols ? r + 1 : r);
			}
		}
	}
	pc_buf_free(&row);
	pc_progress_finish(&report, written, rows);
	return pc_outfile_commit(&out) == 0 ? PC_EXIT_OK : PC_EXIT_TROUBLE;
}
