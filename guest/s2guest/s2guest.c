/* The guest of the stage-2 test (tests/stage2.c): an EL1 image run under
 * the framework's hypervisor (lib/hyp.c) with its MMU off. Its data
 * accesses are Device-nGnRnE, so they see memory at the PoC and no cache
 * (Arm ARM DDI 0487 K.a "Behavior when stage 1 address translation is
 * disabled"), unless the host set HCR_EL2.DC. It touches no device: each
 * result goes to the host by HVC, which reports it. Linked with
 * guest/payload/entry.S, which calls payload_main(x0..x3, load address). */
#include <stdbool.h>
#include <stdint.h>

#include "checksum.h"
#include "s2guest.h"

#pragma GCC visibility push(hidden)

typedef uint64_t u64;

extern const char _start[], _payload_end[];

static void hvc2(u64 call, u64 a1, u64 a2)
{
	register u64 x0 asm("x0") = call, x1 asm("x1") = a1, x2 asm("x2") = a2;
	asm volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2) : : "memory");
}

static void check(u64 which, bool ok)
{
	hvc2(S2_CALL_REPORT, which, ok);
}

void payload_main(u64 blob, u64 blob_size, u64 blob_sum, u64 load_ipa, u64 base);
void payload_main(u64 blob, u64 blob_size, u64 blob_sum, u64 load_ipa, u64 base)
{
	u64 el, sctlr;
	asm volatile("mrs %0, CurrentEL" : "=r"(el));
	asm volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
	check(S2_CHECK_EL1_MMU_OFF, ((el >> 2) & 3) == 1 && !(sctlr & 1));
	check(S2_CHECK_ENTRY, base == load_ipa && base == (u64)_start);
	u64 self = fnv64_words((const u64 *)_start, (const u64 *)_payload_end);
	check(S2_CHECK_IMAGE, self == *(const u64 *)_payload_end);
	check(S2_CHECK_BLOB,
	      fnv64_words((const u64 *)blob, (const u64 *)(blob + blob_size)) == blob_sum);
	/* What stage 1 makes of the blob's address (PAR_EL1.ATTR, bits
	 * 63:56, is the MAIR encoding; Arm ARM DDI 0487 K.a register
	 * PAR_EL1): the host knows which it should be. */
	u64 par;
	asm volatile("at s1e1r, %1\n\tisb\n\tmrs %0, par_el1" : "=r"(par) : "r"(blob));
	hvc2(S2_CALL_REPORT, S2_CHECK_ATTR, par);
	hvc2(S2_CALL_DONE, 0, 0);
	for (;;)
		asm volatile("wfi");
}
