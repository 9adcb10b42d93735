/* cli.c - option parsing: --help, --version, sizes, the scorers' options. */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"

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
	exit(PC_EXIT_TROUBLE);
}

void pc_print_version(void)
{
	printf("%s (%s) %s\n"
	       "Copyright (c) 2026 The powercouples authors.\n"
	       "License MIT: <https://opensource.org/licenses/MIT>.\n"
	       "This is free software: you are free to change and redistribute it.\n",
	       pc_program_name(), PACKAGE_NAME, PACKAGE_VERSION);
}

int pc_parse_size(const char *s, uint64_t *out)
{
	size_t n = strlen(s);
	unsigned shift = 0;
	char digits[32];

	if (n == 0 || n >= sizeof digits)
		return -1;
	switch (s[n - 1]) {
	case 'k': case 'K': shift = 10; break;
	case 'm': case 'M': shift = 20; break;
	case 'g': case 'G': shift = 30; break;
	case 't': case 'T': shift = 40; break;
	}
	if (shift)
		n--;
	memcpy(digits, s, n);
	digits[n] = '\0';
	uint64_t v;
	if (pc_parse_u64(digits, &v) != 0 || (shift && v > (UINT64_MAX >> shift)))
		return -1;
	*out = v << shift;
	return 0;
}

/* ---- the scorers' options ----------------------------------------------- */

enum { OPT_ON_ERROR = CHAR_MAX + 1, OPT_REJECTS };

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
	      "  -p, --progress        report progress on standard error\n"
	      "  -B, --block-size=SIZE read input in blocks of SIZE bytes (default 1M;\n"
	      "                        suffixes K, M, G)\n"
	      "  -h, --help            display this help and exit\n"
	      "  -V, --version         output version information and exit\n\n"
	      "Exit status: 0 if all went well (or bad rows were skipped), 1 for a bad\n"
	      "row, 2 for usage or I/O errors.\n", stdout);
	printf("See %s(1) and powercouples(7) for the exact rules.\n", pc_program_name());
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
		{ "block-size", required_argument, NULL, 'B' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *shortopts = (features & PC_ARGS_JOBS) ? "j:o:m:pB:hV" : "o:m:pB:hV";
	uint64_t n;
	int c;

	*a = (pc_scorer_args){ .method = PC_METHOD_CLOSED,
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
		case 'B':
			if (pc_parse_size(optarg, &n) != 0 || n < 1 || n > ((uint64_t)1 << 30))
				pc_usage_error("invalid block size '%s' (1 to 1G)", optarg);
			a->block_size = (size_t)n;
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
