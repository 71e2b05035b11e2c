"""What the PyTorch sides of the benchmarks report about the machine they ran on (imported by them)."""
import os


def cpu_model():
    """The CPU's model name from /proc/cpuinfo, or None."""
    try:
        with open("/proc/cpuinfo") as f:
            return next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), None)
    except OSError:
        return None


def blas_library():
    """The BLAS shared library torch loaded, from /proc/self/maps."""
    try:
        with open("/proc/self/maps") as f:
            paths = (l.split()[-1] for l in f if "/" in l)
            return next((p for p in paths if "blas" in os.path.basename(p).lower()), None)
    except OSError:
        return None
