/* cleanup.h - temporary files that must not outlive the program.
 *
 * A temporary file (the -o output being written, pc-split's chunk in
 * progress, pc-merge's spill file before it is unlinked) is registered by
 * the buffer that holds its name, before the file is made, and removed from
 * the register once it is renamed into place or unlinked.  Whatever is
 * still registered is unlinked on SIGINT, SIGTERM and SIGHUP (then the
 * signal is raised again, so the exit status tells it) and on every exit(),
 * such as out of memory deep inside.  This is the one piece of global
 * mutable state of the library: a signal handler has no other way in.  */
#ifndef PC_CLEANUP_H
#define PC_CLEANUP_H

/* Install the handlers (once, from pc_set_program_name).  A signal that was
 * ignored when the program started stays ignored. */
void pc_cleanup_install(void);
/* Register the NUL-terminated name in `path` (the buffer must live until
 * pc_cleanup_forget); it may still hold mkstemp's XXXXXX. */
void pc_cleanup_watch(char *path);
void pc_cleanup_forget(const char *path);

#endif
