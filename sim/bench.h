/* bench.h: `clustersim bench` (implemented in bench.c). */
#ifndef CS_BENCH_H
#define CS_BENCH_H

/* Runs the benchmark command. argv[0] is "bench", followed by its options
 * ([--scale X] [--steps N] [--threads N]); returns the process exit status (0, 1 or 2). */
int cs_bench_main(int argc, char **argv);

#endif
