/* A tiny aarch64 program for test_symbols: known functions at known
 * lines. test_symbols.c checks the line numbers below: keep them. */
int sym_data = 42;

int sym_target(int x)
{
	return x * 3 + sym_data;        /* line 7 */
}

static inline __attribute__((always_inline)) void sym_inlined(void)
{
	sym_data += 5;                  /* line 12 */
}

void sym_start(void)
{
	sym_data = sym_target(1);
	sym_inlined();                  /* line 18: inlined call */
	for (;;)
		;
}
