/* A small hypervisor at EL2 for tests entered at EL2 (tests.cfg el = 2):
 * the boot code dropped to EL1 and left the HVC stub of head.S; hyp_init
 * takes EL2 back (HVC_SET_VECTORS), turns its own MMU on (an identity map
 * of RAM, Normal Write-Back: the host's cacheable linear map), and
 * hyp_call runs a function there. s2vm_run loads an EL1 guest image into
 * RAM through that map, runs it with its MMU off under stage 2, and maps
 * each page at stage 2 on its first fault, as KVM does (Linux
 * arch/arm64/kvm/mmu.c user_mem_abort). One CPU at a time runs at EL2. */
#ifndef GUEST_HYP_H
#define GUEST_HYP_H

#include "mmu.h"
#include "asm-offsets.h"

/* Take EL2 back and turn its MMU on; false (nothing done) when the test
 * was not entered at EL2. */
bool hyp_init(void);
/* Run fn(arg) at EL2 with its MMU on; returns what fn returned. */
u64 hyp_call(u64 (*fn)(void *arg), void *arg);

/* What the host does for a page at its first stage-2 fault. */
enum s2_mode {
	S2_CLEAN,	/* DC CVAC the page to the PoC before mapping it */
	S2_NOCLEAN,	/* the bug: map it as the host left it */
	S2_DC,		/* no clean: HCR_EL2.DC makes the guest's MMU-off
			 * accesses Normal Write-Back, coherent with the host */
};

/* The guest's reports (s2guest.h) and the host's view of its run. */
#define S2VM_MAX_CHECKS 8

struct s2vm {
	/* set by the caller (EL1) */
	enum s2_mode mode;
	const void *image;		/* the guest image: file bytes ... */
	u64 image_size, image_mem_size;	/* ... and what it needs in memory */
	u64 ipa_base;			/* where the guest sees its RAM */
	u8 *ram;			/* its RAM in the host (PA = VA) */
	u64 ram_size;
	u64 blob_offset, blob_size;	/* the data blob the host writes */
	u64 *table_pool;		/* zeroed pages for the stage-2 tables */
	unsigned table_pool_pages;
	/* set by s2vm_run (EL2) */
	u64 *s2_root;
	unsigned table_pool_used;
	u64 blob_sum;
	unsigned iabt, dabt;		/* stage-2 faults mapped */
	unsigned hpfar_mismatch;	/* faults whose HPFAR_EL2 page != FAR_EL2's */
	unsigned nr_checks;
	u64 guest_par;			/* its PAR_EL1 after AT S1E1R (S2_CHECK_ATTR) */
	int check[S2VM_MAX_CHECKS];	/* -1 not reported, 0 fail, 1 pass */
	bool done;			/* the guest said it had finished */
	const char *error;		/* why the run stopped early, or NULL */
	u64 error_esr, error_addr;
};

/* Load vm's guest into its RAM and run it to its S2_CALL_DONE; called
 * through hyp_call. Returns 0, or 1 with vm->error set. */
u64 s2vm_run(void *vm);

/* The guest's general registers and exit state (asm-offsets.h VCPU_*). */
struct vcpu {
	u64 x[31];
	u64 pc, pstate;
	u64 esr, far, hpfar;
	u64 host_sp;
};

/* hyp.S: enter the guest at vcpu->pc with its registers; returns at its
 * next exit to EL2 (VCPU_EXIT_*), with them saved back. */
u64 hyp_guest_enter(struct vcpu *vcpu);
u64 hyp_hvc(u64 x0, u64 x1, u64 x2, u64 x3, u64 x4, u64 x5);
extern const char hyp_host_vectors[];

#endif
