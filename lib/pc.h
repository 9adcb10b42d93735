/* pc.h - the internal library in one include; the public API is powercouples.h. */
#ifndef PC_H
#define PC_H

#include "buf.h"
#include "chunk.h"
#include "cli.h"
#include "cpus.h"
#include "diag.h"
#include "frame.h"
#include "kernel.h"
#include "outfile.h"
#include "pipeline.h"
#include "progress.h"
#include "reader.h"
#include "rows.h"
#include "score.h"
#include "sink.h"

#endif
