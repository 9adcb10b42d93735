/* unit-io.c - promises about system calls that no output shows.
 *
 * -o: the file is synced before its rename and its directory after it, it
 * gets the mode of a newly created file, and an exit() anywhere (out of
 * memory deep inside) leaves no temporary file behind.
 *
 * The reader: a read error in the middle of a file comes after the rows
 * read before it, never in their place.
 *
 * fsync(), rename() and read() are defined here: the library's calls bind
 * to these, which log the calls, do the work, or fail on purpose.       */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "outfile.h"
#include "reader.h"
#include "tap.h"

/* The calls seen, in order: 'F' fsync of a regular file, 'D' fsync of a
 * directory, 'R' rename; with the inode fsync saw. */
static char calls[64];
static ino_t call_ino[64];
static int ncalls;

int fsync(int fd)
{
	struct stat st;
	if (fstat(fd, &st) != 0)
		return -1;
	if (ncalls < 63) {
		call_ino[ncalls] = st.st_ino;
		calls[ncalls++] = S_ISDIR(st.st_mode) ? 'D' : 'F';
	}
	return 0;   /* the test needs the order, not the disk */
}

int rename(const char *from, const char *to)
{
	if (ncalls < 63)
		calls[ncalls++] = 'R';
	return renameat(AT_FDCWD, from, AT_FDCWD, to);
}

/* read() of the file whose inode is fail_ino fails with EIO once fail_after
 * of its bytes have been read (only the reader reads through read()). */
static ino_t fail_ino;
static size_t fail_after, fail_done;

ssize_t read(int fd, void *buf, size_t n)
{
	struct stat st;
	if (fail_ino && fstat(fd, &st) == 0 && st.st_ino == fail_ino) {
		if (fail_done >= fail_after) {
			errno = EIO;
			return -1;
		}
		if (n > fail_after - fail_done)
			n = fail_after - fail_done;
	}
	ssize_t r = syscall(SYS_read, fd, buf, n);
	if (r > 0 && fail_ino && fstat(fd, &st) == 0 && st.st_ino == fail_ino)
		fail_done += (size_t)r;
	return r;
}

/* The names in dir, but . and .., joined by spaces. */
static void names_in(const char *dir, char *out, size_t n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	out[0] = '\0';
	while (d && (e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (out[0])
			strncat(out, " ", n - strlen(out) - 1);
		strncat(out, e->d_name, n - strlen(out) - 1);
	}
	if (d)
		closedir(d);
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");
	char dir[4096], path[4200], names[256];
	struct stat st, dst;
	pc_outfile f;

	snprintf(dir, sizeof dir, "%s/unit-io.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	pc_cleanup_install();
	snprintf(path, sizeof path, "%s/out.csv", dir);

	/* a durable -o: fsync the file, rename it, fsync its directory */
	mode_t old = umask(027);
	ok(pc_outfile_open(&f, path, PC_OUTFILE_DURABLE) == 0, "a durable -o opens");
	ok(pc_outfile_write(&f, "a,2,1\n", 6) == 0, "and takes a row");
	ok(fstat(f.fd, &st) == 0, "its temporary file is there");
	ncalls = 0;
	ok(pc_outfile_commit(&f) == 0, "and commits");
	calls[ncalls] = '\0';
	ok(strcmp(calls, "FRD") == 0, "fsync(file), rename, fsync(directory): got \"%s\"", calls);
	ok(ncalls >= 1 && call_ino[0] == st.st_ino, "the file synced is the one renamed");
	ok(stat(dir, &dst) == 0 && ncalls >= 3 && call_ino[2] == dst.st_ino,
	   "the directory synced is the one holding the file");
	ok(stat(path, &st) == 0 && (st.st_mode & 07777) == 0640,
	   "mode 0666 less the umask 027, not mkstemp's 0600: %o", (unsigned)(st.st_mode & 07777));
	umask(old);
	unlink(path);

	/* without PC_OUTFILE_DURABLE (pc-split's chunks): no sync at all */
	ok(pc_outfile_open(&f, path, 0) == 0, "a plain file opens");
	ncalls = 0;
	ok(pc_outfile_commit(&f) == 0, "and commits");
	calls[ncalls] = '\0';
	ok(strcmp(calls, "R") == 0, "renamed, never synced: got \"%s\"", calls);
	unlink(path);

	/* exit() with the output half-written: the temporary file goes too */
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		pc_outfile g;
		if (pc_outfile_open(&g, path, PC_OUTFILE_DURABLE) != 0 ||
		    pc_outfile_write(&g, "a,2,1\n", 6) != 0 || pc_outfile_flush(&g) != 0)
			_exit(9);
		names_in(dir, names, sizeof names);
		exit(strncmp(names, ".pc-", 4) == 0 ? 2 : 8);   /* as pc_xmalloc does */
	}
	int ws = 0;
	ok(pid > 0 && waitpid(pid, &ws, 0) == pid && WIFEXITED(ws) && WEXITSTATUS(ws) == 2,
	   "the child wrote a temporary file and called exit(2): status %d", ws);
	names_in(dir, names, sizeof names);
	ok(names[0] == '\0', "nothing is left after exit(): \"%s\"", names);

	/* a read error after 12 bytes, two rows, of a file: those rows come
	 * first, whole, and then the error, as the stream's end */
	snprintf(path, sizeof path, "%s/in.csv", dir);
	FILE *in = fopen(path, "w");
	ok(in && fputs("a,1,2\nb,3,4\nc,5,6\n", in) >= 0 && fclose(in) == 0, "write in.csv");
	ok(stat(path, &st) == 0, "stat in.csv");
	static const size_t block_sizes[] = { 1, 5, 64, 1 << 20 };
	for (size_t i = 0; i < sizeof block_sizes / sizeof block_sizes[0]; i++) {
		char *files[] = { path };
		pc_reader *r = pc_reader_new(files, 1, block_sizes[i]);
		pc_block blk;
		char rows[64] = "";
		int err = 0, after = 0;
		pc_block_init(&blk);
		fail_ino = st.st_ino;
		fail_after = 12;
		fail_done = 0;
		while (pc_reader_next(r, &blk) > 0) {
			if (err)
				after++;
			else if (blk.kind == PC_BLOCK_ROWS && strlen(rows) + blk.len < sizeof rows)
				strncat(rows, blk.data, blk.len);
			else if (blk.kind == PC_BLOCK_IO_ERROR)
				err = blk.error;
		}
		fail_ino = 0;
		ok(strcmp(rows, "a,1,2\nb,3,4\n") == 0 && err == EIO && after == 0,
		   "block size %zu: the two rows read, then EIO, then nothing (%zu bytes of rows, errno %d)",
		   block_sizes[i], strlen(rows), err);
		pc_reader_free(r);
		pc_block_free(&blk);
	}
	unlink(path);

	rmdir(dir);
	return tap_done();
}
