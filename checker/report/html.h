/* The root causes as one self-contained HTML page (html.c): inline CSS
 * and script, nothing fetched. For each root cause, the timelines of its
 * first read's line and of the first read on each of its next lines
 * (RC_LINES in all): the events with their source lines and, after
 * each, which copies (U, P, M, I: docs/model.md "Components of a line")
 * may be stale; the script draws each copy's stale window from them
 * (docs/usage.md "HTML"). */
#ifndef CHECKER_HTML_H
#define CHECKER_HTML_H

#include <stdint.h>
#include <stdio.h>

struct machine;

struct root_cause;

/* Write the page to o, which it closes; -1 on I/O error. */
int findings_write_html_to(struct machine *m, FILE *o);

/* The page in pieces, for merged runs (allrun.c): the head (title,
 * counts, legend), root cause i's <section> opening and heading, its
 * content (the caller closes the section), and the script and end. */
void html_write_head(FILE *o, size_t nrc, size_t n, uint64_t total,
		     size_t nsup);
void html_write_section_head(FILE *o, size_t i, const char *cause,
			     const char *kind);
void html_write_cause_body(struct machine *m, const struct root_cause *rc,
			   FILE *o);
void html_write_tail(FILE *o);

#endif
