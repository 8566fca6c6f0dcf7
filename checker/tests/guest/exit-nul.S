// A NUL before EXIT on the line: not a valid "EXIT: STATUS=n" line, so the run
// fails with the bad-EXIT status (123) although the guest powers off.
#include "exit-line.h"
msg:	.ascii	"\0EXIT: STATUS=0\n"
msg_end:
