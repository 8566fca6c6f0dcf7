/* SMBIOS tables as QEMU virt hands them to firmware through fw_cfg
 * (etc/smbios/smbios-tables and etc/smbios/smbios-anchor, QEMU
 * docs/specs/fw_cfg.rst), from the machine's RAM size and PE count. */
#ifndef CHECKER_SMBIOS_H
#define CHECKER_SMBIOS_H

struct machine;

/* Both files in fw_cfg's directory: 0, or -1 when out of host memory
 * or the directory is full. */
int smbios_add_fwcfg(struct machine *m);

#endif
