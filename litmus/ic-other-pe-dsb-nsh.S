// Rule: a broadcast IC invalidation is complete for the other PEs only
// after a DSB of the Inner Shareable domain (or wider) of the issuing PE:
// DSB NSH waits for nothing outside the issuing PE, so the other PE's
// ISB after it may still leave it running the old code (Arm ARM DDI 0487
// "Memory barriers", Data Synchronization Barrier: it waits for the
// accesses and maintenance of its shareability domain; B2.4 "Concurrent modification and execution of instructions";
// docs/model.md "Another PE's invalidation"). As ic-other-pe-no-isb.S,
// with PE 1's ISB in both forms and the patching PE's last DSB NSH in
// the broken form, ISH in the fixed one.
// smp: 2
// expect broken: missing-barrier may I
// expect fixed: none
// expect cause: missing-barrier missing-barrier: ISB on this PE after the other PE's IC invalidation and
//   DSB ISH, before it executes the ranges
#define LITMUS_NAME "ic-other-pe-dsb-nsh"
	.macro	patch_dsb
#if FIXED
	dsb	ish
#else
	dsb	nsh                     // waits for nothing outside PE 0
#endif
	.endm
	.macro	reader_sync
	isb
	.endm
#include "ic-other-pe.inc"
