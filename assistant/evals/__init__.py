"""Developer tools: the eval harness and its metrics, the ALQAC benchmark, the benchmarks, the load test."""
