/* QEMU's -fw_cfg option (fwcfg.h fwcfg_add_user): a file the user puts
 * in the directory, as QEMU's softmmu/vl.c parse_fw_cfg takes it:
 * name and exactly one of file= and string= (gen_id= names a QEMU
 * object, which this machine has none of), names under 56 bytes, a
 * warning for names outside "opt/" (QEMU docs/specs/fw_cfg.rst
 * "Externally Provided Items": etc/ is QEMU's own), and a string stored
 * without its NUL. */
#include "board/fwcfg.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board/fileck.h"

/* QEMU reads the file whole (g_file_get_contents); a limit keeps a
 * mistaken path from taking the host's memory. */
#define MAX_USER_FILE (64u << 20)

/* "key=value" at the start of item: the value, or NULL. */
static const char *value_of(const char *item, const char *key)
{
	size_t n = strlen(key);

	return !strncmp(item, key, n) && item[n] == '=' ? item + n + 1 : NULL;
}

int fwcfg_add_user(struct machine *m, const char *spec, char *err,
		   size_t errlen)
{
	const char *name = NULL, *file = NULL, *str = NULL, *v;
	char *copy = strdup(spec), *item, *rest;
	uint8_t *buf = NULL;
	size_t len = 0;
	bool first = true;
	int r = -1;

	if (!copy) {
		snprintf(err, errlen, "-fw_cfg: out of memory");
		return -1;
	}
	/* QemuOpts: a first item without "=" is the implied name. */
	for (rest = copy; (item = strsep(&rest, ",")); first = false) {
		if ((v = value_of(item, "name")))
			name = v;
		else if ((v = value_of(item, "file")))
			file = v;
		else if ((v = value_of(item, "string")))
			str = v;
		else if (first && !strchr(item, '='))
			name = item;
		else {
			snprintf(err, errlen, "-fw_cfg %s: Invalid parameter '%.*s'",
				 spec, (int)strcspn(item, "="), item);
			goto out;
		}
	}
	if (!name || !*name || (file && *file) + (str && *str) != 1) {
		snprintf(err, errlen, "-fw_cfg %s: name, plus exactly one of "
			 "file, string and gen_id, are needed", spec);
		goto out;
	}
	if (strlen(name) > FWCFG_NAME_SIZE - 1) {
		snprintf(err, errlen, "-fw_cfg %s: name too long (max. %d char)",
			 spec, FWCFG_NAME_SIZE - 1);
		goto out;
	}
	if (strncmp(name, "opt/", 4))
		fprintf(stderr, "coherent: warning: -fw_cfg %s: externally "
			"provided fw_cfg item names should be prefixed with "
			"\"opt/\"\n", name);
	if (str && *str) {
		len = strlen(str);
		buf = malloc(len);
		if (buf)
			memcpy(buf, str, len);
	} else if (read_regular(file, "-fw_cfg file=", MAX_USER_FILE, &buf, &len,
				err, errlen) < 0) {
		goto out;
	}
	if (!buf) {
		snprintf(err, errlen, "-fw_cfg %s: out of memory", spec);
		goto out;
	}
	if (fwcfg_find_file(m, name)) {
		snprintf(err, errlen, "-fw_cfg %s: duplicate fw_cfg file name: %s",
			 spec, name);
		goto out;
	}
	if (fwcfg_add_file(m, name, buf, len) < 0) {
		snprintf(err, errlen, "-fw_cfg %s: the fw_cfg directory is full "
			 "(%d files) or out of memory", spec, FWCFG_MAX_FILES);
		goto out;
	}
	r = 0;
out:
	free(buf);
	free(copy);
	return r;
}
