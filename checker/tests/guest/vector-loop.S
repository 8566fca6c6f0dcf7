// VBAR_EL1 points at a page of UDF #0: the undefined instruction is
// taken to the vector, which is itself undefined, forever. Expect the
// machine to name the exception loop at once: exit 125.
	.section .text.boot
	.globl _start
_start:
	adr	x0, bad_vectors
	msr	vbar_el1, x0
	isb
	udf	#1

	.balign	2048
bad_vectors:
	.fill	512, 4, 0		// UDF #0 in every entry
