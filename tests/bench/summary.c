#include "summary.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int
cmp_u64 (const void *a, const void *b)
{
  uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;

  return (x > y) - (x < y);
}

static double
rank (const uint64_t *sorted, size_t n, double p)
{
  size_t r = (size_t) ceil (p / 100.0 * (double) n);

  if (r < 1)
    r = 1;
  return (double) sorted[r - 1] / 1000.0;
}

void
ua_bench_summarize (uint64_t *ns, size_t n, UaBenchSummary *out)
{
  double sum = 0;

  memset (out, 0, sizeof *out);
  out->n = n;
  if (n == 0)
    return;
  qsort (ns, n, sizeof *ns, cmp_u64);
  for (size_t i = 0; i < n; i++)
    sum += (double) ns[i];
  out->min_us = (double) ns[0] / 1000.0;
  out->max_us = (double) ns[n - 1] / 1000.0;
  out->mean_us = sum / (double) n / 1000.0;
  out->p50_us = rank (ns, n, 50);
  out->p90_us = rank (ns, n, 90);
  out->p99_us = rank (ns, n, 99);
  out->p999_us = rank (ns, n, 99.9);
}

uint64_t
ua_bench_now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (uint64_t) ts.tv_sec * 1000000000u + (uint64_t) ts.tv_nsec;
}
