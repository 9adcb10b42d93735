/* pc-threads - score CSV rows on N threads, output in input order.
 *
 * pc-score's block loop (lib/pipeline.c) with the threads back end: the
 * main thread reads, scores in order what must be, and writes in order;
 * N threads score the independent blocks.  The ring of slots bounds
 * memory; output, messages and exit status are pc-score's.            */
#include <config.h>

#include "pc.h"

int main(int argc, char **argv)
{
	pc_scorer_args args;
	pc_job job;

	pc_set_program_name(argv[0]);
	pc_scorer_parse(&args, argc, argv, PC_ARGS_JOBS,
			"Find the power couple of each CSV row, on several threads;\n"
			"the output is the same as pc-score's, in input order.");
	if (args.jobs == 0)
		args.jobs = pc_usable_cpus();   /* what nproc says, not the machine's CPUs */
	int status = pc_job_open(&job, &args);
	if (status)
		return status;
	return pc_pipeline_run(&job, pc_threads_backend(&job.score, args.jobs));
}
