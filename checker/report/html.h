/* The root causes as one self-contained HTML page (html.c): inline CSS
 * and script, nothing fetched. For each root cause, the timeline of its
 * first read's line: the events with their source lines and, after
 * each, which copies (U, P, M, I: docs/model.md "Components of a line")
 * may be stale; the script draws each copy's stale window from them
 * (docs/usage.md "HTML"). */
#ifndef CHECKER_HTML_H
#define CHECKER_HTML_H

#include <stdio.h>

struct machine;

/* Write the page to o, which it closes; -1 on I/O error. */
int findings_write_html_to(struct machine *m, FILE *o);

#endif
