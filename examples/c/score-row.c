/* score-row.c - libpowercouples in a few lines: the power couple of the
 * numbers given as arguments (powercouples_row), then of the CSV rows
 * read from standard input (powercouples_csv), printed as pc-score would.
 *
 *   cc score-row.c $(pkg-config --cflags --libs powercouples) -o score-row
 *   ./score-row 2 4 3                  prints 3,4 (3^4 = 81 is the largest)
 *   printf 'a,2,3\nb,4,2\n' | ./score-row
 *
 * Exit status: 0, 1 for a bad row (its LINE:COL: message on stderr), 2
 * for any other failure.                                               */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <powercouples.h>

/* The numbers of argv[1..argc-1]: their power couple, "x,y". */
static int score_arguments(int argc, char **argv)
{
	size_t k = (size_t)argc - 1;
	uint64_t *v = malloc(k * sizeof *v), x, y;
	if (!v)
		return 2;
	for (size_t i = 0; i < k; i++)
		v[i] = strtoull(argv[i + 1], NULL, 10);
	int status = 0;
	if (powercouples_row(v, k, POWERCOUPLES_CLOSED, &x, &y) == 0) {
		printf("%" PRIu64 ",%" PRIu64 "\n", x, y);
	} else {
		fprintf(stderr, "score-row: %s (give at least two numbers)\n", strerror(errno));
		status = 2;
	}
	free(v);
	return status;
}

/* Standard input, read whole, scored as CSV rows. */
static int score_input(void)
{
	size_t len = 0, cap = 1 << 16, got;
	char *data = malloc(cap);
	while (data && (got = fread(data + len, 1, cap - len, stdin)) > 0)
		if ((len += got) == cap)
			data = realloc(data, cap *= 2);
	if (!data || ferror(stdin)) {
		fprintf(stderr, "score-row: cannot read standard input\n");
		return 2;
	}

	char *out, err[256];
	size_t outlen;
	int status = powercouples_csv(data, len, POWERCOUPLES_CLOSED, &out, &outlen,
				      err, sizeof err);
	free(data);
	if (status < 0) {
		fprintf(stderr, "score-row: %s\n", strerror(errno));
		return 2;
	}
	fwrite(out, 1, outlen, stdout);   /* the rows before a bad one, too */
	powercouples_free(out);
	if (status == 1) {
		fprintf(stderr, "score-row: -:%s\n", err);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1)
		return score_arguments(argc, argv);
	return score_input();
}
