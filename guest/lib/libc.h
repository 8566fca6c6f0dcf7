/* The C library subset of the guest. */
#ifndef GUEST_LIBC_H
#define GUEST_LIBC_H

#include "types.h"

void *memset(void *s, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *s, const char *needle);
unsigned long strtoul(const char *s, char **end, int base);
long atol(const char *s);

/* For %pV: a format and its arguments, formatted in place (Linux printk). */
struct va_format {
	const char *fmt;
	va_list *va;
};

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int vprintf(const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
int printf(const char *fmt, ...) __printf(1, 2);
int puts(const char *s);

void *malloc(size_t size);
void *calloc(size_t n, size_t size);
void *memalign(size_t align, size_t size);
void free(void *p);
void *realloc(void *p, size_t size);

void __noreturn exit(int status);
void __noreturn abort(void);

#define assert(cond) do {                                                \
	if (!(cond)) {                                                   \
		printf("%s:%d: assert failed: %s\n", __FILE__, __LINE__, #cond); \
		abort();                                                 \
	}                                                                \
} while (0)

/* assert with a message saying what was wrong (kvm-unit-tests' libcflat.h). */
#define assert_msg(cond, fmt, ...) do {                                   \
	if (!(cond)) {                                                   \
		printf("%s:%d: assert failed: %s: " fmt "\n", __FILE__, __LINE__, \
		       #cond, ##__VA_ARGS__);                            \
		abort();                                                 \
	}                                                                \
} while (0)

#endif
