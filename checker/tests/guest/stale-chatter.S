// A stale load (as stale-spin.S) at the label weird_name, then prints
// "tick" lines forever: for a run whose stdout is closed (SIGPIPE), and
// for symbol names with control characters (cli_tests.sh renames
// weird_name in a copy of the ELF).
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
	.globl	weird_name
	.type	weird_name, %function
weird_name:
	ldr	x11, [x9]		// the stale load
	mov	x2, #0x09000000
0:	adr	x1, msg
1:	ldrb	w3, [x1], #1
	cbz	w3, 0b
	strb	w3, [x2]
	b	1b
	.size	weird_name, . - weird_name
msg:	.asciz	"tick\n"

	.data
	.balign	4096
l1:	.quad	0x00000000 | 1 << 10 | 1			// Device block
	.quad	0x40000000 | 1 << 10 | 3 << 8 | 1 << 2 | 1	// Normal WB block
	.balign	64
value:	.quad	0
