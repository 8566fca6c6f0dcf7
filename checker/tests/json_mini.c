/* See json_mini.h. Recursive descent over RFC 8259's grammar; \u escapes
 * are kept only for ASCII (all the findings writer emits). */
#include "json_mini.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

struct p { const char *s; bool err; };

static void ws(struct p *p)
{
	while (*p->s == ' ' || *p->s == '\n' || *p->s == '\t' || *p->s == '\r')
		p->s++;
}

static struct jval *node(enum jtype t)
{
	struct jval *v = calloc(1, sizeof(*v));

	if (v)
		v->t = t;
	return v;
}

static char *string(struct p *p)
{
	size_t cap = 16, n = 0;
	char *o = malloc(cap);

	if (!o || *p->s != '"') {
		free(o);
		p->err = true;
		return NULL;
	}
	p->s++;
	while (*p->s != '"') {
		char c = *p->s++;

		if (!c || (unsigned char)c < 0x20)
			goto bad;
		if (c == '\\') {
			c = *p->s++;
			switch (c) {
			case '"': case '\\': case '/': break;
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'u': {
				char hex[5] = { 0 };

				for (int i = 0; i < 4; i++) {
					if (!isxdigit((unsigned char)p->s[i]))
						goto bad;
					hex[i] = p->s[i];
				}
				p->s += 4;
				c = (char)strtol(hex, NULL, 16);
				break;
			}
			default: goto bad;
			}
		}
		if (n + 2 > cap) {
			char *t = realloc(o, cap *= 2);

			if (!t)
				goto bad;
			o = t;
		}
		o[n++] = c;
	}
	p->s++;
	o[n] = 0;
	return o;
bad:
	free(o);
	p->err = true;
	return NULL;
}

static struct jval *value(struct p *p);

static bool add(struct jval *v, char *key, struct jval *m)
{
	struct jval **nv = realloc(v->v, (v->n + 1) * sizeof(*nv));
	char **nk = v->t == J_OBJ ? realloc(v->key, (v->n + 1) * sizeof(*nk)) : NULL;

	if (nv)
		v->v = nv;
	if (nk)
		v->key = nk;
	if (!nv || (v->t == J_OBJ && !nk))
		return false;
	if (nk)
		v->key[v->n] = key;
	v->v[v->n++] = m;
	return true;
}

static struct jval *container(struct p *p, bool obj)
{
	struct jval *v = node(obj ? J_OBJ : J_ARR);
	char close = obj ? '}' : ']';

	p->s++;
	ws(p);
	if (*p->s == close) {
		p->s++;
		return v;
	}
	for (;;) {
		char *key = NULL;
		struct jval *m;

		ws(p);
		if (obj) {
			key = string(p);
			ws(p);
			if (!key || *p->s++ != ':') {
				free(key);
				p->err = true;
				return v;
			}
		}
		m = value(p);
		if (!m || !add(v, key, m)) {
			free(key);
			json_free(m);
			p->err = true;
			return v;
		}
		ws(p);
		if (*p->s == ',') {
			p->s++;
			continue;
		}
		if (*p->s++ != close)
			p->err = true;
		return v;
	}
}

static struct jval *value(struct p *p)
{
	struct jval *v;
	char *end;

	ws(p);
	switch (*p->s) {
	case '{': return container(p, true);
	case '[': return container(p, false);
	case '"':
		v = node(J_STR);
		v->str = string(p);
		return v;
	case 't': case 'f': case 'n': {
		static const char *const w[] = { "true", "false", "null" };

		for (int i = 0; i < 3; i++)
			if (!strncmp(p->s, w[i], strlen(w[i]))) {
				p->s += strlen(w[i]);
				v = node(i == 2 ? J_NULL : J_BOOL);
				v->b = i == 0;
				return v;
			}
		p->err = true;
		return NULL;
	}
	default:
		v = node(J_NUM);
		v->num = strtod(p->s, &end);
		if (end == p->s)
			p->err = true;
		p->s = end;
		return v;
	}
}

struct jval *json_parse(const char *text)
{
	struct p p = { text, false };
	struct jval *v = value(&p);

	ws(&p);
	if (p.err || *p.s) {
		json_free(v);
		return NULL;
	}
	return v;
}

void json_free(struct jval *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n; i++) {
		json_free(v->v[i]);
		if (v->key)
			free(v->key[i]);
	}
	free(v->v);
	free(v->key);
	free(v->str);
	free(v);
}

const struct jval *json_get(const struct jval *v, const char *path)
{
	char part[64];

	while (v && *path) {
		size_t n = strcspn(path, ".");
		const struct jval *next = NULL;

		if (n >= sizeof(part))
			return NULL;
		memcpy(part, path, n);
		part[n] = 0;
		path += n + (path[n] == '.');
		if (v->t == J_ARR) {
			char *end;
			unsigned long i = strtoul(part, &end, 10);

			next = !*end && i < v->n ? v->v[i] : NULL;
		} else if (v->t == J_OBJ) {
			for (size_t i = 0; i < v->n; i++)
				if (!strcmp(v->key[i], part))
					next = v->v[i];
		}
		v = next;
	}
	return v;
}
