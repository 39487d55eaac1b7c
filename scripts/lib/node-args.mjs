/**
 * Node flags every worker runs with (docker-compose.yml repeats them). A parse job allocates row arrays
 * fast and briefly: a 4 MiB young generation (V8's default is 16 MiB a semi-space here) collects them
 * sooner and kept a worker's peak at 280 MB instead of 302 MB on a 10M-line upload, at the same speed
 * (BENCHMARKS.md).
 */
export const WORKER_NODE_ARGS = ['--max-semi-space-size=4'];
