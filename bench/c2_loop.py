#!/usr/bin/env python3
"""The k loop of one GEMM micro-kernel as C2 compiled it, and whether it keeps vectors on the stack.

C2's register allocation of the 16-register (256- and 128-bit) kernels differs between Java releases, widths and
loop forms: a kernel whose loop keeps an accumulator on the stack runs at half speed (stop 28: Java 25's
`rows5Direct`). This runs `GemmGflops` on one shape in a fresh JVM with `-XX:CompileCommand=print` for the kernel,
takes the last full (not on-stack-replacement) C2 compile, decodes its machine code with `objdump` (no hsdis
needed), and prints the loop that holds the FMAs with counts: FMAs, vector loads/stores on the stack (spills),
integer stack reads, and conditional branches (range checks). With --check the exit status is 1 when vectors
spill, 2 when no C2 compile or no FMA loop was found. It prints no speed: with the printing on, GemmGflops'
figures are not those of a normal run (use GemmGflops without it).

  bench/c2_loop.py rows5Direct 32x256x1024:NNP -- -XX:UseAVX=2
  JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 bench/c2_loop.py --check rows5Packed 32x1024x256:NTP -- -XX:UseAVX=2

Needs lstm4j-bench/target/benchmarks.jar (`mvn -B -q package -DskipTests`), x86-64 and binutils' objdump. With
--arch aarch64 it reads an arm64 JVM's code with aarch64-linux-gnu-objdump (Debian's binutils-aarch64-linux-gnu):
an arm64 JDK under QEMU, as scripts/check-arm-under-qemu prepares one (stop 33), e.g.

  QEMU_CPU=max,sve=off JAVA_HOME=lstm4j-cli/target/arm-qemu/java-17 bench/c2_loop.py --arch aarch64 \
      rows8Packed 16x2048x512:NTP
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KERNEL_CLASS = "org.lstm4j.kernels.VectorMicroKernel"
HEX_LINE = re.compile(r"^\s*0x([0-9a-f]+): (.*)$")
HEX_GROUP = re.compile(r"^(?:[0-9a-f]{2})+$")


class Arch:
    """How one instruction set's objdump output reads: its FMAs, stack accesses, vector registers and branches."""

    def __init__(self, objdump, machine, fma, stack, vector_register, branch_target, conditional_branch):
        self.objdump = objdump
        self.machine = machine
        self.fma = re.compile(fma)
        self.stack = stack
        self.vector_register = re.compile(vector_register)
        self.branch_target = re.compile(branch_target)
        self.conditional_branch = re.compile(conditional_branch)


ARCHES = {
    "x86-64": Arch("objdump", "i386:x86-64", r"vfmadd", "(%rsp)", r"%[xyz]mm\d+", r"j\w+\s+0x([0-9a-f]+)",
                   r"j(?!mp)\w+\s"),
    # NEON's fmla vN.4s and SVE's fmla zN.s; [sp, #n] addresses the stack; b.cond, cbz/cbnz, tbz/tbnz branch.
    "aarch64": Arch("aarch64-linux-gnu-objdump", "aarch64", r"fmla\s", "[sp", r"\b[qvz]\d+\b",
                    r"(?:b(?:\.\w+)?|cbn?z\s+\w+,|tbn?z\s+\w+,\s*#\d+,)\s*0x([0-9a-f]+)",
                    r"(?:b\.\w+|cbn?z|tbn?z)\s"),
}


def launcher_defaults():
    """The JVM options the launcher gives every lstm4j JVM (lstm4j-cli/src/main/launcher/jvm-defaults)."""
    options = []
    with open(os.path.join(ROOT, "lstm4j-cli", "src", "main", "launcher", "jvm-defaults")) as f:
        for line in f:
            option = line.split("#", 1)[0].strip()
            if option:
                options.append(option)
    return options


def last_c2_machine_code(text, method):
    """(base address, bytes) of the last full C2 compile of `method` in -XX:CompileCommand=print output."""
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines)
              if line.startswith("Compiled method (c2)") and "::" + method + " " in line and " % " not in line]
    if not starts:
        raise ValueError("no full C2 compile of %s in the output (did the shape reach it?)" % method)
    code = bytearray()
    base = None
    in_code = False
    for line in lines[starts[-1]:]:
        if line.startswith("[MachCode]"):
            in_code = True
            continue
        if not in_code:
            continue
        if line.startswith("[/MachCode]") or line.startswith("[Stub Code]") or line.startswith("Compiled method"):
            break
        match = HEX_LINE.match(line)
        if not match:
            continue  # comments
        # Groups of hex bytes separated by '|', up to the first other token: the annotation lines
        # (`0x...: ;   {runtime_call ...}`) give none, and a line that other output broke into ends early.
        groups = []
        for token in match.group(2).split():
            if token == "|":
                continue
            if not HEX_GROUP.match(token):
                break
            groups.append(token)
        if not groups:
            continue
        address = int(match.group(1), 16)
        data = bytes.fromhex("".join(groups))
        if base is None:
            base = address
        offset = address - base
        if offset > len(code):
            code.extend(b"\x90" * (offset - len(code)))
        code[offset:offset + len(data)] = data
    if base is None:
        raise ValueError("the C2 compile of %s has no [MachCode] bytes" % method)
    return base, bytes(code)


def disassemble(base, code, arch=ARCHES["x86-64"]):
    """objdump's lines `address: bytes  instruction` of the code, as (address, instruction) pairs."""
    with tempfile.NamedTemporaryFile(suffix=".bin") as f:
        f.write(code)
        f.flush()
        out = subprocess.run([arch.objdump, "-D", "-b", "binary", "-m" + arch.machine, "--adjust-vma=%#x" % base,
                              f.name], check=True, capture_output=True, text=True).stdout
    result = []
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) >= 3 and parts[0].strip().endswith(":"):
            result.append((int(parts[0].strip()[:-1], 16), " ".join(p.strip() for p in parts[2:])))
    return result


# Instructions after the last FMA searched for the loop's backward branch: C2 may put the index arithmetic of the
# next iteration there (12 instructions in a variant of rows6Packed counted by p on Java 17).
LOOP_TAIL = 48


def fma_loop(instructions, arch=ARCHES["x86-64"]):
    """The k loop of a micro-kernel: from the target of the first backward branch after the last FMA (within
    LOOP_TAIL instructions) to that branch, or only the first FMA to the last when no such branch is found (see
    loop_closed), or [] without FMAs."""
    fmas = [i for i, (_, text) in enumerate(instructions) if arch.fma.match(text)]
    if not fmas:
        return []
    addresses = [address for address, _ in instructions]
    for j in range(fmas[-1] + 1, min(len(instructions), fmas[-1] + 1 + LOOP_TAIL)):
        target = arch.branch_target.match(instructions[j][1])
        start = int(target.group(1), 16) if target else None
        if start is not None and start <= addresses[fmas[0]] and start in addresses:
            return instructions[addresses.index(start):j + 1]
    return instructions[fmas[0]:fmas[-1] + 1]


def loop_closed(loop, arch=ARCHES["x86-64"]):
    """Whether fma_loop found the loop's backward branch (else its counts cover the FMAs' span only)."""
    return bool(loop) and arch.branch_target.match(loop[-1][1]) is not None


def summarize(loop, arch=ARCHES["x86-64"]):
    """Counts over the loop: FMAs, vector stack accesses (spills), integer stack reads, conditional branches."""
    on_stack = [text for _, text in loop if arch.stack in text]
    return {
        "fmas": sum(1 for _, text in loop if arch.fma.match(text)),
        "vector_spills": sum(1 for text in on_stack if arch.vector_register.search(text)),
        "integer_stack_reads": sum(1 for text in on_stack if not arch.vector_register.search(text)),
        "conditional_branches": sum(1 for _, text in loop if arch.conditional_branch.match(text)),
        "instructions": len(loop),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("method", help="a VectorMicroKernel method, e.g. rows5Direct")
    parser.add_argument("shape", help="a GemmGflops shape that runs it, e.g. 32x256x1024:NNP")
    parser.add_argument("jvm_options", nargs="*", help="after --: e.g. -XX:UseAVX=2")
    parser.add_argument("--check", action="store_true", help="exit 1 when the loop keeps vectors on the stack")
    parser.add_argument("--jar", default=os.path.join(ROOT, "lstm4j-bench", "target", "benchmarks.jar"))
    parser.add_argument("--arch", choices=sorted(ARCHES), default="x86-64",
                        help="the JVM's instruction set (aarch64: an arm64 JDK, e.g. under QEMU)")
    args = parser.parse_args(argv)
    arch = ARCHES[args.arch]
    java = os.path.join(os.environ["JAVA_HOME"], "bin", "java") if os.environ.get("JAVA_HOME") else "java"
    command = [java, "--add-modules=jdk.incubator.vector"] + launcher_defaults() + args.jvm_options + [
        # -Xbatch: each compile finishes before the code goes on, so a busy machine cannot end the run first.
        # The VM's printing on stderr, apart from GemmGflops' table on stdout (one stream interleaved them).
        "-Xbatch", "-XX:+DisplayVMOutputToStderr", "-XX:+UnlockDiagnosticVMOptions", "-XX:CompileCommand=quiet",
        "-XX:CompileCommand=print,%s::%s" % (KERNEL_CLASS, args.method),
        "-Dgflops.threads=1", "-Dgflops.reps=7", "-cp", args.jar, "org.lstm4j.bench.GemmGflops", args.shape]
    run = subprocess.run(command, capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit("GemmGflops failed (%d): %s" % (run.returncode, run.stderr.strip()[-2000:]))
    try:
        base, code = last_c2_machine_code(run.stderr, args.method)
    except ValueError as e:
        print("c2_loop: %s" % e, file=sys.stderr)
        return 2
    loop = fma_loop(disassemble(base, code, arch), arch)
    counts = summarize(loop, arch)
    version = subprocess.run([java, "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    print("%s::%s, %s, %s" % (KERNEL_CLASS, args.method, version, " ".join(args.jvm_options) or "no options"))
    for address, text in loop:
        print("  %x: %s" % (address, text))
    print(", ".join("%s %d" % (k.replace("_", " "), v) for k, v in counts.items()))
    if args.check and not counts["fmas"]:
        print("no FMA loop in the compiled code", file=sys.stderr)
        return 2
    if not loop_closed(loop, arch):
        print("no backward branch within %d instructions of the last FMA: the counts cover the FMAs' span only"
              % LOOP_TAIL, file=sys.stderr)
        if args.check:
            return 2
    if args.check and counts["vector_spills"]:
        print("vectors kept on the stack inside the loop", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
