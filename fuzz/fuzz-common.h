/* fuzz-common.h - what the libFuzzer harnesses of fuzz/ share: a hash of
 * the input to derive parameters from, inputs as files (memfd or a private
 * work directory), capture of what the library prints, and failing loudly.
 *
 * Each harness is one translation unit that includes this file once.  The
 * library's sources (lib/) are compiled into it with clang's
 * -fsanitize=fuzzer,address,undefined (see fuzz/local.mk).             */
#ifndef PC_FUZZ_COMMON_H
#define PC_FUZZ_COMMON_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "classify.h"

/* Not every harness uses every helper. */
#define FZ_FN static __attribute__((unused))

/* ---- failing ------------------------------------------------------------- */

/* Say what disagreed on the real stderr (fd 2, whatever stderr points to
 * while a capture runs) and crash, so that libFuzzer keeps the input. */
FZ_FN void fz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
FZ_FN void fz_fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	dprintf(STDERR_FILENO, "\n==== fuzz harness: ");
	vdprintf(STDERR_FILENO, fmt, ap);
	dprintf(STDERR_FILENO, "\n");
	va_end(ap);
	abort();
}

/* Print n bytes, escaped, on fd 2. */
FZ_FN void fz_show(const char *label, const char *p, size_t n)
{
	dprintf(STDERR_FILENO, "---- %s (%zu bytes):\n", label, n);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == '\n')
			dprintf(STDERR_FILENO, "\\n\n");
		else if (c == '\\')
			dprintf(STDERR_FILENO, "\\\\");
		else if (c < 0x20 || c >= 0x7f)
			dprintf(STDERR_FILENO, "\\x%02X", c);
		else
			dprintf(STDERR_FILENO, "%c", c);
	}
	dprintf(STDERR_FILENO, "\n---- end of %s\n", label);
}

/* ---- parameters from the input ----------------------------------------- */

/* FNV-1a: the same input always gets the same parameters, so that every
 * input libFuzzer keeps (the seeds are plain CSV files) reproduces. */
FZ_FN uint64_t fz_hash(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325u;
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3u;
	}
	/* a final mix, so that every bit depends on every byte */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdu;
	h ^= h >> 33;
	return h;
}

/* A block size: from 1 (the reader makes it 4) to 64 KiB (more than any
 * input of the harnesses), small ones often. */
FZ_FN size_t fz_block_size(uint64_t bits)
{
	static const size_t big[] = { 13, 16, 31, 64, 100, 257, 4096, (size_t)1 << 16 };
	if (bits & 1)
		return 1 + (size_t)((bits >> 1) % 12);
	return big[(bits >> 1) % 8];
}

/* The byte classifier's path for this input, from the hash's bits: each
 * path this processor runs gets its share of the inputs. */
/* Every kernel on `path` from now on: the classifier and the rest. */
FZ_FN void fz_set_path(pc_simd path)
{
	pc_classify_use(path);
	pc_simd_use(path);
}

FZ_FN pc_simd fz_use_path(uint64_t bits)
{
	pc_simd path = (pc_simd)(bits % PC_SIMD_PATHS);
	while (!pc_simd_supported(path))
		path--;   /* a path this processor lacks: the next narrower */
	fz_set_path(path);
	return path;
}

FZ_FN size_t fz_count(const uint8_t *p, size_t n, uint8_t c)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += p[i] == c;
	return k;
}

/* ---- inputs as files ------------------------------------------------------ */

/* A memfd holding p[0..n), and its name (/proc/self/fd/N) in path. */
FZ_FN int fz_memfd(const void *p, size_t n, char *path, size_t size)
{
	int fd = memfd_create("fuzz-input", MFD_CLOEXEC);
	if (fd < 0)
		fz_fail("memfd_create: %s", strerror(errno));
	if (n && write(fd, p, n) != (ssize_t)n)
		fz_fail("write to a memfd: %s", strerror(errno));
	snprintf(path, size, "/proc/self/fd/%d", fd);
	return fd;
}

/* The bytes of fd, from its start, into out (appended). */
FZ_FN void fz_read_fd(int fd, pc_buf *out)
{
	char tmp[65536];
	ssize_t n;
	if (lseek(fd, 0, SEEK_SET) != 0)
		fz_fail("lseek: %s", strerror(errno));
	while ((n = read(fd, tmp, sizeof tmp)) > 0)
		pc_buf_add(out, tmp, (size_t)n);
	if (n < 0)
		fz_fail("read: %s", strerror(errno));
}

FZ_FN void fz_write_file(const char *path, const void *p, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || (n && write(fd, p, n) != (ssize_t)n) || close(fd) != 0)
		fz_fail("cannot write '%s': %s", path, strerror(errno));
}

static char fz_dir[256];

/* Remove every file in dir (not subdirectories' contents). */
FZ_FN void fz_empty_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[512];
	if (!d)
		return;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (unlink(path) != 0 && errno == EISDIR) {
			fz_empty_dir(path);
			rmdir(path);
		}
	}
	closedir(d);
}

FZ_FN void fz_remove_workdir(void)
{
	if (fz_dir[0]) {
		fz_empty_dir(fz_dir);
		rmdir(fz_dir);
	}
}

/* A private directory for this process, under $FUZZ_TMPDIR, else /dev/shm
 * (no disk: files there cost little), else /tmp; removed at exit. */
FZ_FN const char *fz_workdir(void)
{
	if (fz_dir[0])
		return fz_dir;
	const char *env = getenv("FUZZ_TMPDIR");
	const char *cands[] = { env && *env ? env : NULL, "/dev/shm", "/tmp" };
	for (size_t i = 0; i < 3; i++) {
		if (!cands[i] || access(cands[i], W_OK) != 0)
			continue;
		snprintf(fz_dir, sizeof fz_dir, "%s/pc-fuzz-XXXXXX", cands[i]);
		if (mkdtemp(fz_dir)) {
			atexit(fz_remove_workdir);
			return fz_dir;
		}
	}
	fz_dir[0] = '\0';
	fz_fail("no directory for temporary files (set FUZZ_TMPDIR)");
}

/* ---- capturing what the library prints ------------------------------------ */

/* While a capture runs, standard output (fd 1, where the outfiles write,
 * and the stdio stream, where pc-split prints paths) and the stdio stream
 * stderr (every message of the library) go to memory.  The sanitizers and
 * libFuzzer write to fd 2 itself, so their reports are never captured. */
typedef struct {
	int saved_fd1, mem_fd;
	FILE *saved_stdout, *saved_stderr;
	FILE *out_stream, *err_stream;
	char *out_text, *err_text;
	size_t out_len, err_len;
	pc_buf out, err;   /* what was captured: fd 1 and stdout, then stderr */
} fz_capture;

FZ_FN void fz_capture_begin(fz_capture *c)
{
	*c = (fz_capture){ 0 };
	fflush(stdout);
	c->mem_fd = memfd_create("fuzz-stdout", MFD_CLOEXEC);
	c->saved_fd1 = dup(STDOUT_FILENO);
	if (c->mem_fd < 0 || c->saved_fd1 < 0 || dup2(c->mem_fd, STDOUT_FILENO) < 0)
		fz_fail("cannot redirect standard output: %s", strerror(errno));
	c->out_stream = open_memstream(&c->out_text, &c->out_len);
	c->err_stream = open_memstream(&c->err_text, &c->err_len);
	if (!c->out_stream || !c->err_stream)
		fz_fail("open_memstream: %s", strerror(errno));
	c->saved_stdout = stdout;
	c->saved_stderr = stderr;
	stdout = c->out_stream;
	stderr = c->err_stream;
}

FZ_FN void fz_capture_end(fz_capture *c)
{
	stdout = c->saved_stdout;
	stderr = c->saved_stderr;
	fclose(c->out_stream);
	fclose(c->err_stream);
	if (dup2(c->saved_fd1, STDOUT_FILENO) < 0)
		fz_fail("cannot restore standard output: %s", strerror(errno));
	close(c->saved_fd1);
	pc_buf_init(&c->out);
	pc_buf_init(&c->err);
	fz_read_fd(c->mem_fd, &c->out);
	close(c->mem_fd);
	pc_buf_add(&c->out, c->out_text, c->out_len);
	pc_buf_add(&c->err, c->err_text, c->err_len);
	free(c->out_text);
	free(c->err_text);
}

FZ_FN void fz_capture_free(fz_capture *c)
{
	pc_buf_free(&c->out);
	pc_buf_free(&c->err);
}

/* ---- comparing ----------------------------------------------------------- */

FZ_FN bool fz_same(const pc_buf *a, const pc_buf *b)
{
	return a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

/* Lines of text (LF-ended) that match none of the prefixes given... */
FZ_FN bool fz_starts(const char *line, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);
	return n >= k && memcmp(line, prefix, k) == 0;
}

#endif
