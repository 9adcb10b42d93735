/* cli.h - what every program shares: its name in messages, exit codes,
 * number parsing, and the option set of the three scorers.            */
#ifndef PC_CLI_H
#define PC_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel.h"

enum {
	PC_EXIT_OK = 0,
	PC_EXIT_BAD_INPUT = 1, /* a bad row (fail mode), a bad or lost chunk */
	PC_EXIT_TROUBLE = 2,   /* usage errors, I/O errors */
};

/* Set once at start-up, before anything is printed; also restores the
 * default SIGPIPE action so `prog | head` ends quietly. */
void pc_set_program_name(const char *argv0);
const char *pc_program_name(void);

/* "PROGRAM: message" on stderr. */
void pc_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "PROGRAM: message: strerror(errno)" on stderr. */
void pc_warn_errno(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "PROGRAM: message" and the --help hint, then exit 2. */
_Noreturn void pc_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void pc_print_version(void);

/* Whole decimal numbers and sizes with K/M/G/T suffixes (powers of 1024).
 * Return 0, or -1 for malformed or out-of-range text. */
int pc_parse_u64(const char *s, uint64_t *out);
int pc_parse_size(const char *s, uint64_t *out);

/* Options shared by pc-score, pc-threads and pc-mpirun. */
typedef struct {
	const char *output;
	const char *rejects;
	pc_method method;
	bool skip;
	bool progress;
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
