/* The model's copy of the translation tables one PE walks (ptshadow.c):
 * every table reached from its TTBRs as it was at the last
 * synchronisation point, so that allocatability follows the descriptors
 * that changed instead of walking every table again (docs/model.md
 * "Allocatability"). Both the build and the enumeration of old leaves go
 * through the one walker, walk_leaves (arch/walk.h). */
#ifndef MODEL_PTSHADOW_H
#define MODEL_PTSHADOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/walk.h"
#include "model/model.h"

/* Everything a PE's walk depends on besides memory: the trees walked
 * (TTBR0, then TTBR1 of EL1&0) and what a leaf takes from the regime. */
/* With stage 2 on (EL1&0, HCR_EL2.VM or DC) the one tree is stage 2's
 * (VTTBR_EL2) and its leaves take from stage 1 what the PE's accesses
 * combine with (s1: PT_S1_OFF, PT_S1_DC or PT_S1_ON, and SCTLR_EL1.C/I):
 * docs/model.md "Stage 2". */
enum { PT_S1_OFF, PT_S1_DC, PT_S1_ON };
struct pt_key {
	bool use[2];
	struct walk_tree t[2];
	uint8_t regime;
	uint16_t asid;
	uint64_t mair;
	bool s2;
	uint8_t s1;
	uint16_t vmid;          /* VMID + 1 with stage 2 on, else 0 */
	uint64_t sctlr;         /* C and I of SCTLR_EL1 with stage 2 on */
};

struct ptnode;

struct ptshadow {
	struct pt_key key;
	bool built;             /* the tables below match key */
	bool truncated;         /* the last build hit the table guard */
	struct ptnode *root[2];
	struct ptnode **hash;   /* nodes by table page */
	size_t hcap, nnodes;
};

bool pt_key_eq(const struct pt_key *a, const struct pt_key *b);

/* Rebuild from memory for key k: *old gets the leaves of the copy being
 * dropped, *now those of the new one. */
void pt_rebuild(struct cachemodel *cm, struct ptshadow *s,
		const struct pt_key *k, struct leafvec *old,
		struct leafvec *now);
/* Drop the copy; *old (may be NULL) gets its leaves. */
void pt_drop(struct ptshadow *s, struct leafvec *old);
/* Bring the copy up to date after stores to the lines (64-byte line
 * addresses) at lines[0..n): *gone gets the leaves that left it, *added
 * those that entered it. False when the copy grew past the table guard
 * (the caller rebuilds: a walk from the TTBRs drops tables in its own
 * order). */
bool pt_update(struct cachemodel *cm, struct ptshadow *s,
	       const uint64_t *lines, size_t n, struct leafvec *gone,
	       struct leafvec *added);
/* The level of the table of the copy that holds pa, or -1. */
int pt_table_level(const struct ptshadow *s, uint64_t pa);
/* The leaves of the copy, in walk order. */
void pt_leaves(struct ptshadow *s, struct leafvec *out);

void lv_push(struct leafvec *v, const struct leaf *l);

#endif
