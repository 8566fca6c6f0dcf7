/* Helpers for the few assembly files. */
#ifndef GUEST_ASM_H
#define GUEST_ASM_H

#define __ASSEMBLY__
#include "sysreg_bits.h"
#include "asm-offsets.h"

#define ENTRY(name) .globl name; .type name, %function; .p2align 2; name:
#define ENDPROC(name) .size name, . - name

/* PC-relative address of a symbol (within +-4 GiB), position independent. */
.macro adr_l, dst, sym
	adrp	\dst, \sym
	add	\dst, \dst, :lo12:\sym
.endm

#endif
