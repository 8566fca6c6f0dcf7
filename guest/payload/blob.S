/* The handoff payload, embedded in the handoff test image. */
	.section .rodata
	.p2align 4
	.globl	payload_image, payload_image_end
payload_image:
	.incbin	PAYLOAD_BIN
payload_image_end:
