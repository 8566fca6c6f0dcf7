/* Cache maintenance by virtual address range, sized from CTR_EL0.
 * Each function completes its maintenance (DSB) before returning.
 * Where each one is called, and why: docs/boot-cache-maintenance.md. */
#ifndef GUEST_CACHE_H
#define GUEST_CACHE_H

#include "types.h"

unsigned dcache_line_size(void);
unsigned icache_line_size(void);

/* DC CVAC: write dirty data back to the PoC; copies stay valid. */
void dcache_clean_poc(u64 start, u64 end);
/* DC IVAC over whole lines; DC CIVAC on a partial line at either edge so
 * bytes outside the range are not discarded. IVAC may act as CIVAC. */
void dcache_inval_poc(u64 start, u64 end);
/* DC CIVAC. */
void dcache_clean_inval_poc(u64 start, u64 end);
/* DC CVAU: to the PoU, where this PE's instruction fetches look. */
void dcache_clean_pou(u64 start, u64 end);
/* IC IVAU. */
void icache_inval_pou(u64 start, u64 end);
/* Make instructions written to [start, end) executable on every PE:
 * DC CVAU (unless CTR_EL0.IDC), DSB ISH, IC IVAU (unless CTR_EL0.DIC),
 * DSB ISH, ISB. Other PEs still need their own ISB. */
void sync_icache(u64 start, u64 end);

#endif
