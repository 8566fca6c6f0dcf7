/* Stage 2, the host's side of a KVM guest booting with its MMU off: a
 * hypervisor at EL2 (lib/hyp.c) loads a guest image (guest/s2guest) and a
 * data blob into RAM through its own cacheable map, runs the guest at EL1
 * with its MMU off under empty stage-2 tables, and maps each page on its
 * first stage-2 fault. The guest checks its own checksum and the blob's
 * and reports each by HVC. Argument: what the host does at a fault,
 *   clean    DC CVAC the page to the PoC first (correct)
 *   noclean  nothing (the bug: QEMU has no caches and passes it; the
 *            checker reports the guest's stale reads)
 *   dc       nothing, with HCR_EL2.DC set: the guest's MMU-off accesses
 *            are Normal Write-Back, coherent with the host's (correct).
 * Entered at EL2 (tests.cfg el = 2). */
#include <libcflat.h>
#include "hyp.h"
#include "s2guest.h"

extern const char s2guest_image[], s2guest_image_end[];

#define GUEST_IPA	0x80000000UL	/* not where its RAM is in PA: QEMU virt's RAM starts at 1 GiB */
#define GUEST_RAM_ORDER	5		/* 128 KiB */
#define BLOB_OFFSET	(64 * 1024)
#define BLOB_SIZE	(3 * PAGE_SIZE + 512)	/* not a whole number of pages */
#define TABLE_PAGES	4		/* root, one level-2 and one level-3 table, one spare */

static const char *const check_name[S2_NR_CHECKS] = {
	[S2_CHECK_EL1_MMU_OFF] = "guest runs at EL1 with its MMU off",
	[S2_CHECK_ENTRY] = "guest entered at its IPA",
	[S2_CHECK_IMAGE] = "guest's own image checksum matches",
	[S2_CHECK_BLOB] = "guest's data blob checksum matches",
	[S2_CHECK_ATTR] = "guest's stage 1 gives its RAM the expected attributes",
};

int main(int argc, char **argv)
{
	static const char *const modes[] = { [S2_CLEAN] = "clean", [S2_NOCLEAN] = "noclean",
					     [S2_DC] = "dc" };
	int mode = -1;
	for (unsigned i = 0; argc == 2 && i < ARRAY_SIZE(modes); i++)
		if (!strcmp(argv[1], modes[i]))
			mode = i;
	if (mode < 0)
		report_abort("usage: stage2 clean|noclean|dc");
	report_prefix_push("stage2");
	report_prefix_push(modes[mode]);
	if (!hyp_init() || !hyp_init()) {	/* a second call must be harmless */
		report_skip("not entered at EL2 (tests.cfg el = 2)");
		return report_summary();
	}

	static struct s2vm vm;
	vm.mode = mode;
	vm.image = s2guest_image;
	vm.image_size = s2guest_image_end - s2guest_image;
	vm.image_mem_size = *(const u64 *)(s2guest_image + 8);	/* payload entry.S header */
	vm.ipa_base = GUEST_IPA;
	vm.ram = alloc_pages(GUEST_RAM_ORDER);
	vm.ram_size = PAGE_SIZE << GUEST_RAM_ORDER;
	vm.blob_offset = BLOB_OFFSET;
	vm.blob_size = BLOB_SIZE;
	vm.table_pool = alloc_pages(2);
	vm.table_pool_pages = TABLE_PAGES;
	assert(vm.ram && vm.table_pool);
	memset(vm.table_pool, 0, TABLE_PAGES * PAGE_SIZE);
	report_info("guest image of %lu bytes (%lu in memory) at IPA %#lx, RAM at PA %p",
		    vm.image_size, vm.image_mem_size, vm.ipa_base, vm.ram);

	u64 ret = hyp_call(s2vm_run, &vm);
	report(ret == 0 && !vm.error, "hypervisor ran the guest to its end");
	if (vm.error)
		report_info("stopped: %s (ESR_EL2 %#lx, address %#lx)", vm.error, vm.error_esr,
			    vm.error_addr);
	report(vm.nr_checks == S2_NR_CHECKS, "guest reported %u of %u checks", vm.nr_checks,
	       S2_NR_CHECKS);
	for (int i = 0; i < S2_NR_CHECKS; i++)
		report(vm.check[i] == 1, "%s%s", check_name[i],
		       vm.check[i] < 0 ? " (not reported)" : "");
	report_info("guest's PAR_EL1 for its blob: %#lx (ATTR %#lx: %s expected)", vm.guest_par,
		    vm.guest_par >> 56, mode == S2_DC ? "0xff, Normal Write-Back," : "0, Device,");
	report(vm.iabt > 0 && vm.dabt > 0, "pages mapped at stage-2 faults: %u instruction, %u data",
	       vm.iabt, vm.dabt);
	report(vm.hpfar_mismatch == 0, "HPFAR_EL2 names the faulting page (%u mismatches)",
	       vm.hpfar_mismatch);
	report(current_el() == 1 && mmu_enabled(), "host back at EL1 with its MMU on");
	return report_summary();
}
