/* One A64 instruction to text with capstone, for finding reports. The
 * handle is opened once: cs_open is costly compared to one cs_disasm. */
#include <capstone/capstone.h>
#include <stdio.h>

#include "report/disasm.h"

bool disasm_a64(uint32_t insn, uint64_t pc, char *buf, size_t len)
{
	static csh h;
	static int state;       /* 0 not tried, 1 open, -1 unavailable */
	uint8_t b[4] = { insn, insn >> 8, insn >> 16, insn >> 24 };
	cs_insn *ci;
	size_t n = 0;

	if (state == 0)
		state = cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &h) == CS_ERR_OK ? 1 : -1;
	if (state > 0)
		n = cs_disasm(h, b, 4, pc, 1, &ci);
	if (n == 0) {
		snprintf(buf, len, ".inst 0x%08x", insn);
		return false;
	}
	snprintf(buf, len, "%s%s%s", ci->mnemonic, ci->op_str[0] ? " " : "",
		 ci->op_str);
	cs_free(ci, n);
	return true;
}
