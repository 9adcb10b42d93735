## examples/python: the tutorial's guided example in Python 3 (pure Python,
## the C library through ctypes, multiprocessing, threading, mpi4py),
## installed as documentation; tests/python.bats runs each one
pcpythondir = $(docdir)/examples/python
dist_pcpython_DATA = examples/python/README \
	examples/python/powercouples_common.py examples/python/powercouples_clib.py \
	examples/python/pc_pure.py examples/python/pc_ctypes.py \
	examples/python/pc_pool.py examples/python/pc_threads.py \
	examples/python/pc_mpi.py
TESTS += tests/python.bats
EXTRA_DIST += tests/python.bats
