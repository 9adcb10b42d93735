/* fault.c - an LD_PRELOAD library that makes one call fail (tests/faults.bats).
 *
 *   PC_FAULT=FUNC:N[:ERR]   the Nth call (from 1, in the whole process, all
 *                           threads) of FUNC fails.  ERR is an errno name
 *                           (EIO, ENOSPC, EINTR, ...) instead of FUNC's
 *                           usual one, or SHORT: read, write, pread and
 *                           pwrite then move half the bytes (at least one)
 *                           and succeed, a short count a program must take.
 *   PC_FAULT_COUNT=FILE     at exit, write "FUNC CALLS" for every FUNC to
 *                           FILE, and "fired FUNC N WHERE" if the fault was
 *                           made, WHERE being main (the main thread) or
 *                           thread (another one).
 *
 * FUNC is one of the counters below; each covers the names listed with it,
 * which are the ones the programs call (nm -D --undefined-only):
 *
 *   malloc    malloc calloc realloc                   ENOMEM, NULL
 *   read      read pread                              EIO
 *   write     write pwrite                            EIO
 *   fsync     fsync                                   EIO
 *   rename    rename                                  EIO, nothing renamed
 *   close     close (the fd is closed all the same)   EIO
 *   mkstemp   mkstemp mkstemp64 mkostemp mkostemp64   EMFILE, nothing made
 *   open      open open64                             EMFILE
 *   fchmod    fchmod                                  EIO
 *   stdio     fwrite fflush fclose                    EIO; fwrite writes
 *             nothing, fflush drops the buffered bytes (glibc's stream
 *             error flag is set), fclose still closes
 *   thread    pthread_create                          EAGAIN, returned
 *
 * Only calls made by the program are counted and failed: the return
 * address must be in the main executable, or in libgmp or libmpfr (whose
 * allocations are the exhaustive method's).  Calls from libc itself (its
 * stdio writes through its internal __write, which no preload can reach),
 * the dynamic loader, Open MPI and the sanitizer runtimes pass through
 * uncounted.  Standard error is written by stdio (fprintf) and is never
 * failed, so the messages of a failed run are always seen.  Only programs
 * whose name starts with "pc-" are touched: whatever they start (an MPI
 * daemon) runs untouched.
 *
 * Built without the sanitizers, for use with them too (ASan then needs
 * ASAN_OPTIONS=verify_asan_link_order=0).                                */
#define _GNU_SOURCE 1
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

enum { F_MALLOC, F_READ, F_WRITE, F_FSYNC, F_RENAME, F_CLOSE, F_MKSTEMP, F_OPEN, F_FCHMOD,
       F_STDIO, F_THREAD, F_COUNT };
static const char *const names[F_COUNT] = { "malloc", "read", "write", "fsync", "rename",
					    "close", "mkstemp", "open", "fchmod", "stdio",
					    "thread" };
static const int default_errno[F_COUNT] = { ENOMEM, EIO, EIO, EIO, EIO, EIO, EMFILE, EMFILE,
					    EIO, EIO, EAGAIN };

static unsigned long calls[F_COUNT];
static int fault_func = -1;        /* which counter fails, or -1 */
static unsigned long fault_n;      /* on which call */
static int fault_errno;            /* 0: SHORT */
static unsigned long fired;        /* the call that failed, or 0 */
static int fired_off_main;         /* ... on a thread other than main's */
static const char *count_file;
static int active;                 /* set up, and a pc- program */

/* ---- the callers that count ------------------------------------------------ */

enum { MAX_RANGES = 32 };
static struct { uintptr_t lo, hi; } ranges[MAX_RANGES];
static int nranges;

static int note_object(struct dl_phdr_info *info, size_t size, void *data)
{
	int *first = data;
	const char *name = info->dlpi_name ? info->dlpi_name : "";
	const char *base = strrchr(name, '/');
	base = base ? base + 1 : name;
	(void)size;
	int wanted = *first || strncmp(base, "libgmp.", 7) == 0 || strncmp(base, "libmpfr.", 8) == 0;
	*first = 0;
	if (!wanted)
		return 0;
	for (int i = 0; i < info->dlpi_phnum && nranges < MAX_RANGES; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X)) {
			ranges[nranges].lo = info->dlpi_addr + ph->p_vaddr;
			ranges[nranges].hi = info->dlpi_addr + ph->p_vaddr + ph->p_memsz;
			nranges++;
		}
	}
	return 0;
}

static int from_program(const void *ret)
{
	uintptr_t a = (uintptr_t)ret;
	for (int i = 0; i < nranges; i++)
		if (a >= ranges[i].lo && a < ranges[i].hi)
			return 1;
	return 0;
}

/* Count a call from `ret`; true when this one must fail. */
static int hit(int f, const void *ret)
{
	if (!active || !from_program(ret))
		return 0;
	unsigned long n = __atomic_add_fetch(&calls[f], 1, __ATOMIC_RELAXED);
	if (f != fault_func || n != fault_n)
		return 0;
	__atomic_store_n(&fired_off_main, gettid() != getpid(), __ATOMIC_RELAXED);
	__atomic_store_n(&fired, n, __ATOMIC_RELAXED);
	return 1;
}

#define HIT(f) hit((f), __builtin_return_address(0))

/* ---- the real functions ---------------------------------------------------- */

static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static void (*real_free)(void *);
static ssize_t (*real_read)(int, void *, size_t);
static ssize_t (*real_pread)(int, void *, size_t, off_t);
static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);
static int (*real_fsync)(int);
static int (*real_rename)(const char *, const char *);
static int (*real_close)(int);
static int (*real_mkstemp)(char *);
static int (*real_mkstemp64)(char *);
static int (*real_mkostemp)(char *, int);
static int (*real_mkostemp64)(char *, int);
static int (*real_open)(const char *, int, ...);
static int (*real_open64)(const char *, int, ...);
static int (*real_fchmod)(int, mode_t);
static size_t (*real_fwrite)(const void *, size_t, size_t, FILE *);
static int (*real_fflush)(FILE *);
static int (*real_fclose)(FILE *);
static int (*real_pthread_create)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);

/* dlsym may allocate; what it asks for while we look up the allocator
 * comes from here, and is never given back. */
static char arena[4096] __attribute__((aligned(16)));
static size_t arena_used;
static int resolving;

static void *arena_alloc(size_t n)
{
	n = (n + 15) & ~(size_t)15;
	if (n > sizeof arena - arena_used)
		return NULL;
	void *p = arena + arena_used;
	arena_used += n;
	return p;
}

static int in_arena(const void *p)
{
	return (const char *)p >= arena && (const char *)p < arena + sizeof arena;
}

#define RESOLVE(name) \
	do { \
		if (!real_##name) \
			*(void **)&real_##name = dlsym(RTLD_NEXT, #name); \
	} while (0)

static void resolve_allocator(void)
{
	resolving = 1;
	RESOLVE(malloc);
	RESOLVE(calloc);
	RESOLVE(realloc);
	RESOLVE(free);
	resolving = 0;
}

static int parse_errno(const char *s)
{
	static const struct { const char *name; int value; } table[] = {
		{ "EIO", EIO }, { "ENOSPC", ENOSPC }, { "EDQUOT", EDQUOT }, { "ENOMEM", ENOMEM },
		{ "EACCES", EACCES }, { "EPERM", EPERM }, { "EMFILE", EMFILE },
		{ "ENFILE", ENFILE }, { "EINTR", EINTR }, { "EAGAIN", EAGAIN },
		{ "EXDEV", EXDEV }, { "EROFS", EROFS }, { "EFBIG", EFBIG }, { "EPIPE", EPIPE },
		{ "SHORT", 0 },
	};
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		if (strcmp(s, table[i].name) == 0)
			return table[i].value;
	return -1;
}

static void bad_setting(const char *what)
{
	static const char msg[] = "libfault: bad PC_FAULT (FUNC:N[:ERRNO|SHORT]): ";
	RESOLVE(write);
	real_write(2, msg, sizeof msg - 1);
	real_write(2, what, strlen(what));
	real_write(2, "\n", 1);
	_exit(99);
}

__attribute__((constructor)) static void fault_init(void)
{
	resolve_allocator();
	RESOLVE(read); RESOLVE(pread); RESOLVE(write); RESOLVE(pwrite); RESOLVE(fsync);
	RESOLVE(rename); RESOLVE(close); RESOLVE(mkstemp); RESOLVE(mkstemp64);
	RESOLVE(mkostemp); RESOLVE(mkostemp64); RESOLVE(open); RESOLVE(open64);
	RESOLVE(fchmod); RESOLVE(fwrite); RESOLVE(fflush); RESOLVE(fclose);
	RESOLVE(pthread_create);

	extern char *program_invocation_short_name;
	if (strncmp(program_invocation_short_name, "pc-", 3) != 0)
		return;
	const char *spec = getenv("PC_FAULT");
	count_file = getenv("PC_FAULT_COUNT");
	if (spec && *spec) {
		char func[16];
		const char *colon = strchr(spec, ':');
		if (!colon || (size_t)(colon - spec) >= sizeof func)
			bad_setting(spec);
		memcpy(func, spec, (size_t)(colon - spec));
		func[colon - spec] = '\0';
		for (int f = 0; f < F_COUNT; f++)
			if (strcmp(func, names[f]) == 0)
				fault_func = f;
		char *end;
		fault_n = strtoul(colon + 1, &end, 10);
		if (fault_func < 0 || fault_n == 0 || (*end && *end != ':'))
			bad_setting(spec);
		fault_errno = default_errno[fault_func];
		if (*end == ':' && (fault_errno = parse_errno(end + 1)) < 0)
			bad_setting(spec);
		if (fault_errno == 0 && fault_func != F_READ && fault_func != F_WRITE)
			bad_setting(spec);
	}
	int first = 1;
	dl_iterate_phdr(note_object, &first);
	active = 1;
}

__attribute__((destructor)) static void fault_report(void)
{
	if (!active || !count_file)
		return;
	int saved = errno;
	int fd = real_open(count_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd >= 0) {
		char line[64];
		for (int f = 0; f < F_COUNT; f++) {
			int n = snprintf(line, sizeof line, "%s %lu\n", names[f],
					 __atomic_load_n(&calls[f], __ATOMIC_RELAXED));
			real_write(fd, line, (size_t)n);
		}
		unsigned long n_fired = __atomic_load_n(&fired, __ATOMIC_RELAXED);
		if (n_fired) {
			int n = snprintf(line, sizeof line, "fired %s %lu %s\n", names[fault_func], n_fired,
					 __atomic_load_n(&fired_off_main, __ATOMIC_RELAXED) ? "thread" : "main");
			real_write(fd, line, (size_t)n);
		}
		real_close(fd);
	}
	errno = saved;
}

/* ---- the allocator --------------------------------------------------------- */

void *malloc(size_t n)
{
	if (!real_malloc) {
		if (resolving)
			return arena_alloc(n);
		resolve_allocator();
	}
	if (HIT(F_MALLOC)) {
		errno = ENOMEM;
		return NULL;
	}
	return real_malloc(n);
}

void *calloc(size_t n, size_t size)
{
	if (!real_calloc) {
		if (resolving) {
			if (size && n > SIZE_MAX / size)
				return NULL;
			return arena_alloc(n * size);   /* static: already zero */
		}
		resolve_allocator();
	}
	if (HIT(F_MALLOC)) {
		errno = ENOMEM;
		return NULL;
	}
	return real_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
	if (!real_realloc) {
		if (resolving)
			return p ? NULL : arena_alloc(n);
		resolve_allocator();
	}
	if (HIT(F_MALLOC)) {
		errno = ENOMEM;
		return NULL;   /* p stays as it was */
	}
	if (in_arena(p)) {
		void *q = real_malloc(n);
		if (q)
			memcpy(q, p, n < (size_t)(arena + sizeof arena - (char *)p) ?
					     n : (size_t)(arena + sizeof arena - (char *)p));
		return q;
	}
	return real_realloc(p, n);
}

void free(void *p)
{
	if (!p || in_arena(p))
		return;
	if (!real_free)
		resolve_allocator();
	real_free(p);
}

/* ---- file descriptors ------------------------------------------------------ */

static size_t shorter(size_t n)
{
	return n > 1 ? n / 2 : n;
}

ssize_t read(int fd, void *p, size_t n)
{
	RESOLVE(read);
	if (HIT(F_READ)) {
		if (fault_errno == 0)
			return real_read(fd, p, shorter(n));
		errno = fault_errno;
		return -1;
	}
	return real_read(fd, p, n);
}

ssize_t pread(int fd, void *p, size_t n, off_t off)
{
	RESOLVE(pread);
	if (HIT(F_READ)) {
		if (fault_errno == 0)
			return real_pread(fd, p, shorter(n), off);
		errno = fault_errno;
		return -1;
	}
	return real_pread(fd, p, n, off);
}

ssize_t write(int fd, const void *p, size_t n)
{
	RESOLVE(write);
	if (HIT(F_WRITE)) {
		if (fault_errno == 0)
			return real_write(fd, p, shorter(n));
		errno = fault_errno;
		return -1;
	}
	return real_write(fd, p, n);
}

ssize_t pwrite(int fd, const void *p, size_t n, off_t off)
{
	RESOLVE(pwrite);
	if (HIT(F_WRITE)) {
		if (fault_errno == 0)
			return real_pwrite(fd, p, shorter(n), off);
		errno = fault_errno;
		return -1;
	}
	return real_pwrite(fd, p, n, off);
}

int fsync(int fd)
{
	RESOLVE(fsync);
	if (HIT(F_FSYNC)) {
		errno = fault_errno;
		return -1;
	}
	return real_fsync(fd);
}

int rename(const char *from, const char *to)
{
	RESOLVE(rename);
	if (HIT(F_RENAME)) {
		errno = fault_errno;
		return -1;
	}
	return real_rename(from, to);
}

int close(int fd)
{
	RESOLVE(close);
	if (HIT(F_CLOSE)) {
		real_close(fd);   /* as Linux does: the fd is gone, the error stays */
		errno = fault_errno;
		return -1;
	}
	return real_close(fd);
}

int fchmod(int fd, mode_t mode)
{
	RESOLVE(fchmod);
	if (HIT(F_FCHMOD)) {
		errno = fault_errno;
		return -1;
	}
	return real_fchmod(fd, mode);
}

#define MKSTEMP(name, params, args) \
	int name params \
	{ \
		RESOLVE(name); \
		if (HIT(F_MKSTEMP)) { \
			errno = fault_errno; \
			return -1; \
		} \
		return real_##name args; \
	}
MKSTEMP(mkstemp, (char *t), (t))
MKSTEMP(mkstemp64, (char *t), (t))
MKSTEMP(mkostemp, (char *t, int flags), (t, flags))
MKSTEMP(mkostemp64, (char *t, int flags), (t, flags))

static mode_t open_mode(int flags, va_list ap)
{
	return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? va_arg(ap, mode_t) : 0;
}

int open(const char *path, int flags, ...)
{
	va_list ap;
	va_start(ap, flags);
	mode_t mode = open_mode(flags, ap);
	va_end(ap);
	RESOLVE(open);
	if (HIT(F_OPEN)) {
		errno = fault_errno;
		return -1;
	}
	return real_open(path, flags, mode);
}

int open64(const char *path, int flags, ...)
{
	va_list ap;
	va_start(ap, flags);
	mode_t mode = open_mode(flags, ap);
	va_end(ap);
	RESOLVE(open64);
	if (HIT(F_OPEN)) {
		errno = fault_errno;
		return -1;
	}
	return real_open64(path, flags, mode);
}

/* ---- stdio (standard error is never failed: the messages must get out) ---- */

static int failing_stream(FILE *s)
{
	return s != stderr;
}

size_t fwrite(const void *p, size_t size, size_t n, FILE *s)
{
	RESOLVE(fwrite);
	if (failing_stream(s) && HIT(F_STDIO)) {
		s->_flags |= _IO_ERR_SEEN;
		errno = fault_errno;
		return 0;
	}
	return real_fwrite(p, size, n, s);
}

int fflush(FILE *s)
{
	RESOLVE(fflush);
	if (s && failing_stream(s) && HIT(F_STDIO)) {
		__fpurge(s);   /* what could not be written is gone */
		s->_flags |= _IO_ERR_SEEN;
		errno = fault_errno;
		return EOF;
	}
	return real_fflush(s);
}

int fclose(FILE *s)
{
	RESOLVE(fclose);
	if (failing_stream(s) && HIT(F_STDIO)) {
		__fpurge(s);
		real_fclose(s);
		errno = fault_errno;
		return EOF;
	}
	return real_fclose(s);
}

/* ---- threads --------------------------------------------------------------- */

int pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*start)(void *), void *arg)
{
	RESOLVE(pthread_create);
	if (HIT(F_THREAD))
		return fault_errno;
	return real_pthread_create(t, attr, start, arg);
}
