/* The hypervisor (hyp.h): EL2's own translation regime, and a guest run
 * with its MMU off under stage 2, each page mapped at its first fault.
 *
 * The host's identity map of RAM at EL2 is Normal Write-Back: it is the
 * live cacheable alias of the guest's RAM that KVM's linear map is. What
 * the host writes through it may sit dirty in a cache, while the guest's
 * MMU-off accesses are Device at stage 1, so Device whatever stage 2
 * says (Arm ARM DDI 0487 K.a, the combining of stage 1 and stage 2
 * memory attributes: the combined type is the more restrictive), and see
 * only memory at the PoC. Hence the host's clean at each fault (S2_CLEAN), as KVM's
 * user_mem_abort does through clean_dcache_guest_page. */
#include "hyp.h"
#include "alloc.h"
#include "cache.h"
#include "checksum.h"
#include "devtree.h"
#include "libc.h"
#include "s2guest.h"
#include "sysreg.h"

/* EL2 stage 1 descriptors: one VA range and no EL0, so AP[1] is RES1 and
 * bit 53 (PXN in the EL1&0 regime) RES0 (Arm ARM DDI 0487 K.a "Stage 1
 * memory access permissions" for a regime with one privilege level;
 * TF-A's xlat tables set AP_ONE_VA_RANGE_RES1 for EL2 and EL3). */
#define EL2_AP1_RES1	(1UL << 6)
#define EL2_XN		(1UL << 54)
#define PROT_EL2_RAM	(PTE_ATTR(MT_NORMAL) | PTE_SH_INNER | PTE_AF | EL2_AP1_RES1)
#define PROT_EL2_DEVICE	(PTE_ATTR(MT_DEVICE_nGnRnE) | PTE_AF | EL2_AP1_RES1 | EL2_XN)

/* SCTLR_EL2 with HCR_EL2.E2H = 0: RES1 bits 4, 5, 11, 16, 18, 22, 23, 28,
 * 29 (as efi_entry.S), MMU, caches and stack alignment check on. */
#define SCTLR_EL2_RES1	0x30c50830UL
#define SCTLR_EL2_ON	(SCTLR_EL2_RES1 | SCTLR_M | SCTLR_C | SCTLR_SA | SCTLR_I)

/* TCR_EL2 and VTCR_EL2 (E2H = 0): 39-bit VA/IPA from level 1 (T0SZ 25,
 * VTCR SL0 = 1), 4 KiB granule, walks Inner Shareable Inner/Outer
 * Write-Back Write-Allocate, so a table the host wrote cacheably needs
 * only a DSB before a walk may read it (Arm ARM DDI 0487 K.a D8.2.8
 * "Ordering of memory accesses from translation table walks"). Bits 31
 * and 23 of TCR_EL2, and bit 31 of VTCR_EL2, are RES1. */
#define XTCR_WALK	(TCR_T0SZ(25) | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | TCR_SH0_INNER | TCR_TG0_4K)
#define TCR_EL2_VALUE(ps)  (XTCR_WALK | (1UL << 31) | (1UL << 23) | ((u64)(ps) << 16))
#define VTCR_EL2_VALUE(ps) (XTCR_WALK | (1UL << 31) | (1UL << 6) | ((u64)(ps) << 16))

#define HCR_VM	(1UL << 0)
#define HCR_DC	(1UL << 12)
#define HCR_RW	(1UL << 31)

/* Stage 2 descriptors (FEAT_S2FWB not used): MemAttr[3:0] at bits 5:2,
 * 0b1111 = Normal Outer and Inner Write-Back; S2AP 0b11 = read/write;
 * XN 0 = executable (Arm ARM DDI 0487 K.a "Stage 2 memory type and
 * Cacheability attributes", "Stage 2 data access permissions"). */
#define S2_MEMATTR_NORMAL_WB	(0xfUL << 2)
#define S2_AP_RW		(3UL << 6)
#define PROT_S2_RAM		(S2_MEMATTR_NORMAL_WB | S2_AP_RW | PTE_SH_INNER | PTE_AF)

#define GUEST_VMID	1UL
#define EL2_STACK_ORDER	2
#define MAX_EXITS	1000

static void *zeroed_page(void)
{
	void *p = alloc_page();
	if (p)
		memset(p, 0, PAGE_SIZE);
	return p;
}

/* PS/IPS for our tables: the PE's PARange, at most 48 bits (52 needs
 * FEAT_LPA's descriptor format). */
static unsigned pa_size(void)
{
	unsigned pa = read_sysreg(id_aa64mmfr0_el1) & 0xf;
	return pa > 5 ? 5 : pa;
}

bool hyp_init(void)
{
	static bool done;
	if (done)	/* the stub is gone: HVC_SET_VECTORS would be a call */
		return true;
	/* ID_AA64PFR0_EL1.EL2: without EL2, HVC is UNDEFINED. */
	if (!((read_sysreg(id_aa64pfr0_el1) >> 8) & 0xf))
		return false;
	if (hyp_hvc(HVC_SET_VECTORS, (u64)hyp_host_vectors, 0, 0, 0, 0) != 0)
		return false;	/* not the boot stub: we were not entered at EL2 */

	struct pgtable pt = { .root = zeroed_page(), .alloc = zeroed_page };
	assert(pt.root);
	for (int i = 0; i < platform.nr_mem; i++)
		mmu_map(&pt, platform.mem[i].start, platform.mem[i].start,
			platform.mem[i].end - platform.mem[i].start, PROT_EL2_RAM);
	if (platform.uart_base)
		mmu_map(&pt, platform.uart_base, platform.uart_base, PAGE_SIZE, PROT_EL2_DEVICE);
	u8 *stack = alloc_pages(EL2_STACK_ORDER);
	assert(stack);
	/* The tables are written cacheably here and walked cacheably at EL2
	 * (TCR_EL2 as TCR_EL1, same PE): a walk sees them after a DSB
	 * (mmu_map's, and this one). Everything else EL2 reads it reads
	 * with its MMU on, through the same attributes as EL1's: this PE's
	 * own accesses in program order. The EL2 MMU-on sequence itself
	 * reads only registers. */
	dsb(ish);
	hyp_hvc(HYP_CALL_INIT, (u64)pt.root, TCR_EL2_VALUE(pa_size()), MAIR_VALUE, SCTLR_EL2_ON,
		(u64)stack + (PAGE_SIZE << EL2_STACK_ORDER));
	done = true;
	return true;
}

u64 hyp_call(u64 (*fn)(void *arg), void *arg)
{
	return hyp_hvc((u64)fn, (u64)arg, 0, 0, 0, 0);
}

/* hyp.S, for an exception EL2 did not expect: say what it was, then
 * power off (PSCI SYSTEM_OFF by SMC, the conduit at EL2). The console's
 * lock may be held at EL1 (we interrupted it): write the UART directly. */
void __noreturn hyp_fatal(u64 esr, u64 elr, u64 far, u64 vector);

static void fatal_puts(const char *s)
{
	volatile u32 *uart = (volatile u32 *)platform.uart_base;
	for (; uart && *s; s++) {
		while (uart[0x18 / 4] & (1u << 5))	/* PL011 FR.TXFF */
			;
		uart[0] = (u8)*s;
	}
}

static void fatal_hex(const char *name, u64 v)
{
	char b[20] = "0x";
	for (int i = 0; i < 16; i++)
		b[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 15];
	b[18] = 0;
	fatal_puts(name);
	fatal_puts(b);
}

void __noreturn hyp_fatal(u64 esr, u64 elr, u64 far, u64 vector)
{
	fatal_puts("\nhyp: unexpected exception at EL2:");
	fatal_hex(" vector ", vector);
	fatal_hex(" esr ", esr);
	fatal_hex(" elr ", elr);
	fatal_hex(" far ", far);
	fatal_puts("\nEXIT: STATUS=1\n");
	register u64 x0 asm("x0") = 0x84000008;	/* PSCI SYSTEM_OFF */
	asm volatile("smc #0" : "+r"(x0) : : "memory");
	for (;;)
		wfi();
}

/* ---- the guest ---- */

_Static_assert(offsetof(struct vcpu, pc) == VCPU_PC, "VCPU_PC");
_Static_assert(offsetof(struct vcpu, pstate) == VCPU_PSTATE, "VCPU_PSTATE");
_Static_assert(offsetof(struct vcpu, esr) == VCPU_ESR, "VCPU_ESR");
_Static_assert(offsetof(struct vcpu, far) == VCPU_FAR, "VCPU_FAR");
_Static_assert(offsetof(struct vcpu, hpfar) == VCPU_HPFAR, "VCPU_HPFAR");
_Static_assert(offsetof(struct vcpu, host_sp) == VCPU_HOST_SP, "VCPU_HOST_SP");

static struct s2vm *table_vm;

/* The stage-2 table allocator: pages the caller zeroed at EL1, the first
 * of them the root. */
static void *s2_table_page(void)
{
	struct s2vm *vm = table_vm;
	if (vm->table_pool_used >= vm->table_pool_pages)
		return NULL;
	return (u8 *)vm->table_pool + vm->table_pool_used++ * PAGE_SIZE;
}

static void fail(struct s2vm *vm, const char *why, u64 esr, u64 addr)
{
	if (!vm->error) {
		vm->error = why;
		vm->error_esr = esr;
		vm->error_addr = addr;
	}
}

/* The host writes the guest's RAM through its cacheable map: the image,
 * zeroes for its BSS and stack, and the data blob. No maintenance here:
 * each page is made fit for the guest when it is mapped. */
static void load(struct s2vm *vm)
{
	memcpy(vm->ram, vm->image, vm->image_size);
	memset(vm->ram + vm->image_size, 0, vm->image_mem_size - vm->image_size);
	u64 *blob = (u64 *)(vm->ram + vm->blob_offset);
	u64 x = 0x452821e638d01377UL, h = FNV64_INIT;
	for (u64 i = 0; i < vm->blob_size / 8; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		blob[i] = x;
		h = fnv64_step(h, x);
	}
	vm->blob_sum = h;
}

/* A stage-2 fault (ESR_EL2 EC 0x20 instruction, 0x24 data abort from a
 * lower EL): map the page HPFAR_EL2 names, after what the mode asks. */
static bool map_on_fault(struct s2vm *vm, struct vcpu *v, bool exec)
{
	u64 fsc = v->esr & 0x3f;
	/* HPFAR_EL2.FIPA, bits 43:4, is IPA[51:12] (Arm ARM DDI 0487 K.a
	 * register HPFAR_EL2; valid for a stage-2 translation fault). */
	u64 ipa = (v->hpfar & 0x00000ffffffffff0UL) << 8;
	if ((fsc & 0x3c) != 0x04) {	/* translation fault, levels 0-3 */
		fail(vm, "a stage-2 fault that is not a translation fault", v->esr, ipa);
		return false;
	}
	if (ipa < vm->ipa_base || ipa >= vm->ipa_base + vm->ram_size) {
		fail(vm, "a stage-2 fault outside the guest's RAM", v->esr, ipa);
		return false;
	}
	/* The guest's MMU is off: its VA is its IPA. */
	if (ALIGN_DOWN(v->far, PAGE_SIZE) != ipa)
		vm->hpfar_mismatch++;
	u64 pa = (u64)vm->ram + (ipa - vm->ipa_base);

	if (vm->mode == S2_CLEAN) {
		/* What the host wrote may still be dirty in its caches; the
		 * guest's MMU-off accesses see only the PoC. DC CVAC to the PoC,
		 * completed by the helper's DSB before the entry that lets the
		 * guest in is written (Arm ARM DDI 0487 K.a "Behavior when stage 1
		 * address translation is disabled"; Linux KVM user_mem_abort ->
		 * clean_dcache_guest_page). Cleaning is enough, invalidating would
		 * not keep the line out: the host's map stays live and may
		 * refill it at any time, but only with what memory now holds.
		 * [BCM: s2-clean] */
		dcache_clean_poc(pa, pa + PAGE_SIZE);
	}
	if (exec) {
		/* The guest executes from this page: no instruction line of its
		 * old contents may be used. Under HCR_EL2.DC the fetches are
		 * cacheable and look at the PoU, so the host's writes must
		 * reach it first (DC CVAU: sync_icache); otherwise the page was
		 * cleaned to the PoC above (or, in the bug, not) and only the
		 * I-cache needs it: IC IVAU, DSB ISH (Arm ARM DDI 0487 K.a B2.4.4
		 * "Concurrent modification and execution of instructions";
		 * KVM user_mem_abort -> invalidate_icache_guest_page on an
		 * execution fault). [BCM: s2-icache] */
		if (vm->mode == S2_DC)
			sync_icache(pa, pa + PAGE_SIZE);
		else
			icache_inval_pou(pa, pa + PAGE_SIZE);
	}
	/* An invalid entry becomes valid: no TLB can hold the translation
	 * fault it replaces (Arm ARM DDI 0487 K.a D8.13 "TLB maintenance
	 * requirements": entries that fault are never cached), so no TLBI,
	 * only mmu_map's DSB ISHST for the walker to see the entry (and the
	 * tables it links, zeroed before), and the ERET's context
	 * synchronization. KVM's stage2_map_walker_try_leaf does the same
	 * for an invalid entry. [BCM: s2-map] */
	mmu_map(&(struct pgtable){ .root = vm->s2_root, .alloc = s2_table_page },
		ipa, pa, PAGE_SIZE, PROT_S2_RAM);
	if (exec)
		vm->iabt++;
	else
		vm->dabt++;
	return true;
}

static bool hvc_call(struct s2vm *vm, struct vcpu *v)
{
	switch (v->x[0]) {
	case S2_CALL_REPORT:
		if (v->x[1] >= S2VM_MAX_CHECKS) {
			fail(vm, "a report of an unknown check", v->esr, v->x[1]);
			return false;
		}
		if (v->x[1] == S2_CHECK_ATTR) {
			/* MMU off: Device-nGnRnE (0x00); under HCR_EL2.DC Normal
			 * Inner/Outer Write-Back (0xff: read/write-allocate) (Arm
			 * ARM DDI 0487 K.a "Behavior when stage 1 address
			 * translation is disabled"). PAR_EL1.F (bit 0) is 0. */
			vm->guest_par = v->x[2];
			u64 want = vm->mode == S2_DC ? 0xff : 0x00;
			vm->check[S2_CHECK_ATTR] = !(v->x[2] & 1) && v->x[2] >> 56 == want;
		} else {
			vm->check[v->x[1]] = v->x[2] == 1;
		}
		if (v->x[1] + 1 > vm->nr_checks)
			vm->nr_checks = v->x[1] + 1;
		return true;
	case S2_CALL_DONE:
		vm->done = true;
		return false;
	}
	fail(vm, "an unknown HVC from the guest", v->esr, v->x[0]);
	return false;
}

static void run(struct s2vm *vm, struct vcpu *v)
{
	for (int n = 0; n < MAX_EXITS; n++) {
		u64 why = hyp_guest_enter(v);
		if (why != VCPU_EXIT_SYNC) {
			fail(vm, "an interrupt or SError exit from the guest", why, v->pc);
			return;
		}
		bool go_on;
		switch (v->esr >> ESR_EC_SHIFT) {
		case ESR_EC_IABT_LOW:
			go_on = map_on_fault(vm, v, true);
			break;
		case ESR_EC_DABT_LOW:
			go_on = map_on_fault(vm, v, false);
			break;
		case ESR_EC_HVC64:	/* ELR_EL2 is already past the HVC */
			go_on = hvc_call(vm, v);
			break;
		default:
			fail(vm, "an unexpected exit from the guest", v->esr, v->pc);
			return;
		}
		if (!go_on)
			return;
	}
	fail(vm, "too many exits from the guest", 0, v->pc);
}

/* The EL1 registers the guest owns while it runs; the host's are saved
 * around it (the guest sets its own SP_EL1; a guest exception would use
 * VBAR_EL1 and ELR/SPSR_EL1). */
struct el1_regs {
	u64 sctlr, vbar, sp, elr, spsr;
};

u64 s2vm_run(void *arg)
{
	struct s2vm *vm = arg;
	struct el1_regs host = {
		read_sysreg(sctlr_el1), read_sysreg(vbar_el1), read_sysreg(sp_el1),
		read_sysreg(elr_el1), read_sysreg(spsr_el1),
	};
	for (int i = 0; i < S2VM_MAX_CHECKS; i++)
		vm->check[i] = -1;
	assert(vm->image_size <= vm->image_mem_size && vm->image_mem_size <= vm->blob_offset &&
	       vm->blob_offset + vm->blob_size <= vm->ram_size && vm->table_pool_pages >= 1);
	assert(!(vm->ipa_base % PAGE_SIZE) && !((u64)vm->ram % PAGE_SIZE));
	load(vm);

	/* Stage 2, empty at first. */
	table_vm = vm;
	vm->table_pool_used = 0;
	vm->s2_root = s2_table_page();
	write_sysreg(VTCR_EL2_VALUE(pa_size()), vtcr_el2);
	write_sysreg((u64)vm->s2_root | GUEST_VMID << 48, vttbr_el2);
	isb();
	/* Entries for this VMID from before (an earlier guest with other
	 * tables, or the TLB's UNKNOWN state at reset) must not translate
	 * this guest's IPAs: invalidate its stage 1 and stage 2 entries
	 * (VTTBR_EL2's VMID) on every PE that may run it, DSB ISH to
	 * complete, before its first access (Arm ARM DDI 0487 K.a D8.13 "TLB
	 * maintenance requirements"; KVM's VMID allocator invalidates them
	 * all before it hands a VMID out again). [BCM: s2-vmid-tlbi] */
	asm volatile("tlbi vmalls12e1is" ::: "memory");
	dsb(ish);
	write_sysreg(HCR_RW | HCR_VM | (vm->mode == S2_DC ? HCR_DC : 0), hcr_el2);
	write_sysreg(SCTLR_EL1_MMU_OFF, sctlr_el1);
	write_sysreg(0, vbar_el1);	/* IPA 0 is not its RAM: an exception shows */
	isb();

	struct vcpu v = {
		.pc = vm->ipa_base,
		.pstate = 0x3c5,	/* EL1h, D A I F masked */
	};
	v.x[0] = vm->ipa_base + vm->blob_offset;
	v.x[1] = vm->blob_size;
	v.x[2] = vm->blob_sum;
	v.x[3] = vm->ipa_base;
	run(vm, &v);
	if (!vm->done)
		fail(vm, "the guest did not finish", v.esr, v.pc);

	/* Back to the host's EL1: no stage 2, VMID 0, its own registers. */
	write_sysreg(HCR_RW, hcr_el2);
	write_sysreg(0, vttbr_el2);
	write_sysreg(host.sctlr, sctlr_el1);
	write_sysreg(host.vbar, vbar_el1);
	write_sysreg(host.sp, sp_el1);
	write_sysreg(host.elr, elr_el1);
	write_sysreg(host.spsr, spsr_el1);
	isb();
	return vm->error != NULL;
}
