/* job.c - set up a scoring run, and the serial block loop. */
#include <config.h>

#include "powercouples.h"

int pc_job_open(pc_job *job, const pc_scorer_args *a)
{
	job->score = (pc_score_opts){ .method = a->method, .skip = a->skip,
				      .keep_rejects = a->rejects != NULL };
	job->reader = pc_reader_new(a->inputs, a->ninputs, a->block_size);
	pc_sink_opts so = { .output = a->output, .rejects = a->rejects, .skip = a->skip,
			    .progress = a->progress,
			    .total_size = pc_reader_total_size(job->reader) };
	job->sink = pc_sink_open(&so);
	if (!job->sink) {
		pc_reader_free(job->reader);
		return PC_EXIT_TROUBLE;
	}
	return 0;
}

int pc_job_run_serial(pc_job *job)
{
	pc_block blk;
	pc_result res;
	pc_carry carry;
	int status = 0, got;

	pc_block_init(&blk);
	pc_result_init(&res);
	pc_carry_init(&carry);
	while (status == 0 && (got = pc_reader_next(job->reader, &blk)) > 0) {
		pc_score_block(&job->score, &blk, &carry, &res);
		status = pc_sink_put(job->sink, &blk, &res);
	}
	if (status == 0 && got < 0)
		status = PC_EXIT_TROUBLE;
	status = pc_sink_finish(job->sink, status);
	pc_reader_free(job->reader);
	pc_block_free(&blk);
	pc_result_free(&res);
	pc_carry_free(&carry);
	return status;
}
