/* /init for the Linux workload: the first user-space program of Debian's
 * arm64 kernel on the checker. It proves the kernel reached EL0 (a line on
 * the console) and powers the machine off through reboot(2), which Linux
 * turns into PSCI SYSTEM_OFF. Freestanding: no libc, no FP/SIMD registers
 * (-mgeneral-regs-only), only the two system calls it needs. */

#define SYS_write  64
#define SYS_reboot 142

/* include/uapi/linux/reboot.h */
#define LINUX_REBOOT_MAGIC1       0xfee1deadu
#define LINUX_REBOOT_MAGIC2       672274793u
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321fedcu

static long syscall3(long nr, long a, long b, long c)
{
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	__asm__ volatile("svc #0"
			 : "+r"(x0)
			 : "r"(x8), "r"(x1), "r"(x2)
			 : "memory");
	return x0;
}

static const char msg[] = "coherent-init: hello from EL0, powering off\n";

void _start(void)
{
	/* fd 1 is /dev/console: the kernel opens it for init (init/main.c
	 * console_on_rootfs) when the initramfs provides the node. */
	syscall3(SYS_write, 1, (long)msg, sizeof(msg) - 1);
	syscall3(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
		 LINUX_REBOOT_CMD_POWER_OFF);
	for (;;)
		;
}
