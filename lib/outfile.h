/* outfile.h - buffered output that never leaves a file looking complete.
 *
 * A regular file (or a name that does not exist yet) is written to a
 * temporary file in the same directory (.pc-XXXXXX, removed on signals and
 * exits: cleanup.h) and renamed into place by pc_outfile_commit(); with
 * PC_OUTFILE_DURABLE the file is synced first and its directory after, so
 * the result is on disk before it appears.  Anything else (stdout,
 * /dev/full, a FIFO) is written in place.  Every write error is reported,
 * naming the file.                                                      */
#ifndef PC_OUTFILE_H
#define PC_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

typedef struct {
	int fd;
	bool is_stdout;   /* fd is standard output (never closed or renamed) */
	char *path;       /* final name, or NULL for stdout */
	char *tmp;        /* temporary name while writing, or NULL */
	const char *display;
	pc_buf buf;
	bool failed;
	bool durable;
	int dir;          /* while committing: the directory to sync, or -1 */
	bool renamed;     /* while committing: in place under its final name */
} pc_outfile;

#define PC_OUTFILE_DURABLE 1u   /* -o: fsync the file, then its directory */

/* path NULL or "-" means standard output.  Returns 0, or -1 (reported). */
int pc_outfile_open(pc_outfile *f, const char *path, unsigned flags);
int pc_outfile_write(pc_outfile *f, const void *p, size_t n);
int pc_outfile_flush(pc_outfile *f);
/* Flush, close and rename into place; the file is released either way. */
int pc_outfile_commit(pc_outfile *f);
/* Commit n files as one: all appear, or none.  Each is flushed, synced and
 * closed, and its directory opened, before any is renamed; if a rename or
 * a sync of a directory fails, the files renamed already are taken back
 * (unlinked), and a signal in between removes them too.  0, or -1
 * (reported); every file is released either way. */
int pc_outfile_commit_all(pc_outfile *const *files, size_t n);
/* Drop the output: a temporary file is removed; output written in place
 * (stdout, a device) keeps what was written before the failure. */
void pc_outfile_abort(pc_outfile *f);

#endif
