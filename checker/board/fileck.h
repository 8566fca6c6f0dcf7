/* Opening the files named on the command line: the image and the ELF
 * must be regular files (a FIFO would block the open or the read for
 * ever, a directory or device is not an image). */
#ifndef CHECKER_FILECK_H
#define CHECKER_FILECK_H

#include <stddef.h>
#include <sys/types.h>

/* Open path read-only if it is a regular file: the fd, or -1 with
 * "PATH: cannot open: ..." or "PATH: not a regular file (a FIFO)" in err. */
int open_regular(const char *path, char *err, size_t errlen);
/* "a FIFO", "a directory", ...: for messages. */
const char *file_type_name(mode_t mode);

#endif
