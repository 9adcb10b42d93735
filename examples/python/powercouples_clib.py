"""powercouples_clib.py - libpowercouples through ctypes.

load() finds the library: the path in the environment variable
PC_LIBPOWERCOUPLES when it is set (the tests point it at the build tree's
lib/.libs/libpowercouples.so.0), else ctypes.util.find_library
("powercouples"), else the soname libpowercouples.so.0.

A ctypes.CDLL releases the GIL for the length of every call into C, so
several Python threads calling row() or csv() run at the same time; only
the conversions of the arguments and results hold it.
"""

import ctypes
import ctypes.util
import os

CLOSED, EXHAUSTIVE = 0, 1  # enum powercouples_method
METHOD_CODES = {"closed": CLOSED, "exhaustive": EXHAUSTIVE}

_u64 = ctypes.c_uint64
_lib = None


def load():
    """The library, its functions' prototypes declared (loaded once)."""
    global _lib
    if _lib is not None:
        return _lib
    path = (os.environ.get("PC_LIBPOWERCOUPLES")
            or ctypes.util.find_library("powercouples")
            or "libpowercouples.so.0")
    try:
        lib = ctypes.CDLL(path, use_errno=True)
    except OSError as e:
        raise OSError("cannot load the C library (%s); set PC_LIBPOWERCOUPLES to "
                      "the path of libpowercouples.so.0" % e) from None
    lib.powercouples_version.argtypes = []
    lib.powercouples_version.restype = ctypes.c_char_p
    lib.powercouples_row.argtypes = [ctypes.POINTER(_u64), ctypes.c_size_t, ctypes.c_int,
                                     ctypes.POINTER(_u64), ctypes.POINTER(_u64)]
    lib.powercouples_row.restype = ctypes.c_int
    lib.powercouples_csv.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int,
                                     ctypes.POINTER(ctypes.c_void_p),
                                     ctypes.POINTER(ctypes.c_size_t),
                                     ctypes.c_char_p, ctypes.c_size_t]
    lib.powercouples_csv.restype = ctypes.c_int
    lib.powercouples_free.argtypes = [ctypes.c_void_p]
    lib.powercouples_free.restype = None
    _lib = lib
    return lib


def version():
    return load().powercouples_version().decode()


def row(values, method=CLOSED):
    """The power couple (x, y) of a list of ints, by powercouples_row()."""
    lib = load()
    array = (_u64 * len(values))(*values)
    x, y = _u64(), _u64()
    if lib.powercouples_row(array, len(values), method, ctypes.byref(x), ctypes.byref(y)) != 0:
        err = ctypes.get_errno()
        raise OSError(err, "powercouples_row: " + os.strerror(err))
    return x.value, y.value


def csv(data, method=CLOSED):
    """Score a buffer of CSV rows by powercouples_csv(): (output, error).
    output is the bytes of the `name,x,y` lines of the rows before the
    first bad one; error is None, or "LINE:COL: message" for that row."""
    lib = load()
    out, outlen = ctypes.c_void_p(), ctypes.c_size_t()
    errbuf = ctypes.create_string_buffer(512)
    status = lib.powercouples_csv(data, len(data), method, ctypes.byref(out),
                                  ctypes.byref(outlen), errbuf, len(errbuf))
    if status < 0:
        err = ctypes.get_errno()
        raise OSError(err, "powercouples_csv: " + os.strerror(err))
    try:
        text = ctypes.string_at(out.value, outlen.value) if outlen.value else b""
    finally:
        lib.powercouples_free(out)
    return text, (errbuf.value.decode("utf-8", "backslashreplace") if status == 1 else None)
