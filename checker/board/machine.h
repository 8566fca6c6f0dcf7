/* board/: the machine: PEs, devices, PSCI firmware, loader, device tree.
 *
 * The board: a QEMU "virt"-compatible arm64 machine (RAM, flash, PL011,
 * PL031, fw_cfg, PSCI, generic timer), its PEs and the round-robin
 * scheduler that runs them. */
#ifndef CHECKER_MACHINE_H
#define CHECKER_MACHINE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "board/gic.h"
#include "pe/cpu.h"
#include "pe/mmu.h"          /* PA_BITS */
#include "mem/memsys.h"
#include "board/fwcfg.h"
#include "board/pflash.h"

struct findings;
struct history;
struct cachemodel;
struct cache_opts;

/* QEMU virt memory map (hw/arm/virt.c, "base_memmap"). */
#define VIRT_FLASH_BASE  0x00000000ull   /* two banks of PFLASH_BANK_SIZE */
#define VIRT_RAM_BASE    0x40000000ull
#define VIRT_UART_BASE   0x09000000ull
#define VIRT_UART_SIZE   0x1000ull
#define VIRT_RTC_BASE    0x09010000ull
#define VIRT_RTC_SIZE    0x1000ull
#define VIRT_FWCFG_BASE  0x09020000ull
#define VIRT_FWCFG_SIZE  0x18ull
/* The rest (the GIC's ITS, GPIO, virtio-mmio): not modelled, RAZ/WI (the
 * GIC's own ranges, registered first, take precedence). */
#define VIRT_RAZ_BASE    0x08000000ull
#define VIRT_RAZ_END     0x0a004000ull

#define MAX_PES          64
/* A machine error's text: room for a deadlock naming MAX_PES PEs, each
 * at a place of its own (stuck.c). */
#define MACHINE_ERROR_MAX 24576

/* Exit codes of `coherent run` (besides the guest's own status). */
#define EXIT_FINDINGS    126         /* reserved: cache-model findings */
#define EXIT_MACHINE     125         /* bad image, host-side error, deadlock */
#define EXIT_BUDGET      124         /* instruction budget exhausted */
#define EXIT_BAD_STATUS  123         /* console had a malformed EXIT: line */
#define EXIT_USAGE       64
#define EXIT_SIGNAL      128         /* + the signal that stopped the run */

/* CNTFRQ_EL0 as on QEMU virt: 62.5 MHz. By default a PE retires 1000
 * instructions per microsecond of guest time (--guest-mips), so the
 * counter ticks every 16 instructions of a round. */
#define CNT_FREQ         62500000ull
#define DEFAULT_GUEST_MIPS 1000

enum psci_conduit { PSCI_HVC, PSCI_SMC };

struct machine_config {
	unsigned smp;                /* number of PEs */
	uint64_t ram_mib;
	const char *append;          /* /chosen/bootargs */
	bool el2;                    /* PEs start at EL2 (QEMU virtualization=on) */
	uint64_t max_insns;          /* budget over all PEs */
	bool trace;
	uint64_t quantum;            /* instructions per PE per round */
	/* GIC architecture of the board (QEMU virt's gic-version): 3 or 2;
	 * 0 means 3. It chooses the GIC, the device tree's intc node and
	 * ID_AA64PFR0_EL1.GIC. */
	unsigned gic_version;
	/* --mem-nodes: RAM as this many equal /memory nodes, node i with
	 * numa-node-id i, every PE in node 0 (QEMU virt with as many
	 * -numa node,memdev=... of equal size and no cpus=); 0 or 1: one
	 * node, no ids. */
	unsigned mem_nodes;
	const char *dtb_file;        /* --dtb: this tree instead of ours */
	const char *initrd_file;     /* --initrd */
	uint64_t guest_mips;         /* instructions per guest microsecond
				      * per PE; 0: DEFAULT_GUEST_MIPS */
};

struct machine {
	struct machine_config cfg;
	/* RAM, the devices' MMIO ranges, the model's hooks (mem/memsys.h). */
	struct memsys mem;
	unsigned npe;
	struct cpu *pe;              /* npe entries */
	/* " file.S:12 sym+0x1c" for a guest address into buf (left "" when
	 * unknown), for machine-error messages; set by the front end, which
	 * owns the symbols (report/). */
	void (*describe_pc)(struct machine *m, uint64_t pc, char *buf,
			    size_t len);
	enum psci_conduit conduit;

	/* What the PEs see of the machine (pe/platform.h), c->plat. */
	struct pe_platform plat;
	struct pe_platform_ops plat_ops;
	struct gic *gic;             /* the interrupt controller (gic.h) */
	struct cpu *running;         /* the PE machine_run() is running */

	/* Scheduling and time. */
	uint64_t rounds;             /* completed round-robin rounds */
	uint64_t insns_total;
	uint64_t entry_pc;           /* where PEs start (the image entry) */
	uint64_t dtb_pa;
	uint64_t initrd_pa, initrd_size; /* size 0: no initrd */

	/* Termination. */
	bool halted;
	int exit_code;               /* valid when halted */
	bool budget_quiet;           /* the budget ends a phase, not the run */
	bool have_status;            /* console printed "EXIT: STATUS=n" */
	int status;
	bool bad_status;             /* ... or a malformed EXIT: line */
	char error[MACHINE_ERROR_MAX]; /* machine error, printed when the run ends */

	/* PL011 state. */
	uint32_t uart_cr, uart_lcr, uart_ibrd, uart_fbrd, uart_imsc, uart_ifls;
	char line[256];              /* current console line, for EXIT: */
	size_t line_len;
	bool line_long;              /* line[] holds the tail of a longer line */
	bool line_has_exit;          /* "EXIT:" seen anywhere on this line */
	unsigned exit_match;         /* chars of "EXIT:" matched so far */
	int out_fd;                  /* guest console, stdout */
	/* Console input (stdin in `coherent run`, -1: none): read when the
	 * guest looks at the receive side, at most once per round. */
	int in_fd;
	bool in_eof;                 /* no more input will come */
	uint64_t in_polled;          /* 1 + the round of the last poll */
	uint8_t rx[256];
	unsigned rx_head, rx_len;
	/* PL031: the guest's offset of the clock from RTC_EPOCH + guest time. */
	int64_t rtc_offset;
	uint32_t rtc_lr, rtc_mr, rtc_imsc;

	/* Findings and their event history (findings.c, history.c), made
	 * on first use; findings_free() (report.h) releases them. */
	struct findings *findings;
	struct history *history;

	/* The cache model (checker/model/, docs/model.md): NULL when off
	 * (machine_attach_model). It observes mem. */
	struct cachemodel *model;
	/* What the loader wrote, for the model's boot contract: the image
	 * (Image header image_size from the load address, or the ELF's
	 * PT_LOAD segments with their zero fill) and the DTB. */
#define MAX_IMAGE_SEGS 16
	struct mem_range image_seg[MAX_IMAGE_SEGS];
	unsigned nimage_segs;
	uint64_t dtb_size;
	/* The flash banks (pflash.h): firmware (--bios) and variables. */
	struct pflash flash[2];
	struct fwcfg fwcfg;
};

/* machine.c */
int machine_init(struct machine *m, const struct machine_config *cfg);
/* The RAM fast path was turned off (cache_attach): drop the host
 * pointers the TLBs cached for it. */
void machine_ram_slow(struct machine *m);
void machine_free(struct machine *m);
/* Reset PE c to start at pc with x0 = arg (boot or PSCI CPU_ON). */
void machine_pe_start(struct machine *m, struct cpu *c, uint64_t pc,
		      uint64_t x0);
/* Run until the guest stops; returns the exit code of `coherent run`. */
int machine_run(struct machine *m);
/* Set (to the signal number) by a signal handler: machine_run() stops
 * after the current quantum, flushes the console's partial line and
 * returns EXIT_SIGNAL + the signal. */
extern volatile sig_atomic_t machine_stop_signal;
/* Stop the machine with the given exit code (PSCI SYSTEM_OFF etc.). */
void machine_halt(struct machine *m, int code);
/* Stop it with EXIT_MACHINE; the message (printf-style, one line) is
 * printed as "coherent: machine error: ..." once the console is flushed. */
void machine_error(struct machine *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Guest time in counter ticks as seen by PE c (physical count). */
uint64_t machine_ticks(struct machine *m, struct cpu *c);
/* The first round at whose start the count is at least tick. */
uint64_t machine_round_at_tick(const struct machine *m, uint64_t tick);

/* pe_platform.c: the table behind every PE's c->plat (pe/platform.h). */
void machine_plat_init(struct machine *m);
struct cpu *machine_pe_by_mpidr(struct machine *m, uint64_t mpidr);
/* Host pointer for [pa, pa+len) in RAM, or NULL. */
static inline uint8_t *machine_ram_ptr(struct machine *m, uint64_t pa,
				       uint64_t len)
{
	return memsys_ram_ptr(&m->mem, pa, len);
}
/* Attach the cache model (model/cache.h) after the loader ran (the boot
 * contract needs what it wrote) and before any PE runs: it observes
 * m->mem, and the RAM fast path's host pointers leave the TLBs. -1 when
 * out of host memory or o has no sink. machine_detach_model() undoes it
 * (a no-op without a model). */
int machine_attach_model(struct machine *m, const struct cache_opts *o);
void machine_detach_model(struct machine *m);

/* stuck.c: runs that can make no more progress. */
/* True when no PE can run again: each is off or waiting (WFI, WFE) with
 * no wake-up pending or able to become pending. why gets the PEs' states. */
bool machine_deadlocked(struct machine *m, char *why, size_t len);
/* When every PE waits and only a timer can wake one, advance guest time
 * (m->rounds) to the first round at which one fires, instead of running
 * empty rounds until then. */
void machine_skip_idle(struct machine *m);
/* Called on every exception entry of PE c, taken at pc from (before
 * entry) to vector with class ec: stops the machine with a machine error
 * when the PE keeps taking the same exception on its own vector. */
void machine_exception_taken(struct machine *m, struct cpu *c, unsigned ec,
			     uint64_t esr, uint64_t from, uint64_t vector);

/* pl011.c: MMIO handlers; size 1..8, offset within the 4 KiB page. */
uint64_t pl011_read(struct machine *m, uint64_t off, unsigned size);
void pl011_write(struct machine *m, uint64_t off, unsigned size, uint64_t v);
void pl011_flush(struct machine *m);
/* The exit code for a guest that turned the system off: its EXIT status,
 * 0 without an EXIT line, EXIT_BAD_STATUS if an EXIT: line was malformed
 * (or is still unterminated). */
int pl011_exit_code(struct machine *m);

/* pl031.c: MMIO handlers of the real-time clock. */
uint64_t pl031_read(struct machine *m, uint64_t off, unsigned size);
void pl031_write(struct machine *m, uint64_t off, unsigned size, uint64_t v);

/* psci.c: handle a PSCI call made with HVC/SMC (function id in x0).
 * Returns false when x0 is not a PSCI function id. */
bool psci_call(struct machine *m, struct cpu *c);

/* dtb.c: build the device tree blob for this machine into buf (QEMU
 * virt's nodes for the devices it has, /chosen from cfg and the initrd). */
int dtb_build(struct machine *m, void *buf, size_t size);
/* Patch a given tree (--dtb), already opened into buf of size bytes, as
 * QEMU's loader does: /memory for this RAM, /chosen bootargs and initrd.
 * Returns 0 or a libfdt error (< 0). */
int dtb_patch(struct machine *m, void *buf, size_t size);

/* loader.c: load the image into RAM, place the DTB, set entry_pc and
 * dtb_pa. Returns 0 or -1 with a one-line message in err. */
int loader_load(struct machine *m, const uint8_t *data, size_t len,
		char *err, size_t errlen);
int loader_load_file(struct machine *m, const char *path, char *err,
		     size_t errlen);
/* The guest's device tree in a new buffer (free() it) of *len bytes:
 * ours, or cfg.dtb_file patched; 0 or -1 with a message in err. */
int loader_make_dtb(struct machine *m, uint8_t **buf, size_t *len,
		    char *err, size_t errlen);
/* Firmware boot (QEMU -bios): the file into flash bank 0, entry at its
 * first byte, the DTB at the start of RAM. */
int loader_load_bios(struct machine *m, const char *path, char *err,
		     size_t errlen);

#endif
