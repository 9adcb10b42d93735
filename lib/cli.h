/* cli.h - what every program's command line shares: usage errors, the
 * --help hint, --version, sizes, and the option set of the three scorers. */
#ifndef PC_CLI_H
#define PC_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "kernel.h"

/* The status a usage error exits with: PC_EXIT_TROUBLE (2), unless the
 * program sets another before parsing (pc-mpirun's worker ranks: 0). */
extern int pc_usage_status;
/* "PROGRAM: message" and the --help hint, then exit pc_usage_status. */
_Noreturn void pc_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The end of every option parser's error path: "Try 'PROGRAM --help'...",
 * exit pc_usage_status (getopt_long has already said what was wrong). */
_Noreturn void pc_try_help(void);
void pc_print_version(void);
/* The end of every --help, as GNU's: "Report bugs to: ..." and the home page. */
void pc_print_help_footer(void);

/* The one grammar of every SIZE option: a whole number of bytes, with an
 * optional suffix as in GNU coreutils: K, M, G, T (also k, m, g, t, and
 * KiB ... TiB) are powers of 1024, KB, MB, GB, TB powers of 1000; with
 * PC_SIZE_PERCENT also N%, N percent of the physical memory (as sort -S).
 * Returns NULL, or what is wrong ("empty", "negative", "unknown suffix
 * ...", "too large ..."). */
#define PC_SIZE_PERCENT 1u
const char *pc_parse_size(const char *s, unsigned flags, uint64_t *out);
/* A SIZE option's argument, from min to max (range says so in words):
 * "PROGRAM: invalid WHAT 'ARG': why" and exit 2 otherwise. */
uint64_t pc_size_arg(const char *what, const char *arg, unsigned flags,
		     uint64_t min, uint64_t max, const char *range);
/* The lines of --help that say what SIZE may be. */
#define PC_SIZE_HELP \
	"SIZE is a number of bytes, optionally followed by K, M, G or T (powers of\n" \
	"1024, also KiB, MiB, GiB, TiB) or KB, MB, GB, TB (powers of 1000).\n"

/* -t, --delimiter: CHAR is one byte that pc_frame_delim_ok() takes, or
 * "\t" for TAB.  Exits 2 with a message otherwise. */
char pc_parse_delimiter(const char *arg);
/* The --help lines of --header and -t, for every program that takes them. */
#define PC_HELP_HEADER_DELIM \
	"      --header          each input's first line is a header: skip it, and\n" \
	"                        write name,x,y first\n" \
	"  -t, --delimiter=CHAR  fields are separated by CHAR, not ',' (one byte;\n" \
	"                        '\\t' or a TAB for TAB), in the output too\n"

/* Options shared by pc-score, pc-threads and pc-mpirun. */
typedef struct {
	const char *output;
	const char *rejects;
	pc_method method;
	bool skip;
	bool progress;
	bool header;          /* --header */
	char delim;           /* -t; ',' by default (0 is ',' too) */
	size_t block_size;
	unsigned long jobs;   /* -j; only with PC_ARGS_JOBS, 0 = online CPUs */
	char **inputs;        /* never empty: "-" when no file is named */
	int ninputs;
} pc_scorer_args;

#define PC_ARGS_JOBS 1u   /* accept -j N */
#define PC_DEFAULT_BLOCK_SIZE ((size_t)1 << 20)

/* Parse argv; prints --help/--version and exits, or exits 2 on misuse.
 * usage_line is e.g. "[OPTION]... [FILE]..." and blurb one sentence. */
void pc_scorer_parse(pc_scorer_args *a, int argc, char **argv,
		     unsigned features, const char *blurb);

#endif
