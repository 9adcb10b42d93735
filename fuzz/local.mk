## fuzz/: libFuzzer harnesses, built only by `make fuzz` (see fuzz/README.md).
## The library's sources are compiled again into each harness with clang and
## -fsanitize=fuzzer,address,undefined; the normal build is untouched, and
## `make`, `make check` and `make distcheck` need no clang.

FUZZ_HARNESSES = fuzz/fuzz-reader fuzz/fuzz-frame fuzz/fuzz-pipeline fuzz/fuzz-pow
FUZZ_SECONDS = 60
FUZZ_CFLAGS = -std=gnu11 -g -O1 -fno-omit-frame-pointer \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-sign-compare
FUZZ_CPPFLAGS = -I$(top_builddir) -I$(top_srcdir)/lib -I$(top_srcdir)/fuzz \
	-I$(top_srcdir)/pc-merge -I$(top_srcdir)/include
FUZZ_LIBS = -lmpfr -lgmp -lm -lpthread
## the .c files of lib_libpc_la_SOURCES and lib_libpowercouples_la_SOURCES
## (make's own functions would pick them out, but automake wants portable
## makefiles)
FUZZ_LIB = $(srcdir)/lib/buf.c $(srcdir)/lib/cli.c $(srcdir)/lib/cpus.c $(srcdir)/lib/diag.c \
	$(srcdir)/lib/cleanup.c $(srcdir)/lib/kernel.c $(srcdir)/lib/exhaustive.c $(srcdir)/lib/simd.c $(srcdir)/lib/classify.c $(srcdir)/lib/outfile.c $(srcdir)/lib/progress.c \
	$(srcdir)/lib/reader.c $(srcdir)/lib/score.c $(srcdir)/lib/field.c \
	$(srcdir)/lib/lane.c $(srcdir)/lib/sink.c $(srcdir)/lib/frame.c \
	$(srcdir)/lib/chunk.c $(srcdir)/lib/wire.c $(srcdir)/lib/pipeline.c \
	$(srcdir)/lib/rows.c $(srcdir)/lib/api.c
FUZZ_MERGE = $(srcdir)/pc-merge/merge.c $(srcdir)/pc-merge/list.c $(srcdir)/pc-merge/store.c \
	$(srcdir)/pc-merge/table.c
FUZZ_DEPS = $(lib_libpc_la_SOURCES) $(lib_libpowercouples_la_SOURCES) $(include_HEADERS) \
	fuzz/fuzz-common.h config.h
FUZZ_LINK = $(FUZZ_CC) $(FUZZ_CPPFLAGS) $(FUZZ_CFLAGS) -o $@

if HAVE_LIBFUZZER
fuzz: $(FUZZ_HARNESSES)

fuzz/fuzz-reader: fuzz/fuzz-reader.c $(FUZZ_DEPS)
	@$(MKDIR_P) fuzz
	$(AM_V_CCLD)$(FUZZ_LINK) $(srcdir)/fuzz/fuzz-reader.c $(FUZZ_LIB) $(FUZZ_LIBS)
fuzz/fuzz-frame: fuzz/fuzz-frame.c $(FUZZ_DEPS) $(pc_merge_pc_merge_SOURCES)
	@$(MKDIR_P) fuzz
	$(AM_V_CCLD)$(FUZZ_LINK) $(srcdir)/fuzz/fuzz-frame.c $(FUZZ_LIB) $(FUZZ_MERGE) $(FUZZ_LIBS)
fuzz/fuzz-pipeline: fuzz/fuzz-pipeline.c $(FUZZ_DEPS) $(pc_merge_pc_merge_SOURCES) \
		pc-split/pc-split.c
	@$(MKDIR_P) fuzz
	$(AM_V_CCLD)$(FUZZ_LINK) $(srcdir)/fuzz/fuzz-pipeline.c $(FUZZ_LIB) $(FUZZ_MERGE) $(FUZZ_LIBS)
fuzz/fuzz-pow: fuzz/fuzz-pow.c $(FUZZ_DEPS)
	@$(MKDIR_P) fuzz
	$(AM_V_CCLD)$(FUZZ_LINK) $(srcdir)/fuzz/fuzz-pow.c $(FUZZ_LIB) $(FUZZ_LIBS)

## make fuzz-run FUZZ_SECONDS=60 [FUZZ_TARGETS='reader pow']: each harness
## in turn from its seeds; fails when one finds a crash (shown as hex)
fuzz-run: fuzz
	$(SHELL) $(srcdir)/fuzz/run-fuzz.sh $(FUZZ_SECONDS) $(srcdir) $(FUZZ_TARGETS)
else
fuzz fuzz-run:
	@echo "make $@: configure found no clang that links -fsanitize=fuzzer" \
	  "(Debian: apt-get install clang libclang-rt-14-dev, then run ./configure again)" >&2
	@exit 1
endif
.PHONY: fuzz fuzz-run

CLEANFILES += $(FUZZ_HARNESSES)
clean-local: clean-fuzz
clean-fuzz:
	-rm -rf fuzz/work fuzz/crashes
.PHONY: clean-fuzz

EXTRA_DIST += fuzz/README.md fuzz/fuzz-common.h fuzz/fuzz-reader.c fuzz/fuzz-frame.c \
	fuzz/fuzz-pipeline.c fuzz/fuzz-pow.c fuzz/run-fuzz.sh fuzz/make-seeds.sh \
	fuzz/corpus
