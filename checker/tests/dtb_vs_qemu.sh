#!/usr/bin/env bash
# The device tree of coherent's machine against QEMU virt's, for the nodes
# the machine implements (board/dtb.c, docs/machine.md): both dumped with
# `-machine virt,...,dumpdtb=F` (coherent through its qemu-system-aarch64
# name), decompiled by dtc, and compared node by node, property by
# property. QEMU's nodes for devices that are not modelled (flash, fw_cfg,
# virtio, PCIe, RTC, GPIO, PMU, the ITS/v2m frame) are left out; so are
# the values of the random seeds (ours are fixed: a run is deterministic).
# usage: dtb_vs_qemu.sh COHERENT IMAGE_DIR   (QEMU: $QEMU or in PATH)
set -euo pipefail
coherent=$1 dir=$2
qemu=${QEMU:-qemu-system-aarch64}
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
for tool in "$qemu" dtc; do
	if ! command -v "$tool" >/dev/null; then
		echo "FAIL dtb-vs-qemu: $tool not found (scripts/install-deps)"
		exit 1
	fi
done
# The front end answers to its name only.
ln -s "$(realpath "$coherent")" "$t/qemu-system-aarch64"
head -c 100000 /dev/zero >"$t/initrd"
fail=0 n=0

# compare NAME QEMU-ARGS...: one configuration, the same options to both.
compare() {
	local name=$1; shift
	n=$((n + 1))
	if ! "$qemu" -nodefaults -nographic -cpu max "$@" \
		-machine "virt,dumpdtb=$t/q.dtb" >"$t/q.log" 2>&1 ||
	   ! "$t/qemu-system-aarch64" -nodefaults -nographic -cpu max "$@" \
		-machine "virt,dumpdtb=$t/c.dtb" >"$t/c.log" 2>&1; then
		fail=$((fail + 1)); echo "FAIL $name: a dump failed"
		sed 's/^/     | /' "$t/q.log" "$t/c.log" | head -10
		return
	fi
	dtc -q -I dtb -O dts -o "$t/q.dts" "$t/q.dtb"
	dtc -q -I dtb -O dts -o "$t/c.dts" "$t/c.dtb"
	if python3 - "$t/q.dts" "$t/c.dts" >"$t/diff" <<'EOF'; then
import re, sys

def parse(path):
    """{node path: {property: value}} from dtc's dts output."""
    nodes, stack = {}, []
    for line in open(path):
        line = line.strip()
        if not line or line.startswith('/dts-v1/'):
            continue
        m = re.match(r'^([^ ]+) \{$', line)
        if m:
            name = m.group(1)
            stack.append('' if name == '/' else name)
            nodes['/'.join(stack) or '/'] = {}
        elif line == '};':
            stack.pop()
        else:
            m = re.match(r'^([^ =;]+)(?: = (.*))?;$', line)
            assert m, line
            nodes['/'.join(stack) or '/'][m.group(1)] = m.group(2) or ''
    return nodes

q, c = parse(sys.argv[1]), parse(sys.argv[2])
# QEMU's nodes that the machine implements.
implemented = ('/', '/chosen', '/memory@', '/cpus', '/psci', '/intc@8000000',
               '/apb-pclk', '/pl011@9000000', '/timer')
def wanted(p):
    if p.startswith('/intc@8000000/'):
        return False                   # its@, v2m@: no MSI controller
    return any(p == i or p.startswith(i + '/') or
               (i.endswith('@') and p.startswith(i)) for i in implemented)
# Values that may differ: QEMU's seeds are random; present in both.
anyvalue = {('/chosen', 'kaslr-seed'), ('/chosen', 'rng-seed')}
# QEMU's properties for what is not modelled: the GIC maintenance
# interrupt (virtualization=on; no GIC virtualization).
absent = {('/intc@8000000', 'interrupts')}
# GICv2 with virtualization=on: QEMU adds the virtual interface control
# (GICH) and virtual CPU interface (GICV) frames; not modelled.
gich = ' 0x00 0x8030000 0x00 0x10000 0x00 0x8040000 0x00 0x10000>'
bad = 0
for p in sorted(set(q) | set(c)):
    if p not in c:
        if wanted(p):
            print(f'{p}: in QEMU\'s tree, not in ours'); bad += 1
        continue
    if p not in q:
        print(f'{p}: in ours, not in QEMU\'s'); bad += 1
        continue
    for k in sorted(set(q[p]) | set(c[p])):
        if (p, k) in absent and k not in c[p]:
            continue
        if k not in q[p] or k not in c[p]:
            where = 'ours' if k in c[p] else 'QEMU\'s'
            print(f'{p}: {k} only in {where}'); bad += 1
        elif (p, k) == ('/intc@8000000', 'reg') and \
                q[p][k] == c[p][k][:-1] + gich:
            continue
        elif (p, k) not in anyvalue and q[p][k] != c[p][k]:
            print(f'{p}: {k} = {c[p][k]}, QEMU: {q[p][k]}'); bad += 1
sys.exit(1 if bad else 0)
EOF
		echo "ok   $name"
	else
		fail=$((fail + 1)); echo "FAIL $name: differs from QEMU's tree"
		sed 's/^/     | /' "$t/diff" | head -20
	fi
}

compare default
compare gicv3-smp4 -machine gic-version=3 -smp 4
compare gicv2 -machine gic-version=2
compare gicv2-smp8 -machine gic-version=2 -smp 8
compare gicv3-smp20 -machine gic-version=3 -smp 20
compare el2-smp4 -machine virtualization=on -smp 4
compare el2-gicv2 -machine virtualization=on,gic-version=2 -smp 2
compare chosen -m 256 -append "console=ttyAMA0 panic=-1" -initrd "$t/initrd" \
	-kernel "$dir/hello.bin"
compare chosen-1g -m 1G -smp 3 -initrd "$t/initrd" -kernel "$dir/hello.bin"
# A given tree (-dtb): QEMU's own, patched by both loaders alike.
"$qemu" -nodefaults -nographic -cpu max -machine virt,dumpdtb="$t/given.dtb" >/dev/null 2>&1
compare given-dtb -m 512 -dtb "$t/given.dtb" -append "x y" -initrd "$t/initrd" \
	-kernel "$dir/hello.bin"

echo "$((n - fail)) passed, $fail failed"
[[ $fail -eq 0 ]]
