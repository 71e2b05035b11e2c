package org.lstm4j.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.lstm4j.cli.CliRun;
import org.lstm4j.cli.MachineInfo;
import org.lstm4j.kernels.KernelInfo;
import org.lstm4j.workloads.Workloads;

class BenchCommandTest {
    /** A tiny plan: no warm-up beyond the minimum steps, two short repetitions, the quick roof (~0.6 s). */
    private static final String[] TINY = {"--quick", "--warmup", "0", "--repeat", "2", "--rep-time", "0.01"};

    @Test
    void sineJsonHasAllFieldsWithPositiveNumbers() throws Exception {
        CliRun run = CliRun.of(concat(new String[] {"bench", "--workload", "sine", "--json", "--threads", "1"}, TINY));
        assertEquals(0, run.exitCode(), run.err());
        String[] lines = run.out().strip().split("\n");
        assertEquals(1, lines.length, run.out());
        JsonNode json = new ObjectMapper().readTree(lines[0]);
        assertEquals("sine", json.get("workload").asText());
        assertEquals("lstm4j", json.get("impl").asText());
        assertEquals("train", json.get("mode").asText());
        assertEquals(1, json.get("threads").asInt());
        assertEquals(1, json.get("batch").asInt());
        assertEquals(20, json.get("seq").asInt());
        assertTrue(json.get("flops_per_step").asLong() > 0, lines[0]);
        for (String field : new String[] {"steps_per_s", "tokens_per_s", "gflops", "us_per_step"}) {
            JsonNode s = json.get(field);
            double min = s.get("min").asDouble();
            double median = s.get("median").asDouble();
            double max = s.get("max").asDouble();
            assertTrue(min > 0 && min <= median && median <= max, field + ": " + s);
        }
        double steps = json.get("steps_per_s").get("median").asDouble();
        assertEquals(steps * 20, json.get("tokens_per_s").get("median").asDouble(), 1e-6 * steps * 20);
        assertEquals(1e6 / steps, json.get("us_per_step").get("median").asDouble(), 1e-6 * 1e6 / steps);
        assertTrue(json.get("alloc_bytes_per_step").asLong() > 0, lines[0]);
        assertTrue(json.get("alloc_bytes_per_token").asLong() > 0, lines[0]);
        long leastRep = json.get("alloc_bytes_per_step_least_rep").asLong();
        assertTrue(leastRep > 0 && leastRep <= json.get("alloc_bytes_per_step").asLong(), lines[0]);
        // The machine and the roof, measured on the workloads' thread count at the kernels' width.
        assertEquals(MachineInfo.detect().cpuModel(), json.get("cpu_model").asText());
        assertEquals(MachineInfo.detect().java(), json.get("java_version").asText());
        assertEquals(KernelInfo.vectorBits(), json.get("vector_bits").asInt());
        assertEquals(false, json.get("vector_bits_forced").asBoolean());
        assertTrue(json.get("vector_width_source").asText().contains("preferred width"), lines[0]);
        double roof = json.get("fma_roof_gflops").asDouble();
        assertTrue(roof > 0, lines[0]);
        assertEquals(1, json.get("fma_roof_threads").asInt());
        assertTrue(json.get("fma_roof_median_gflops").asDouble() <= roof, lines[0]);
        assertEquals(json.get("gflops").get("median").asDouble() / roof, json.get("roof_fraction").asDouble(), 1e-12);
    }

    @Test
    void noRoofLeavesTheRoofFieldsNull() throws Exception {
        CliRun run = CliRun.of(concat(new String[] {"bench", "--workload", "sine", "--json", "--threads", "1", "--no-roof"}, TINY));
        assertEquals(0, run.exitCode(), run.err());
        JsonNode json = new ObjectMapper().readTree(run.out().strip());
        assertTrue(json.get("fma_roof_gflops").isNull() && json.get("roof_fraction").isNull(), run.out());
        assertEquals(KernelInfo.vectorBits(), json.get("vector_bits").asInt());
    }

    @Test
    void memoryJsonHasPositiveFigures() throws Exception {
        CliRun run = CliRun.of("bench", "--workload", "sine", "--memory", "--json", "--threads", "1",
                "--warmup-steps", "1", "--steps", "3");
        assertEquals(0, run.exitCode(), run.err());
        String[] lines = run.out().strip().split("\n");
        assertEquals(1, lines.length, run.out());
        JsonNode json = new ObjectMapper().readTree(lines[0]);
        assertEquals("sine", json.get("workload").asText());
        assertEquals("lstm4j", json.get("impl").asText());
        assertEquals(1, json.get("threads").asInt());
        JsonNode m = json.get("memory");
        assertEquals(1, m.get("warmup_steps").asInt(), lines[0]);
        assertEquals(3, m.get("steps").asInt(), lines[0]);
        assertTrue(m.get("steps_per_s").asDouble() > 0, lines[0]);
        assertTrue(m.get("cpu_s_per_step").isNumber() && m.get("cpu_s_per_step").asDouble() >= 0, lines[0]);
        assertTrue(m.get("gc_cpu_s_per_step").isNumber() && m.get("gc_cpu_s_per_step").asDouble() >= 0, lines[0]);
        long peak = m.get("peak_rss_bytes").asLong();
        long baseline = m.get("baseline_rss_bytes").asLong();
        assertTrue(baseline > 0 && peak >= baseline, lines[0]);
        assertEquals(peak - baseline, m.get("over_baseline_bytes").asLong(), lines[0]);
        assertTrue(m.get("heap_peak_used_bytes").asLong() > 0, lines[0]);
        assertTrue(m.get("heap_max_bytes").asLong() >= m.get("heap_peak_used_bytes").asLong(), lines[0]);
        assertTrue(m.get("gc_count").asLong() >= 0, lines[0]);
        assertTrue(m.has("heap_live_max_bytes") && m.has("gc") && m.get("jvm_args").isArray(), lines[0]);
    }

    @Test
    void memoryTextLineNamesPeakRss() {
        CliRun run = CliRun.of("bench", "--workload", "sine", "--memory", "--warmup-steps", "0", "--steps", "1");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().startsWith("sine train 1x20") && run.out().contains("peak RSS"), run.out());
    }

    @Test
    void memoryOfAllWorkloadsIsAUsageError() {
        CliRun run = CliRun.of("bench", "--memory");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("--memory measures one workload per process"), run.err());
        CliRun steps = CliRun.of("bench", "--workload", "sine", "--memory", "--steps", "0");
        assertEquals(2, steps.exitCode());
        assertTrue(steps.err().contains("'--steps'"), steps.err());
    }

    @Test
    void tableNamesTheWorkload() {
        CliRun run = CliRun.of(concat(new String[] {"bench", "--workload", "stream"}, TINY));
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("steps/s") && run.out().contains("% roof"), run.out());
        assertTrue(run.out().lines().anyMatch(l -> l.startsWith("stream ") && l.matches(".* <?[0-9.]+% .*")), run.out());
        String machine = run.out().lines().filter(l -> l.startsWith("machine: ")).findFirst().orElseThrow();
        assertTrue(machine.contains(MachineInfo.detect().cpuModel())
                && machine.contains("; Java " + MachineInfo.detect().java() + ";") && machine.contains(KernelInfo.vectorBits()
                + "-bit vectors") && machine.matches(".*FMA roof [0-9.]+ GFLOP/s .*"), machine);
    }

    @Test
    void unknownWorkloadIsAUsageErrorNamingTheValidOnes() {
        CliRun run = CliRun.of("bench", "--workload", "nope");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("'nope'"), run.err());
        assertTrue(run.err().contains(Workloads.names()), run.err());
        assertTrue(run.err().contains("all"), run.err());
    }

    @Test
    void zeroThreadsIsAClearUsageError() {
        CliRun run = CliRun.of("bench", "--workload", "sine", "--threads", "0");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("Invalid value for option '--threads': must be at least 1, was 0"), run.err());
    }

    @Test
    void badRepeatIsAUsageError() {
        CliRun run = CliRun.of("bench", "--workload", "sine", "--repeat", "0");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("'--repeat'"), run.err());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
