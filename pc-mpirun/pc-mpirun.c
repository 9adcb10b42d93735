/* pc-mpirun - score CSV rows across MPI ranks, output in input order.
 *
 * pc-score's block loop (lib/pipeline.c) with the MPI back end
 * (lib/mpi-backend.c): rank 0 reads, writes and deals out blocks; the
 * other ranks score what they are sent.  Output, messages and exit status
 * are pc-score's.                                                        */
#include <config.h>

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <mpi.h>

#include "mpi-backend.h"
#include "powercouples.h"

/* This process's rank as the launcher tells it, before MPI_Init. */
static int launcher_rank(void)
{
	static const char *vars[] = { "OMPI_COMM_WORLD_RANK", "PMI_RANK", "PMIX_RANK",
				      "SLURM_PROCID" };
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return atoi(v);
	}
	return 0;
}

int main(int argc, char **argv)
{
	pc_scorer_args args;
	pc_job job;
	int rank, nranks;

	pc_set_program_name(argv[0]);
	/* Every rank parses the same options; only rank 0 speaks of them. */
	if (launcher_rank() != 0) {
		int null = open("/dev/null", O_WRONLY);
		if (null >= 0) {
			dup2(null, STDOUT_FILENO);
			dup2(null, STDERR_FILENO);
			close(null);
		}
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
	if (rank == 0) {
		status = pc_job_open(&job, &args);
		if (status == 0)
			status = pc_pipeline_run(&job, pc_mpi_backend(&job.score, nranks,
								       provided >= MPI_THREAD_FUNNELED));
		else
			pc_mpi_release(nranks);
	} else {
		pc_score_opts o = { .method = args.method, .skip = args.skip,
				    .keep_rejects = args.rejects != NULL };
		pc_mpi_work(&o);
	}
	MPI_Finalize();
	return status;
}
