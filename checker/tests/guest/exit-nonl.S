// An EXIT line with no newline before SYSTEM_OFF: not a valid "EXIT: STATUS=n" line, so the run
// fails with the bad-EXIT status (123) although the guest powers off.
#include "exit-line.h"
msg:	.ascii	"EXIT: STATUS=0"
msg_end:
