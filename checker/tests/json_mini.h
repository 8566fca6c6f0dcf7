/* A minimal JSON reader for the tests: parses a whole document into a
 * tree (strict syntax, so a malformed file fails the test) and looks
 * values up by path ("findings.0.kind"). Test code only. */
#ifndef CHECKER_TEST_JSON_MINI_H
#define CHECKER_TEST_JSON_MINI_H

#include <stdbool.h>
#include <stddef.h>

enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jval {
	enum jtype t;
	bool b;
	double num;
	char *str;              /* J_STR */
	size_t n;               /* J_ARR, J_OBJ: members */
	char **key;             /* J_OBJ */
	struct jval **v;
};

/* NULL on a syntax error. */
struct jval *json_parse(const char *text);
void json_free(struct jval *v);
/* Path of object keys and array indices separated by '.'; NULL if absent. */
const struct jval *json_get(const struct jval *v, const char *path);

#endif
