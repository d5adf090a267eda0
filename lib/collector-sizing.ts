/**
 * Each collector function's memory and time limit: the one place the stack, the benchmark's breaking-point
 * model and the docs read them from. Lambda gives a function CPU in proportion to its memory (one vCPU at
 * 1,769 MB), so a CPU-bound collector can be cheaper per run with more memory; sizes here are chosen from the
 * benchmark's measurements (docs/PERFORMANCE.md), not guessed.
 */

/** Memory of a collector function without a measured size of its own. */
export const DEFAULT_COLLECTOR_MEMORY_MB = 512;

/** Every collector function's time limit (Lambda's maximum is 900 s). */
export const COLLECTOR_TIMEOUT_SECONDS = 600;

/** Collectors whose measurements chose a size other than the default (docs/PERFORMANCE.md says why). */
export const COLLECTOR_MEMORY_MB: Readonly<Record<string, number>> = {};

/** The memory a collector function is deployed with, in MB. */
export function collectorMemoryMb(collectorId: string): number {
  return COLLECTOR_MEMORY_MB[collectorId] ?? DEFAULT_COLLECTOR_MEMORY_MB;
}

/** The share of one vCPU Lambda gives a function of `memoryMb` (proportional; one vCPU at 1,769 MB). */
export function vcpuShare(memoryMb: number): number {
  return memoryMb / 1769;
}
