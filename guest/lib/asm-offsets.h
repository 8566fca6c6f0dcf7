/* Offsets of the structures that assembly reads; smp.c asserts them. */
#ifndef GUEST_ASM_OFFSETS_H
#define GUEST_ASM_OFFSETS_H

/* struct secondary_boot (smp.h) */
#define SB_SP     0
#define SB_MAIR   8
#define SB_TCR    16
#define SB_TTBR0  24
#define SB_VBAR   32
#define SB_TPIDR  40
#define SB_SCTLR  48

/* struct pt_regs (exceptions.h) */
#define S_X0      0
#define S_SP      (31 * 8)
#define S_PC      (32 * 8)
#define S_PSTATE  (33 * 8)
#define S_ESR     (34 * 8)
#define S_FAR     (35 * 8)
#define S_FRAME   (36 * 8)

/* struct percpu (percpu.h): the kernel SP saved across a run at EL0 */
#define PC_EL0_KSP 0


#define EL0_EXIT_SVC 0xfff

/* struct vcpu (hyp.h): the guest's registers across an exit to EL2 */
#define VCPU_X0      0
#define VCPU_PC      (31 * 8)
#define VCPU_PSTATE  (32 * 8)
#define VCPU_ESR     (33 * 8)
#define VCPU_FAR     (34 * 8)
#define VCPU_HPFAR   (35 * 8)
#define VCPU_HOST_SP (36 * 8)

/* HVC calls into EL2 (x0): the boot stub's (head.S) and the hypervisor's
 * (hyp.S); any other x0 there is the address of a function to call. */
#define HVC_SET_VECTORS 1
#define HYP_CALL_INIT   2
/* Why hyp_guest_enter returned: the vector the guest's exit came by. */
#define VCPU_EXIT_SYNC   0
#define VCPU_EXIT_IRQ    1
#define VCPU_EXIT_FIQ    2
#define VCPU_EXIT_SERROR 3

#define BOOT_STACK_SIZE (16 * 1024)

#endif
