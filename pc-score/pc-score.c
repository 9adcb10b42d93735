/* pc-score - score CSV rows serially with the exact kernel. */
#include <config.h>

#include "pc.h"

int main(int argc, char **argv)
{
	pc_scorer_args args;
	pc_job job;

	pc_set_program_name(argv[0]);
	pc_scorer_parse(&args, argc, argv, 0,
			"Find the power couple of each CSV row, serially.");
	int status = pc_job_open(&job, &args);
	if (status)
		return status;
	/* With a second CPU, one thread scores while this one reads and
	 * writes: the scoring is still serial, block after block, but the
	 * copying of the input overlaps it (a quarter off the wall time). */
	return pc_pipeline_run(&job, pc_usable_cpus() >= 2 ? pc_threads_backend(&job.score, 1) : NULL);
}
