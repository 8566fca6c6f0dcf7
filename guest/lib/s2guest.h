/* What the stage-2 test's guest (guest/s2guest) and its host (hyp.c,
 * tests/stage2.c) agree on. Entry: x0 = IPA of the data blob, x1 = its
 * size, x2 = its checksum, x3 = the IPA the guest is loaded at; MMU off,
 * EL1h, interrupts masked. The guest reports each check by HVC. */
#ifndef GUEST_S2GUEST_H
#define GUEST_S2GUEST_H

/* HVC #0, x0 = call */
#define S2_CALL_REPORT 0x5320	/* x1 = check, x2 = 1 passed / 0 failed,
				 * for S2_CHECK_ATTR the PAR_EL1 value */
#define S2_CALL_DONE   0x5321	/* no more reports */

/* The checks, in the order the guest makes them. */
#define S2_CHECK_EL1_MMU_OFF 0	/* CurrentEL is 1, SCTLR_EL1.M is 0 */
#define S2_CHECK_ENTRY       1	/* entered at the IPA it was loaded at */
#define S2_CHECK_IMAGE       2	/* its own checksum trailer matches */
#define S2_CHECK_BLOB        3	/* the data blob's checksum matches */
#define S2_CHECK_ATTR        4	/* AT S1E1R of the blob: the host judges the
				 * attributes (Device, or Normal WB under DC) */
#define S2_NR_CHECKS         5

#endif
