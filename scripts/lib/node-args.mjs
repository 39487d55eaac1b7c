/**
 * Node flags every worker runs with (docker-compose.yml repeats them). A parse job allocates short-lived
 * objects for every record; the young generation's size sets how often they are collected. 16 MiB a
 * semi-space: against the 4 MiB kept before, two workers on 2M lines took 6.80-6.94 s against 7.05-9.07 s
 * (four alternated runs each) and 10.7-10.8 s of CPU against 11.1-13.8 s, with a worker peak of 243-264 MB
 * against 215-231 MB, and 253 MB on 10M lines. 32 MiB was no faster and peaked at 268-294 MB (BENCHMARKS.md).
 */
export const WORKER_NODE_ARGS = ['--max-semi-space-size=16'];
