/* ua-ops: prints the op of every row of the agent's dispatch table, one a
 * line, so that a test can send each of them, those added later included,
 * to the restricted socket (tests/integration/test-forward.sh). */
#include "config.h"

#include <stdio.h>

#include "agent.h"

int
main (void)
{
  const char *op;

  for (guint i = 0; (op = ua_dispatch_op (i)) != NULL; i++)
    puts (op);
  return 0;
}
