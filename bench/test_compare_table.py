#!/usr/bin/python3
"""Tests of compare_table.py on given JSON lines: /usr/bin/python3 -m unittest discover -s bench -p 'test_*.py'"""
import contextlib
import io
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare_table  # noqa: E402


def record(impl, workload, mode, tokens, gflops, **extra):
    r = {"workload": workload, "impl": impl, "mode": mode, "threads": 2, "batch": 100, "seq": 28,
         "tokens_per_s": {"min": tokens, "median": tokens, "max": tokens},
         "gflops": {"min": gflops, "median": gflops, "max": gflops},
         "us_per_step": {"min": 10.0, "median": 10.0, "max": 10.0}, "alloc_bytes_per_step": None}
    r.update(extra)
    return r


def lstm4j(workload, mode, tokens, gflops, roof):
    return record("lstm4j", workload, mode, tokens, gflops, cpu_model="Intel Xeon Test", java_version="25.0.3+9-LTS",
                  vector_bits=256,
                  vector_bits_forced=False, vector_width_source="the JVM's preferred width under -XX:UseAVX=2",
                  fma_roof_gflops=roof, fma_roof_median_gflops=roof - 10, fma_roof_threads=2, roof_fraction=gflops / roof)


class CompareTableTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()

    def write(self, name, records):
        with open(os.path.join(self.dir, name), "w") as f:
            for r in records:
                f.write(json.dumps(r) + "\n")

    def table(self):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            compare_table.main(self.dir)
        return out.getvalue()

    def test_roof_is_the_fastest_lstm4j_run_over_the_rounds(self):
        self.write("round-1-lstm4j.jsonl", [lstm4j("rows", "train", 60000, 100.0, 190.0)])
        self.write("round-2-lstm4j.jsonl", [lstm4j("rows", "train", 60000, 100.0, 200.0)])
        results, _, _ = compare_table.load(self.dir)
        self.assertEqual(200.0, compare_table.roof_gflops(results))

    def test_percent_of_roof(self):
        self.assertEqual("50%", compare_table.percent_of_roof(100.0, 200.0))
        self.assertEqual("2.5%", compare_table.percent_of_roof(5.0, 200.0))
        self.assertEqual("0.05%", compare_table.percent_of_roof(0.1, 200.0))
        self.assertEqual("<0.01%", compare_table.percent_of_roof(0.009, 200.0))
        self.assertEqual("-", compare_table.percent_of_roof(100.0, None))

    def test_table_has_the_machine_line_and_every_sides_fraction_of_the_one_roof(self):
        with open(os.path.join(self.dir, "lstm4j-java-opts.txt"), "w") as f:
            f.write("-XX:UseAVX=2\n")
        self.write("round-1-lstm4j.jsonl", [lstm4j("rows", "train", 60000, 100.0, 200.0),
                                            lstm4j("stream", "infer", 20000, 8.0, 200.0)])
        self.write("round-1-pytorch.jsonl", [record("pytorch", "rows", "train", 40000, 50.0),
                                             record("pytorch", "stream", "infer", 2000, 1.0)])
        self.write("round-1-onnxruntime.jsonl", [record("onnxruntime", "stream", "infer", 10000, 4.0)])
        self.write("round-1-sgemm.jsonl", [{"sgemm": 1024, "threads": 1, "openblas_threads": 2,
                                            "gflops": {"min": 150.0, "median": 160.0, "max": 170.0}}])
        lines = self.table().splitlines()
        self.assertEqual("machine: Intel Xeon Test; lstm4j at 256-bit vectors (the JVM's preferred width under"
                         " -XX:UseAVX=2), Java 25.0.3+9-LTS, LSTM4J_JAVA_OPTS=-XX:UseAVX=2; FMA roof 200 GFLOP/s on 2 threads: the"
                         " lstm4j JVM's vector FMA peak at this width, fastest run over the rounds; roof% of every"
                         " side is its GFLOP/s over this one roof", lines[0])
        self.assertTrue(lines[1].endswith("over 1 round(s), 80% of the roof"), lines[1])
        rows = next(l for l in lines if l.startswith("rows "))
        # lstm4j 100 of 200, PyTorch 50 of 200, no ORT.
        self.assertEqual(["rows", "train", "60000", "100", "50%", "40000", "50.0", "25%", "-", "-", "-"],
                         rows.split()[:11])
        stream = next(l for l in lines if l.startswith("stream "))
        self.assertEqual(["stream", "infer", "20000", "8.00", "4.0%", "2000", "1.00", "0.50%", "10000", "4.00",
                          "2.0%"], stream.split()[:11])

    def test_memory_line_names_the_heap_limit_and_the_collector_only(self):
        def mem(impl, rss, jvm_args=None):
            m = {"peak_rss_bytes": rss, "over_baseline_bytes": rss / 2, "heap_peak_used_bytes": rss / 4,
                 "heap_live_max_bytes": rss / 8, "warmup_steps": 5, "steps": 20, "steps_per_s": 2.0}
            if jvm_args is not None:
                m["jvm_args"] = jvm_args
                m["gc"] = "Copy, MarkSweepCompact"
            return {"workload": "charlm", "impl": impl, "memory": m}
        self.write("round-1-memory-lstm4j.jsonl", [mem("lstm4j", 400 * 2**20, [
            "--add-modules=jdk.incubator.vector", "-XX:+UseSerialGC", "-XX:+UseCountedLoopSafepoints",
            "-XX:LoopStripMiningIter=1000", "-Xmx8g"])])
        self.write("round-1-memory-pytorch.jsonl", [mem("pytorch", 500 * 2**20)])
        lines, misses = compare_table.memory_lines(compare_table.load(self.dir)[2])
        self.assertEqual(0, misses)
        self.assertTrue(lines[0].startswith("peak memory charlm: lstm4j 400 MiB"), lines[0])
        self.assertIn("lstm4j JVM -XX:+UseSerialGC -Xmx8g, Copy, MarkSweepCompact;", lines[1])

    def test_without_a_roof_the_fractions_are_dashes(self):
        r = lstm4j("rows", "train", 60000, 100.0, 200.0)
        r.update(fma_roof_gflops=None, fma_roof_median_gflops=None, fma_roof_threads=None, roof_fraction=None)
        self.write("round-1-lstm4j.jsonl", [r])
        lines = self.table().splitlines()
        self.assertTrue(lines[0].endswith("no LSTM4J_JAVA_OPTS; FMA roof not measured"), lines[0])
        rows = next(l for l in lines if l.startswith("rows "))
        self.assertEqual("-", rows.split()[4])


if __name__ == "__main__":
    unittest.main()
