/* frontend/: QEMU's command line for `coherent run`. */
#ifndef CHECKER_FRONTEND_QEMU_H
#define CHECKER_FRONTEND_QEMU_H

/* run: `coherent run`'s entry (main.c), given the options after "run". */
typedef int (*qemu_run_fn)(int argc, char **argv);

/* main() of qemu-system-aarch64: QEMU's options (argv[0] is the program)
 * turned into `coherent run` options and run; probes (-machine help,
 * -device ?, -h) answered here. Refused options: one line naming the
 * option, exit 1, as QEMU does for an option it does not know. */
int qemu_main(int argc, char **argv, qemu_run_fn run);

#endif
