/* pc-mpirun - score CSV rows across MPI ranks, output in input order.
 *
 * pc-score's block loop (lib/pipeline.c) with the MPI back end
 * (lib/mpi-backend.c): rank 0 reads, writes and deals out blocks; the
 * other ranks score what they are sent.  Output, messages and exit status
 * are pc-score's.                                                        */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <mpi.h>

#include "mpi-backend.h"
#include "pc.h"

/* This process's rank as the launcher tells it, before MPI_Init; -1 when no
 * launcher started it. */
static int launcher_rank(void)
{
	static const char *vars[] = { "OMPI_COMM_WORLD_RANK", "PMI_RANK", "PMIX_RANK",
				      "SLURM_PROCID" };
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return atoi(v);
	}
	return -1;   /* started alone, by no launcher */
}

/* How many tasks srun started in this step, this one among them; 0 when
 * srun did not start it, or when mpirun or a PMI says how large the job is
 * (mpirun inside a Slurm step: its ranks inherit the step's variables).
 * A batch script outside srun has SLURM_NTASKS but no SLURM_STEP_NUM_TASKS. */
static long srun_tasks(void)
{
	const char *v = getenv("SLURM_STEP_NUM_TASKS");
	if (getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMI_SIZE") || !v || !*v)
		return 0;
	return strtol(v, NULL, 10);
}

/* ---- rank 0's standard output ------------------------------------------
 *
 * Under a launcher, a rank's standard output is a pipe to the launcher,
 * which copies it to its own.  Open MPI's mpirun drops the errors of that
 * copy (`> /dev/full` exits 0 with the output lost) and crashes on a closed
 * pipe (`| head` gives SIGSEGV).  So rank 0 writes to the launcher's own
 * standard output itself (its fd, or opened again through /proc: see
 * launcher_stdout), where the launcher
 * runs on rank 0's host (mpirun's default); write errors are then rank 0's,
 * and a closed pipe downstream is seen by rank 0, which ends the run
 * quietly.  Where rank 0 cannot reach it (the launcher on another host),
 * it refuses to write through a forwarder that would lose errors, and
 * asks for -o.                                                           */

static const char *const launchers[] = { "mpirun", "mpiexec", "orterun", "prterun",
					  "mpiexec.hydra", "mpiexec.openmpi", "mpiexec.mpich",
					  "mpirun.openmpi", "mpirun.mpich", NULL };

/* The parent of pid and its name (from /proc), or -1. */
static pid_t parent_of(pid_t pid)
{
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	size_t len = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[len] = '\0';
	/* pid (comm) state ppid ...: comm may hold spaces and parentheses */
	char *close = strrchr(buf, ')');
	int ppid;
	if (!close || sscanf(close + 1, " %*c %d", &ppid) != 1)
		return -1;
	return (pid_t)ppid;
}

static bool is_launcher(pid_t pid)
{
	char path[64], comm[64] = "";
	snprintf(path, sizeof path, "/proc/%d/comm", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	if (!fgets(comm, sizeof comm, f))
		comm[0] = '\0';
	fclose(f);
	comm[strcspn(comm, "\n")] = '\0';
	for (size_t i = 0; launchers[i]; i++)
		if (strcmp(comm, launchers[i]) == 0)
			return true;
	return false;
}

/* Is fd 1 a forwarder's?  Under a launcher that rank 0 cannot reach, a
 * pipe, a socket or a terminal is: Open MPI gives each rank a pseudo-
 * terminal that its daemon copies to mpirun, srun a pipe or a socket, and
 * no rank's terminal is ever the user's own.  A file or a device (srun
 * --output=FILE, /dev/null) is written directly, with its errors seen. */
static bool stdout_forwarded(void)
{
	struct stat st;
	if (fstat(STDOUT_FILENO, &st) != 0)
		return false;
	return S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) || isatty(STDOUT_FILENO);
}

/* A duplicate of fd `target` of process `pid` that shares its open file
 * description (offset and flags), as an inherited fd does; -1 where the
 * kernel has no pidfd_getfd (Linux < 5.6) or refuses (no ptrace
 * permission over pid). */
static int fd_of(pid_t pid, int target)
{
#if defined(SYS_pidfd_open) && defined(SYS_pidfd_getfd)
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		return -1;
	int fd = (int)syscall(SYS_pidfd_getfd, pidfd, target, 0);
	close(pidfd);
	return fd;
#else
	(void)pid;
	(void)target;
	return -1;
#endif
}

/* Make fd 1 the launcher's own standard output.  0, or -1 when no launcher
 * among rank 0's ancestors can be reached.
 *
 * The launcher's very fd, taken with pidfd_getfd, is the same open file
 * description: rank 0 writes where pc-score would.  Opened again through
 * /proc, it is a new one: right for a pipe, a device or a file in append
 * mode, but a file in `>` mode would be written from offset 0, over what
 * the shell wrote before (`{ echo head; mpirun ...; } > f`), and the
 * shell's next writes would go over the rows.  There rank 0 keeps writing
 * through the launcher, which gets the bytes right and only loses write
 * errors. */
static int launcher_stdout(void)
{
	pid_t pid = getppid();
	for (int up = 0; up < 4 && pid > 1; up++, pid = parent_of(pid)) {
		if (!is_launcher(pid))
			continue;
		int fd = fd_of(pid, STDOUT_FILENO);
		bool shared = fd >= 0;
		int append = 0;
		if (!shared) {
			char path[64], info[512];
			snprintf(path, sizeof path, "/proc/%d/fdinfo/1", (int)pid);
			FILE *f = fopen(path, "r");
			if (f) {
				while (fgets(info, sizeof info, f))
					if (strncmp(info, "flags:", 6) == 0)
						append = (strtol(info + 6, NULL, 8) & O_APPEND) != 0;
				fclose(f);
			}
			snprintf(path, sizeof path, "/proc/%d/fd/1", (int)pid);
			fd = open(path, O_WRONLY | (append ? O_APPEND : 0));
			if (fd < 0)
				return -1;
		}
		struct stat ours, theirs;
		if (fstat(fd, &theirs) == 0 && fstat(STDOUT_FILENO, &ours) == 0 &&
		    ours.st_dev == theirs.st_dev && ours.st_ino == theirs.st_ino &&
		    S_ISREG(ours.st_mode)) {
			close(fd);   /* already the same file (a launcher that lends its own) */
			return 0;
		}
		if (!shared && !append && fstat(fd, &theirs) == 0 && S_ISREG(theirs.st_mode)) {
			close(fd);   /* a new offset would write over the file: see above */
			return 0;
		}
		if (fd != STDOUT_FILENO) {
			dup2(fd, STDOUT_FILENO);
			close(fd);
		}
		return 0;
	}
	return -1;
}

/* Set by SIGPIPE in rank 0: the reader of some pipe went away (standard
 * output's, or a --rejects FIFO's: stdout_reader_gone() tells which). */
static volatile sig_atomic_t output_closed;

/* Has the reader of standard output gone?  The write end of a pipe with
 * no reader polls as POLLERR. */
static bool stdout_reader_gone(void)
{
	struct pollfd p = { .fd = STDOUT_FILENO, .events = 0 };
	return poll(&p, 1, 0) == 1 && (p.revents & POLLERR);
}

static void on_sigpipe(int sig)
{
	(void)sig;
	output_closed = 1;
}

int main(int argc, char **argv)
{
	pc_scorer_args args;
	pc_job job;
	int rank, nranks;

	pc_set_program_name(argv[0]);
	/* Every rank parses the same options; only rank 0 speaks of them.  A
	 * usage error ends every rank before MPI_Init, and the others exit 0 on
	 * it: mpirun stops the whole job when a rank exits non-zero, and a worker
	 * that got there first would stop rank 0 before its message got out. */
	if (launcher_rank() > 0) {
		int null = open("/dev/null", O_WRONLY);
		if (null >= 0) {
			dup2(null, STDOUT_FILENO);
			dup2(null, STDERR_FILENO);
			close(null);
		}
		pc_usage_status = PC_EXIT_OK;
	}
	pc_scorer_parse(&args, argc, argv, 0,
			"Find the power couple of each CSV row, across MPI ranks\n"
			"(mpirun -n N pc-mpirun ..., srun pc-mpirun ...); the output is the\n"
			"same as pc-score's, in input order.  Rank 0 reads and writes.");

	/* only the main thread calls MPI; rank 0 scores on a second thread */
	int provided;
	MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &nranks);
	int status = 0;
	/* srun started several tasks, but each came out of MPI_Init alone: srun
	 * and the MPI library share no process-management interface (Debian's
	 * MPICH without srun --mpi=pmi2 starts as a singleton; Open MPI 4
	 * without --mpi=pmix stops in MPI_Init, with a message of its own).
	 * Going on would run the whole job once per task, each writing the
	 * whole output.  Every task stops; only task 0 speaks. */
	long launched = srun_tasks();
	if (nranks == 1 && launched > 1) {
		pc_warn("srun started %ld tasks, but MPI sees only this one: srun and the MPI "
			"library share no process-management interface: give srun the MPI's, "
			"--mpi=pmix for Open MPI, --mpi=pmi2 for MPICH (srun --mpi=list shows "
			"what Slurm has)", launched);
		status = PC_EXIT_TROUBLE;
	} else if (rank == 0 && !args.output && launcher_rank() >= 0) {
		if (launcher_stdout() != 0 && stdout_forwarded()) {
			pc_warn("standard output would go through the launcher, which loses write "
				"errors, and the launcher's own output cannot be reached from here: "
				"use -o FILE");
			status = PC_EXIT_TROUBLE;
		} else {
			/* a write to a closed pipe fails with EPIPE, quietly, and the run
			 * ends as if it had succeeded: the reader wanted no more */
			signal(SIGPIPE, on_sigpipe);
		}
	}
	if (rank == 0 && status != 0) {
		pc_mpi_release(nranks);
	} else if (rank == 0) {
		status = pc_job_open(&job, &args);
		if (status == 0)
			status = pc_pipeline_run(&job, pc_mpi_backend(&job.score, nranks,
								       provided >= MPI_THREAD_FUNNELED));
		else
			pc_mpi_release(nranks);
		/* only a closed standard output is the quiet end: a broken
		 * --rejects FIFO is a write error, already reported */
		if (status != 0 && output_closed && stdout_reader_gone())
			status = PC_EXIT_OK;
	} else {
		pc_score_opts o = { .method = args.method, .skip = args.skip,
				    .keep_rejects = args.rejects != NULL };
		pc_mpi_work(&o);
	}
	MPI_Finalize();
	return status;
}
