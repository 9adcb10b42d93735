/* powercouples.h - the library in one include, and the shared block loop. */
#ifndef POWERCOUPLES_H
#define POWERCOUPLES_H

#include "buf.h"
#include "cli.h"
#include "frame.h"
#include "kernel.h"
#include "outfile.h"
#include "reader.h"
#include "score.h"
#include "sink.h"

/* The pieces of a scoring run set up from the parsed options. */
typedef struct {
	pc_reader *reader;
	pc_sink *sink;
	pc_score_opts score;
} pc_job;

/* Returns 0, or an exit status after reporting why. */
int pc_job_open(pc_job *job, const pc_scorer_args *a);
/* The serial block loop: read, score, put, in turn.  Returns the exit status. */
int pc_job_run_serial(pc_job *job);

#endif
