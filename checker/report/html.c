/* The HTML page of the root causes (html.h). The state after an event is
 * what the model held for the line when the next event on it happened
 * (struct event's stale_before), or at the read (the finding's
 * stale_copies): everything between two events on the line, barriers
 * and background transitions included, is folded into the earlier one. */
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "board/machine.h"
#include "report/backtrace.h"
#include "report/disasm.h"
#include "report/findings.h"
#include "report/html.h"
#include "report/report.h"
#include "report/reportfmt.h"
#include "report/rootcause.h"

static const char copy_letters[] = "UPMI";     /* enum copy_id order */

/* Text that report_term_str made safe for a terminal, made safe for
 * HTML too. */
static void html_text(FILE *o, const char *str)
{
	char buf[2048];

	report_term_str(buf, sizeof(buf), str ? str : "");
	for (const char *s = buf; *s; s++)
		switch (*s) {
		case '&': fputs("&amp;", o); break;
		case '<': fputs("&lt;", o); break;
		case '>': fputs("&gt;", o); break;
		case '"': fputs("&quot;", o); break;
		case '\'': fputs("&#39;", o); break;
		default: fputc(*s, o);
		}
}

/* Line n of a source file, if it is a readable regular file (never a
 * FIFO or device the ELF's DWARF happens to name). */
static bool source_line(const char *path, int n, char *buf, size_t len)
{
	int fd = path ? open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC) : -1;
	struct stat st;
	size_t k = 0;
	FILE *f;
	int ch, at = 1;

	if (fd < 0 || n < 1)
		goto no;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || !(f = fdopen(fd, "r")))
		goto no;
	while (at < n && (ch = getc(f)) != EOF)
		at += ch == '\n';
	while (at == n && (ch = getc(f)) != EOF && ch != '\n' && ch != '\r')
		if (k + 1 < len)
			buf[k++] = ch == '\t' ? ' ' : (char)ch;
	buf[k] = 0;
	fclose(f);
	return at == n;
no:
	if (fd >= 0)
		close(fd);
	return false;
}

static void stale_letters(FILE *o, unsigned st)
{
	for (int c = COPY_U; c <= COPY_I; c++)
		if (st & STALE_COPY(c))
			fputc(copy_letters[c], o);
}

static void state_cells(FILE *o, unsigned st, int served)
{
	for (int c = COPY_U; c <= COPY_I; c++)
		fprintf(o, "<td class=\"st%s%s\">%s</td>",
			st & STALE_COPY(c) ? " stale" : "",
			c == served ? " served" : "",
			st & STALE_COPY(c) ? "stale" : "");
}

/* The place of a pc: file:line symbol+off, and the source line. */
static void where_cell(struct machine *m, bool have_pc, uint64_t pc, FILE *o)
{
	struct sym_info si = { 0 };
	char where[300], src[512], path[2048];

	fputs("<td class=\"where\">", o);
	if (have_pc) {
		report_where_text(m, pc, where, sizeof(where), &si);
		fprintf(o, "<code>0x%" PRIx64 "</code> ", pc);
		html_text(o, where);
		if (si.path && si.path[0] != '/' && si.comp_dir)
			snprintf(path, sizeof(path), "%s/%s", si.comp_dir,
				 si.path);
		else
			snprintf(path, sizeof(path), "%s", si.path ? si.path : "");
		if (path[0] && source_line(path, si.line, src, sizeof(src))) {
			fputs("<pre class=\"src\">", o);
			html_text(o, src);
			fputs("</pre>", o);
		}
	}
	fputs("</td>", o);
}

/* "store (...) bytes 0x..." without the "#seq PEn pc 0x... where "
 * prefix of report_event_text, which the other columns hold. */
static const char *event_what(struct machine *m, const struct event *e,
			      const char *ev)
{
	struct sym_info si;
	char where[300], pre[400];
	int k;

	if (e->kind == EV_BOOT || e->pe < 0) {
		k = (int)strcspn(ev, " ");
		return ev[k] ? ev + k + 1 : ev;
	}
	report_where_text(m, e->pc, where, sizeof(where), &si);
	k = snprintf(pre, sizeof(pre), "#%" PRIu64 " PE%d pc 0x%" PRIx64 "%s ",
		     e->seq, e->pe, e->pc, where);
	return k > 0 && !strncmp(ev, pre, k) ? ev + k : ev;
}

/* The timeline of finding fi's line, up to its read. */
static void timeline(struct machine *m, const struct root_cause *rc,
		     size_t fi, FILE *o)
{
	const struct finding_rec *r = findings_get(m, fi);
	const struct finding *f = &r->f;
	char ev[512], insn[96] = "";
	uint64_t line = f->pa & ~63ull;
	size_t k = 0;

	while (k < rc->nranges && !(line >= rc->ranges[k].lo &&
				    line < rc->ranges[k].hi))
		k++;
	fprintf(o, "<h3>Timeline of line 0x%" PRIx64, line);
	if (k < rc->nranges)
		fprintf(o, " (range [0x%" PRIx64 ", 0x%" PRIx64 "))",
			rc->ranges[k].lo, rc->ranges[k].hi);
	fprintf(o, ": %s at <code>0x%" PRIx64 "</code>%s</h3>\n",
		fi == rc->first ? "the root cause's first read" :
		"the first read of this line",
		f->pc, r->count > 1 ? ", repeated" : "");
	fputs("<div class=\"lanes\"></div>\n<table class=\"timeline\">"
		"<thead><tr><th>#</th><th>PE</th><th>where</th><th>event</th>"
		"<th>U</th><th>P</th><th>M</th><th>I</th></tr></thead><tbody>\n", o);
	for (size_t i = 0; i < r->nhist; i++) {
		const struct event *e = &r->hist[i];
		unsigned after = f->stale_copies;

		/* the next event on the line found the state this one left */
		for (size_t j = i + 1; j < r->nhist; j++)
			if (r->hist[j].pa) {
				after = r->hist[j].stale_before;
				break;
			}
		report_event_text(m, e, ev, sizeof(ev));
		fprintf(o, "<tr class=\"event\" data-seq=\"%" PRIu64 "\" "
			"data-kind=\"%s\" data-stale=\"", e->seq,
			event_kind_name(e->kind));
		stale_letters(o, after);
		fprintf(o, "\"><td>%" PRIu64 "</td><td>", e->seq);
		if (e->pe >= 0)
			fprintf(o, "%d", e->pe);
		fputs("</td>", o);
		where_cell(m, e->pe >= 0 && e->kind != EV_BOOT, e->pc, o);
		fputs("<td>", o);
		html_text(o, event_what(m, e, ev));
		fputs("</td>", o);
		state_cells(o, after, -1);
		fputs("</tr>\n", o);
	}
	if (r->have_insn)
		disasm_a64(r->insn, f->pc, insn, sizeof(insn));
	fputs("<tr class=\"read\" data-seq=\"read\" data-kind=\"read\" "
	      "data-stale=\"", o);
	stale_letters(o, f->stale_copies);
	fprintf(o, "\" data-served=\"%c\"><td>read</td><td>%d</td>",
		f->stale_copy < COPY_NONE ? copy_letters[f->stale_copy] : '-',
		f->pe);
	where_cell(m, true, f->pc, o);
	fputs("<td>", o);
	html_text(o, insn[0] ? insn : finding_kind_name(f->kind));
	fprintf(o, " (%s %s", finding_kind_name(f->kind),
		f->always ? "always" : "may");
	if (f->stale_copy < COPY_NONE)
		fprintf(o, "; stale copy served: %s",
			copy_name(f->stale_copy));
	fputs(")</td>", o);
	state_cells(o, f->stale_copies, f->stale_copy < COPY_NONE ?
		    (int)f->stale_copy : -1);
	fputs("</tr>\n</tbody></table>\n", o);
}

/* The frames as a list: "#0 <code>0x...</code> f+0x10 a.c:20". */
static void backtrace_html(struct machine *m, const struct backtrace *bt,
			   FILE *o)
{
	char f[400];

	if (!bt->n)
		return;
	fputs("<ol class=\"bt\" start=\"0\">", o);
	for (unsigned k = 0; k < bt->n; k++) {
		const char *rest;

		backtrace_frame_text(m, bt, k, f, sizeof(f));
		/* "#k 0x... rest": the pc as code */
		rest = strchr(f, ' ');
		rest = rest ? strchr(rest + 1, ' ') : NULL;
		fprintf(o, "<li>#%u <code>0x%" PRIx64 "</code> ", k, bt->pc[k]);
		html_text(o, rest ? rest + 1 : "");
		fputs("</li>", o);
	}
	fputs("</ol>\n", o);
}

void html_write_section_head(FILE *o, size_t i, const char *cause,
			     const char *kind)
{
	fprintf(o, "<section class=\"rootcause\" id=\"rc-%zu\" "
		"data-cause=\"%s\" data-kind=\"%s\">\n<h2>%zu. %s (%s)</h2>\n",
		i + 1, cause, kind, i + 1, kind, cause);
}

void html_write_cause_body(struct machine *m, const struct root_cause *rc,
			   FILE *o)
{
	const struct finding_rec *r = findings_get(m, rc->first);
	char ev[512];

	fputs("<p class=\"cause\">", o);
	html_text(o, rc_cause_text(rc));
	fprintf(o, "</p>\n<p>Explains %zu finding%s (%" PRIu64
		" occurrence%s) on %zu range%s:", rc->nfind,
		rc->nfind == 1 ? "" : "s", rc->occurrences,
		rc->occurrences == 1 ? "" : "s", rc->nranges,
		rc->nranges == 1 ? "" : "s");
	for (size_t k = 0; k < rc->nranges; k++)
		fprintf(o, " <code>[0x%" PRIx64 ", 0x%" PRIx64 ")</code>",
			rc->ranges[k].lo, rc->ranges[k].hi);
	fputs("</p>\n", o);
	fprintf(o, "<p>First: PE%d <code>0x%" PRIx64 "</code></p>\n", r->f.pe,
		r->f.pc);
	backtrace_html(m, &r->bt, o);
	if (rc->have_write) {
		report_event_text(m, &rc->write, ev, sizeof(ev));
		fputs("<p>Stale since: ", o);
		html_text(o, ev);
		fputs("</p>\n", o);
		backtrace_html(m, &rc->write_bt, o);
	}
	if (rc->have_enable) {
		report_event_text(m, &rc->enable, ev, sizeof(ev));
		fputs("<p>After: ", o);
		html_text(o, ev);
		fputs("</p>\n", o);
		backtrace_html(m, &rc->enable_bt, o);
	}
	fputs("<p class=\"fix\">Fix: ", o);
	html_text(o, rc_fix_text(rc));
	fputs("</p>\n", o);
	/* the first read's line, then the first read of each other line
	 * (up to RC_LINES) */
	for (size_t k = 0; k < rc->nlines; k++)
		timeline(m, rc, rc->line_first[k], o);
	if (rc->nfind > rc->nlines && rc->nlines == RC_LINES)
		fprintf(o, "<p>Timelines of the first %d lines; the other "
			"findings are in the JSON (--json).</p>\n", RC_LINES);
}

static const char style[] =
	"body{font:14px/1.4 sans-serif;margin:1em 2em;color:#222}"
	"table{border-collapse:collapse;margin:.5em 0}"
	"td,th{border:1px solid #ccc;padding:2px 6px;vertical-align:top}"
	"th{background:#eee}code,pre{font:12px monospace}"
	"pre.src{margin:2px 0 0;color:#036;white-space:pre-wrap}"
	"td.st{width:3em;text-align:center;color:#fff;font-size:11px}"
	"td.stale{background:#c33}td.served{outline:3px solid #000}"
	"tr.read td{font-weight:bold}p.fix{font-weight:bold}"
	"ol.bt{margin:0 0 .5em;font:12px monospace;list-style:none}"
	"section.rootcause{border-top:2px solid #888;margin-top:1.5em}"
	".lanes{position:relative;width:100%;max-width:60em}"
	".lane{position:relative;height:1.4em;margin:2px 0 2px 2em;"
	"background:#eef}"
	".lane b{position:absolute;left:-2em;width:1.6em}"
	".stale-span{position:absolute;top:0;bottom:0;background:#c33;"
	"color:#fff;font-size:11px;overflow:hidden;white-space:nowrap}";

/* Each copy's stale windows, drawn from the rows' data-stale: one bar per
 * run of consecutive rows in which the copy may be stale, from the event
 * that made it stale to the last row it stayed stale in. */
static const char script[] =
	"document.querySelectorAll('table.timeline').forEach(function(s){"
	"var rows=s.querySelectorAll('tbody tr'),"
	"lanes=s.previousElementSibling,n=rows.length;"
	"if(!lanes||!n)return;"
	"'UPMI'.split('').forEach(function(c){"
	"var lane=document.createElement('div');lane.className='lane';"
	"lane.dataset.copy=c;lane.innerHTML='<b>'+c+'</b>';"
	"for(var i=0;i<n;){"
	"if(rows[i].dataset.stale.indexOf(c)<0){i++;continue;}"
	"var j=i;while(j+1<n&&rows[j+1].dataset.stale.indexOf(c)>=0)j++;"
	"var b=document.createElement('div');b.className='stale-span';"
	"b.dataset.copy=c;b.dataset.from=rows[i].dataset.seq;"
	"b.dataset.to=rows[j].dataset.seq;"
	"b.style.left=(100*i/n)+'%';b.style.width=(100*(j-i+1)/n)+'%';"
	"b.title=c+' may be stale from #'+b.dataset.from+' to '+"
	"(b.dataset.to=='read'?'the read':'#'+b.dataset.to);"
	"b.textContent=b.title;lane.appendChild(b);i=j+1;}"
	"lanes.appendChild(lane);});});";

void html_write_head(FILE *o, size_t nrc, size_t n, uint64_t total,
		     size_t nsup)
{
	fprintf(o, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta "
		"charset=\"utf-8\"><title>coherent: %zu root cause%s</title>"
		"<style>%s</style></head><body>\n<h1>coherent: %zu root "
		"cause%s, %zu finding%s (%" PRIu64 " occurrence%s), %zu "
		"suppressed</h1>\n", nrc, nrc == 1 ? "" : "s", style, nrc,
		nrc == 1 ? "" : "s", n, n == 1 ? "" : "s", total,
		total == 1 ? "" : "s", nsup);
	fputs("<p class=\"legend\">Copies of a line: <b>U</b> the data "
	      "caches inside the Point of Unification, <b>P</b> the caches "
	      "between the PoU and the PoC, <b>M</b> memory at the PoC, "
	      "<b>I</b> an instruction cache. A red cell: after the event "
	      "(as the model held the line at its next event, or at the "
	      "read) that copy may hold stale bytes of the line; the framed "
	      "cell is the copy the read may be served from.</p>\n", o);
}

void html_write_tail(FILE *o)
{
	fprintf(o, "<script>%s</script>\n</body></html>\n", script);
}

int findings_write_html_to(struct machine *m, FILE *o)
{
	size_t n = findings_count(m), nsup = findings_dropped(m, NULL), nrc;
	struct root_cause *rc;
	uint64_t total = 0;

	for (size_t i = 0; i < n; i++)
		total += findings_get(m, i)->count;
	nrc = rootcauses_build(m, &rc);
	html_write_head(o, nrc, n, total, nsup);
	if (nrc) {
		fputs("<table class=\"summary\"><thead><tr><th>#</th>"
		      "<th>cause</th><th>kind</th><th>findings</th>"
		      "<th>occurrences</th></tr></thead><tbody>\n", o);
		for (size_t i = 0; i < nrc; i++)
			fprintf(o, "<tr><td><a href=\"#rc-%zu\">%zu</a></td>"
				"<td>%s</td><td>%s</td><td>%zu</td><td>%"
				PRIu64 "</td></tr>\n", i + 1, i + 1,
				rc_cause_name(rc[i].cause),
				finding_kind_name(rc[i].kind), rc[i].nfind,
				rc[i].occurrences);
		fputs("</tbody></table>\n", o);
	}
	for (size_t i = 0; i < nrc; i++) {
		html_write_section_head(o, i, rc_cause_name(rc[i].cause),
					finding_kind_name(rc[i].kind));
		html_write_cause_body(m, &rc[i], o);
		fputs("</section>\n", o);
	}
	html_write_tail(o);
	rootcauses_free(rc, nrc);
	if (fclose(o) != 0 || (n && !nrc))
		return -1;
	return 0;
}
