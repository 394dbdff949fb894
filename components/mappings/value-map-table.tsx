'use client';

import { Button } from '@/components/ui/button';
import { Input, Select } from '@/components/ui/field';
import { Table, Td, Th } from '@/components/ui/table';
import type { MappingProblemView, ValueMapView } from './mapping-types';

/** Value maps, read-only or as a form: kind, source value, target value, each problem under its row. */
export function ValueMapTable({
  rows,
  kinds,
  caption,
  editing,
}: {
  rows: ValueMapView[];
  kinds: { value: string; label: string }[];
  caption: string;
  editing?: {
    problems: MappingProblemView[];
    onChange: (index: number, row: ValueMapView) => void;
    onRemove: (index: number) => void;
  };
}) {
  const label = (kind: string) => kinds.find((k) => k.value === kind)?.label ?? kind;
  if (rows.length === 0 && !editing) return <p className="p-4 text-sm text-slate-600">No mappings.</p>;
  return (
    <Table aria-label={caption}>
      <thead className="bg-slate-50">
        <tr>
          <Th>Kind</Th>
          <Th>Source value</Th>
          <Th>Maps to</Th>
          {editing ? (
            <Th>
              <span className="sr-only">Actions</span>
            </Th>
          ) : null}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {rows.map((row, index) => {
          const problems = editing?.problems.filter((p) => p.index === index) ?? [];
          const n = index + 1;
          if (!editing)
            return (
              <tr key={`${row.kind}|${row.sourceValue}`}>
                <Td>{label(row.kind)}</Td>
                <Td className="font-mono">{row.sourceValue}</Td>
                <Td className="font-mono">{row.targetValue}</Td>
              </tr>
            );
          const invalid = (field: string) => problems.some((p) => p.field === field) || undefined;
          return (
            <tr key={index} aria-invalid={problems.length > 0 || undefined}>
              <Td>
                <Select
                  aria-label={`Kind of mapping ${n}`}
                  aria-invalid={invalid('kind')}
                  value={row.kind}
                  onChange={(e) => editing.onChange(index, { ...row, kind: e.target.value })}
                >
                  {kinds.some((k) => k.value === row.kind) ? null : <option value={row.kind}>{row.kind}</option>}
                  {kinds.map((k) => (
                    <option key={k.value} value={k.value}>
                      {k.label}
                    </option>
                  ))}
                </Select>
              </Td>
              <Td>
                <Input
                  aria-label={`Source value of mapping ${n}`}
                  aria-invalid={invalid('sourceValue')}
                  value={row.sourceValue}
                  onChange={(e) => editing.onChange(index, { ...row, sourceValue: e.target.value })}
                />
              </Td>
              <Td>
                <Input
                  aria-label={`Target value of mapping ${n}`}
                  aria-invalid={invalid('targetValue')}
                  value={row.targetValue}
                  onChange={(e) => editing.onChange(index, { ...row, targetValue: e.target.value })}
                />
                {problems.map((p) => (
                  <p key={p.field + p.message} className="mt-1 text-xs text-red-700">
                    {p.message}
                  </p>
                ))}
              </Td>
              <Td>
                <Button size="sm" variant="secondary" onClick={() => editing.onRemove(index)}>
                  Remove<span className="sr-only"> mapping {n}</span>
                </Button>
              </Td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
