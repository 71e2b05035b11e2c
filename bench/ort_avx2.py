#!/usr/bin/env python3
"""ONNX Runtime on its AVX2 kernels on an AVX-512 machine, for bench/compare --peers-avx2.

ONNX Runtime has no switch for its CPU kernels: MLAS (its GEMM and activation library) picks AVX-512 at start-up
when the CPU reports AVX512F and the OS saves the ZMM state (XCR0 bits 5-7). This script copies ORT's linux-x64
native libraries out of the bench jar into a directory and, in the copy of libonnxruntime.so, removes the jump
into MLAS's AVX-512 set-up, so that MLAS keeps the AVX2/FMA3 kernels it chose just before: the code an AVX2
machine runs. The JVM then loads the copy with -Donnxruntime.native.path=DIR. The jar is left untouched.

The jump is found by its instructions, as the compiler emitted MLAS's check inline (three copies in ORT 1.29.0):

    test $0x10000,%r10d   41 f7 c2 00 00 01 00   CPUID.7.EBX bit 16: AVX512F
    je   +0x0e            74 0e
    mov  %r8,%rax         4c 89 c0               %r8: XCR0
    not  %rax             48 f7 d0
    test $0xe0,%al        a8 e0                  all of the opmask and ZMM state saved?
    je   <avx512 set-up>  0f 84 <rel32>          -> six NOPs

A library without that sequence (another ORT version or compiler) is refused, not half patched.
Usage: ort_avx2.py JAR OUT_DIR
"""

import os
import re
import sys
import zipfile

NATIVE_DIR = "ai/onnxruntime/native/linux-x64/"
LIBRARIES = ("libonnxruntime.so", "libonnxruntime4j_jni.so")
AVX512_CHECK = re.compile(re.escape(bytes.fromhex("41f7c200000100740e4c89c048f7d0a8e0")) + b"\x0f\x84", re.DOTALL)
JUMP_LENGTH = 6  # je rel32
NOP = b"\x90"


def disable_avx512(library: bytes) -> tuple[bytes, list[int]]:
    """The library with every inline MLAS AVX-512 check made to fail, and the offsets of the jumps removed."""
    patched = bytearray(library)
    offsets = []
    for match in AVX512_CHECK.finditer(library):
        jump = match.end() - 2
        patched[jump:jump + JUMP_LENGTH] = NOP * JUMP_LENGTH
        offsets.append(jump)
    if not offsets:
        raise ValueError("no MLAS AVX-512 check found (expected the instruction sequence in this script's doc, "
                         "as in ONNX Runtime 1.29.0's libonnxruntime.so): this build cannot be narrowed here")
    return bytes(patched), offsets


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    jar, out = argv[1], argv[2]
    os.makedirs(out, exist_ok=True)
    with zipfile.ZipFile(jar) as archive:
        for name in LIBRARIES:
            data = archive.read(NATIVE_DIR + name)
            if name == "libonnxruntime.so":
                data, offsets = disable_avx512(data)
                print("ort_avx2: %s: MLAS AVX-512 set-up removed at %d place(s): %s"
                      % (name, len(offsets), ", ".join(hex(o) for o in offsets)), file=sys.stderr)
            temporary = os.path.join(out, name + ".tmp")
            with open(temporary, "wb") as f:
                f.write(data)
            os.replace(temporary, os.path.join(out, name))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
