/* The findings as text on stderr and as JSON (docs/findings-json.md). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report/history.h"
#include "board/machine.h"
#include "model/cache.h"
#include "report/backtrace.h"
#include "report/disasm.h"
#include "report/findings.h"
#include "report/html.h"
#include "report/report.h"
#include "report/reportfmt.h"
#include "report/rootcause.h"
#include "report/sarif.h"
#include "report/symbols.h"

static const char *const access_names[] = {
	[MK_LOAD] = "load", [MK_STORE] = "store", [MK_FETCH] = "fetch",
	[MK_WALK] = "walk",
};

static const char *cache_policy(unsigned nibble)
{
	switch (nibble >> 2) {
	case 0: return "WT-transient";  /* 0b00xx */
	case 1: return nibble == 4 ? "NC" : "WB-transient";
	case 2: return "WT";
	default: return "WB";
	}
}

/* "Normal WB Inner Shareable (stage 1 on)", "Device-nGnRnE (stage 1 off)" */
void report_attr_text(struct memattr a, char *buf, size_t len)
{
	static const char *const dev[] = { "nGnRnE", "nGnRE", "nGRE", "GRE" };
	static const char *const sh[] = { "Non-shareable", "?", "Outer Shareable",
					  "Inner Shareable" };
	const char *s1 = a.s1 ? "stage 1 on" : "stage 1 off";

	if (memattr_is_device(a)) {
		snprintf(buf, len, "Device-%s (%s)", dev[(a.mair >> 2) & 3], s1);
		return;
	}
	const char *in = cache_policy(a.mair & 0xf), *out = cache_policy(a.mair >> 4);

	if (!strcmp(in, out))
		snprintf(buf, len, "Normal %s %s (%s)", in, sh[a.sh & 3], s1);
	else
		snprintf(buf, len, "Normal Inner %s Outer %s %s (%s)", in, out,
			 sh[a.sh & 3], s1);
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if s does not
 * start one (a stray continuation byte, an overlong form, a surrogate,
 * a code point above U+10FFFF, a sequence cut short). */
static unsigned utf8_len(const unsigned char *s, unsigned *cp)
{
	unsigned n, c = s[0], min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, c &= 0x1f, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, c &= 0x0f, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, c &= 0x07, min = 0x10000;
	else
		return 0;
	for (unsigned i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/* Names from the ELF and its DWARF are arbitrary bytes: on the terminal
 * a control character (C0, DEL, C1) or a byte that is not UTF-8 is shown
 * as \xNN, so it cannot drive the terminal. */
void report_term_str(char *buf, size_t len, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t k = 0;

	while (*s && k + 1 < len) {
		unsigned cp, n = utf8_len(s, &cp);
		bool esc = n == 0 || cp < 0x20 || cp == 0x7f ||
			   (cp >= 0x80 && cp < 0xa0);

		if (!n)
			n = 1;
		for (unsigned i = 0; i < n && k + 1 < len; i++, s++) {
			if (!esc) {
				buf[k++] = (char)*s;
			} else if (k + 5 < len) {
				snprintf(buf + k, 5, "\\x%02x", *s);
				k += 4;
			} else {
				len = k + 1;    /* no room: stop here */
			}
		}
	}
	buf[k] = 0;
}

/* " file.c:12 func+0x1c" (empty without symbols) */
void report_where_text(struct machine *m, uint64_t pc, char *buf,
		       size_t len, struct sym_info *si)
{
	struct symbols *y = findings_symbols(m);
	int k = 0;
	char file[128], call[128], name[160];

	memset(si, 0, sizeof(*si));
	buf[0] = 0;
	if (!y || !symbols_lookup(y, pc - findings_bias(m), si))
		return;
	report_term_str(file, sizeof(file), si->file ? si->file : "");
	report_term_str(call, sizeof(call), si->call_file ? si->call_file : "");
	report_term_str(name, sizeof(name), si->name ? si->name : "");
	if (si->file && si->call_file)
		k = snprintf(buf, len, " %s:%d (inlined at %s:%d)", file,
			     si->line, call, si->call_line);
	else if (si->file)
		k = snprintf(buf, len, " %s:%d", file, si->line);
	if (si->name && k >= 0 && (size_t)k < len)
		snprintf(buf + k, len - k, " %s+0x%" PRIx64, name, si->offset);
}

void report_event_text(struct machine *m, const struct event *e,
		       char *buf, size_t len)
{
	char where[300], attr[80];
	struct sym_info si;
	int k;

	if (e->kind == EV_BOOT || e->pe < 0) {
		/* Not done by a PE: the state the boot contract left. */
		snprintf(buf, len, "#%" PRIu64 " %s", e->seq,
			 e->kind == EV_BOOT ? "boot contract state" :
			 event_kind_name(e->kind));
		return;
	}
	report_where_text(m, e->pc, where, sizeof(where), &si);
	k = snprintf(buf, len, "#%" PRIu64 " PE%d pc 0x%" PRIx64 "%s ", e->seq,
		     e->pe, e->pc, where);
	if (k < 0 || (size_t)k >= len)
		return;
	buf += k;
	len -= k;
	switch (e->kind) {
	case EV_STORE:
		report_attr_text(e->attr, attr, sizeof(attr));
		snprintf(buf, len, "store (%s) bytes 0x%016" PRIx64, attr, e->mask);
		break;
	case EV_CMO:
		snprintf(buf, len, "%s", cmo_op_name(e->detail));
		break;
	case EV_CACHES_ON_OFF:
		snprintf(buf, len, "SCTLR now 0x%x (C=%u I=%u)", e->detail,
			 (e->detail >> 2) & 1, (e->detail >> 12) & 1);
		break;
	case EV_MMU_ON: snprintf(buf, len, "MMU on"); break;
	case EV_MMU_OFF: snprintf(buf, len, "MMU off"); break;
	case EV_TLBI: snprintf(buf, len, "TLBI"); break;
	case EV_BOOT: snprintf(buf, len, "boot state"); break;
	}
}

/* The contract of the run and its assumption that makes a stale copy
 * like f's possible (model/contract.c), for the finding's text and JSON:
 * false without a model. *text is NULL when no assumption is needed. */
static bool finding_contract(struct machine *m, const struct finding *f,
			     const char **name, const char **text)
{
	if (!m->model)
		return false;
	*name = contract_name(cache_contract(m->model));
	*text = contract_assumption(cache_contract(m->model),
				    f->stale_copy == COPY_NONE ? 0 :
				    copy_name(f->stale_copy)[0]);
	return true;
}

static void contract_text(struct machine *m, const struct finding *f,
			  FILE *out)
{
	const char *name, *text;

	if (!finding_contract(m, f, &name, &text))
		return;
	fprintf(out, "  contract %s: %s\n", name, text ? text :
		"none of its assumptions is needed (the program's own "
		"accesses)");
}

/* One finding, or one note (model/sink.h). */
static void report_one(struct machine *m, const struct finding_rec *r,
		       bool note, FILE *out)
{
	const struct finding *f = &r->f;
	char where[300], attr[80], insn[96], ev[512];
	struct sym_info si;

	report_where_text(m, f->pc, where, sizeof(where), &si);
	insn[0] = 0;
	if (r->have_insn) {
		insn[0] = ':';
		insn[1] = ' ';
		disasm_a64(r->insn, f->pc, insn + 2, sizeof(insn) - 2);
	}
	fprintf(out, "coherent: %s%s (%s) on PE %d at EL%u, pc 0x%" PRIx64
		"%s%s", note ? "note: " : "", finding_kind_name(f->kind),
		note ? "not a finding" : f->always ? "always" : "may", f->pe,
		f->el, f->pc, where, insn);
	if (r->count > 1)
		fprintf(out, " [%" PRIu64 " times]", r->count);
	fputc('\n', out);
	backtrace_text(m, &r->bt, "    ", out);
	/* Findings about an operation rather than an access (set/way) have
	 * no size: no access line, and no line to give the history of. */
	if (f->size) {
		report_attr_text(f->attr, attr, sizeof(attr));
		fprintf(out, "  %s va 0x%" PRIx64 " pa 0x%" PRIx64 " size %u, attrs %s",
			(unsigned)f->access < 4 ? access_names[f->access] : "?",
			f->va, f->pa, f->size, attr);
		if (f->stale_copy != COPY_NONE)
			fprintf(out, "; stale copy: %s (bytes 0x%016" PRIx64
				" of the line)", copy_name(f->stale_copy),
				f->stale_mask);
		fputc('\n', out);
	}
	if (f->detail)
		fprintf(out, "  %s\n", f->detail);
	if (!note)
		contract_text(m, f, out);
	if (note) {
		disasm_a64(f->old_insn, f->pc, insn, sizeof(insn));
		fprintf(out, "  before the modification: %s\n", insn);
	}
	if (r->nhist) {
		if (f->size)
			fprintf(out, "  history of line 0x%" PRIx64 ":",
				(uint64_t)(f->pa & ~63ull));
		else
			fprintf(out, "  recent events:");
		for (size_t i = 0; i < r->nhist; i++) {
			report_event_text(m, &r->hist[i], ev, sizeof(ev));
			fprintf(out, "\n    %s", ev);
		}
		fputc('\n', out);
	}
}

void findings_report_detail(struct machine *m, FILE *out)
{
	for (size_t i = 0, n = findings_count(m); i < n; i++)
		report_one(m, findings_get(m, i), false, out);
	for (size_t i = 0, n = findings_note_count(m); i < n; i++)
		report_one(m, findings_note(m, i), true, out);
}

#define RC_RANGES_SHOWN 8

static void ranges_text(const struct root_cause *rc, FILE *out)
{
	for (size_t i = 0; i < rc->nranges && i < RC_RANGES_SHOWN; i++)
		fprintf(out, "%s[0x%" PRIx64 ", 0x%" PRIx64 ")", i ? " " : "",
			rc->ranges[i].lo, rc->ranges[i].hi);
	if (rc->nranges > RC_RANGES_SHOWN)
		fprintf(out, " and %zu more", rc->nranges - RC_RANGES_SHOWN);
}

/* A root cause's block after its first line; without its contract line
 * when contract is false (--boot-contract=all names every contract). */
static void report_cause_body(struct machine *m, const struct root_cause *rc,
			      bool contract, FILE *out)
{
	const struct finding_rec *r = findings_get(m, rc->first);
	const struct finding *f = &r->f;
	char where[300], insn[96], attr[80], ev[512];
	struct sym_info si;

	fprintf(out, "  explains %zu finding%s (%" PRIu64 " occurrence%s)",
		rc->nfind, rc->nfind == 1 ? "" : "s", rc->occurrences,
		rc->occurrences == 1 ? "" : "s");
	if (rc->nranges) {
		fprintf(out, " on %zu range%s: ", rc->nranges,
			rc->nranges == 1 ? "" : "s");
		ranges_text(rc, out);
	}
	fputc('\n', out);
	report_where_text(m, f->pc, where, sizeof(where), &si);
	insn[0] = 0;
	if (r->have_insn) {
		insn[0] = ':';
		insn[1] = ' ';
		disasm_a64(r->insn, f->pc, insn + 2, sizeof(insn) - 2);
	}
	fprintf(out, "  first: PE%d pc 0x%" PRIx64 "%s%s", f->pe, f->pc, where,
		insn);
	if (f->size) {
		report_attr_text(f->attr, attr, sizeof(attr));
		fprintf(out, " (%s pa 0x%" PRIx64 ", %s)",
			(unsigned)f->access < 4 ? access_names[f->access] : "?",
			f->pa, attr);
	}
	fputc('\n', out);
	backtrace_text(m, &r->bt, "    ", out);
	if (rc->have_write) {
		report_event_text(m, &rc->write, ev, sizeof(ev));
		fprintf(out, "  stale since: %s\n", ev);
		backtrace_text(m, &rc->write_bt, "    ", out);
	} else if (rc->cause == RC_NOT_INVALIDATED) {
		/* The class rests on the stale copy, not on the record. */
		fprintf(out, "  stale since: a non-cacheable store older than "
			"the recorded history\n");
	}
	if (rc->have_enable) {
		report_event_text(m, &rc->enable, ev, sizeof(ev));
		fprintf(out, "  after: %s\n", ev);
		backtrace_text(m, &rc->enable_bt, "    ", out);
	}
	if (contract)
		contract_text(m, f, out);
	fprintf(out, "  fix: %s\n", rc_fix_text(rc));
}

static void report_cause(struct machine *m, const struct root_cause *rc,
			 size_t i, size_t n, FILE *out)
{
	fprintf(out, "coherent: root cause %zu of %zu: %s (%s): %s\n", i + 1, n,
		finding_kind_name(rc->kind), rc_cause_name(rc->cause),
		rc_cause_text(rc));
	report_cause_body(m, rc, true, out);
}

void findings_report(struct machine *m, FILE *out)
{
	size_t n = findings_count(m), nrc, nsup;
	struct root_cause *rc;
	uint64_t total = 0, supocc;
	char sup[80] = "";

	nsup = findings_dropped(m, &supocc);
	if (nsup)
		snprintf(sup, sizeof(sup), "; %zu suppressed (%" PRIu64
			 " occurrence%s)", nsup, supocc, supocc == 1 ? "" : "s");
	if (!n) {
		if (nsup)
			fprintf(out, "SUMMARY: coherent: 0 root causes, 0 "
				"findings%s\n", sup);
		return;
	}
	for (size_t i = 0; i < n; i++)
		total += findings_get(m, i)->count;
	nrc = rootcauses_build(m, &rc);
	for (size_t i = 0; i < nrc; i++)
		report_cause(m, &rc[i], i, nrc, out);
	if (nrc) {
		fprintf(out, "coherent: root causes, largest first:\n"
			"  #  %-16s %-20s %9s %12s\n", "cause", "kind",
			"findings", "occurrences");
		for (size_t i = 0; i < nrc; i++)
			fprintf(out, "  %-2zu %-16s %-20s %9zu %12" PRIu64 "\n",
				i + 1, rc_cause_name(rc[i].cause),
				finding_kind_name(rc[i].kind), rc[i].nfind,
				rc[i].occurrences);
	}
	fprintf(out, "SUMMARY: coherent: %zu root cause%s, %zu finding%s (%"
		PRIu64 " occurrence%s)%s%s\n", nrc, nrc == 1 ? "" : "s", n,
		n == 1 ? "" : "s", total, total == 1 ? "" : "s",
		nrc ? "" : " (out of memory grouping them)", sup);
	rootcauses_free(rc, nrc);
}

/* ---- JSON ---- */

/* Always valid JSON: controls (and DEL) as \u00XX, a byte that is not
 * UTF-8 as U+FFFD (JSON text is Unicode; the bytes cannot be kept). */
void report_json_str(FILE *o, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	fputc('"', o);
	while (s && *s) {
		unsigned cp, n = utf8_len(s, &cp);

		if (!n) {
			fputs("\\ufffd", o);
			s++;
			continue;
		}
		if (cp == '"' || cp == '\\')
			fprintf(o, "\\%c", cp);
		else if (cp < 0x20 || cp == 0x7f)
			fprintf(o, "\\u%04x", cp);
		else
			fwrite(s, 1, n, o);
		s += n;
	}
	fputc('"', o);
}

static void json_hex(FILE *o, const char *key, uint64_t v)
{
	fprintf(o, "\"%s\": \"0x%" PRIx64 "\"", key, v);
}

void report_json_where(struct machine *m, FILE *o, uint64_t pc)
{
	struct sym_info si;
	char where[300];

	report_where_text(m, pc, where, sizeof(where), &si);
	fputs(", \"symbol\": ", o);
	if (si.name)
		report_json_str(o, si.name);
	else
		fputs("null", o);
	fprintf(o, ", \"offset\": %" PRIu64 ", \"file\": ", si.offset);
	if (si.file)
		report_json_str(o, si.file);
	else
		fputs("null", o);
	fprintf(o, ", \"line\": %d, \"inlined_at\": ", si.file ? si.line : 0);
	if (si.call_file) {
		char at[300];

		snprintf(at, sizeof(at), "%s:%d", si.call_file, si.call_line);
		report_json_str(o, at);
	} else {
		fputs("null", o);
	}
}

static void json_attrs(FILE *o, struct memattr a)
{
	char t[80];

	report_attr_text(a, t, sizeof(t));
	fprintf(o, "{\"mair\": \"0x%02x\", \"sh\": %u, \"stage1\": %s, "
		"\"device\": %s, \"cacheable\": %s, \"text\": ", a.mair, a.sh,
		a.s1 ? "true" : "false", memattr_is_device(a) ? "true" : "false",
		memattr_inner_cacheable(a) ? "true" : "false");
	report_json_str(o, t);
	fputc('}', o);
}

/* With its backtrace when bt is not NULL. */
static void json_event(struct machine *m, FILE *o, const struct event *e,
		       const struct backtrace *bt)
{
	fprintf(o, "{\"seq\": %" PRIu64 ", \"pe\": %d, ", e->seq, e->pe);
	json_hex(o, "pc", e->pc);
	report_json_where(m, o, e->pc);
	fprintf(o, ", \"kind\": \"%s\", ", event_kind_name(e->kind));
	json_hex(o, "pa", e->pa);
	if (e->kind == EV_STORE) {
		fputs(", ", o);
		json_hex(o, "mask", e->mask);
		fputs(", \"attrs\": ", o);
		json_attrs(o, e->attr);
	} else if (e->kind == EV_CMO) {
		fputs(", \"op\": ", o);
		report_json_str(o, cmo_op_name(e->detail));
	} else {
		fprintf(o, ", \"detail\": %u", e->detail);
	}
	if (bt) {
		fputs(", \"backtrace\": ", o);
		backtrace_json(m, o, bt);
	}
	fputc('}', o);
}

static void json_contract(struct machine *m, FILE *o, const struct finding *f)
{
	const char *name, *text;

	if (!finding_contract(m, f, &name, &text))
		return;
	fputs(", \"contract\": ", o);
	report_json_str(o, name);
	fputs(", \"assumption\": ", o);
	if (text)
		report_json_str(o, text);
	else
		fputs("null", o);
}

static void json_finding(struct machine *m, FILE *o, const struct finding_rec *r,
			 bool note)
{
	const struct finding *f = &r->f;
	char insn[96] = "";

	if (r->have_insn)
		disasm_a64(r->insn, f->pc, insn, sizeof(insn));
	fprintf(o, "    {\"kind\": \"%s\", \"always\": %s, \"pe\": %d, \"el\": %u, ",
		finding_kind_name(f->kind), f->always ? "true" : "false", f->pe,
		f->el);
	json_hex(o, "pc", f->pc);
	report_json_where(m, o, f->pc);
	fputs(", \"insn\": ", o);
	if (r->have_insn)
		report_json_str(o, insn);
	else
		fputs("null", o);
	fputs(", ", o);
	json_hex(o, "va", f->va);
	fputs(", ", o);
	json_hex(o, "pa", f->pa);
	fprintf(o, ", \"size\": %u, \"access\": \"%s\", \"attrs\": ", f->size,
		(unsigned)f->access < 4 ? access_names[f->access] : "?");
	json_attrs(o, f->attr);
	fputs(", \"stale_copy\": ", o);
	if (f->stale_copy == COPY_NONE)
		fputs("null", o);
	else
		report_json_str(o, copy_name(f->stale_copy));
	fputs(", ", o);
	json_hex(o, "stale_mask", f->stale_mask);
	fputs(", \"detail\": ", o);
	if (f->detail)
		report_json_str(o, f->detail);
	else
		fputs("null", o);
	if (note) {
		disasm_a64(f->old_insn, f->pc, insn, sizeof(insn));
		fputs(", \"before\": ", o);
		report_json_str(o, insn);
	} else {
		json_contract(m, o, f);
	}
	fputs(", \"backtrace\": ", o);
	backtrace_json(m, o, &r->bt);
	fprintf(o, ", \"count\": %" PRIu64 ", \"history\": [", r->count);
	for (size_t i = 0; i < r->nhist; i++) {
		fputs(i ? ",\n      " : "\n      ", o);
		json_event(m, o, &r->hist[i], NULL);
	}
	fputs(r->nhist ? "\n    ]}" : "]}", o);
}

int findings_write_json(struct machine *m, const char *path)
{
	FILE *o = fopen(path, "w");

	return o ? findings_write_json_to(m, o) : -1;
}

static void json_cause(struct machine *m, FILE *o, const struct root_cause *rc)
{
	const struct finding_rec *r = findings_get(m, rc->first);

	fprintf(o, "    {\"cause\": \"%s\", \"kind\": \"%s\", \"text\": ",
		rc_cause_name(rc->cause), finding_kind_name(rc->kind));
	report_json_str(o, rc_cause_text(rc));
	fputs(", \"fix\": ", o);
	report_json_str(o, rc_fix_text(rc));
	json_contract(m, o, &r->f);
	fprintf(o, ", \"findings\": %zu, \"occurrences\": %" PRIu64
		", \"first_finding\": %zu, \"first\": {\"pe\": %d, ", rc->nfind,
		rc->occurrences, rc->first, r->f.pe);
	json_hex(o, "pc", r->f.pc);
	report_json_where(m, o, r->f.pc);
	fputs(", \"backtrace\": ", o);
	backtrace_json(m, o, &r->bt);
	fputs("}, \"write\": ", o);
	if (rc->have_write)
		json_event(m, o, &rc->write, &rc->write_bt);
	else
		fputs("null", o);
	fputs(", \"enable\": ", o);
	if (rc->have_enable)
		json_event(m, o, &rc->enable, &rc->enable_bt);
	else
		fputs("null", o);
	fputs(", \"ranges\": [", o);
	for (size_t i = 0; i < rc->nranges; i++) {
		fputs(i ? ", {" : "{", o);
		json_hex(o, "lo", rc->ranges[i].lo);
		fputs(", ", o);
		json_hex(o, "hi", rc->ranges[i].hi);
		fputc('}', o);
	}
	fputs("]}", o);
}

int findings_write_json_to(struct machine *m, FILE *o)
{
	size_t n = findings_count(m), nrc;
	struct root_cause *rc;

	fprintf(o, "{\"version\": 1, \"count\": %zu, \"suppressed\": %zu, "
		"\"findings\": [", n, findings_dropped(m, NULL));
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ",\n" : "\n", o);
		json_finding(m, o, findings_get(m, i), false);
	}
	nrc = rootcauses_build(m, &rc);
	fputs(n ? "\n], \"root_causes\": [" : "], \"root_causes\": [", o);
	for (size_t i = 0; i < nrc; i++) {
		fputs(i ? ",\n" : "\n", o);
		json_cause(m, o, &rc[i]);
	}
	fputs(nrc ? "\n], \"notes\": [" : "], \"notes\": [", o);
	for (size_t i = 0, nn = findings_note_count(m); i < nn; i++) {
		fputs(i ? ",\n" : "\n", o);
		json_finding(m, o, findings_note(m, i), true);
	}
	fputs(findings_note_count(m) ? "\n]}\n" : "]}\n", o);
	rootcauses_free(rc, nrc);
	return fclose(o) == 0 ? 0 : -1;
}

/* ---- one run of --boot-contract=all (report/allrun.c merges them) ---- */

/* A block of bytes after "@TAG\tlength\n", read back by length. */
static void blob(FILE *out, const char *tag, char *buf, size_t len)
{
	fprintf(out, "@%s\t%zu\n%.*s", tag, len, (int)len, buf);
	free(buf);
}

/* What fn writes to a memory stream, on one line (JSON's own line breaks
 * are whitespace outside strings, and strings escape theirs). */
static void one_line(FILE *out, const char *tag, char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (buf[i] == '\n')
			buf[i] = ' ';
	fprintf(out, "@%s\t%.*s\n", tag, (int)len, buf);
	free(buf);
}

int findings_write_part(struct machine *m, FILE *out)
{
	size_t n = findings_count(m), nrc, len;
	struct root_cause *rc;
	uint64_t total = 0;
	char *buf, root[1024] = "";
	FILE *ms;

	for (size_t i = 0; i < n; i++)
		total += findings_get(m, i)->count;
	fprintf(out, "@RUN\t%zu\t%" PRIu64 "\t%zu\n", n, total,
		findings_dropped(m, NULL));
	for (size_t i = 0; i < n; i++) {
		if (!(ms = open_memstream(&buf, &len)))
			return -1;
		json_finding(m, ms, findings_get(m, i), false);
		fclose(ms);
		one_line(out, "FINDING", buf, len);
	}
	nrc = rootcauses_build(m, &rc);
	if (n && !nrc)
		return -1;
	for (size_t i = 0; i < nrc; i++) {
		const struct finding_rec *r = findings_get(m, rc[i].first);
		const char *name, *text = NULL;

		/* One root cause under two contracts: the same cause, kind,
		 * fix and first read. */
		fprintf(out, "@CAUSE\t%s %s 0x%" PRIx64 " %s\n",
			rc_cause_name(rc[i].cause), finding_kind_name(rc[i].kind),
			r->f.pc, rc_fix_text(&rc[i]));
		fprintf(out, "@HEAD\t%s (%s): %s\n", finding_kind_name(rc[i].kind),
			rc_cause_name(rc[i].cause), rc_cause_text(&rc[i]));
		fprintf(out, "@NAMES\t%s\t%s\n", rc_cause_name(rc[i].cause),
			finding_kind_name(rc[i].kind));
		fprintf(out, "@ROW\t%-16s %-20s %9zu %12" PRIu64 "\n",
			rc_cause_name(rc[i].cause), finding_kind_name(rc[i].kind),
			rc[i].nfind, rc[i].occurrences);
		finding_contract(m, &r->f, &name, &text);
		fprintf(out, "@ASSUMES\t%s\n", text ? text : "");
		if (!(ms = open_memstream(&buf, &len)))
			break;
		report_cause_body(m, &rc[i], false, ms);
		fclose(ms);
		blob(out, "BODY", buf, len);
		if (!(ms = open_memstream(&buf, &len)))
			break;
		json_cause(m, ms, &rc[i]);
		fclose(ms);
		one_line(out, "JSON", buf, len);
		/* --sarif and --html of the merged runs: this cause's result
		 * (its paths against the run's one root) and section. */
		if (!(ms = open_memstream(&buf, &len)))
			break;
		sarif_write_result(m, &rc[i], root, sizeof(root), ms);
		fclose(ms);
		blob(out, "SARIF", buf, len);
		if (!(ms = open_memstream(&buf, &len)))
			break;
		html_write_cause_body(m, &rc[i], ms);
		fclose(ms);
		blob(out, "HTML", buf, len);
	}
	fprintf(out, "@SRCROOT\t%s\n", root);
	rootcauses_free(rc, nrc);
	return fflush(out) == 0 ? 0 : -1;
}
