/**
 * Node flags every worker runs with (docker-compose.yml repeats them). A parse job allocates short-lived
 * objects for every record: a 4 MiB young generation (V8's default is 16 MiB a semi-space here) collects
 * them sooner. With 2 workers on 2M lines the worker peak was 241-259 MB with it and 281-307 MB without,
 * at the same speed (three alternated runs each; BENCHMARKS.md).
 */
export const WORKER_NODE_ARGS = ['--max-semi-space-size=4'];
