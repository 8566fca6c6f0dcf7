/* Debian's libfdt.a is built with -fstack-protector-strong; our own code is
 * not. The guard is a constant: this catches overflows, not attackers. */
#include "libc.h"

unsigned long __stack_chk_guard = 0x5f0c8e2a9d1b4c37UL;

void __noreturn __stack_chk_fail(void);
void __stack_chk_fail(void)
{
	printf("stack protector: stack smashed\n");
	abort();
}
