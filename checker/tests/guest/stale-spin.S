// A stale load, then a console line without its newline, then spins
// forever: a run stopped by a signal must still report the finding and
// print the partial line (cli_tests.sh). The store is made with the MMU
// off (Device, to memory) and read back through a cacheable mapping
// with no invalidation in between.
	.section .text.boot
	.globl _start
_start:
	adr	x9, value
	mov	x10, #0x5a
	str	x10, [x9]
	mov	x0, #0xff00		// attr0 Device-nGnRnE, attr1 Normal WB
	msr	mair_el1, x0
	ldr	x0, =(25 | 1 << 8 | 1 << 10 | 3 << 12 | 2 << 32)  // T0SZ 25, WB, ISH, 40-bit PA
	msr	tcr_el1, x0
	adr	x0, l1
	msr	ttbr0_el1, x0
	isb
	ldr	x0, =(0x30d00800 | 1 | 1 << 2 | 1 << 12)	// M, C, I
	msr	sctlr_el1, x0
	isb
	ldr	x11, [x9]		// the stale load
	adr	x1, msg
	mov	x2, #0x09000000
1:	ldrb	w3, [x1], #1
	cbz	w3, 2f
	strb	w3, [x2]
	b	1b
2:	b	2b
msg:	.asciz	"line one\npartial"

	.data
	.balign	4096
l1:	.quad	0x00000000 | 1 << 10 | 1			// Device block
	.quad	0x40000000 | 1 << 10 | 3 << 8 | 1 << 2 | 1	// Normal WB block
	.balign	64
value:	.quad	0
