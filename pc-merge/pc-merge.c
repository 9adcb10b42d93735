/* pc-merge - put scored chunks back in order and prove nothing is missing.
 *
 * The command line and the read loop; the merge itself is merge.c, the
 * chunks that wait table.c and store.c.                                  */
#include <config.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "merge.h"

/* ---- the command line ---------------------------------------------------- */

static void usage(void)
{
	printf("Usage: %s [OPTION]... [FILE]...\n"
	       "Put scored chunks (from pc-split, then pc-score) back in index order, without\n"
	       "their framing, and check that every chunk of the run is there exactly once\n"
	       "and whole.  Chunks may come in any order, in one stream or many files.  With\n"
	       "unframed inputs only, concatenate them.  With no FILE, or when FILE is -,\n"
	       "read standard input.  Chunks that say header=1 (pc-split --header) get\n"
	       "one header line name,x,y first, with their delim= (pc-split -t).\n\n"
	       "  -o, --output=FILE       write to FILE, only if the run is complete\n"
	       "  -S, --buffer-size=SIZE  keep early chunks in memory up to SIZE in all\n"
	       "                          (default 64M, or N%% of memory), beyond it in a\n"
	       "                          temporary file\n"
	       "  -T, --temporary-directory=DIR\n"
	       "                          put that file in DIR (default: $TMPDIR, else /tmp)\n"
	       "      --chunk-list=LIST   the paths of the run's chunks, as pc-split printed\n"
	       "                          them: the run ends with the last of them\n"
	       "      --rerun=FILE        write to FILE the paths (from LIST) of the chunks\n"
	       "                          that are missing, truncated or inconsistent, one a\n"
	       "                          line, for `parallel ... :::: FILE'; needs\n"
	       "                          --chunk-list; empty when the run is complete\n"
	       "  -z, --zero              LIST and FILE end each path with NUL, not newline\n"
	       "                          (pc-split -z, parallel -0)\n"
	       "  -p, --progress          report progress on standard error\n"
	       "  -h, --help              display this help and exit\n"
	       "  -V, --version           output version information and exit\n\n"
	       PC_SIZE_HELP "\n"
	       "Exit status: 0 when the run is complete, 1 when a chunk is missing, twice,\n"
	       "truncated, of another run or inconsistent, a framing line is corrupt, or\n"
	       "there is no input at all; 2 for usage or I/O errors.\n", pc_program_name());
	pc_print_help_footer();
}

/* Blocks of 256 KiB, not the scorers' 1 MiB: pc-merge does little with
 * each byte, so what costs is touching memory, and the reader's buffer
 * (twice a block) then stays in the cache and needs a quarter of the page
 * faults.  A block is lent (pc_reader_lend): it is written out, or kept,
 * before the next is read, and nothing copies it on the way. */
#define MERGE_BLOCK_SIZE ((size_t)256 << 10)

typedef struct {
	const char *output;
	uint64_t budget;
	const char *tmpdir;
	const char *list;
	const char *rerun;
	bool zero;
	bool progress;
} options;

static const char **parse_args(options *m, int argc, char **argv, int *n)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "buffer-size", required_argument, NULL, 'S' },
		{ "temporary-directory", required_argument, NULL, 'T' },
		{ "chunk-list", required_argument, NULL, 'L' + 256 },
		{ "rerun", required_argument, NULL, 'R' + 256 },
		{ "zero", no_argument, NULL, 'z' },
		{ "progress", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *stdin_only[] = { "-", NULL };
	const char *tmp = getenv("TMPDIR");
	int c;

	m->tmpdir = tmp && *tmp ? tmp : "/tmp";
	while ((c = getopt_long(argc, argv, "o:S:T:zphV", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			m->output = optarg;
			break;
		case 'S':
			m->budget = pc_size_arg("buffer size", optarg, PC_SIZE_PERCENT, 0,
						UINT64_MAX, "0 or more");
			break;
		case 'T':
			if (!*optarg)
				pc_usage_error("invalid temporary directory ''");
			m->tmpdir = optarg;
			break;
		case 'L' + 256:
			if (!*optarg)
				pc_usage_error("invalid chunk list ''");
			m->list = optarg;
			break;
		case 'R' + 256:
			if (!*optarg)
				pc_usage_error("invalid rerun file ''");
			m->rerun = optarg;
			break;
		case 'z':
			m->zero = true;
			break;
		case 'p':
			m->progress = true;
			break;
		case 'h':
			usage();
			exit(PC_EXIT_OK);
		case 'V':
			pc_print_version();
			exit(PC_EXIT_OK);
		default:
			pc_try_help();
		}
	}
	if (m->rerun && !m->list)
		pc_usage_error("--rerun needs --chunk-list: the paths of the chunks, as pc-split printed them");
	if (m->rerun && strcmp(m->rerun, "-") == 0 && (!m->output || strcmp(m->output, "-") == 0))
		pc_usage_error("--rerun=- needs -o: standard output holds the rows");
	*n = optind < argc ? argc - optind : 1;
	return optind < argc ? (const char **)argv + optind : stdin_only;
}

int main(int argc, char **argv)
{
	options opt = { .budget = (uint64_t)64 << 20 };
	merger m;
	pc_outfile out;
	int nfiles, status = 0;

	pc_set_program_name(argv[0]);
	pc_simd_init();   /* PC_SIMD: a bad value is a usage error, as in pc-score */
	const char **files = parse_args(&opt, argc, argv, &nfiles);
	if (pc_outfile_open(&out, opt.output, PC_OUTFILE_DURABLE) != 0)
		return PC_EXIT_TROUBLE;
	merge_init(&m, &out, opt.budget, opt.tmpdir);
	m.list_name = opt.list;
	m.rerun_name = opt.rerun;
	m.zero = opt.zero;
	pc_reader *r = pc_reader_new((char **)files, nfiles, MERGE_BLOCK_SIZE);
	pc_reader_lend(r);   /* each block is written (or kept) before the next */
	pc_block blk;
	pc_block_init(&blk);
	pc_progress report;
	uint64_t bytes = 0;
	pc_progress_start(&report, opt.progress, pc_reader_total_size(r), 0);
	while (status == 0 && pc_reader_next(r, &blk) > 0) {
		status = merge_put(&m, &blk);
		bytes += blk.len + (blk.kind == PC_BLOCK_FRAME);   /* a framing line's LF */
		pc_progress_update(&report, bytes, m.all_rows);
	}
	pc_progress_finish(&report, bytes, m.all_rows);
	status = merge_finish(&m, status);
	pc_reader_free(r);
	pc_block_free(&blk);
	return status;
}
