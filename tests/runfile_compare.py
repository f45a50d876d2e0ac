"""Comparing run files object by object, for the tests that require identical output (threads,
restarts, sweep layouts): every dataset and every attribute, less the ones that say when and how
a file was made."""
import h5py
import numpy as np


def equal(a, b):
    """Exact equality of two HDF5 values, NaN equal to NaN (also inside compound types)."""
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape or a.dtype != b.dtype:
        return False
    if a.dtype.names:
        return all(equal(a[n], b[n]) for n in a.dtype.names)
    if a.dtype.kind in "fc":
        return bool(np.array_equal(a, b, equal_nan=True))
    return bool(np.array_equal(a, b))


def contents(path, skip=()):
    """{"/name": array} of every dataset and {"/name@attr": value} of every attribute, except the
    (object, attribute) pairs in skip; object "*" skips that attribute on every object."""
    items = {}

    def attrs(name, obj):
        for k, v in obj.attrs.items():
            if (name, k) not in skip and ("*", k) not in skip:
                items[f"{name}@{k}"] = v

    with h5py.File(path, "r") as f:
        attrs("/", f)

        def visit(name, obj):
            attrs("/" + name, obj)
            if isinstance(obj, h5py.Dataset):
                items["/" + name] = obj[()]

        f.visititems(visit)
    return items
