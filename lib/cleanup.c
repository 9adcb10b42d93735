/* cleanup.c - unlink registered temporary files on signals and exit. */
#include <config.h>

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "diag.h"

#define SLOTS 16

/* Written by the main flow, read by the handler: each slot is one pointer,
 * stored whole, so the handler sees a name or NULL, never half of one. */
static char *volatile watched[SLOTS];

static void unlink_watched(void)
{
	for (int i = 0; i < SLOTS; i++) {
		char *p = watched[i];
		if (p)
			unlink(p);   /* async-signal-safe */
	}
}

static void on_signal(int sig)
{
	unlink_watched();
	signal(sig, SIG_DFL);
	raise(sig);
}

void pc_cleanup_install(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		struct sigaction old, sa = { .sa_handler = on_signal };
		sigemptyset(&sa.sa_mask);
		for (size_t j = 0; j < sizeof sigs / sizeof sigs[0]; j++)
			sigaddset(&sa.sa_mask, sigs[j]);   /* one cleanup at a time */
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
			sigaction(sigs[i], &sa, NULL);
	}
	atexit(unlink_watched);
}

void pc_cleanup_watch(char *path)
{
	for (int i = 0; i < SLOTS; i++) {
		if (!watched[i]) {
			watched[i] = path;
			return;
		}
	}
	pc_warn("internal error: more than %d temporary files at once", SLOTS);
	exit(PC_EXIT_TROUBLE);
}

void pc_cleanup_forget(const char *path)
{
	for (int i = 0; i < SLOTS; i++)
		if (watched[i] == path)
			watched[i] = NULL;
}
