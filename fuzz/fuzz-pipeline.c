/* fuzz-pipeline.c - split -> score -> merge against score, on any bytes.
 *
 * What tests/ways.bats holds its corpus to ("pipeline" way), in process:
 *
 *   pc-score --on-error=MODE in.csv                          (the reference)
 *   pc-split -l N -d chunks in.csv (or -b N, or -n N) |
 *     pc-score --on-error=MODE on each chunk, in order, stopping at the
 *     first that fails (parallel -k --halt now,fail=1) | pc-merge
 *
 * must give the same standard output byte for byte, the same exit status
 * (pc-merge's against pc-score's), and the same messages: the reference's,
 * less a "skipped 0 bad rows" summary, against pc-split's, then the chunk
 * scorers' less their per-chunk skip summaries, then pc-merge's own skip
 * summary only.  Every bad row is reported at its FILE:LINE:COL in in.csv
 * through the file= and line= of its chunk's header.
 *
 * In process, not by running the programs: one run of the pipeline is a
 * pc-split, a pc-score per chunk and a pc-merge, some ms each as processes,
 * which would leave a minute of fuzzing a few thousand inputs.  pc-split's
 * main() is compiled in (renamed; its call of pc_set_program_name() made
 * a no-op, so that it installs no signal handlers in the fuzzer), the
 * scorer is the library's pc_job_open() and pc_pipeline_run(), as
 * pc-score's main() calls them, and pc-merge is merge.c driven as its main()
 * drives it.  Files go to a private directory under /dev/shm (FUZZ_TMPDIR).
 *
 * The reference runs on the scalar SIMD path, the pipeline on one the
 * input's hash picks (simd.h), so the paths are held to each other too.
 *
 * Parameters (the mode, the method, -l, -b or -n and N, the block sizes,
 * and --header and -t ',', ';' or TAB for the reference and pc-split, not
 * for the chunks' scorers: a chunk says them) come from a hash of the input, so the seeds are plain CSV files.  Inputs with a framing
 * line are refused by pc-split ("already framed") and are not compared, as
 * ways.bats does not run its frame-* cases through the pipeline.        */
#include <config.h>

#include <getopt.h>

#include "fuzz-common.h"
#include "merge.h"
#include "pc.h"

/* pc-split's main(), as a function, with no signal handlers installed */
#define main pc_split_main
#define pc_set_program_name(argv0) ((void)(argv0))
int pc_split_main(int argc, char **argv);
#include "../pc-split/pc-split.c"
#undef main
#undef pc_set_program_name

#define FUZZ_MAX_INPUT 2048
#define FUZZ_EXHAUSTIVE_COMMAS 200

typedef struct {
	fz_capture cap;
	int status;
} outcome;

/* header and delim as --header and -t (the chunks need neither: they say) */
static void score_file(outcome *o, const char *path, pc_method method, bool skip, size_t bs,
		       bool header, char delim)
{
	char *files[] = { (char *)path };
	pc_scorer_args a = { .method = method, .skip = skip, .block_size = bs, .inputs = files,
			     .ninputs = 1, .header = header, .delim = delim };
	pc_job job;

	fz_capture_begin(&o->cap);
	o->status = pc_job_open(&job, &a);
	if (o->status == 0)
		o->status = pc_pipeline_run(&job, NULL);
	fz_capture_end(&o->cap);
}

static void merge_file(outcome *o, const char *path)
{
	char *files[] = { (char *)path };
	merger m;
	pc_outfile out;
	pc_block blk;
	int status = 0;

	fz_capture_begin(&o->cap);
	if (pc_outfile_open(&out, NULL, PC_OUTFILE_DURABLE) != 0)
		fz_fail("cannot open standard output");
	merge_init(&m, &out, (uint64_t)64 << 20, fz_workdir());
	pc_reader *r = pc_reader_new(files, 1, PC_DEFAULT_BLOCK_SIZE);
	pc_reader_lend(r);   /* as pc-merge reads */
	pc_block_init(&blk);
	while (status == 0 && pc_reader_next(r, &blk) > 0)
		status = merge_put(&m, &blk);
	o->status = merge_finish(&m, status);
	pc_reader_free(r);
	pc_block_free(&blk);
	fz_capture_end(&o->cap);
}

/* Does line p[0..n) (with its LF) say "NAME: skipped N bad row(s) of M"? */
static bool skip_summary(const char *p, size_t n, bool zero_only)
{
	const char *colon = memchr(p, ':', n);
	if (!colon || (size_t)(colon - p) + 11 > n || memcmp(colon, ": skipped ", 10) != 0)
		return false;
	const char *q = colon + 10, *end = p + n - (n && p[n - 1] == '\n');
	if (zero_only)
		return fz_starts(q, (size_t)(end - q), "0 bad rows of ");
	while (q < end && *q >= '0' && *q <= '9')
		q++;
	return fz_starts(q, (size_t)(end - q), " bad row of ") ||
	       fz_starts(q, (size_t)(end - q), " bad rows of ");
}

/* The lines of `in` that are (keep) or are not (!keep) skip summaries. */
static void filter_summaries(pc_buf *out, const pc_buf *in, bool keep, bool zero_only)
{
	for (size_t i = 0; i < in->len;) {
		const char *lf = memchr(in->data + i, '\n', in->len - i);
		size_t n = lf ? (size_t)(lf - in->data) + 1 - i : in->len - i;
		if (skip_summary(in->data + i, n, zero_only) == keep)
			pc_buf_add(out, in->data + i, n);
		i += n;
	}
}

static int fz_argc(char **argv)
{
	int n = 0;
	while (argv[n])
		n++;
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > FUZZ_MAX_INPUT)
		return 0;
	const char *dir = fz_workdir();
	uint64_t h = fz_hash(data, size);
	pc_simd path = fz_use_path(h >> 40);
	bool skip = h & 1;
	pc_method method = (h & 2) && fz_count(data, size, ',') <= FUZZ_EXHAUSTIVE_COMMAS ?
				   PC_METHOD_EXHAUSTIVE : PC_METHOD_CLOSED;
	/* pc-split -l ROWS (as ways.bats, with ROWS = 1), -b BYTES or -n CHUNKS */
	static const char *const how[] = { "-l", "-l", "-b", "-n" };
	const char *split_opt = how[(h >> 24) % 4];
	unsigned amount = split_opt[1] == 'b' ? 1 + (unsigned)((h >> 2) % 64)
					     : 1 + (unsigned)((h >> 2) % 4);
	size_t bs_ref = fz_block_size(h >> 8), bs_chunk = fz_block_size(h >> 16);
	/* --header, and -t: a comma most of the time, else ';' or TAB */
	bool header = h >> 32 & 1;
	static const char delims[] = ",,;\t";
	char delim = delims[(h >> 33) % 4];

	char in[300], chunks[300], scored[300], lines[16];
	snprintf(in, sizeof in, "%s/in.csv", dir);
	snprintf(chunks, sizeof chunks, "%s/chunks", dir);
	snprintf(scored, sizeof scored, "%s/scored.csv", dir);
	snprintf(lines, sizeof lines, "%u", amount);
	fz_write_file(in, data, size);

	/* the reference, on the scalar path; the rest on one the hash picks
	 * (of those this processor runs), which must not change a byte */
	outcome ref;
	fz_set_path(PC_SIMD_SCALAR);
	score_file(&ref, in, method, skip, bs_ref, header, delim);
	fz_set_path(path);

	/* pc-split -l N -d chunks in.csv, or -b or -n */
	outcome split;
	char t[] = { delim, '\0' };
	char *argv[10] = { "pc-split", (char *)split_opt, lines, "-d", chunks }, **arg = argv + 5;
	if (header)
		*arg++ = "--header";
	*arg++ = "-t";
	*arg++ = t;
	*arg++ = in;
	optind = 0;   /* getopt starts afresh */
	fz_capture_begin(&split.cap);
	split.status = pc_split_main(fz_argc(argv), argv);
	fz_capture_end(&split.cap);
	if (split.status != 0) {
		pc_buf_addc(&split.cap.err, '\0');
		bool framed = strstr(split.cap.err.data, "input is already framed") != NULL;
		if (!framed) {
			fz_show("pc-split's messages", split.cap.err.data, split.cap.err.len);
			fz_fail("pc-split failed with status %d", split.status);
		}
		fz_capture_free(&split.cap);
		fz_capture_free(&ref.cap);
		fz_empty_dir(chunks);
		return 0;
	}

	/* each chunk, in order, until one fails */
	pc_buf merged_in, perr;
	pc_buf_init(&merged_in);
	pc_buf_init(&perr);
	pc_buf_addc(&split.cap.out, '\0');
	for (char *p = split.cap.out.data, *lf; (lf = strchr(p, '\n')); p = lf + 1) {
		*lf = '\0';
		outcome one;
		score_file(&one, p, method, skip, bs_chunk, false, ',');
		pc_buf_add(&merged_in, one.cap.out.data, one.cap.out.len);
		filter_summaries(&perr, &one.cap.err, false, false);
		fz_capture_free(&one.cap);
		if (one.status != 0)
			break;   /* --halt now,fail=1 */
	}
	fz_write_file(scored, merged_in.data, merged_in.len);

	outcome merge;
	merge_file(&merge, scored);

	/* what ways.bash compares */
	pc_buf want_err, got_err;
	pc_buf_init(&want_err);
	pc_buf_init(&got_err);
	filter_summaries(&want_err, &ref.cap.err, false, true);
	pc_buf_add(&got_err, split.cap.err.data, split.cap.err.len);
	pc_buf_add(&got_err, perr.data, perr.len);
	filter_summaries(&got_err, &merge.cap.err, true, false);

	bool differ = merge.status != ref.status || !fz_same(&merge.cap.out, &ref.cap.out) ||
		      !fz_same(&got_err, &want_err);
	if (differ || getenv("FUZZ_VERBOSE")) {
		dprintf(STDERR_FILENO, "--on-error=%s, %s method, pc-split %s %u, block size %zu "
			"(pc-score on in.csv), %zu (on the chunks), %s-t 0x%02x\n", skip ? "skip" : "fail",
			method == PC_METHOD_CLOSED ? "closed" : "exhaustive", split_opt, amount,
			bs_ref, bs_chunk, header ? "--header " : "", (unsigned)(unsigned char)delim);
		dprintf(STDERR_FILENO, "exit status: pc-score %d, the pipeline (pc-merge) %d; "
			"PC_SIMD=scalar for pc-score, %s for the pipeline\n", ref.status, merge.status,
			pc_simd_name(pc_simd_current()));
		fz_show("in.csv", (const char *)data, size);
		fz_show("pc-score's output", ref.cap.out.data, ref.cap.out.len);
		fz_show("the pipeline's output", merge.cap.out.data, merge.cap.out.len);
		fz_show("pc-score's messages (compared)", want_err.data, want_err.len);
		fz_show("the pipeline's messages (compared)", got_err.data, got_err.len);
		fz_show("pc-merge's messages", merge.cap.err.data, merge.cap.err.len);
		fz_show("the scored chunks", merged_in.data, merged_in.len);
		if (differ)
			fz_fail("split -> score -> merge is not score");
	}

	pc_buf_free(&want_err);
	pc_buf_free(&got_err);
	pc_buf_free(&merged_in);
	pc_buf_free(&perr);
	fz_capture_free(&ref.cap);
	fz_capture_free(&split.cap);
	fz_capture_free(&merge.cap);
	fz_empty_dir(chunks);
	return 0;
}
