/* Opening the files named on the command line: the image and the ELF
 * must be regular files (a FIFO would block the open or the read for
 * ever, a directory or device is not an image). */
#ifndef CHECKER_FILECK_H
#define CHECKER_FILECK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Open path read-only if it is a regular file: the fd, or -1 with
 * "PATH: cannot open: ..." or "PATH: not a regular file (a FIFO)" in err. */
int open_regular(const char *path, char *err, size_t errlen);
/* The whole of a regular file, at most max bytes, in a buffer of the
 * caller's to free: 0, or -1 with "OPTPATH: ..." in err, opt being ""
 * for the image, "--dtb " etc. */
int read_regular(const char *path, const char *opt, uint64_t max,
		 uint8_t **out, size_t *len, char *err, size_t n);
/* "a FIFO", "a directory", ...: for messages. */
const char *file_type_name(mode_t mode);

#endif
