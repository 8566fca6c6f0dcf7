// The stale load of stale-spin.S and stale-chatter.S. STALE_SETUP stores
// with the MMU off (Device, to memory) and then turns the MMU on with the
// same line cacheable, without invalidating it: the load that follows
// (ldr x11, [x9], written by each program where its symbol needs it) may
// return a stale cached copy. STALE_DATA holds the tables and the line.
#define STALE_SETUP							\
	adr	x9, value;						\
	mov	x10, #0x5a;						\
	str	x10, [x9];						\
	mov	x0, #0xff00;		/* attr0 Device-nGnRnE, attr1 Normal WB */ \
	msr	mair_el1, x0;						\
	ldr	x0, =(25 | 1 << 8 | 1 << 10 | 3 << 12 | 2 << 32); /* T0SZ 25, WB, ISH, 40-bit PA */ \
	msr	tcr_el1, x0;						\
	adr	x0, l1;							\
	msr	ttbr0_el1, x0;						\
	isb;								\
	ldr	x0, =(0x30d00800 | 1 | 1 << 2 | 1 << 12); /* M, C, I */	\
	msr	sctlr_el1, x0;						\
	isb

#define STALE_DATA							\
	.data;								\
	.balign	4096;							\
l1:	.quad	0x00000000 | 1 << 10 | 1;		/* Device block */ \
	.quad	0x40000000 | 1 << 10 | 3 << 8 | 1 << 2 | 1; /* Normal WB block */ \
	.balign	64;							\
value:	.quad	0
