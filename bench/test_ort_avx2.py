"""Tests of bench/ort_avx2.py: /usr/bin/python3 -m unittest discover -s bench -p 'test_*.py'"""

import os
import tempfile
import unittest
import zipfile

import ort_avx2

CHECK = bytes.fromhex("41f7c200000100740e4c89c048f7d0a8e0")
JUMP = bytes.fromhex("0f84db000000")
BENCH_JAR = os.path.join(os.path.dirname(__file__), "..", "lstm4j-bench", "target", "benchmarks.jar")


class DisableAvx512Test(unittest.TestCase):
    def test_every_check_loses_its_jump_and_nothing_else_changes(self):
        library = b"\x11" * 40 + CHECK + JUMP + b"\xf6\xc2" + b"\x22" * 7 + CHECK + bytes.fromhex("0f84dd000000") + b"\x33"
        patched, offsets = ort_avx2.disable_avx512(library)
        self.assertEqual(offsets, [40 + len(CHECK), 40 + 2 * len(CHECK) + 6 + 2 + 7])
        self.assertEqual(len(patched), len(library))
        for offset in offsets:
            self.assertEqual(patched[offset:offset + 6], b"\x90" * 6)
        restored = bytearray(patched)
        for offset in offsets:
            restored[offset:offset + 6] = library[offset:offset + 6]
        self.assertEqual(bytes(restored), library)

    def test_a_check_of_another_bit_is_not_touched_and_none_found_is_refused(self):
        avx512dq = CHECK.replace(bytes.fromhex("00000100"), bytes.fromhex("00000200"))
        with self.assertRaisesRegex(ValueError, "no MLAS AVX-512 check found"):
            ort_avx2.disable_avx512(b"\x00" * 16 + avx512dq + JUMP)

    @unittest.skipUnless(os.path.exists(BENCH_JAR), "no lstm4j-bench/target/benchmarks.jar (mvn package)")
    def test_the_bench_jars_onnx_runtime_is_narrowed_at_its_three_inline_checks(self):
        with tempfile.TemporaryDirectory() as out:
            self.assertEqual(ort_avx2.main(["ort_avx2.py", BENCH_JAR, out]), 0)
            self.assertEqual(sorted(os.listdir(out)), ["libonnxruntime.so", "libonnxruntime4j_jni.so"])
            with zipfile.ZipFile(BENCH_JAR) as archive:
                original = archive.read(ort_avx2.NATIVE_DIR + "libonnxruntime.so")
            with open(os.path.join(out, "libonnxruntime.so"), "rb") as f:
                patched = f.read()
            self.assertEqual(len(patched), len(original))
            self.assertEqual(patched.count(CHECK + b"\x90" * 6), 3)
            self.assertEqual(patched.count(CHECK + b"\x0f\x84"), 0)
            self.assertEqual(original.count(CHECK + b"\x0f\x84"), 3)
            self.assertEqual(patched, ort_avx2.disable_avx512(original)[0])
            changed = sum(1 for a, b in zip(original, patched) if a != b)
            self.assertLessEqual(changed, 3 * 6)


if __name__ == "__main__":
    unittest.main()
