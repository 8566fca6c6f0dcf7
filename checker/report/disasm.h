/* A64 disassembly for the reports (disasm.c, capstone). */
#ifndef CHECKER_DISASM_H
#define CHECKER_DISASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A64 disassembly of one instruction word at pc into buf
 * ("ldr x0, [x1, #8]"); false (and ".inst 0x...") if capstone cannot. */
bool disasm_a64(uint32_t insn, uint64_t pc, char *buf, size_t len);

#endif
