// Google Benchmark entry point for marsscan_bench (all bench/*.cpp).
#include <benchmark/benchmark.h>

BENCHMARK_MAIN();
