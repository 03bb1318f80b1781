"""Give the memory a large document took back to the system once it is done."""

import ctypes
import ctypes.util
import functools
import gc


@functools.cache
def _malloc_trim():
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to trim
        return None


def release_free_memory() -> None:
    """After a PDF: WeasyPrint's layout leaves tens of MB freed inside glibc's heap, which the worker would
    keep for good (a web worker stayed at 300 MB after a 1,000-row register). malloc_trim returns it."""
    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
