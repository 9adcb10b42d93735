/* diag.h - the program's name in messages, the exit codes, and messages
 * on stderr.  Every layer may report through these; only the programs'
 * option parsing (cli.h) knows about --help and usage. */
#ifndef PC_DIAG_H
#define PC_DIAG_H

enum {
	PC_EXIT_OK = 0,
	PC_EXIT_BAD_INPUT = 1, /* a bad row (fail mode), a bad or lost chunk */
	PC_EXIT_TROUBLE = 2,   /* usage errors, I/O errors */
};

/* Called first thing in main: makes sure fds 0, 1 and 2 are open (a closed
 * one becomes /dev/null opened the wrong way round, so using it fails),
 * sets the name for messages, and restores the default SIGPIPE action so
 * `prog | head` ends quietly. */
void pc_set_program_name(const char *argv0);
const char *pc_program_name(void);

/* "PROGRAM: message" on stderr. */
void pc_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "PROGRAM: message: strerror(errno)" on stderr. */
void pc_warn_errno(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
