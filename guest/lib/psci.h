/* PSCI over SMCCC (Arm DEN0022 PSCI, DEN0028 SMCCC). */
#ifndef GUEST_PSCI_H
#define GUEST_PSCI_H

#include "types.h"

#define PSCI_VERSION           0x84000000
#define PSCI_CPU_OFF           0x84000002
#define PSCI_CPU_ON            0xc4000003
#define PSCI_AFFINITY_INFO     0xc4000004
#define PSCI_SYSTEM_OFF        0x84000008
#define PSCI_SYSTEM_RESET      0x84000009
#define PSCI_FEATURES          0x8400000a

#define PSCI_SUCCESS            0
#define PSCI_NOT_SUPPORTED     -1
#define PSCI_INVALID_PARAMETERS -2
#define PSCI_DENIED            -3
#define PSCI_ALREADY_ON        -4
#define PSCI_ON_PENDING        -5
#define PSCI_INTERNAL_FAILURE  -6
#define PSCI_NOT_PRESENT       -7
#define PSCI_DISABLED          -8
#define PSCI_INVALID_ADDRESS   -9

/* SMCCC call through the conduit the device tree named. */
long smccc_call(u64 fn, u64 a1, u64 a2, u64 a3);

long psci_version(void);
long psci_features(u32 fn);
long psci_cpu_on(u64 mpidr, u64 entry, u64 context);
long psci_cpu_off(void);
long psci_affinity_info(u64 mpidr, u32 level);
void __noreturn psci_system_off(void);

#endif
