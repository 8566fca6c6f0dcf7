// Rule: with HCR_EL2.DC = 1 a guest's stage 1 behaves as off for every
// purpose but reading SCTLR_EL1, with the default attributes Normal
// Write-Back Non-shareable instead of Device (Arm ARM DDI 0487 K.a,
// HCR_EL2.DC; D8.2.11 "The effects of disabling an address translation
// stage"), combined with stage 2's (DC also makes the PE behave as if
// HCR_EL2.VM were 1): a guest with its MMU off then reads what the host
// wrote through its cacheable linear map coherently, without the host
// cleaning it. Broken: VM alone, no clean: the guest's Device load sees
// memory only. Fixed: DC set, no clean.
// el2: yes
// expect broken: stale-load may M
// expect fixed: none
// expect cause: host-not-cleaned stale-load: the host: DC CVAC (or CIVAC)
//   over the ranges, then DSB, after writing them and before mapping them
//   at stage 2 for the guest (or HCR_EL2.DC for a guest running with its
//   MMU off)
#include "harness.h"

/* Stage 2 block: IPA = PA 0x40000000, 1 GiB, MemAttr Normal WB (0xf),
 * S2AP read/write, Inner Shareable, AF. */
#define S2_RAM_BLOCK    (0x40000000 | 1 | S2_NORMAL_ISH)

	.text
/* Entered at EL1: the machine has no EL2. */
	litmus_needs_el2

	.globl	litmus_el2_main
litmus_el2_main:
	el2_host_start
	/* The host writes the guest's page through its cacheable map. */
	adr	x9, value
	mov	x10, #0x1234
	str	x10, [x9]
	/* Map guest RAM at stage 2, then run the guest with stage 1 off. */
	adrp	x0, s2_l1
	ldr	x1, =S2_RAM_BLOCK
	str	x1, [x0, #8]
	s2_tables_on
#if FIXED
	ldr	x0, =(HCR_RW | HCR_VM | HCR_DC)
#else
	ldr	x0, =(HCR_RW | HCR_VM)
#endif
	guest_prepare guest
	isb
	eret

/* The guest (EL1, MMU off): read the page, then HVC back. */
guest:
	ldr	x11, [x9]               // DC: Normal WB; else Device
	hvc	#0

/* The host's end: x11 holds what the guest read. */
host_back:
	mrs	x0, esr_el2
	lsr	x0, x0, #26
	cmp	x0, #0x16               // HVC
	b.ne	host_exc
	cmp	x11, x10
	b.ne	bad
	puts	ok
	litmus_exit 0
bad:	litmus_exit 1
host_exc:
	litmus_exit EXIT_EXCEPTION

	.ltorg
	vector_table el2_vectors, host_back

	.section .rodata
ok:	.asciz	"hcr-dc: read back\n"
noel2:	.asciz	"hcr-dc: needs EL2\n"

	.section .litmus_data, "aw"
	.balign	64
value:	.quad	0

	.section .bss.tables, "aw", %nobits
	.balign	4096
s2_l1:	.skip	4096
