// An out-of-range status (256 would wrap to 0): not a valid "EXIT: STATUS=n" line, so the run
// fails with the bad-EXIT status (123) although the guest powers off.
#include "exit-line.h"
msg:	.ascii	"EXIT: STATUS=256\n"
msg_end:
