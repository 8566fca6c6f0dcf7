/* SARIF 2.1.0 of the root causes (sarif.h). The properties used and
 * their meaning are OASIS "Static Analysis Results Interchange Format
 * (SARIF) Version 2.1.0" (errata 01): 3.27 result (ruleId, ruleIndex,
 * level, message, locations, relatedLocations, partialFingerprints),
 * 3.28 location, 3.29 physicalLocation, 3.4 artifactLocation with
 * uriBaseId and 3.14.14 originalUriBaseIds, 3.32 address, 3.33
 * logicalLocation, 3.49 reportingDescriptor (the rules). The shipped
 * schema (checker/tests/sarif/, README "Third-party files") checks it. */
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include "board/machine.h"
#include "report/backtrace.h"
#include "report/disasm.h"
#include "report/findings.h"
#include "report/reportfmt.h"
#include "report/rootcause.h"
#include "report/sarif.h"

#define SARIF_SCHEMA "https://docs.oasis-open.org/sarif/sarif/v2.1.0/" \
	"errata01/os/schemas/sarif-schema-2.1.0.json"

struct rule {
	const char *name, *brief, *help;
};

/* One rule per finding kind: what a result of it means and what fixes it
 * in general; the result's message says which fix, where. */
static const struct rule rules[F_KIND_MAX] = {
	[F_STALE_LOAD] = { "StaleLoad", "A data load may return stale data",
		"Under some timing of cache allocation, eviction and "
		"write-back that the architecture allows, this load reads "
		"bytes that are not the latest written: the data was written "
		"through one kind of mapping (cacheable, or non-cacheable with "
		"the MMU or data cache off) and read through the other without "
		"the maintenance between them (DC CVAC or CIVAC after a "
		"cacheable write, DC IVAC after a non-cacheable one, then a "
		"DSB). The message names the root cause and the fix." },
	[F_STALE_FETCH] = { "StaleFetch",
		"An instruction fetch may execute stale instructions",
		"Instructions were written and executed without making them "
		"visible to the instruction side: DC CVAU over the code, DSB "
		"ISH, IC IVAU, DSB ISH, ISB between the writes and the first "
		"execution. The message names the root cause and the fix." },
	[F_STALE_WALK] = { "StaleWalk",
		"A translation table walk may read stale descriptors",
		"The table walker reads descriptors that may not be the latest "
		"written: tables written with the MMU off must be invalidated "
		"(DC IVAC, DSB) before the walker reads them cacheably, and "
		"tables written cacheably must be cleaned when the walker reads "
		"non-cacheably. The message names the root cause and the fix." },
	[F_MISSING_BARRIER] = { "MissingBarrier",
		"An access depends on an effect not yet completed",
		"An access relies on a cache maintenance or system-register "
		"effect that no DSB has completed or no ISB has synchronised "
		"yet. The message names the barrier and where it belongs." },
	[F_SET_WAY] = { "SetWayWithOtherPEs",
		"Set/way maintenance used while other PEs run with caches on",
		"Set/way operations act on the issuing PE's caches only and "
		"are not a way to make memory coherent while other PEs run "
		"with caches on; use maintenance by VA (DC CIVAC) over the "
		"data instead." },
	[F_NON_SHAREABLE] = { "NonShareableShared",
		"Data shared between PEs through a Non-shareable mapping",
		"Non-shareable Normal memory is not kept coherent between "
		"PEs: each may keep a private copy the other never sees. Map "
		"the shared data Inner Shareable, or clean it to the PoC on "
		"the writer and invalidate it on the reader (each by its own "
		"DC by VA, then a DSB) around every exchange." },
};

/* A source root for relative artifact URIs: the compilation directory
 * of the first place with one; places under another stay absolute. */
struct sarif_ctx {
	struct machine *m;
	FILE *o;
	char root[1024];
};

/* A URI path: RFC 3986 unreserved characters and '/' as they are, every
 * other byte percent-encoded (SARIF 3.10.2: valid URI references). */
static void uri_path(FILE *o, const char *p)
{
	for (const unsigned char *s = (const unsigned char *)p; *s; s++) {
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || strchr("-._~/", *s))
			fputc(*s, o);
		else
			fprintf(o, "%%%02X", *s);
	}
}

static void artifact(struct sarif_ctx *c, const struct sym_info *si)
{
	const char *p = si->path;
	size_t n = c->root[0] ? strlen(c->root) : 0;

	if (!c->root[0] && si->comp_dir && si->comp_dir[0] == '/' &&
	    strlen(si->comp_dir) + 1 < sizeof(c->root)) {
		snprintf(c->root, sizeof(c->root), "%s", si->comp_dir);
		while (strlen(c->root) > 1 && c->root[strlen(c->root) - 1] == '/')
			c->root[strlen(c->root) - 1] = 0;
		n = strlen(c->root);
	}
	fputs("\"artifactLocation\": {\"uri\": \"", c->o);
	if (n && !strncmp(p, c->root, n) && p[n] == '/') {
		uri_path(c->o, p + n + 1);
		fputs("\", \"uriBaseId\": \"SRCROOT\"}", c->o);
		return;
	}
	if (p[0] == '/') {
		fputs("file://", c->o);
		uri_path(c->o, p);
		fputs("\"}", c->o);
		return;
	}
	/* relative to its own unit's directory, which is the root's */
	uri_path(c->o, p);
	fputs(n ? "\", \"uriBaseId\": \"SRCROOT\"}" : "\"}", c->o);
}

/* A location (3.28) of guest code at pc, with a message; id < 0: none
 * (a result's own location). */
static void location(struct sarif_ctx *c, int id, bool have_pc, uint64_t pc,
		     const char *msg)
{
	FILE *o = c->o;
	struct sym_info si = { 0 };
	char where[300];

	fputc('{', o);
	if (id >= 0)
		fprintf(o, "\"id\": %d, ", id);
	if (have_pc) {
		report_where_text(c->m, pc, where, sizeof(where), &si);
		fputs("\"physicalLocation\": {", o);
		if (si.path) {
			artifact(c, &si);
			if (si.line > 0)
				fprintf(o, ", \"region\": {\"startLine\": %d}",
					si.line);
			fputs(", ", o);
		}
		/* absoluteAddress is a JSON integer: readers keep 53 bits */
		if (pc < (1ull << 53))
			fprintf(o, "\"address\": {\"absoluteAddress\": %" PRIu64
				"}", pc);
		else
			fprintf(o, "\"address\": {\"name\": \"0x%" PRIx64 "\"}", pc);
		fputs("}, ", o);
		if (si.name) {
			char fq[300];

			snprintf(fq, sizeof(fq), "%s+0x%" PRIx64, si.name,
				 si.offset);
			fputs("\"logicalLocations\": [{\"name\": ", o);
			report_json_str(o, si.name);
			fputs(", \"fullyQualifiedName\": ", o);
			report_json_str(o, fq);
			fputs(", \"kind\": \"function\"}], ", o);
		}
	}
	fputs("\"message\": {\"text\": ", o);
	report_json_str(o, msg);
	fputs("}}", o);
}

static void event_location(struct sarif_ctx *c, int id, const char *what,
			   const struct event *e)
{
	char ev[512], msg[600];

	report_event_text(c->m, e, ev, sizeof(ev));
	snprintf(msg, sizeof(msg), "%s: %s", what, ev);
	location(c, id, e->pe >= 0, e->pc, msg);
}

/* A stack (3.44) of stackFrames (3.45), one location each, innermost
 * first. */
static void stack(struct sarif_ctx *c, const char *what,
		  const struct backtrace *bt, bool *first)
{
	char f[400];

	if (!bt->n)
		return;
	fputs(*first ? "\n            {\"message\": {\"text\": " :
	      ",\n            {\"message\": {\"text\": ", c->o);
	*first = false;
	report_json_str(c->o, what);
	fputs("}, \"frames\": [", c->o);
	for (unsigned k = 0; k < bt->n; k++) {
		backtrace_frame_text(c->m, bt, k, f, sizeof(f));
		fputs(k ? ", {\"location\": " : "{\"location\": ", c->o);
		location(c, -1, true, bt->pc[k], f);
		fputc('}', c->o);
	}
	fputs("]}", c->o);
}

static void result(struct sarif_ctx *c, const struct root_cause *rc)
{
	const struct finding_rec *r = findings_get(c->m, rc->first);
	FILE *o = c->o;
	char msg[2048], first[512], insn[96] = "", where[300];
	struct sym_info si;
	size_t k;
	int id = 0;

	k = snprintf(msg, sizeof(msg), "%s (%s): %s. Explains %zu finding%s "
		     "(%" PRIu64 " occurrence%s)", finding_kind_name(rc->kind),
		     rc_cause_name(rc->cause), rc_cause_text(rc), rc->nfind,
		     rc->nfind == 1 ? "" : "s", rc->occurrences,
		     rc->occurrences == 1 ? "" : "s");
	for (size_t i = 0; i < rc->nranges && k < sizeof(msg); i++)
		k += snprintf(msg + k, sizeof(msg) - k, "%s[0x%" PRIx64
			      ", 0x%" PRIx64 ")", i ? " " : " on ",
			      rc->ranges[i].lo, rc->ranges[i].hi);
	if (k < sizeof(msg))
		snprintf(msg + k, sizeof(msg) - k, ". Fix: %s.",
			 rc_fix_text(rc));
	fprintf(o, "        {\"ruleId\": \"%s\", \"ruleIndex\": %d, "
		"\"level\": \"error\", \"message\": {\"text\": ",
		finding_kind_name(rc->kind), (int)rc->kind);
	report_json_str(o, msg);
	if (r->have_insn)
		disasm_a64(r->insn, r->f.pc, insn, sizeof(insn));
	report_where_text(c->m, r->f.pc, where, sizeof(where), &si);
	/* operations without an access (set/way) have no size */
	snprintf(first, sizeof(first), "%s: PE%d pc 0x%" PRIx64 "%s%s%s",
		 !r->f.size ? "the operation" :
		 r->f.access == MK_STORE ? "first store" :
		 r->f.access == MK_FETCH ? "first fetch" :
		 r->f.access == MK_WALK ? "first walk" : "first read", r->f.pe,
		 r->f.pc, where, insn[0] ? ": " : "", insn);
	fputs("},\n          \"locations\": [", o);
	location(c, -1, true, r->f.pc, first);
	fputs("],\n          \"relatedLocations\": [", o);
	if (rc->have_write) {
		event_location(c, ++id, "stale since", &rc->write);
	}
	if (rc->have_enable) {
		fputs(id ? ",\n            " : "", o);
		event_location(c, ++id, "after", &rc->enable);
	}
	fputs(id ? ",\n            " : "", o);
	location(c, ++id, true, r->f.pc, first);
	fputs("],\n          \"stacks\": [", o);
	{
		bool none = true;

		stack(c, "first read", &r->bt, &none);
		if (rc->have_write)
			stack(c, "stale since", &rc->write_bt, &none);
		if (rc->have_enable)
			stack(c, "after", &rc->enable_bt, &none);
	}
	/* The same cause at the same read is the same result from one run
	 * to the next (3.27.17): code scanning matches alerts on it. */
	fprintf(o, "],\n          \"partialFingerprints\": "
		"{\"coherentRootCause/v1\": ");
	snprintf(msg, sizeof(msg), "%s/%s/%s+0x%" PRIx64,
		 rc_cause_name(rc->cause), finding_kind_name(rc->kind),
		 si.name ? si.name : "?", si.name ? si.offset : r->f.pc);
	report_json_str(o, msg);
	fprintf(o, "},\n          \"properties\": {\"cause\": \"%s\", \"fix\": ",
		rc_cause_name(rc->cause));
	report_json_str(o, rc_fix_text(rc));
	fprintf(o, ", \"findings\": %zu, \"occurrences\": %" PRIu64
		", \"ranges\": [", rc->nfind, rc->occurrences);
	for (size_t i = 0; i < rc->nranges; i++)
		fprintf(o, "%s{\"lo\": \"0x%" PRIx64 "\", \"hi\": \"0x%" PRIx64
			"\"}", i ? ", " : "", rc->ranges[i].lo, rc->ranges[i].hi);
	fputs("]}}", o);
}

void sarif_write_head(FILE *o)
{
	fprintf(o, "{\n  \"$schema\": \"%s\",\n  \"version\": \"2.1.0\",\n"
		"  \"runs\": [\n    {\n", SARIF_SCHEMA);
	fputs("      \"tool\": {\"driver\": {\"name\": \"coherent\", "
	      "\"fullName\": \"coherent: an arm64 machine whose memory system "
	      "keeps every cache state the architecture allows\", "
	      "\"rules\": [", o);
	for (int k = 0; k < F_KIND_MAX; k++) {
		/* a kind added without its rule text still has a valid rule */
		const char *brief = rules[k].brief ? rules[k].brief :
				    finding_kind_name(k);
		const char *help = rules[k].help ? rules[k].help : brief;

		fprintf(o, "%s\n        {\"id\": \"%s\", ", k ? "," : "",
			finding_kind_name(k));
		if (rules[k].name)
			fprintf(o, "\"name\": \"%s\", ", rules[k].name);
		fputs("\"shortDescription\": {\"text\": ", o);
		report_json_str(o, brief);
		fputs("}, \"fullDescription\": {\"text\": ", o);
		report_json_str(o, help);
		fputs("}, \"help\": {\"text\": ", o);
		report_json_str(o, help);
		fputs("}, \"defaultConfiguration\": {\"level\": \"error\"}}", o);
	}
	fputs("\n      ]}},\n", o);
}

void sarif_write_tail(FILE *o, const char *const *root, const char *const *id,
		      unsigned nroot, size_t nfind, size_t nsup)
{
	bool any = false;

	for (unsigned k = 0; k < nroot; k++) {
		if (!root[k] || !root[k][0])
			continue;
		fprintf(o, "%s\"%s\": {\"uri\": \"file://", any ? ", " :
			",\n      \"originalUriBaseIds\": {", id[k]);
		uri_path(o, root[k]);
		fputs(strcmp(root[k], "/") ? "/\"}" : "\"}", o);
		any = true;
	}
	if (any)
		fputc('}', o);
	fprintf(o, ",\n      \"properties\": {\"findings\": %zu, "
		"\"suppressed\": %zu}\n    }\n  ]\n}\n", nfind, nsup);
}

void sarif_write_result(struct machine *m, const struct root_cause *rc,
			  char *root, size_t rootlen, FILE *o)
{
	struct sarif_ctx c = { .m = m, .o = o };

	snprintf(c.root, sizeof(c.root), "%s", root);
	result(&c, rc);
	snprintf(root, rootlen, "%s", c.root);
}

int findings_write_sarif_to(struct machine *m, FILE *o)
{
	struct sarif_ctx c = { .m = m, .o = o };
	struct root_cause *rc;
	size_t nrc = rootcauses_build(m, &rc);
	bool oom = findings_count(m) && !nrc;
	const char *root = c.root, *id = "SRCROOT";

	sarif_write_head(o);
	fputs("      \"results\": [", o);
	for (size_t i = 0; i < nrc; i++) {
		fputs(i ? ",\n" : "\n", o);
		result(&c, &rc[i]);
	}
	fputs(nrc ? "\n      ]" : "]", o);
	sarif_write_tail(o, &root, &id, 1, findings_count(m),
			 findings_dropped(m, NULL));
	rootcauses_free(rc, nrc);
	/* Without its results the log would say the run found nothing. */
	if (fclose(o) != 0 || oom)
		return -1;
	return 0;
}
