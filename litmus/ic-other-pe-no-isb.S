// Rule: after one PE patches code and completes its IC invalidation
// (DC CVAU, DSB ISH, IC IVAU, DSB ISH), another PE that ran the old code
// must execute its own context synchronisation event (ISB, exception
// entry or return) before running the new code: the invalidation removes
// the line from its instruction cache, not the instructions it has
// already fetched (Arm ARM DDI 0487 B2.4 "Concurrent modification and
// execution of instructions" and "Synchronization and coherency issues
// between data and instruction accesses"; docs/model.md "Instruction
// caches"). PE 1 runs the old code, PE 0 patches it, PE 1 runs it again.
// smp: 2
// expect broken: missing-barrier may I
// expect fixed: none
// expect cause: missing-barrier missing-barrier: ISB on this PE after the other PE's IC invalidation and
//   DSB ISH, before it executes the ranges
#define LITMUS_NAME "ic-other-pe-no-isb"
	.macro	patch_dsb
	dsb	ish
	.endm
	.macro	reader_sync
#if FIXED
	isb
#endif
	.endm
#include "ic-other-pe.inc"
