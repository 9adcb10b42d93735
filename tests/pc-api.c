/* pc-api.c - libpowercouples' two calls from the command line, for
 * tests/library.bats, which holds them to the oracle and to pc-score.
 * It is linked with the shared library of the build tree.
 *
 *   pc-api csv [METHOD] < INPUT   powercouples_csv on all of standard input:
 *                                 the output on stdout, "LINE:COL: message"
 *                                 on stderr; exit 0, 1 (a bad row), 2 (-1)
 *   pc-api row [METHOD] < ROWS    powercouples_row on each line of decimal
 *                                 numbers separated by spaces: "x,y" each
 *   pc-api version                powercouples_version()
 *
 * METHOD is closed (the default) or exhaustive.                        */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <powercouples.h>

static char *read_all(FILE *f, size_t *len)
{
	size_t cap = 1 << 16, n = 0, got;
	char *buf = malloc(cap);
	while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap)
			buf = realloc(buf, cap *= 2);
	}
	if (!buf || ferror(f)) {
		fprintf(stderr, "pc-api: cannot read standard input\n");
		exit(2);
	}
	*len = n;
	return buf;
}

static int do_csv(int method)
{
	size_t len, outlen;
	char *data = read_all(stdin, &len), *out, err[256];
	int status = powercouples_csv(data, len, method, &out, &outlen, err, sizeof err);
	free(data);
	if (status < 0) {
		fprintf(stderr, "pc-api: %s\n", strerror(errno));
		return 2;
	}
	fwrite(out, 1, outlen, stdout);
	powercouples_free(out);
	if (status == 1)
		fprintf(stderr, "%s\n", err);
	return status;
}

static int do_rows(int method)
{
	char *line = NULL;
	size_t cap = 0, nv = 0, vcap = 0;
	uint64_t *v = NULL, x, y;
	int status = 0;

	while (status == 0 && getline(&line, &cap, stdin) > 0) {
		nv = 0;
		for (char *p = line, *end; *p && *p != '\n'; p = end) {
			if (nv == vcap)
				v = realloc(v, (vcap = vcap ? 2 * vcap : 64) * sizeof *v);
			v[nv++] = strtoull(p, &end, 10);
			if (end == p) {
				fprintf(stderr, "pc-api: bad number line\n");
				status = 2;
				break;
			}
		}
		if (status == 0 && powercouples_row(v, nv, method, &x, &y) != 0) {
			fprintf(stderr, "pc-api: %s\n", strerror(errno));
			status = 2;
		} else if (status == 0) {
			printf("%" PRIu64 ",%" PRIu64 "\n", x, y);
		}
	}
	free(line);
	free(v);
	return status;
}

int main(int argc, char **argv)
{
	int method = POWERCOUPLES_CLOSED;
	if (argc == 3 && strcmp(argv[2], "exhaustive") == 0)
		method = POWERCOUPLES_EXHAUSTIVE;
	else if (argc != 2 && !(argc == 3 && strcmp(argv[2], "closed") == 0))
		argc = 0;
	if (argc && strcmp(argv[1], "csv") == 0)
		return do_csv(method);
	if (argc && strcmp(argv[1], "row") == 0)
		return do_rows(method);
	if (argc == 2 && strcmp(argv[1], "version") == 0)
		return puts(powercouples_version()) < 0;
	fprintf(stderr, "usage: pc-api csv|row [closed|exhaustive] < INPUT, or pc-api version\n");
	return 2;
}
