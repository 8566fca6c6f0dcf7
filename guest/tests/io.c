/* ioremap and the MMIO accessors: a range already mapped Device is
 * reused, RAM and empty ranges are refused, and a device the boot did not
 * map (the PL031 RTC of QEMU's virt) is mapped Device-nGnRnE and answers
 * with its PrimeCell ID (ARM DDI 0224 "PrimeCell Real Time Clock (PL031)
 * Technical Reference Manual": RTCPCellID0-3 = 0x0d 0xf0 0x05 0xb1 at
 * 0xff0..0xffc, RTCMR the read/write match register at 0x004). */
#include <libfdt.h>
#include "devtree.h"
#include "io.h"
#include "libc.h"
#include "mmu.h"
#include "report.h"

#define PL031_MR   0x004
#define PL031_CID0 0xff0

static u64 ram_word;

static u64 find_pl031(void)
{
	const void *fdt = (const void *)platform.dtb_start;
	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,pl031");
	const fdt32_t *reg = node < 0 ? NULL : fdt_getprop(fdt, node, "reg", NULL);
	if (!reg)
		return 0;
	/* The virt board's root: #address-cells = 2. */
	return (u64)fdt32_to_cpu(reg[0]) << 32 | fdt32_to_cpu(reg[1]);
}

static bool mapped_device(u64 va)
{
	int level;
	u64 *e = mmu_lookup(&mmu_tables, va, &level);
	return e && (*e & PTE_ATTR(7)) == PTE_ATTR(MT_DEVICE_nGnRnE) && (*e & PTE_PXN) &&
	       (*e & PTE_UXN);
}

int main(int argc, char **argv)
{
	(void)argc, (void)argv;
	report_prefix_push("io");

	void __iomem *uart = ioremap(platform.uart_base, PAGE_SIZE);
	report(uart == (void *)platform.uart_base, "the UART, already mapped Device: reused (%p)", uart);

	report_info("expect a refusal message for RAM next");
	void __iomem *ram = ioremap((u64)&ram_word, sizeof(ram_word));
	report(!ram, "RAM (mapped Normal) is refused");
	report(!ioremap(platform.uart_base, 0), "an empty range is refused");

	u64 rtc_pa = find_pl031();
	if (!rtc_pa) {
		report_skip("no arm,pl031 in the device tree: mapping a new device not tested");
		return report_summary();
	}
	report(!mmu_lookup(&mmu_tables, rtc_pa, NULL), "the RTC at 0x%lx is not mapped at boot", rtc_pa);
	void __iomem *rtc = ioremap(rtc_pa, PAGE_SIZE);
	report(rtc == (void *)rtc_pa && mapped_device(rtc_pa),
	       "ioremap maps it Device-nGnRnE, execute-never (%p)", rtc);
	if (!rtc)
		return report_summary();
	u32 cid = 0;
	for (int i = 0; i < 4; i++)
		cid |= (readl(rtc + PL031_CID0 + 4 * i) & 0xff) << (8 * i);
	report(cid == 0xb105f00d, "readl: its PrimeCell ID is 0xb105f00d (0x%x)", cid);
	report(readl_relaxed(rtc + PL031_CID0 + 4) == 0xf0, "readl_relaxed reads the same");
	u32 mr = readl(rtc + PL031_MR);
	writel(0x12345678, rtc + PL031_MR);
	u32 back = readl(rtc + PL031_MR);
	writel_relaxed(0x9abcdef0, rtc + PL031_MR);
	u32 back2 = readl_relaxed(rtc + PL031_MR);
	writel(mr, rtc + PL031_MR);
	report(back == 0x12345678 && back2 == 0x9abcdef0,
	       "writel/writel_relaxed then read back the match register (0x%x, 0x%x)", back, back2);
	report(ioremap(rtc_pa + 0x10, 4) == (void *)(rtc_pa + 0x10),
	       "mapping it again returns the same address");
	return report_summary();
}
