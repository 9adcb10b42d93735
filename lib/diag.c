/* diag.c - the program's name and its messages on stderr. */
#include <config.h>

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "diag.h"

/* Set once by pc_set_program_name() before anything runs; read-only after. */
static const char *program_name = "powercouples";

void pc_set_program_name(const char *argv0)
{
	const char *slash = strrchr(argv0, '/');
	program_name = slash ? slash + 1 : argv0;
	/* A closed pipe downstream should end us quietly, whatever our parent
	 * did with SIGPIPE. */
	signal(SIGPIPE, SIG_DFL);
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
