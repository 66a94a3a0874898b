/* Latency samples and what the benchmarks report about them. */
#pragma once

#include <stddef.h>
#include <stdint.h>

typedef struct {
  size_t n;
  double min_us, p50_us, p90_us, p99_us, p999_us, max_us, mean_us;
} UaBenchSummary;

/* Sorts @ns (nanoseconds) in place.  Percentiles are nearest-rank: the
 * p-th percentile is the smallest sample that at least p % of samples do
 * not exceed, so p50 of 1000 runs is the 500th fastest and p99 the 990th. */
void ua_bench_summarize (uint64_t *ns, size_t n, UaBenchSummary *out);

/* Monotonic time in nanoseconds. */
uint64_t ua_bench_now_ns (void);
