/* Device tree reading with Debian's libfdt (libfdt-dev:arm64, linked into
 * the image). Runs only with the MMU on: libfdt is built without
 * -mstrict-align and may use SIMD, both wrong on Device memory. */
#include <libfdt.h>
#include "devtree.h"
#include "libc.h"

struct platform platform;

/* What the last devtree_parse failure was, beyond libfdt's error code. */
static const char *why;

const char *devtree_error(int err)
{
	return why ? why : fdt_strerror(err);
}

u64 devtree_size(const void *fdt)
{
	return fdt_totalsize(fdt);
}

static u64 read_cells(const fdt32_t *p, int n)
{
	u64 v = 0;
	while (n--)
		v = (v << 32) | fdt32_to_cpu(*p++);
	return v;
}

static int parse_memory(const void *fdt, int ac, int sc)
{
	int node;
	fdt_for_each_subnode(node, fdt, 0) {
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);
		if (!type || strcmp(type, "memory"))
			continue;
		int len;
		const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
		if (!reg)
			continue;
		int step = ac + sc;
		for (int i = 0; i + step <= len / 4; i += step) {
			if (platform.nr_mem == MAX_MEM_REGIONS) {
				printf("WARNING: more than %d memory regions in the device "
				       "tree; using the first %d\n", MAX_MEM_REGIONS,
				       MAX_MEM_REGIONS);
				break;
			}
			u64 base = read_cells(reg + i, ac), size = read_cells(reg + i + ac, sc);
			if (!size)
				continue;
			platform.mem[platform.nr_mem++] = (struct mem_region){ base, base + size };
		}
	}
	why = platform.nr_mem ? NULL : "no memory node (device_type \"memory\") with a reg";
	return platform.nr_mem ? 0 : -FDT_ERR_NOTFOUND;
}

static int parse_cpus(const void *fdt)
{
	int cpus = fdt_path_offset(fdt, "/cpus");
	why = "no /cpus node";
	if (cpus < 0)
		return cpus;
	int ac = fdt_address_cells(fdt, cpus);
	int node;
	fdt_for_each_subnode(node, fdt, cpus) {
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);
		if (!type || strcmp(type, "cpu"))
			continue;
		const fdt32_t *reg = fdt_getprop(fdt, node, "reg", NULL);
		if (!reg)
			continue;
		if (platform.nr_cpus == NR_CPUS) {
			printf("WARNING: more than %d CPUs in the device tree (NR_CPUS); "
			       "using the first %d\n", NR_CPUS, NR_CPUS);
			break;
		}
		platform.cpu_mpidr[platform.nr_cpus++] = read_cells(reg, ac);
	}
	why = platform.nr_cpus ? NULL : "no cpu node (device_type \"cpu\") with a reg under /cpus";
	return platform.nr_cpus ? 0 : -FDT_ERR_NOTFOUND;
}

static void parse_psci(const void *fdt)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci-0.2");
	if (node < 0)
		node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci");
	const char *method = node < 0 ? NULL : fdt_getprop(fdt, node, "method", NULL);
	platform.conduit = !method ? PSCI_NONE :
			   !strcmp(method, "hvc") ? PSCI_HVC :
			   !strcmp(method, "smc") ? PSCI_SMC : PSCI_NONE;
}

/* The console: /chosen/stdout-path if it names a PL011, else the first. */
static void parse_uart(const void *fdt, int ac)
{
	int node = -1;
	int chosen = fdt_path_offset(fdt, "/chosen");
	const char *path = chosen < 0 ? NULL : fdt_getprop(fdt, chosen, "stdout-path", NULL);
	if (path) {
		char buf[128];
		size_t n = strnlen(path, sizeof(buf) - 1);
		const char *colon = memchr(path, ':', n);
		if (colon)
			n = colon - path;
		memcpy(buf, path, n);
		buf[n] = 0;
		node = fdt_path_offset(fdt, buf);
		if (node >= 0 && fdt_node_check_compatible(fdt, node, "arm,pl011"))
			node = -1;
	}
	if (node < 0)
		node = fdt_node_offset_by_compatible(fdt, -1, "arm,pl011");
	const fdt32_t *reg = node < 0 ? NULL : fdt_getprop(fdt, node, "reg", NULL);
	platform.uart_base = reg ? read_cells(reg, ac) : 0;
}

/* A 32- or 64-bit cell (QEMU writes either; Linux
 * Documentation/devicetree/bindings/chosen.txt "linux,initrd-start"). */
static bool chosen_addr(const void *fdt, int chosen, const char *name, u64 *v)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, chosen, name, &len);
	if (!p || (len != 4 && len != 8))
		return false;
	*v = len == 4 ? fdt32_to_cpu(p[0]) : (u64)fdt32_to_cpu(p[0]) << 32 | fdt32_to_cpu(p[1]);
	return true;
}

static int parse_initrd(const void *fdt, int chosen)
{
	u64 start, end;
	if (chosen < 0 || !chosen_addr(fdt, chosen, "linux,initrd-start", &start) ||
	    !chosen_addr(fdt, chosen, "linux,initrd-end", &end))
		return 0;
	why = "/chosen linux,initrd-end is below linux,initrd-start";
	if (end < start)
		return -FDT_ERR_BADVALUE;
	why = NULL;
	platform.initrd_start = start;
	platform.initrd_end = end;
	return 0;
}

int devtree_parse(const void *fdt)
{
	int ret = fdt_check_header(fdt);
	why = NULL;
	if (ret)
		return ret;
	platform.dtb_start = (u64)fdt;
	platform.dtb_end = (u64)fdt + fdt_totalsize(fdt);
	/* PSCI first, so a failure below can still power off. */
	parse_psci(fdt);
	int ac = fdt_address_cells(fdt, 0), sc = fdt_size_cells(fdt, 0);
	why = "#address-cells or #size-cells of / is not 1 or 2";
	if (ac < 1 || ac > 2 || sc < 1 || sc > 2)
		return -FDT_ERR_BADNCELLS;
	why = NULL;
	if ((ret = parse_memory(fdt, ac, sc)) || (ret = parse_cpus(fdt)))
		return ret;
	parse_uart(fdt, ac);
	int chosen = fdt_path_offset(fdt, "/chosen");
	platform.bootargs = chosen < 0 ? NULL : fdt_getprop(fdt, chosen, "bootargs", NULL);
	if ((ret = parse_initrd(fdt, chosen)))
		return ret;
	for (int i = 0; i < fdt_num_mem_rsv(fdt); i++) {
		uint64_t a, s;
		if (!fdt_get_mem_rsv(fdt, i, &a, &s) && s) {
			/* Dropping one would hand reserved memory out. */
			why = "more than 8 /memreserve/ entries";
			if (platform.nr_rsv == (int)ARRAY_SIZE(platform.rsv_start))
				return -FDT_ERR_NOSPACE;
			why = NULL;
			platform.rsv_start[platform.nr_rsv] = a;
			platform.rsv_end[platform.nr_rsv++] = a + s;
		}
	}
	return 0;
}
