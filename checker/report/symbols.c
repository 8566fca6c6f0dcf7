/* Symbolisation of guest addresses (symbols.h). The symbol table is read
 * once into an array sorted by address, so a lookup is a binary search:
 * the audit looks up the PC of every cache maintenance instruction. */
#include "report/symbols.h"
#include "board/fileck.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct sym {
	uint64_t addr, size;
	const char *name;       /* points into the ELF's string table */
};

struct symbols {
	int fd;
	Elf *elf;
	Dwarf *dw;              /* NULL without DWARF */
	bool dyn;               /* ET_DYN: runs at its load address */
	struct sym *v;
	size_t n;
	uint64_t lo, hi;        /* span of the allocated sections */
	char file[256];         /* last file names returned */
	char call_file[256];
	char path[1024];
	char comp_dir[1024];
};

static int cmp_sym(const void *a, const void *b)
{
	const struct sym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	/* Among symbols at one address prefer the sized one (a function
	 * over a local label). */
	return (x->size < y->size) - (x->size > y->size);
}

/* Mapping symbols ($x, $d) and section symbols name no code. */
static bool useful(const GElf_Sym *s, const char *name)
{
	unsigned t = GELF_ST_TYPE(s->st_info);

	if (!name || !*name || name[0] == '$' || s->st_shndx == SHN_UNDEF ||
	    s->st_shndx == SHN_ABS)
		return false;
	return t == STT_FUNC || t == STT_NOTYPE || t == STT_OBJECT;
}

/* An unsized label covers up to the next symbol, so the last one would
 * cover all addresses above it: only addresses inside the image's
 * allocated sections are looked up. */
static void read_span(struct symbols *s)
{
	Elf_Scn *scn = NULL;

	s->lo = ~0ull;
	while ((scn = elf_nextscn(s->elf, scn))) {
		GElf_Shdr sh;

		if (!gelf_getshdr(scn, &sh) || !(sh.sh_flags & SHF_ALLOC) ||
		    !sh.sh_size)
			continue;
		if (sh.sh_addr < s->lo)
			s->lo = sh.sh_addr;
		if (sh.sh_addr + sh.sh_size > s->hi)
			s->hi = sh.sh_addr + sh.sh_size;
	}
}

static int read_symtab(struct symbols *s)
{
	Elf_Scn *scn = NULL;

	read_span(s);
	while ((scn = elf_nextscn(s->elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;
		size_t cnt;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB ||
		    !sh.sh_entsize)
			continue;
		d = elf_getdata(scn, NULL);
		if (!d)
			continue;
		cnt = sh.sh_size / sh.sh_entsize;
		s->v = calloc(cnt ? cnt : 1, sizeof(*s->v));
		if (!s->v)
			return -1;
		for (size_t i = 0; i < cnt; i++) {
			GElf_Sym sym;
			const char *name;

			if (!gelf_getsym(d, i, &sym))
				continue;
			name = elf_strptr(s->elf, sh.sh_link, sym.st_name);
			if (!useful(&sym, name))
				continue;
			s->v[s->n++] = (struct sym){ sym.st_value, sym.st_size,
						     name };
		}
		break;
	}
	/* No .symtab (a stripped ELF): no array at all, and qsort's
	 * base must not be NULL even for no elements. */
	if (s->n)
		qsort(s->v, s->n, sizeof(*s->v), cmp_sym);
	return 0;
}

struct symbols *symbols_open(const char *path, char *err, size_t errlen)
{
	struct symbols *s = calloc(1, sizeof(*s));
	GElf_Ehdr eh;

	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	elf_version(EV_CURRENT);
	s->fd = open_regular(path, err, errlen);
	if (s->fd < 0) {
		free(s);
		return NULL;
	}
	s->elf = elf_begin(s->fd, ELF_C_READ_MMAP, NULL);
	if (!s->elf || elf_kind(s->elf) != ELF_K_ELF || !gelf_getehdr(s->elf, &eh)) {
		snprintf(err, errlen, "%s: not an ELF file", path);
		symbols_close(s);
		return NULL;
	}
	/* Another architecture's symbols would name the wrong code. */
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_machine != EM_AARCH64) {
		snprintf(err, errlen, "%s: not an AArch64 ELF (e_machine %u)",
			 path, (unsigned)eh.e_machine);
		symbols_close(s);
		return NULL;
	}
	s->dyn = eh.e_type == ET_DYN;
	if (read_symtab(s) < 0) {
		snprintf(err, errlen, "out of memory");
		symbols_close(s);
		return NULL;
	}
	/* No DWARF is fine: symbols only. */
	s->dw = dwarf_begin_elf(s->elf, DWARF_C_READ, NULL);
	return s;
}

void symbols_close(struct symbols *s)
{
	if (!s)
		return;
	if (s->dw)
		dwarf_end(s->dw);
	if (s->elf)
		elf_end(s->elf);
	if (s->fd >= 0)
		close(s->fd);
	free(s->v);
	free(s);
}

uint64_t symbols_bias(const struct symbols *s, uint64_t load_addr)
{
	return s->dyn ? load_addr : 0;
}

/* The symbol an address is in: the nearest sized symbol (function,
 * object) below it if it covers the address, else the nearest unsized
 * one (an assembly label), which covers up to the next symbol. */
static const struct sym *find(const struct symbols *s, uint64_t addr)
{
	const struct sym *label = NULL;
	size_t lo = 0, hi = s->n;

	if (addr < s->lo || addr >= s->hi)
		return NULL;
	while (lo < hi) {               /* lo: first symbol above addr */
		size_t mid = lo + (hi - lo) / 2;

		if (s->v[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i-- > 0;) {
		const struct sym *y = &s->v[i];

		if (y->size)
			return addr - y->addr < y->size ? y : label;
		if (!label)
			label = y;
	}
	return label;
}

static const char *base(const char *f)
{
	const char *slash = strrchr(f, '/');

	return slash ? slash + 1 : f;
}

/* The outermost inlined call containing addr: a site "setup.c:54" inside
 * a helper inlined into boot_primary is more useful with the line of
 * boot_primary that called it. Scopes come innermost first. */
static void lookup_inline(struct symbols *s, Dwarf_Die *cu, uint64_t addr,
			  struct sym_info *out)
{
	Dwarf_Die *scopes = NULL;
	int n = dwarf_getscopes(cu, addr, &scopes);
	Dwarf_Files *files;
	size_t nfiles;

	for (int i = n - 1; i >= 0; i--) {
		Dwarf_Attribute a;
		Dwarf_Word line, file;
		const char *f;

		if (dwarf_tag(&scopes[i]) != DW_TAG_inlined_subroutine)
			continue;
		if (!dwarf_attr(&scopes[i], DW_AT_call_line, &a) ||
		    dwarf_formudata(&a, &line) != 0 ||
		    !dwarf_attr(&scopes[i], DW_AT_call_file, &a) ||
		    dwarf_formudata(&a, &file) != 0 ||
		    dwarf_getsrcfiles(cu, &files, &nfiles) != 0 ||
		    file >= nfiles || !(f = dwarf_filesrc(files, file, NULL, NULL)))
			break;
		snprintf(s->call_file, sizeof(s->call_file), "%s", base(f));
		out->call_file = s->call_file;
		out->call_line = (int)line;
		break;
	}
	free(scopes);
}

static void lookup_line(struct symbols *s, uint64_t addr, struct sym_info *out)
{
	Dwarf_Attribute a;
	Dwarf_Die cu;
	Dwarf_Line *l;
	const char *f, *dir;

	if (!s->dw || !dwarf_addrdie(s->dw, addr, &cu))
		return;
	lookup_inline(s, &cu, addr, out);
	l = dwarf_getsrc_die(&cu, addr);
	if (!l || dwarf_lineno(l, &out->line) != 0)
		return;
	f = dwarf_linesrc(l, NULL, NULL);
	if (!f)
		return;
	snprintf(s->file, sizeof(s->file), "%s", base(f));
	out->file = s->file;
	snprintf(s->path, sizeof(s->path), "%s", f);
	out->path = s->path;
	if (dwarf_attr(&cu, DW_AT_comp_dir, &a) &&
	    (dir = dwarf_formstring(&a))) {
		snprintf(s->comp_dir, sizeof(s->comp_dir), "%s", dir);
		out->comp_dir = s->comp_dir;
	}
}

bool symbols_lookup(struct symbols *s, uint64_t addr, struct sym_info *out)
{
	const struct sym *y = s ? find(s, addr) : NULL;

	memset(out, 0, sizeof(*out));
	if (!s)
		return false;
	if (y) {
		out->name = y->name;
		out->start = y->addr;
		out->offset = addr - y->addr;
	}
	lookup_line(s, addr, out);
	return y || out->file;
}

bool symbols_find(struct symbols *s, const char *name, uint64_t *addr)
{
	for (size_t i = 0; s && i < s->n; i++)
		if (!strcmp(s->v[i].name, name)) {
			*addr = s->v[i].addr;
			return true;
		}
	return false;
}

int symbols_check_image(struct symbols *s, uint64_t bias,
			const struct sym_region *r, unsigned nr, char *err,
			size_t errlen)
{
	size_t phnum, size;
	const uint8_t *file = (const uint8_t *)elf_rawfile(s->elf, &size);
	uint64_t overlap = 0;

	if (!file || elf_getphdrnum(s->elf, &phnum) != 0) {
		snprintf(err, errlen, "cannot read its program headers");
		return -1;
	}
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;
		uint64_t a;

		if (!gelf_getphdr(s->elf, i, &ph) || ph.p_type != PT_LOAD ||
		    !ph.p_filesz)
			continue;
		if (ph.p_offset > size || ph.p_filesz > size - ph.p_offset) {
			snprintf(err, errlen, "segment %zu is outside the file", i);
			return -1;
		}
		a = ph.p_vaddr + bias;
		for (unsigned k = 0; k < nr; k++) {
			uint64_t lo = a > r[k].addr ? a : r[k].addr;
			uint64_t hi_a = a + ph.p_filesz, hi_r = r[k].addr + r[k].len;
			uint64_t hi = hi_a < hi_r ? hi_a : hi_r;
			const uint8_t *x, *y;

			if (lo >= hi)
				continue;
			x = file + ph.p_offset + (lo - a);
			y = r[k].bytes + (lo - r[k].addr);
			for (uint64_t j = 0; j < hi - lo; j++)
				if (x[j] != y[j]) {
					snprintf(err, errlen, "its bytes differ "
						 "from the image's at 0x%llx",
						 (unsigned long long)(lo + j));
					return -1;
				}
			overlap += hi - lo;
		}
	}
	if (!overlap) {
		snprintf(err, errlen, "none of its segments is where the image "
			 "was loaded");
		return -1;
	}
	return 0;
}

char *symbols_elf_beside(const char *image)
{
	size_t n = strlen(image);
	char *p = malloc(n + 5);
	unsigned char magic[4];
	char err[300];
	int fd;

	if (!p)
		return NULL;
	/* The image itself may be the ELF. */
	fd = open_regular(image, err, sizeof(err));
	if (fd >= 0) {
		bool elf = read(fd, magic, 4) == 4 && !memcmp(magic, ELFMAG, 4);

		close(fd);
		if (elf) {
			memcpy(p, image, n + 1);
			return p;
		}
	}
	memcpy(p, image, n + 1);
	/* NAME.flat: kvm-unit-tests' raw images, beside their NAME.elf. */
	if (n > 4 && !strcmp(p + n - 4, ".bin"))
		p[n - 4] = 0;
	else if (n > 5 && !strcmp(p + n - 5, ".flat"))
		p[n - 5] = 0;
	strcat(p, ".elf");
	if (access(p, R_OK) == 0)
		return p;
	free(p);
	return NULL;
}
