/* PL031 real-time clock at 0x09010000 (Arm PrimeCell RTC TRM, DDI 0224;
 * registers and IDs as QEMU's hw/rtc/pl031.c). Deterministic: the clock
 * reads RTC_EPOCH plus the guest time since reset, never the host's
 * clock, so a run repeats exactly. The match interrupt is not modelled
 * (there is no interrupt controller): RIS and MIS read 0. */
#include "board/machine.h"

#define RTCDR    0x000
#define RTCMR    0x004
#define RTCLR    0x008
#define RTCCR    0x00c
#define RTCIMSC  0x010
#define RTCRIS   0x014
#define RTCMIS   0x018

/* 2026-01-01 00:00:00 UTC: any fixed instant does. */
#define RTC_EPOCH 1767225600ull

static uint32_t now(struct machine *m)
{
	return (uint32_t)(RTC_EPOCH + machine_ticks(m, NULL) / CNT_FREQ +
			  m->rtc_offset);
}

uint64_t pl031_read(struct machine *m, uint64_t off, unsigned size)
{
	static const uint8_t id[8] = { 0x31, 0x10, 0x14, 0x00,
				       0x0d, 0xf0, 0x05, 0xb1 };

	(void)size;
	switch (off) {
	case RTCDR:   return now(m);
	case RTCMR:   return m->rtc_mr;
	case RTCLR:   return m->rtc_lr;
	case RTCCR:   return 1;          /* always running, as QEMU's */
	case RTCIMSC: return m->rtc_imsc;
	case RTCRIS:  return 0;
	case RTCMIS:  return 0;
	}
	if (off >= 0xfe0 && off < 0x1000 && !(off & 3))
		return id[(off - 0xfe0) / 4];      /* PeriphID, PCellID */
	return 0;
}

void pl031_write(struct machine *m, uint64_t off, unsigned size, uint64_t v)
{
	(void)size;
	switch (off) {
	case RTCLR:
		/* Loading sets the count; it goes on from there. */
		m->rtc_lr = v;
		m->rtc_offset += (int64_t)(uint32_t)v - (int64_t)now(m);
		break;
	case RTCMR:   m->rtc_mr = v; break;
	case RTCIMSC: m->rtc_imsc = v & 1; break;
	default:      break;       /* DR is read-only; CR, ICR: no state */
	}
}
