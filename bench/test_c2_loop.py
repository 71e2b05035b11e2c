"""Tests of bench/c2_loop.py on synthetic -XX:CompileCommand=print output (no JVM): which compile it takes, the
bytes it reads, and what it counts in the loop."""
import shutil
import unittest

import c2_loop

BROADCAST = "c4627d184c8a10"      # vbroadcastss 0x10(%rdx,%rcx,4),%ymm9
FMA = "c4c235b8fe"                # vfmadd231ps %ymm14,%ymm9,%ymm7
SPILL_LOAD = "c57e6f4c2418"       # vmovdqu 0x18(%rsp),%ymm9
FMA_SPILLED = "c4421db8ce"        # vfmadd231ps %ymm14,%ymm12,%ymm9
SPILL_STORE = "c57e7f4c2418"      # vmovdqu %ymm9,0x18(%rsp)
INT_STACK = "036c2408"            # add 0x8(%rsp),%ebp
RANGE_CHECK = "3bc8" + "0f8300010000"  # cmp %eax,%ecx; jae +0x100
INC_CMP = "ffc1" + "3bc8"         # inc %ecx; cmp %eax,%ecx


def loop_bytes(spill, tail=""):
    body = BROADCAST + RANGE_CHECK + FMA + (SPILL_LOAD + FMA_SPILLED + SPILL_STORE if spill else FMA_SPILLED) \
        + tail + INT_STACK + INC_CMP
    length = len(body) // 2 + 6
    back = (-length) & 0xffffffff  # jl to the loop's start
    return body + "0f8c" + back.to_bytes(4, "little").hex()


def hotspot_lines(address, hex_bytes):
    """Machine code as HotSpot prints it without hsdis: 4-byte groups in rows of up to 6, then a comment line."""
    lines = []
    for row in range(0, len(hex_bytes), 48):
        chunk = hex_bytes[row:row + 48]
        groups = [chunk[i:i + 8] for i in range(0, len(chunk), 8)]
        lines.append("  0x%016x: %s" % (address + row // 2, " | ".join(g[:4] + " " + g[4:] if len(g) > 4 else g
                                                                         for g in groups)))
    lines.append("  0x%016x: ;   {runtime_call Stub::method_entry_barrier}" % (address + len(hex_bytes) // 2))
    return lines


def compile_block(kind, header, address, hex_bytes):
    return ["Compiled method (%s)     900  600 %s      4       %s" % (kind, header, "org.lstm4j.kernels."
                                                                    "VectorMicroKernel::rows5Direct (439 bytes)"),
            " main code [0x0,0x1] = 1", "[MachCode]", "[Verified Entry Point]", "  # {method} 'rows5Direct'"] \
        + hotspot_lines(address, hex_bytes) + ["[/MachCode]", ""]


def print_output():
    text = ["shape                threads     path    median       min       max"]
    text += compile_block("c1", " ", 0x7f0000001000, "90" * 8)
    text += compile_block("c2", "%", 0x7f0000002000, loop_bytes(spill=False))  # on-stack replacement: skipped
    text += compile_block("c2", " ", 0x7f0000003000, loop_bytes(spill=True))
    text.append("32x256x1024:NNP            1   vector      49.3      49.0      51.1")
    return "\n".join(text)


class C2LoopTest(unittest.TestCase):
    def test_takes_the_last_full_c2_compile_and_its_bytes(self):
        base, code = c2_loop.last_c2_machine_code(print_output(), "rows5Direct")
        self.assertEqual(0x7f0000003000, base)
        self.assertEqual(bytes.fromhex(loop_bytes(spill=True)), code)

    def test_a_line_broken_by_other_output_keeps_its_bytes_up_to_the_break(self):
        lines = print_output().splitlines()
        first = next(i for i, l in enumerate(lines) if l.startswith("  0x00007f0000003000:"))
        lines[first] = lines[first] + " 32x256x1024:NNP            1   vector"  # the table line cut in
        base, code = c2_loop.last_c2_machine_code("\n".join(lines), "rows5Direct")
        self.assertEqual(bytes.fromhex(loop_bytes(spill=True)), code)

    def test_a_method_never_compiled_by_c2_is_named(self):
        with self.assertRaisesRegex(ValueError, "no full C2 compile of rows4Direct"):
            c2_loop.last_c2_machine_code(print_output(), "rows4Direct")

    @unittest.skipUnless(shutil.which("objdump"), "needs binutils' objdump")
    def test_counts_spilled_vectors_stack_reads_and_branches_in_the_fma_loop(self):
        for spill, spills in ((True, 2), (False, 0)):
            code = bytes.fromhex(loop_bytes(spill))
            loop = c2_loop.fma_loop(c2_loop.disassemble(0x1000, code))
            self.assertTrue(loop[0][1].startswith("vbroadcastss"), loop[0])  # the jl's target
            self.assertTrue(loop[-1][1].startswith("jl"), loop[-1])
            counts = c2_loop.summarize(loop)
            self.assertEqual(2, counts["fmas"])
            self.assertEqual(spills, counts["vector_spills"])
            self.assertEqual(1, counts["integer_stack_reads"])
            self.assertEqual(2, counts["conditional_branches"])  # the range check's jae and the loop's jl

    @unittest.skipUnless(shutil.which("objdump"), "needs binutils' objdump")
    def test_finds_a_backward_branch_well_after_the_last_fma(self):
        # Twenty index computations between the last FMA and the branch, as C2 sometimes places them.
        code = bytes.fromhex(loop_bytes(spill=True, tail=INC_CMP * 10))
        loop = c2_loop.fma_loop(c2_loop.disassemble(0x1000, code))
        self.assertTrue(c2_loop.loop_closed(loop))
        self.assertTrue(loop[0][1].startswith("vbroadcastss"), loop[0])
        self.assertEqual(2, c2_loop.summarize(loop)["vector_spills"])

    @unittest.skipUnless(shutil.which("objdump"), "needs binutils' objdump")
    def test_a_loop_without_its_branch_is_not_closed(self):
        code = bytes.fromhex(loop_bytes(spill=False))[:-6]  # the jl cut off
        loop = c2_loop.fma_loop(c2_loop.disassemble(0x1000, code))
        self.assertFalse(c2_loop.loop_closed(loop))
        self.assertTrue(loop[0][1].startswith("vfmadd") and loop[-1][1].startswith("vfmadd"), loop)


# rows8Packed's k loop as Java 17's C2 compiled it for NEON (under QEMU, read by aarch64-linux-gnu-objdump), cut to
# two rows: the loop head, a range check, the B loads, broadcasts, FMAs and the backward branch.
AARCH64_LOOP = [
    (0x920, "add w5, w5, #0x8"),
    (0x924, "cmp w5, w10"),
    (0x928, "b.cs 0xa8c  // b.hs, b.nlast"),
    (0x92c, "ldr q8, [x12, #16]"),
    (0x930, "ldr s22, [x13, #44]"),
    (0x934, "dup v9.4s, v22.s[0]"),
    (0x938, "fmla v24.4s, v9.4s, v8.4s"),
    (0x93c, "ldr q30, [x12, #32]"),
    (0x940, "fmla v23.4s, v9.4s, v30.4s"),
    (0x944, "add w3, w3, #0x8"),
    (0x948, "cmp w3, w11"),
    (0x94c, "b.lt 0x920  // b.tstop"),
    (0x950, "ret"),
]


class C2LoopAarch64Test(unittest.TestCase):
    arch = c2_loop.ARCHES["aarch64"]

    def test_finds_the_fmla_loop_and_counts_it(self):
        loop = c2_loop.fma_loop(AARCH64_LOOP, self.arch)
        self.assertEqual(AARCH64_LOOP[:-1], loop)  # from the b.lt's target to the b.lt
        self.assertTrue(c2_loop.loop_closed(loop, self.arch))
        self.assertEqual({"fmas": 2, "vector_spills": 0, "integer_stack_reads": 0, "conditional_branches": 2,
                          "instructions": 12}, c2_loop.summarize(loop, self.arch))

    def test_counts_q_registers_on_the_stack_as_spills(self):
        spilled = AARCH64_LOOP[:6] + [(0x935, "ldr q24, [sp, #48]"), (0x936, "ldr x1, [sp, #16]")] \
            + AARCH64_LOOP[6:7] + [(0x939, "str q24, [sp, #48]")] + AARCH64_LOOP[7:]
        counts = c2_loop.summarize(c2_loop.fma_loop(spilled, self.arch), self.arch)
        self.assertEqual(2, counts["vector_spills"])
        self.assertEqual(1, counts["integer_stack_reads"])

    def test_x86_patterns_do_not_read_aarch64_code(self):
        self.assertEqual([], c2_loop.fma_loop(AARCH64_LOOP))


if __name__ == "__main__":
    unittest.main()
