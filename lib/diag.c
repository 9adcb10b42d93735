/* diag.c - the program's name and its messages on stderr. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "diag.h"

/* Set once by pc_set_program_name() before anything runs; read-only after. */
static const char *program_name = "powercouples";

/*
 * A program started with fd 0, 1 or 2 closed (cron jobs and daemons do that)
 * would hand that number to the next file it opens, and then read its own
 * output file as input, or write its list of chunks into a chunk.  Fill
 * each closed one with /dev/null opened the wrong way round, as coreutils
 * does: the next open gets a number above 2, and using the stream still
 * fails (EBADF), so a closed stdout is a write error, not lost output.
 */
static void std_fds_open(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		if (open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY) != fd)
			_exit(PC_EXIT_TROUBLE);   /* no /dev/null: nothing safe is left to do */
	}
}

void pc_set_program_name(const char *argv0)
{
	std_fds_open();
	const char *slash = strrchr(argv0, '/');
	program_name = slash ? slash + 1 : argv0;
	/* A closed pipe downstream should end us quietly, whatever our parent
	 * did with SIGPIPE. */
	signal(SIGPIPE, SIG_DFL);
	pc_cleanup_install();
}

const char *pc_program_name(void)
{
	return program_name;
}

static void vwarn(const char *fmt, va_list ap, int errnum)
{
	fprintf(stderr, "%s: ", program_name);
	vfprintf(stderr, fmt, ap);
	if (errnum)
		fprintf(stderr, ": %s", strerror(errnum));
	fputc('\n', stderr);
}

void pc_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vwarn(fmt, ap, 0);
	va_end(ap);
}

void pc_warn_errno(const char *fmt, ...)
{
	int errnum = errno;
	va_list ap;
	va_start(ap, fmt);
	vwarn(fmt, ap, errnum);
	va_end(ap);
}
