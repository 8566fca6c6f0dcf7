/* Concurrent modification and execution (model/cmodx.c, docs/model.md
 * "Concurrent modification"): a possibly stale fetch is a note, not a
 * finding, exactly when every value it may return and the current one are
 * on the Arm ARM's list. Each case patches one word of code that is in
 * the I-cache, cleans it to the PoU and fetches it again without IC IVAU
 * and ISB: the I copy may be stale. Every silent case has a reported twin
 * that differs only in the values written. */
#include "machine_fixture.h"

#include "model/cache.h"
#include "model/model.h"
#include "report/findings.h"

#define CODE  0x40300000ull     /* a code word */
#define TBL   0x40f00000ull     /* level-1 table of the identity map */

#define NOP   0xd503201fu
#define B     0x14000002u       /* b .+8 */
#define BL    0x97ffffffu       /* bl .-4 */
#define MOV   0xd2800020u       /* mov x0, #1 */
#define ADD   0x91000800u       /* add x0, x0, #2 */

/* MMU on over an identity map of the 1 GiB at 0x40000000 (Normal WB,
 * executable), then CODE holds v, synchronised (DC CVAU, DSB, IC IVAU,
 * DSB, ISB) and fetched: its line is in the I-cache. */
static void start(uint32_t v)
{
	fx_model_setup(1, false, (struct cache_opts){ .contract = BOOT_CLEAN });
	fx_idmap_on(TBL);
	fx_isb();
	fx_store(FX_WB, CODE, 4, v);
	fx_sync_code(CODE);
	fx_fetch(FX_WB, CODE);
	assert_int_equal(findings_count(&fx), 0);
}

/* The patch without IC IVAU and ISB, then the fetch. */
static void patch(uint32_t v)
{
	fx_store(FX_WB, CODE, 4, v);
	fx_cmo(CMO_DC_CVAU, CODE, FX_WB);
	fx_dsb();
}

static void run(uint32_t from, uint32_t to)
{
	start(from);
	patch(to);
	fx_fetch(FX_WB, CODE);
}

static void reported(void)
{
	assert_int_equal(findings_count(&fx), 1);
	assert_int_equal(findings_get(&fx, 0)->f.kind, F_STALE_FETCH);
	assert_int_equal(findings_get(&fx, 0)->f.stale_copy, COPY_I);
	assert_int_equal(findings_note_count(&fx), 0);
}

static void noted(uint32_t before)
{
	const struct finding *f;

	assert_int_equal(findings_count(&fx), 0);
	assert_int_equal(findings_note_count(&fx), 1);
	f = &findings_note(&fx, 0)->f;
	assert_int_equal(f->kind, F_STALE_FETCH);
	assert_int_equal(f->pa, CODE);
	assert_int_equal(f->old_insn, before);
}

/* The list and its edges: immediate B and BL, BRK/HVC/SMC/SVC with any
 * immediate, ISB with any option, NOP and no other hint. */
static void the_list(void **state)
{
	static const uint32_t yes[] = {
		NOP, B, BL, 0x17ffffffu /* b .-4 */, 0xd4200000u /* brk #0 */,
		0xd43fffe0u /* brk #0xffff */, 0xd4000001u /* svc #0 */,
		0xd4000022u /* hvc #1 */, 0xd4000003u /* smc #0 */,
		0xd5033fdfu /* isb */, 0xd50330dfu /* isb #0 */,
	};
	static const uint32_t no[] = {
		MOV, ADD, 0, 0xd503203fu /* yield */, 0xd503245fu /* bti c */,
		0xd503233fu /* paciasp */, 0xd61f0200u /* br x16 */,
		0xd63f0200u /* blr x16 */, 0xd65f03c0u /* ret */,
		0x54000040u /* b.eq */, 0xb4000040u /* cbz x0 */,
		0xd4200001u /* brk with bits 4:0 != 0: unallocated */,
		0xd4000000u /* svc with LL = 00: unallocated */,
		0xd5033f9fu /* dsb sy */, 0xd5033fbfu /* dmb sy */,
	};

	(void)state;
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		assert_true(cmodx_listed(yes[i]));
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		assert_false(cmodx_listed(no[i]));
}

/* NOP -> B: a note naming the NOP. MOV -> ADD: a finding. */
static void nop_to_b(void **state)
{
	(void)state;
	run(NOP, B);
	noted(NOP);
	fx_model_teardown(NULL);

	run(MOV, ADD);
	reported();
}

/* Either end off the list is enough to report: NOP -> MOV, MOV -> B. */
static void one_end_off_list(void **state)
{
	(void)state;
	run(NOP, MOV);
	reported();
	fx_model_teardown(NULL);

	run(MOV, B);
	reported();
}

/* Every value since the word was coherent counts: NOP -> BL -> NOP ->
 * B stays a note; NOP -> BL -> MOV -> B does not, the MOV may be
 * fetched. */
static void every_value_counts(void **state)
{
	(void)state;
	start(NOP);
	patch(BL);
	patch(NOP);
	patch(B);
	fx_fetch(FX_WB, CODE);
	noted(NOP);
	fx_model_teardown(NULL);

	start(NOP);
	patch(BL);
	patch(MOV);
	patch(B);
	fx_fetch(FX_WB, CODE);
	reported();
}

/* A word written in halves is not one single-copy atomic write: a fetch
 * may see the new upper half with the old lower one, a value no store
 * wrote. B .+0x48d0 -> (low half) B .+8 -> (high half) HVC #0 passes through
 * listed values only, but the unseen mix 0xd4001234 is not an
 * instruction of the list. The twin writes the HVC with one store. */
#define B_1234 0x14001234u      /* b .+0x48d0 */
#define HVC_0  0xd4000002u

static void halves_are_not_atomic(void **state)
{
	(void)state;
	assert_false(cmodx_listed(0xd4001234u));
	start(B_1234);
	fx_store(FX_WB, CODE, 2, HVC_0 & 0xffff);
	fx_store(FX_WB, CODE + 2, 2, HVC_0 >> 16);
	fx_cmo(CMO_DC_CVAU, CODE, FX_WB);
	fx_dsb();
	fx_fetch(FX_WB, CODE);
	reported();
	fx_model_teardown(NULL);

	run(B_1234, HVC_0);
	noted(B_1234);
}

/* The first value counts only from a point where no copy of the word
 * was stale: a word patched from a stale state has unknown old values.
 * Here MOV is stored and not made coherent, so the stored NOP's own
 * "old" value is not the only one a stale copy may hold. */
static void starts_only_when_coherent(void **state)
{
	(void)state;
	start(MOV);
	fx_store(FX_WB, CODE, 4, ADD);       /* not coherent from here on */
	fx_store(FX_WB, CODE, 4, NOP);       /* old ADD: off the list */
	fx_store(FX_WB, CODE, 4, B);         /* old NOP, but the I copy holds MOV */
	fx_cmo(CMO_DC_CVAU, CODE, FX_WB);
	fx_dsb();
	fx_fetch(FX_WB, CODE);
	reported();
	fx_model_teardown(NULL);

	/* The same once synchronised in between: a note. */
	start(MOV);
	fx_store(FX_WB, CODE, 4, NOP);
	fx_sync_code(CODE);
	fx_fetch(FX_WB, CODE);
	patch(B);
	fx_fetch(FX_WB, CODE);
	noted(NOP);
}

/* A store the model does not see from a PE (a device) ends the record:
 * the value it wrote is unknown to the list check. */
static void device_store_ends_record(void **state)
{
	uint32_t v = B;

	(void)state;
	start(NOP);
	patch(BL);
	assert_int_equal(memsys_access(&fx.mem, NULL, CODE, 4, MK_STORE, FX_WB,
				       &v), MEM_OK);
	fx_fetch(FX_WB, CODE);
	reported();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_list),
		cmocka_unit_test_teardown(nop_to_b, fx_model_teardown),
		cmocka_unit_test_teardown(one_end_off_list, fx_model_teardown),
		cmocka_unit_test_teardown(every_value_counts, fx_model_teardown),
		cmocka_unit_test_teardown(halves_are_not_atomic, fx_model_teardown),
		cmocka_unit_test_teardown(starts_only_when_coherent, fx_model_teardown),
		cmocka_unit_test_teardown(device_store_ends_record, fx_model_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
