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
	return status ? status : pc_pipeline_run(&job, NULL);
}
