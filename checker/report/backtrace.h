/* Backtraces of findings and of the events they rest on (backtrace.c):
 * frame-pointer unwinding of the guest's x29 chain when the event
 * happens, symbolised the way the sanitizers print theirs. */
#ifndef CHECKER_BACKTRACE_H
#define CHECKER_BACKTRACE_H

#include <stdint.h>
#include <stdio.h>

struct machine;
struct cpu;

#define BT_DEPTH 8	/* frames kept, the event's own pc included */

/* pc[0] is the event's pc; pc[k], k > 0, the call instruction of the
 * k-th caller (return address - 4: a call is one A64 instruction). n is
 * 0 when no PE did the event (the boot contract's state). */
struct backtrace {
	uint8_t n;
	uint64_t pc[BT_DEPTH];
};

/* Unwind PE c, stopped at pc, through its frame records (AAPCS64: x29
 * points at {caller's x29, return address}) as they are in RAM now,
 * without a model access or a translation. Stops at depth BT_DEPTH, a
 * null or misaligned frame pointer, a record outside RAM, a chain that
 * does not climb the stack (a loop) or a null return address: code
 * without frame records gives the one frame pc. */
void backtrace_capture(struct machine *m, const struct cpu *c, uint64_t pc,
		       struct backtrace *bt);

/* The frame records an unwind read (report/btcache.c): read k was of
 * the 16 bytes at va[k], which guest_peek() found at pa[k]
 * (guest_peek_pa), successfully iff bit k of ok is set. Its frames are a
 * function of pc, x29, those translations and those bytes alone. */
struct bt_reads {
	uint8_t n, ok;
	uint64_t va[BT_DEPTH - 1], pa[BT_DEPTH - 1];
};
/* backtrace_capture(), noting in rd (when not NULL) what it read. */
void backtrace_unwind(struct machine *m, const struct cpu *c, uint64_t pc,
		      struct backtrace *bt, struct bt_reads *rd);

/* One frame: "#0 0x40081810 f+0x10 a.c:20" (symbol and line when the
 * ELF has them). */
void backtrace_frame_text(struct machine *m, const struct backtrace *bt,
			  unsigned k, char *buf, size_t len);
/* Every frame, one per line, each after indent. */
void backtrace_text(struct machine *m, const struct backtrace *bt,
		    const char *indent, FILE *out);
/* [{"pc": "0x...", "symbol": ..., "offset": ..., "file": ..., "line":
 * ...}, ...] */
void backtrace_json(struct machine *m, FILE *o, const struct backtrace *bt);

#endif
