/**
 * {@code lstm4j bench}: the picocli command ({@link org.lstm4j.cli.bench.BenchCommand}), its table and JSON
 * lines ({@link org.lstm4j.cli.bench.BenchOutput}) and the machine line they are read against
 * ({@link org.lstm4j.cli.bench.BenchMachine}). The workloads, timing loop, measurements and FMA roof are in
 * {@code org.lstm4j.workloads} (module lstm4j-workloads), shared with lstm4j-bench.
 */
package org.lstm4j.cli.bench;
