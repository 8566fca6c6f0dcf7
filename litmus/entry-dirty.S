// Rule: RAM outside the loaded image that is written and read with the
// MMU off must be invalidated at entry, before the first write, when an
// earlier boot stage may have left dirty lines there: a dirty line
// written back later overwrites the data in memory (docs/model.md "The
// state at entry", firmware; TF-A invalidates its RW memory at entry for
// this reason). Under kvm and reset no line is dirty at entry, so only
// the firmware and booting contracts report it. The line is 64 KiB past
// the image's end.
// contract: all
// expect broken: stale-load may M
// expect fixed: none
// expect cause: boot-dirty stale-load [booting firmware]: DC IVAC over the
//   ranges, then DSB, at entry before the first write with the MMU off
#include "harness.h"

	.text
	.globl	litmus_main
litmus_main:
	ldr	x9, =_end + 0x10000
#if FIXED
	mov	x0, x9
	mov	x1, #8
	dc_range ivac                   // at entry, before the write
	dsb	sy
#endif
	/* Written and read back with the MMU off: memory only. */
	mov	x10, #0x5a5a
	str	x10, [x9]
	dsb	sy
	ldr	x11, [x9]
	cmp	x11, x10
	b.ne	bad
	puts	ok
	litmus_exit 0
bad:	litmus_exit 1

	.section .rodata
ok:	.asciz	"entry-dirty: read back\n"
