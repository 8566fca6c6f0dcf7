/* Entry of the handed-off image. x0..x3 from handoff(); MMU off. */
	.section .text.entry, "ax"
	.globl	_start
_start:
	b	1f
	.long	0
	.quad	_payload_mem_size	// bytes the image needs in memory
1:	adrp	x5, _payload_stack_top
	add	x5, x5, :lo12:_payload_stack_top
	mov	sp, x5
	mov	x29, xzr
	adr	x4, _start
	bl	payload_main
	b	.
