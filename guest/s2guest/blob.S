/* The stage-2 test's guest image, embedded in the stage2 test image. */
	.section .rodata
	.p2align 4
	.globl	s2guest_image, s2guest_image_end
s2guest_image:
	.incbin	S2GUEST_BIN
s2guest_image_end:
