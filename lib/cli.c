/* cli.c - option parsing: --help, --version, sizes, the scorers' options. */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "frame.h"

int pc_usage_status = PC_EXIT_TROUBLE;

void pc_usage_error(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s: ", pc_program_name());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	pc_try_help();
}

void pc_try_help(void)
{
	fprintf(stderr, "Try '%s --help' for more information.\n", pc_program_name());
	exit(pc_usage_status);
}

void pc_print_version(void)
{
	printf("%s (%s) %s\n"
	       "Copyright (c) 2026 The powercouples authors.\n"
	       "License MIT: <https://opensource.org/licenses/MIT>.\n"
	       "This is free software: you are free to change and redistribute it.\n",
	       pc_program_name(), PACKAGE_NAME, PACKAGE_VERSION);
}

void pc_print_help_footer(void)
{
	printf("\nReport bugs to: <%s>\n%s home page: <%s>\n",
	       PACKAGE_BUGREPORT, PACKAGE_NAME, PACKAGE_URL);
}

/* ---- sizes ---------------------------------------------------------------- */

/* The physical memory, for SIZE%: 0 when the system does not say. */
static uint64_t physical_memory(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
	return pages > 0 && page > 0 ? (uint64_t)pages * (uint64_t)page : 0;
}

const char *pc_parse_size(const char *s, unsigned flags, uint64_t *out)
{
	const char *p = s;
	uint64_t v = 0;

	if (!*s)
		return "empty";
	if (*s == '-')
		return "negative";
	if (*p < '0' || *p > '9')
		return "not a number";
	for (; *p >= '0' && *p <= '9'; p++) {
		unsigned d = (unsigned)(*p - '0');
		if (v > (UINT64_MAX - d) / 10)
			return "too large (at most 2^64-1 bytes)";
		v = v * 10 + d;
	}
	if (*p == '%' && p[1] == '\0' && (flags & PC_SIZE_PERCENT)) {
		if (v > 100)
			return "more than 100% of memory";
		uint64_t mem = physical_memory();
		if (!mem)
			return "the size of memory is unknown";
		*out = (uint64_t)((unsigned __int128)mem * v / 100);
		return NULL;
	}
	/* K M G T: powers of 1024, alone or with iB; with B, powers of 1000 */
	static const char letters[4] = "KMGT";
	unsigned power = 0, base = 1024;
	if (*p) {
		const char *l = memchr(letters, toupper((unsigned char)*p), sizeof letters);
		bool decimal = strcmp(p + 1, "B") == 0;
		if (!l || (p[1] && !decimal && strcmp(p + 1, "iB") != 0))
			return (flags & PC_SIZE_PERCENT)
				? "unknown suffix (K, M, G, T and KiB ... TiB are powers of 1024, KB ... TB of 1000; or N% of memory)"
				: "unknown suffix (K, M, G, T and KiB ... TiB are powers of 1024, KB ... TB of 1000)";
		power = (unsigned)(l - letters) + 1;
		if (decimal)
			base = 1000;
	}
	for (unsigned i = 0; i < power; i++) {
		if (v > UINT64_MAX / base)
			return "too large (at most 2^64-1 bytes)";
		v *= base;
	}
	*out = v;
	return NULL;
}

uint64_t pc_size_arg(const char *what, const char *arg, unsigned flags,
		     uint64_t min, uint64_t max, const char *range)
{
	uint64_t v;
	const char *why = pc_parse_size(arg, flags, &v);
	if (why)
		pc_usage_error("invalid %s '%s': %s", what, arg, why);
	if (v < min || v > max)
		pc_usage_error("invalid %s '%s': out of range (%s)", what, arg, range);
	return v;
}

char pc_parse_delimiter(const char *arg)
{
	if (strcmp(arg, "\\t") == 0)
		return '\t';
	if (strlen(arg) != 1)
		pc_usage_error("the delimiter must be a single byte, not '%s'", arg);
	if (!pc_frame_delim_ok(arg[0]))
		pc_usage_error("invalid delimiter '%s' (TAB or one of !$&'()*,;<>?[\\]^`{|};"
			       " not a digit, letter, space, quote or #%%+-./:=@_~)", arg);
	return arg[0];
}

/* ---- the scorers' options ----------------------------------------------- */

enum { OPT_ON_ERROR = CHAR_MAX + 1, OPT_REJECTS, OPT_HEADER };

static void scorer_help(unsigned features, const char *blurb)
{
	printf("Usage: %s [OPTION]... [FILE]...\n%s\n\n", pc_program_name(), blurb);
	fputs("Each input row is name,n1,...,nk (k >= 2, whole numbers 0..2^64-1); the\n"
	      "output row is name,x,y where x^y is the largest power of two values at\n"
	      "different positions of the row.  With no FILE, or when FILE is -, read\n"
	      "standard input.  Several files are read in order as one stream.\n\n", stdout);
	if (features & PC_ARGS_JOBS)
		fputs("  -j, --jobs=N          score on N threads (default: the CPUs it may use, as nproc)\n", stdout);
	fputs("  -o, --output=FILE     write to FILE, only if the whole run succeeds\n"
	      "  -m, --method=METHOD   closed (the O(k) closed form, default) or\n"
	      "                        exhaustive (every ordered pair, compared exactly)\n"
	      "      --on-error=MODE   fail (stop at the first bad row, exit 1; default)\n"
	      "                        or skip (report and skip bad rows, exit 0)\n"
	      "      --rejects=FILE    with --on-error=skip, copy bad rows to FILE\n"
	      PC_HELP_HEADER_DELIM
	      "  -p, --progress        report progress on standard error\n"
	      "  -B, --block-size=SIZE read input in blocks of SIZE bytes (default 1M,\n"
	      "                        at most 1G)\n"
	      "  -h, --help            display this help and exit\n"
	      "  -V, --version         output version information and exit\n\n"
	      PC_SIZE_HELP "\n"
	      "Exit status: 0 if all went well (or bad rows were skipped), 1 for a bad\n"
	      "row, 2 for usage or I/O errors.\n", stdout);
	printf("See %s(1) and powercouples(7) for the exact rules.\n", pc_program_name());
	pc_print_help_footer();
}

void pc_scorer_parse(pc_scorer_args *a, int argc, char **argv,
		     unsigned features, const char *blurb)
{
	static const struct option longopts[] = {
		{ "jobs", required_argument, NULL, 'j' },
		{ "output", required_argument, NULL, 'o' },
		{ "method", required_argument, NULL, 'm' },
		{ "on-error", required_argument, NULL, OPT_ON_ERROR },
		{ "rejects", required_argument, NULL, OPT_REJECTS },
		{ "progress", no_argument, NULL, 'p' },
		{ "header", no_argument, NULL, OPT_HEADER },
		{ "delimiter", required_argument, NULL, 't' },
		{ "block-size", required_argument, NULL, 'B' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *shortopts = (features & PC_ARGS_JOBS) ? "j:o:m:pt:B:hV" : "o:m:pt:B:hV";
	uint64_t n;
	int c;

	*a = (pc_scorer_args){ .method = PC_METHOD_CLOSED, .delim = ',',
			       .block_size = PC_DEFAULT_BLOCK_SIZE };
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			if (!(features & PC_ARGS_JOBS))
				pc_usage_error("unrecognized option '--jobs'");
			if (pc_parse_u64(optarg, &n) != 0 || n < 1 || n > 4096)
				pc_usage_error("invalid number of jobs '%s' (1 to 4096)", optarg);
			a->jobs = (unsigned long)n;
			break;
		case 'o':
			a->output = optarg;
			break;
		case 'm':
			if (strcmp(optarg, "closed") == 0)
				a->method = PC_METHOD_CLOSED;
			else if (strcmp(optarg, "exhaustive") == 0)
				a->method = PC_METHOD_EXHAUSTIVE;
			else
				pc_usage_error("invalid method '%s' (closed or exhaustive)", optarg);
			break;
		case OPT_ON_ERROR:
			if (strcmp(optarg, "fail") == 0)
				a->skip = false;
			else if (strcmp(optarg, "skip") == 0)
				a->skip = true;
			else
				pc_usage_error("invalid --on-error mode '%s' (fail or skip)", optarg);
			break;
		case OPT_REJECTS:
			a->rejects = optarg;
			break;
		case 'p':
			a->progress = true;
			break;
		case OPT_HEADER:
			a->header = true;
			break;
		case 't':
			a->delim = pc_parse_delimiter(optarg);
			break;
		case 'B':
			a->block_size = (size_t)pc_size_arg("block size", optarg, 0, 1,
							      (uint64_t)1 << 30, "1 to 1G");
			break;
		case 'h':
			scorer_help(features, blurb);
			exit(PC_EXIT_OK);
		case 'V':
			pc_print_version();
			exit(PC_EXIT_OK);
		default:
			pc_try_help();
		}
	}
	if (a->rejects && !a->skip)
		pc_usage_error("--rejects needs --on-error=skip");
	if (optind < argc) {
		a->inputs = argv + optind;
		a->ninputs = argc - optind;
	} else {
		static char *stdin_only[] = { "-", NULL };
		a->inputs = stdin_only;
		a->ninputs = 1;
	}
}
