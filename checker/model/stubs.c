/* Weak stand-ins for the findings and history engine (findings.h), used
 * until checker/findings.c and history.c are linked in: they print each
 * finding once per (kind, PC) on stderr and count them. */
#include <inttypes.h>
#include <stdio.h>

#include "report/findings.h"
#include "board/machine.h"

static const char *const kind_name[F_KIND_MAX] = {
	"stale-load", "stale-fetch", "stale-walk", "missing-barrier",
	"set-way-not-coherent", "break-before-make",
};
static const char copy_name[] = "UPMI-";

static size_t nfind;
static struct { int kind; uint64_t pc; } seen[256];
static size_t nseen;

__attribute__((weak)) void findings_add(struct machine *m,
					const struct finding *f)
{
	(void)m;
	for (size_t i = 0; i < nseen; i++)
		if (seen[i].kind == (int)f->kind && seen[i].pc == f->pc)
			return;
	if (nseen < sizeof(seen) / sizeof(seen[0])) {
		seen[nseen].kind = f->kind;
		seen[nseen++].pc = f->pc;
	}
	nfind++;
	fprintf(stderr, "coherent: %s (%s) pe%d EL%u pc %#" PRIx64 " va %#"
		PRIx64 " pa %#" PRIx64 " stale copy %c mask %#" PRIx64 "%s%s\n",
		kind_name[f->kind], f->always ? "always" : "may", f->pe, f->el,
		f->pc, f->va, f->pa, copy_name[f->stale_copy], f->stale_mask,
		f->detail ? ": " : "", f->detail ? f->detail : "");
}

__attribute__((weak)) size_t findings_count(const struct machine *m)
{
	(void)m;
	return nfind;
}

__attribute__((weak)) void history_record(struct machine *m,
					  const struct event *e)
{
	(void)m;
	(void)e;
}

__attribute__((weak)) size_t history_for_line(struct machine *m, uint64_t pa,
					      struct event *out, size_t max)
{
	(void)m;
	(void)pa;
	(void)out;
	(void)max;
	return 0;
}
