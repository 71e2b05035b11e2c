/**
 * The fixed benchmark workloads and how they are measured, shared by {@code lstm4j bench} (lstm4j-cli) and
 * the benchmark tools of lstm4j-bench ({@code SwitchAB}, {@code OrtBench}, {@code FmaPeak}): the registry
 * ({@link org.lstm4j.workloads.Workloads}, {@link org.lstm4j.workloads.WorkloadSpec}), the models, data and
 * optimizer of each ({@link org.lstm4j.workloads.WorkloadModels}), the timing loop
 * ({@link org.lstm4j.workloads.TimingLoop}, {@link org.lstm4j.workloads.TimingPlan}), the figures
 * ({@link org.lstm4j.workloads.FlopCount}, {@link org.lstm4j.workloads.BenchResult},
 * {@link org.lstm4j.workloads.AllocationMeter}, {@link org.lstm4j.workloads.MemoryRun}) and the roof they are
 * read against ({@link org.lstm4j.workloads.FmaRoof} at the {@link org.lstm4j.workloads.VectorWidthInUse}).
 * No command-line parsing or printing: that stays with each tool.
 */
package org.lstm4j.workloads;
