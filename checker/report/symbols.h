/* Guest symbolisation for reports: address -> symbol+offset and
 * file:line from the image's ELF (libelf symbol table, libdw line table),
 * and instruction text (capstone). */
#ifndef CHECKER_SYMBOLS_H
#define CHECKER_SYMBOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct symbols;

struct sym_info {
	const char *name;       /* NULL when no symbol covers the address */
	uint64_t offset;        /* from the symbol's start */
	uint64_t start;         /* the symbol's ELF address */
	const char *file;       /* basename, NULL without line info */
	int line;
	/* The same file as the DWARF line table names it (absolute as
	 * libdw joins it), and the directory its unit was compiled in:
	 * report paths relative to the source root (SARIF). NULL when
	 * unknown. */
	const char *path;
	const char *comp_dir;
	/* When the address is in code inlined into the symbol's function:
	 * where in that function the (outermost) inlined call is. */
	const char *call_file;  /* basename, NULL if not inlined */
	int call_line;
};

/* Open an ELF; NULL with a message in err on failure. */
struct symbols *symbols_open(const char *path, char *err, size_t errlen);
void symbols_close(struct symbols *s);
/* The address the guest ran the ELF at minus its link address: a
 * position-independent ELF (ET_DYN, linked at 0, relocating itself)
 * runs at the image's load address; an ET_EXEC runs where linked. */
uint64_t symbols_bias(const struct symbols *s, uint64_t load_addr);
/* Look up an ELF address (guest address minus the bias). */
bool symbols_lookup(struct symbols *s, uint64_t addr, struct sym_info *out);
/* Address of a symbol by name (ELF address), for tests; false if absent. */
bool symbols_find(struct symbols *s, const char *name, uint64_t *addr);

/* Does the ELF belong to the image? The image as loaded (before it ran):
 * regions of guest addresses with their bytes. Every byte of the ELF's
 * PT_LOAD contents (at p_vaddr + bias) that falls in a region must equal
 * the region's, and some must fall in one. 0, or -1 with the reason in
 * err. */
struct sym_region {
	uint64_t addr, len;
	const uint8_t *bytes;
};
int symbols_check_image(struct symbols *s, uint64_t bias,
			const struct sym_region *r, unsigned nr, char *err,
			size_t errlen);

/* The image file's ELF: FILE.elf beside FILE.bin, or FILE itself if it
 * is an ELF. Returns a malloc'd path or NULL. */
char *symbols_elf_beside(const char *image);

#endif
