/* libfdt's environment for the freestanding guest. libfdt.h includes
 * <libfdt_env.h>; Debian's copy pulls in the hosted <stdlib.h> and
 * <string.h>, which an arm64 cross compiler without libc6-dev-arm64-cross
 * does not have, and which a freestanding image must not see anyway. This
 * one (found first: -Iguest/lib precedes the libfdt include directory)
 * uses only the compiler's freestanding headers and the guest's libc.h,
 * as U-Boot and Linux give libfdt their own. The byte-order helpers are
 * the device tree's big-endian cells (Devicetree Specification v0.4,
 * section 5.2: "all integers are big-endian"). */
#ifndef LIBFDT_ENV_H
#define LIBFDT_ENV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libc.h"

#ifndef INT_MAX
#define INT_MAX __INT_MAX__
#endif
#ifndef INT32_MAX
#define INT32_MAX __INT32_MAX__
#endif
#ifndef UINT32_MAX
#define UINT32_MAX __UINT32_MAX__
#endif

#define FDT_FORCE
#define FDT_BITWISE

typedef uint16_t fdt16_t;
typedef uint32_t fdt32_t;
typedef uint64_t fdt64_t;

static inline uint16_t fdt16_to_cpu(fdt16_t x) { return __builtin_bswap16(x); }
static inline fdt16_t cpu_to_fdt16(uint16_t x) { return __builtin_bswap16(x); }
static inline uint32_t fdt32_to_cpu(fdt32_t x) { return __builtin_bswap32(x); }
static inline fdt32_t cpu_to_fdt32(uint32_t x) { return __builtin_bswap32(x); }
static inline uint64_t fdt64_to_cpu(fdt64_t x) { return __builtin_bswap64(x); }
static inline fdt64_t cpu_to_fdt64(uint64_t x) { return __builtin_bswap64(x); }

#endif
