/* The boot sequence of the primary CPU, in C from its first instruction
 * after head.S: boot_primary() at the end of this file is the list of
 * steps of docs/boot-cache-maintenance.md "The boot sequence", one call
 * each; that document explains every cache operation here.
 *
 * Strict variant: nothing but the image is read with the MMU off. We
 * relocate, zero BSS, and map the image and the DTB's pages from a pool
 * inside the image; then turn the MMU on and only then read the device
 * tree, cacheably. The DTB is thus never read with Device accesses, so it
 * need not have been cleaned to the PoC (Linux booting.rst promises that
 * only for the image).
 *
 * The pool serves only the first map and the few pages mapped before RAM
 * (DTB, UART, EFI handover). RAM is mapped a GiB at a time and each GiB
 * goes to the page allocator as soon as it is mapped, so the tables of
 * the next come from there: any amount of RAM, never a full pool. A
 * failure prints from the first C code on (console.h: the early UART). */
#include "setup.h"
#include "alloc.h"
#include "checksum.h"
#include "cache.h"
#include "console.h"
#include "devtree.h"
#include "efi.h"
#include "env.h"
#include "exceptions.h"
#include "libc.h"
#include "mmu.h"
#include "percpu.h"
#include "report.h"
#include "smp.h"
#include "sysreg.h"
#include "timer.h"

#define BOOT_POOL_PAGES 32

extern char _text[], _etext[], _erodata[], _data[], _end[];
extern char boot_stack[], boot_stack_top[];
extern char __bss_start[], __bss_end[], __bootmem_start[], __bootmem_end[];

u64 boot_args[4];
struct image_integrity image_integrity;
extern const u64 image_checksum[2];
extern const u64 pe_image_base;
u64 image_start, image_end;

/* Tables for the first map and the full one: L1, one L2 per GiB of RAM,
 * L3s for the image, the DTB, the UART and unaligned region edges. In the
 * image, so it was cleaned to the PoC by the loader. */
static u8 boot_pool[BOOT_POOL_PAGES * PAGE_SIZE] __section(".bootmem") __aligned(PAGE_SIZE);

#define MAX_ARGS 32
static char cmdline[512];
static char *argv[MAX_ARGS + 1];

/* With the MMU off, stores go straight to memory (Device-nGnRnE): any
 * cached copy of those lines is stale and a dirty one could be written
 * back over them later. Invalidate to the PoC (dcache_inval_poc ends with
 * DSB SY, which completes the invalidation before the MMU is turned on).
 * The DMB SY first orders our Device stores before the DC IVACs, as Linux
 * does in the same situation (arch/arm64/kernel/head.S,
 * preserve_boot_args: "needed before dc ivac with MMU off").
 * [BCM: boot-inval] */
static void inval_mmu_off_writes(u64 start, u64 end)
{
	dmb(sy);
	dcache_inval_poc(start, end);
}

/* Printing works from the first C code (console.h); powering off needs
 * the PSCI conduit from the device tree, so before that exit() can only
 * print its EXIT line and wait (the runner's timeout ends the run). */
void boot_fatal(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct va_format vaf = { fmt, &ap };
	printf("boot: %pV\n", &vaf);
	va_end(ap);
	exit(EXIT_FAIL);
}

/* Tables for the first map, from the pool in the image. */
static void *pool_table(void)
{
	void *t = early_alloc_table();
	if (!t)
		boot_fatal("the boot table pool (%d pages in the image) is exhausted",
			    BOOT_POOL_PAGES);
	return t;
}

/* Tables once RAM is mapped: from the page allocator, zeroed cacheably;
 * the walks are cacheable too (mmu.c), so no maintenance. The pool is
 * the fallback while the page allocator is still empty. */
static void *ram_table(void)
{
	void *t = alloc_page();
	if (!t)
		return pool_table();
	memset(t, 0, PAGE_SIZE);
	return t;
}

static void map_image(struct pgtable *pt)
{
	mmu_map(pt, (u64)_text, (u64)_text, _etext - _text, PROT_TEXT);
	mmu_map(pt, (u64)_etext, (u64)_etext, _erodata - _etext, PROT_RODATA);
	mmu_map(pt, (u64)_erodata, (u64)_erodata, _end - _erodata, PROT_RAM);
}

/* Map [start, end) of RAM around the image, which is already mapped with
 * its own permissions. */
static void map_ram_range(struct pgtable *pt, u64 start, u64 end)
{
	u64 below_end = end < image_start ? end : image_start;
	u64 above_start = start > image_end ? start : image_end;
	if (start < below_end)
		mmu_map(pt, start, start, below_end - start, PROT_RAM);
	if (above_start < end)
		mmu_map(pt, above_start, above_start, end - above_start, PROT_RAM);
}

/* The test's entry point; not in a header, so a test may define it as
 * int main(void) too (C11 5.1.2.2.1). */
int main(int argc, char **argv);

/* Before anything is allocated: under EFI the command line is in RAM
 * that the page allocator will hand out. */
static void save_cmdline(void)
{
	if (!platform.bootargs)
		return;
	size_t n = strnlen(platform.bootargs, sizeof(cmdline));
	if (n == sizeof(cmdline))
		boot_fatal("the command line is longer than %zu bytes", sizeof(cmdline) - 1);
	memcpy(cmdline, platform.bootargs, n);
	cmdline[n] = 0;
}

static void __noreturn run_main(void)
{
	int argc = 1;
	argv[0] = "guest";
	for (char *p = cmdline; *p;) {
		while (*p == ' ')
			*p++ = 0;
		if (!*p)
			break;
		if (argc == MAX_ARGS)
			boot_fatal("more than %d words on the command line", MAX_ARGS - 1);
		argv[argc++] = p;
		while (*p && *p != ' ')
			p++;
	}
	argv[argc] = NULL;
	int status = main(argc, argv);
	exit(status);
}

static bool overlaps(u64 a, u64 b, u64 c, u64 d)
{
	return a < d && c < b;
}

/* Give the page allocator every page of [pos, end) not used by the image
 * (the boot pool is in it), the DTB, the initrd (read after this, by
 * env_init) or a /memreserve/ entry. */
static void free_to_page_allocator(u64 pos, u64 end)
{
	u64 cut[16][2];
	int n = 0;
	cut[n][0] = image_start, cut[n++][1] = image_end;
	cut[n][0] = platform.dtb_start, cut[n++][1] = platform.dtb_end;
	cut[n][0] = ALIGN_DOWN(platform.initrd_start, PAGE_SIZE);
	cut[n++][1] = ALIGN_UP(platform.initrd_end, PAGE_SIZE);
	for (int r = 0; r < platform.nr_rsv; r++)
		cut[n][0] = platform.rsv_start[r], cut[n++][1] = platform.rsv_end[r];
	/* Walk the range, skipping every cut that overlaps it. */
	while (pos < end) {
		u64 next = end, skip_to = end;
		for (int c = 0; c < n; c++) {
			if (!overlaps(pos, end, cut[c][0], cut[c][1]))
				continue;
			u64 cs = cut[c][0] > pos ? cut[c][0] : pos;
			if (cs < next) {
				next = cs;
				skip_to = cut[c][1];
			}
		}
		page_alloc_add(pos, next);
		pos = skip_to > next ? skip_to : next;
	}
}

u64 total_ram(void)
{
	u64 n = 0;
	for (int i = 0; i < platform.nr_mem; i++)
		n += platform.mem[i].end - platform.mem[i].start;
	return n;
}

/* The image as the loader left it, read with the MMU off (Device
 * accesses: only memory is seen), before relocation changes any byte.
 * Matches only if the loader cleaned the image to the PoC, which is
 * exactly what a loader or a hypervisor owes us (booting.rst; KVM cleans
 * each page at its first stage-2 fault). */
static u64 checksum_loaded_image(u64 end_offset)
{
	const u64 *p = (const u64 *)(_text + 0x40), *end = (const u64 *)(_text + end_offset);
	u64 h = FNV64_INIT;
	for (; p < end; p++) {
		/* The PE header's ImageBase counts as its linked value, 0: a PE
		 * loader stores its load address there (edk2 BasePeCoffLib),
		 * the one field it changes in an image without base relocations
		 * (pe_header.S). */
		u64 w = p == &pe_image_base ? 0 : *p;
		h = fnv64_step(h, w);
	}
	return h;
}

/* ---- The steps of boot_primary, in order. Each is called once (and
 * inlined): they name the sequence, they do not hide any of it. ---- */

/* Step 3, MMU off: every store goes to memory. The checksum of step 2 is
 * stored only now, after BSS (where it lives) is zeroed. Returns the range
 * of the relocated words, for step 5. */
static void relocate_and_clear(u64 x[4], const struct image_integrity *ii,
			       u64 *rel_lo, u64 *rel_hi)
{
	/* BSS first: boot_fatal's exit reads the PSCI conduit there (none
	 * yet). Relocations never point into BSS: it holds no initialised
	 * pointers. */
	memset(__bss_start, 0, __bss_end - __bss_start);
	if (!apply_relocations((u64)_text, rel_lo, rel_hi))
		boot_fatal("unsupported relocation in the image");
	image_start = (u64)_text;
	image_end = (u64)_end;
	boot_args[0] = x[0], boot_args[1] = x[1], boot_args[2] = x[2], boot_args[3] = x[3];
	image_integrity = *ii;
}

/* Step 4, MMU off: tables from the pool in .bootmem, whose allocator
 * invalidates what it hands out while the MMU is off
 * (docs/boot-cache-maintenance.md "early-alloc"); the image with its
 * permissions and only the DTB's first page (its size is read with the
 * MMU on). */
static void build_first_map(u64 dtb)
{
	early_alloc_init((u64)boot_pool, (u64)boot_pool + sizeof(boot_pool),
			 inval_mmu_off_writes);
	mmu_tables = (struct pgtable){ pool_table(), pool_table };
	map_image(&mmu_tables);
	mmu_map(&mmu_tables, ALIGN_DOWN(dtb, PAGE_SIZE), ALIGN_DOWN(dtb, PAGE_SIZE),
		PAGE_SIZE, PROT_RAM);
	/* The early console, so printing goes on once the MMU is on. */
	mmu_map(&mmu_tables, EARLY_UART_BASE, EARLY_UART_BASE, PAGE_SIZE, PROT_DEVICE);
}

/* Step 5: everything written so far with the MMU off: relocated words,
 * BSS, the boot stack and the tables (all within .data .. _end, but the
 * relocations are listed on their own in case one lands elsewhere). */
static void inval_written_with_mmu_off(u64 rel_lo, u64 rel_hi)
{
	if (rel_lo < rel_hi)
		inval_mmu_off_writes(rel_lo, rel_hi);
	inval_mmu_off_writes((u64)__bss_start, (u64)__bss_end);
	inval_mmu_off_writes((u64)__bootmem_start, (u64)__bootmem_end);
}

/* After step 6, MMU on: this CPU's per-CPU pointer and vectors, needed
 * before anything can fault or print. */
static void init_cpu0_mmu_on(void)
{
	write_sysreg((u64)&percpu[0], tpidr_el1);
	exceptions_init();
}

/* Step 7a: the rest of the device tree, then parse it. The new entries go
 * into invalid slots of live tables: mmu_map's DSB ISHST makes the stores
 * visible to the table walker, and the ISB makes sure no instruction after
 * it was fetched or speculatively executed against the old, invalid entry
 * (Linux does the same, DSB ISHST then ISB, after writing a valid kernel
 * entry: arch/arm64/include/asm/pgtable.h, set_pte). No TLBI: an entry
 * that was invalid cannot be held in a TLB (Arm ARM "TLB maintenance
 * requirements"; docs/boot-cache-maintenance.md "Design decisions", "No
 * table switch"). */
static void map_devtree(u64 x0)
{
	const void *fdt = (const void *)x0;
	if (!x0 || *(const u32 *)fdt != 0xedfe0dd0)	/* FDT magic, big-endian */
		boot_fatal("no device tree at x0 = 0x%lx", x0);
	mmu_map(&mmu_tables, x0, x0, devtree_size(fdt), PROT_RAM);
	isb();
	int err = devtree_parse(fdt);
	if (err)
		boot_fatal("cannot use the device tree at 0x%lx: %s", x0, devtree_error(err));
	for (int i = 0; i < platform.nr_mem; i++)
		if (platform.mem[i].end > USER_ALIAS_BASE)
			boot_fatal("RAM 0x%lx-0x%lx does not fit the identity map, which "
				    "ends at 0x%lx (the EL0 alias starts there)",
				    platform.mem[i].start, platform.mem[i].end, USER_ALIAS_BASE);
	/* Now the UART the device tree names; the same barriers and reason. */
	if (platform.uart_base)
		mmu_map(&mmu_tables, platform.uart_base, platform.uart_base, PAGE_SIZE,
			PROT_DEVICE);
	isb();
	console_init(platform.uart_base);
}

/* Map [start, start + size) of RAM page by page ahead of the rest (data
 * the boot reads before RAM is mapped); the barriers as in map_devtree. */
static void map_early_data(u64 start, u64 size)
{
	mmu_map(&mmu_tables, start, start, size, PROT_RAM);
	isb();
}

/* EFI entry only (efi.c): x1 = struct efi_handover, in RAM: its command
 * line is the UEFI LoadOptions, not the DTB's /chosen/bootargs, and RAM
 * the firmware keeps is reserved. Mapped by itself, so the reserved
 * ranges are known before any RAM goes to the page allocator. */
static void adopt_efi(const struct efi_handover *h)
{
	map_early_data((u64)h, sizeof(*h));
	if (h->bootargs) {
		/* The string's pages, one at a time until its end. */
		u64 page = ALIGN_DOWN((u64)h->bootargs, PAGE_SIZE);
		for (;; page += PAGE_SIZE) {
			map_early_data(page, PAGE_SIZE);
			const char *s = page > (u64)h->bootargs ? (const char *)page : h->bootargs;
			if (memchr(s, 0, page + PAGE_SIZE - (u64)s))
				break;
		}
	}
	efi_adopt(h);
}

/* Step 7b: RAM, a GiB (one level-2 table) at a time, each given to the
 * page allocator once mapped, and the tables of the next taken from it:
 * the pool needs to hold only those of the first GiB. The same barriers
 * and reason as map_devtree; the ISB also comes before the page
 * allocator's pages are first written (ram_table zeroes them). */
static void map_ram_to_page_allocator(void)
{
	page_alloc_init();
	mmu_tables.alloc = ram_table;
	for (int i = 0; i < platform.nr_mem; i++) {
		u64 pos = platform.mem[i].start, end = platform.mem[i].end;
		while (pos < end) {
			u64 next = ALIGN_DOWN(pos, SZ_1G) + SZ_1G;
			if (next > end || next < pos)
				next = end;
			map_ram_range(&mmu_tables, pos, next);
			isb();
			free_to_page_allocator(pos, next);
			pos = next;
		}
	}
}

/* Step 8: per-CPU data of every CPU of the device tree; CPU 0 runs on the
 * boot stack. */
static void init_percpu(void)
{
	nr_cpus = platform.nr_cpus;
	for (int cpu = 0; cpu < platform.nr_cpus; cpu++) {
		percpu[cpu].cpu = cpu;
		percpu[cpu].mpidr = platform.cpu_mpidr[cpu];
	}
	percpu[0].online = true;
	percpu[0].stack_base = (u64)boot_stack;
	percpu[0].stack_top = (u64)boot_stack_top;
	if (mpidr_to_cpu(read_sysreg(mpidr_el1)) != 0)
		printf("WARNING: boot CPU is not the first CPU in the device tree\n");
}

void __noreturn boot_primary(u64 x0, u64 x1, u64 x2, u64 x3);
void boot_primary(u64 x0, u64 x1, u64 x2, u64 x3)
{
	u64 x[4] = { x0, x1, x2, x3 }, rel_lo, rel_hi;
	u64 covered = image_checksum[1];

	/* ---- MMU off (step 1, head.S, came before) ---- */
	struct image_integrity ii = {		/* 2. checksum */
		image_checksum[0], covered ? checksum_loaded_image(covered) : 0, covered
	};
	relocate_and_clear(x, &ii, &rel_lo, &rel_hi);	/* 3. relocate */
	build_first_map(x0);				/* 4. first map */
	inval_written_with_mmu_off(rel_lo, rel_hi);	/* 5. [BCM: boot-inval] */
	mmu_enable_with(&mmu_tables);			/* 6. [BCM: enable-tlbi] */

	/* ---- MMU on: cacheable from here; no maintenance for our own use ---- */
	init_cpu0_mmu_on();
	map_devtree(x0);				/* 7. map the DT, UART ... */
	if (x2 == EFI_BOOT_MAGIC)
		adopt_efi((const struct efi_handover *)x1);
	save_cmdline();
	map_ram_to_page_allocator();			/*    ... and RAM */
	env_init();			/* the initrd's NAME=value lines (env.h) */
	init_percpu();					/* 8. per-CPU data */
	timer_init();		/* TIMER_*_IRQ, filled at boot as in kvm-unit-tests */
	run_main();
}
