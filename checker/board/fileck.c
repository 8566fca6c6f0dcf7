/* fileck.h */
#include "fileck.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *file_type_name(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISSOCK(mode))
		return "a socket";
	return "not a file";
}

int open_regular(const char *path, char *err, size_t errlen)
{
	/* O_NONBLOCK: opening a FIFO for reading waits for a writer; with
	 * it the open returns at once and the type check refuses it. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;

	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		snprintf(err, errlen, "%s: cannot stat: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file (%s)", path,
			 file_type_name(st.st_mode));
		close(fd);
		return -1;
	}
	/* Blocking reads from here on (a regular file never blocks, but
	 * libelf need not expect EAGAIN). */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

int read_regular(const char *path, const char *opt, uint64_t max,
		 uint8_t **out, size_t *len, char *err, size_t n)
{
	int fd = open_regular(path, err, n);
	struct stat st;
	uint8_t *buf = NULL;
	size_t got = 0;

	if (fd < 0) {
		char tmp[256];

		snprintf(tmp, sizeof(tmp), "%s", err);
		snprintf(err, n, "%s%s", opt, tmp);
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		snprintf(err, n, "%s%s: cannot stat: %s", opt, path, strerror(errno));
		close(fd);
		return -1;
	}
	if ((uint64_t)st.st_size > max) {
		snprintf(err, n, "%s%s: too large (%llu bytes, at most %llu)",
			 opt, path, (unsigned long long)st.st_size,
			 (unsigned long long)max);
		close(fd);
		return -1;
	}
	buf = malloc(st.st_size ? st.st_size : 1);
	if (!buf) {
		snprintf(err, n, "%s%s: out of memory", opt, path);
		close(fd);
		return -1;
	}
	while (got < (size_t)st.st_size) {
		ssize_t k = read(fd, buf + got, st.st_size - got);

		if (k <= 0)
			break;
		got += k;
	}
	close(fd);
	if (got != (size_t)st.st_size) {
		free(buf);
		snprintf(err, n, "%s%s: read error", opt, path);
		return -1;
	}
	*out = buf;
	*len = got;
	return 0;
}
