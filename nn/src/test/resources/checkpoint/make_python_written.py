#!/usr/bin/env python3
"""Write python_written.safetensors with the real safetensors library, for SafeTensorsPythonFileTest.

Run from this folder with safetensors 0.8.0 and numpy installed:

    python3 make_python_written.py

Every value is exactly representable in its dtype, so the Java test can assert exact equality.
The metadata has a single key: the library keeps metadata in a hash map whose order changes from
run to run, and one key keeps the file byte-for-byte reproducible.
"""
import numpy as np
from safetensors.numpy import save_file

tensors = {
    # F32: a 2x3 ramp, and the special values a reader must not mangle.
    "dense.weight": np.arange(6, dtype=np.float32).reshape(2, 3) * np.float32(0.25) - np.float32(0.5),
    "specials.f32": np.array([-0.0, np.inf, -np.inf, np.nan, 1e-45, 3.4028235e38], dtype=np.float32),
    # F64: a 0-d scalar and a 3-d block.
    "scalar.f64": np.array(3.141592653589793, dtype=np.float64),
    "block.f64": (np.arange(24, dtype=np.float64).reshape(2, 3, 4) - 12.0) / 8.0,
    # I32 / I64: CSR-like indices and extremes.
    "csr.row_ptr": np.array([0, 2, 2, 5], dtype=np.int32),
    "extremes.i32": np.array([-2147483648, -1, 0, 2147483647], dtype=np.int32),
    "extremes.i64": np.array([[-9223372036854775808, -1], [0, 9223372036854775807]], dtype=np.int64),
    # An empty tensor (a 0 dimension): zero bytes in the buffer.
    "empty.f32": np.zeros((0, 4), dtype=np.float32),
}
metadata = {"format": "np \"test\"\twith escapes\nand \u00e9 \u2713"}

save_file(tensors, "python_written.safetensors", metadata=metadata)
