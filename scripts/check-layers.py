#!/usr/bin/env python3
"""Checks that the checker's folders form layers (checker/layers.conf).

Two graphs between the folders of checker/, each edge from a folder that
uses to a folder that is used:
  - includes: every #include "..." of checker/DIR/*.[ch] (and main.c,
    the top);
  - calls (when objects are given): an undefined symbol of an object of
    DIR that only objects of a higher folder define.
An edge to a higher layer, unless layers.conf allows it, fails the check;
so does any cycle in the include graph left without the allowed edges,
and an allowed edge that no longer occurs (the list only shrinks).

usage: scripts/check-layers.py [--conf FILE] [--objs DIR] [--graph]
  --objs DIR  build/checker/obj: per-folder objects for the call check
  --graph     print the include graph too
"""
import argparse, glob, os, re, subprocess, sys

ROOT = 'checker'


def read_conf(path):
    layers, allowed = [], set()
    for line in open(path):
        line = line.split('#', 1)[0].split()
        if not line:
            continue
        if line[0] == 'allow' and len(line) == 4 and line[2] == '->':
            allowed.add((line[1], line[3]))
        elif len(line) == 1:
            layers.append(line[0])
        else:
            sys.exit(f'{path}: cannot read: {" ".join(line)}')
    return layers, allowed


def folder_of(path):
    rel = os.path.relpath(path, ROOT)
    return rel.split(os.sep)[0] if os.sep in rel else 'main'


def include_edges(layers):
    edges = {}
    files = [f for d in layers if d != 'main'
             for f in glob.glob(f'{ROOT}/{d}/*.[ch]')] + [f'{ROOT}/main.c']
    for f in files:
        src = folder_of(f)
        for n, line in enumerate(open(f), 1):
            m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
            if not m:
                continue
            inc = m.group(1)
            here = os.path.normpath(os.path.join(os.path.dirname(f), inc))
            target = here if os.path.exists(here) else os.path.join(ROOT, inc)
            if not os.path.exists(target):
                sys.exit(f'{f}:{n}: include "{inc}" not found')
            dst = folder_of(target)
            if dst != src:
                edges.setdefault((src, dst), []).append(f'{f}:{n}')
    return edges


def call_edges(objdir, layers):
    defs, undefs = {}, {}
    for d in layers:
        for o in glob.glob(f'{objdir}/{d}/*.o'):
            out = subprocess.run(['nm', o], capture_output=True, text=True,
                                 check=True).stdout
            for line in out.splitlines():
                p = line.split()
                if len(p) == 2 and p[0] == 'U':
                    undefs.setdefault(d, {}).setdefault(p[1], o)
                elif len(p) == 3 and p[1] in 'TDBRCVW':
                    defs.setdefault(p[2], set()).add(d)
    edges = {}
    for d, syms in undefs.items():
        for s, o in syms.items():
            where = defs.get(s, set()) - {d}
            if where and not (where & set(layers[:layers.index(d)])):
                for w in where:
                    edges.setdefault((d, w), []).append(f'{o}: {s}')
    return edges


def cycles(edges):
    graph = {}
    for a, b in edges:
        graph.setdefault(a, set()).add(b)
    found, state = [], {}

    def visit(n, path):
        state[n] = 1
        for m in sorted(graph.get(n, ())):
            if state.get(m) == 1:
                found.append(path[path.index(m):] + [m])
            elif m not in state:
                visit(m, path + [m])
        state[n] = 2
    for n in sorted(graph):
        if n not in state:
            visit(n, [n])
    return found


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--conf', default=f'{ROOT}/layers.conf')
    ap.add_argument('--objs')
    ap.add_argument('--graph', action='store_true')
    a = ap.parse_args()
    layers, allowed = read_conf(a.conf)
    rank = {d: i for i, d in enumerate(layers)}
    for d in sorted(glob.glob(f'{ROOT}/*/')):
        d = os.path.basename(d.rstrip('/'))
        if d not in rank and d not in ('tests', 'bench'):
            sys.exit(f'check-layers: folder checker/{d}/ is in no layer of {a.conf}')
    bad = 0
    inc = include_edges(layers)
    if a.graph:
        for (s, d), w in sorted(inc.items()):
            print(f'include {s} -> {d} ({len(w)})')
    kinds = [('include', inc)]
    if a.objs:
        kinds.append(('call', call_edges(a.objs, layers)))
    seen_allowed = set()
    for kind, edges in kinds:
        for (s, d), where in sorted(edges.items()):
            if rank[d] < rank[s]:
                continue
            if (s, d) in allowed:
                seen_allowed.add((s, d))
                continue
            bad += 1
            print(f'check-layers: {kind} from {s}/ up to {d}/, e.g. {where[0]}'
                  f' ({len(where)} in all)')
    for c in cycles({e: w for e, w in inc.items() if e not in allowed}):
        bad += 1
        print('check-layers: include cycle ' + ' -> '.join(c))
    for s, d in sorted(allowed - seen_allowed):
        bad += 1
        print(f'check-layers: {a.conf} allows {s} -> {d}, which no longer'
              ' occurs: remove the line')
    if bad:
        sys.exit(1)
    print(f'check-layers: {len(layers)} layers, {len(inc)} include edges'
          f'{", calls checked" if a.objs else ""}, all pointing down'
          f'{f" but {len(allowed)} allowed" if allowed else ""}')


main()
