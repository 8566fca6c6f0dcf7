/* Frame-pointer backtraces (backtrace.h). The frame record layout is the
 * AAPCS64's ("The Frame Pointer", Arm IHI 0055): x29 holds the address
 * of a 16-byte record {previous x29, x30 on entry}, and frames are
 * chained towards higher addresses as the stack grows down. The guest
 * framework is built with -fno-omit-frame-pointer
 * -mno-omit-leaf-frame-pointer (guest/guest.mk), so every C function
 * has one; hand-written assembly without records gives the first frame
 * only. The records are read as RAM holds them (guest_peek): the model
 * sees no access and the TLB no fill, so a backtrace cannot change the
 * run. */
#include <inttypes.h>
#include <string.h>

#include "board/machine.h"
#include "pe/cpu.h"
#include "report/backtrace.h"
#include "report/guestmem.h"
#include "report/reportfmt.h"

void backtrace_unwind(struct machine *m, const struct cpu *c, uint64_t pc,
		      struct backtrace *bt, struct bt_reads *rd)
{
	uint64_t fp, rec[2];

	bt->n = 0;
	if (rd)
		rd->n = rd->ok = 0;
	if (!c)
		return;
	bt->pc[bt->n++] = pc;
	fp = c->x[29];
	while (bt->n < BT_DEPTH) {
		bool ok;

		/* A record is 8-byte aligned at least (the stack pointer is
		 * 16-byte aligned and records sit in the frame); a zero fp
		 * ends the chain (the outermost frame's, or no records). */
		if (!fp || (fp & 7))
			break;
		ok = guest_peek(m, c, fp, rec, sizeof(rec));
		if (rd) {
			rd->va[rd->n] = fp;
			rd->pa[rd->n] = guest_peek_pa(c, fp);
			rd->ok |= (uint8_t)(ok << rd->n);
			rd->n++;
		}
		if (!ok || rec[1] < 4)
			break;
		bt->pc[bt->n++] = rec[1] - 4;
		/* The caller's record is above this one: anything else is a
		 * corrupt or looping chain. */
		if (rec[0] <= fp)
			break;
		fp = rec[0];
	}
}

void backtrace_capture(struct machine *m, const struct cpu *c, uint64_t pc,
		       struct backtrace *bt)
{
	backtrace_unwind(m, c, pc, bt, NULL);
}

void backtrace_frame_text(struct machine *m, const struct backtrace *bt,
			  unsigned k, char *buf, size_t len)
{
	struct sym_info si;
	char where[300];
	int n;

	if (k >= bt->n) {
		buf[0] = 0;
		return;
	}
	n = snprintf(buf, len, "#%u 0x%" PRIx64, k, bt->pc[k]);
	report_where_text(m, bt->pc[k], where, sizeof(where), &si);
	/* where_text gives " file:line sym+off": sanitizers print the
	 * function first, then the place. */
	if (n < 0 || (size_t)n >= len || !where[0])
		return;
	const char *sym = strrchr(where, ' ');

	if (si.name && si.file && sym && sym != where)
		snprintf(buf + n, len - n, "%s%.*s", sym,
			 (int)(sym - where), where);
	else
		snprintf(buf + n, len - n, "%s", where);
}

void backtrace_text(struct machine *m, const struct backtrace *bt,
		    const char *indent, FILE *out)
{
	char f[400];

	for (unsigned k = 0; k < bt->n; k++) {
		backtrace_frame_text(m, bt, k, f, sizeof(f));
		fprintf(out, "%s%s\n", indent, f);
	}
}

void backtrace_json(struct machine *m, FILE *o, const struct backtrace *bt)
{
	fputc('[', o);
	for (unsigned k = 0; k < bt->n; k++) {
		fprintf(o, "%s{\"pc\": \"0x%" PRIx64 "\"", k ? ", " : "",
			bt->pc[k]);
		report_json_where(m, o, bt->pc[k]);
		fputc('}', o);
	}
	fputc(']', o);
}
