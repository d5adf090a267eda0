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

/**
 * Collectors sized from measurements (docs/PERFORMANCE.md, "Bucket collectors: CPU per S3 call and memory
 * size"): the cheapest size at which 50,000 buckets in three regions take at most half the time to the soft
 * deadline at 50 ms an S3 call, with the CPU measured and with issue 18's 1.35 ms a call. The three that read
 * one S3 configuration per bucket meet it at 512 MB (a larger size costs more GB-s for the same latency-bound
 * run); public-access, at about 1.6 S3 calls per bucket, is CPU-bound at 512 MB (247 to 375 s) and meets it at
 * 1,024 MB (167 to 187 s), for about $0.0006 more per 50,000-bucket run.
 */
export const COLLECTOR_MEMORY_MB: Readonly<Record<string, number>> = {
  encryption: 512,
  tls: 512,
  resilience: 512,
  'public-access': 1024,
};

/** The memory a collector function is deployed with, in MB. */
export function collectorMemoryMb(collectorId: string): number {
  return COLLECTOR_MEMORY_MB[collectorId] ?? DEFAULT_COLLECTOR_MEMORY_MB;
}

/** The share of one vCPU Lambda gives a function of `memoryMb` (proportional; one vCPU at 1,769 MB). */
export function vcpuShare(memoryMb: number): number {
  return memoryMb / 1769;
}
