'use client';

import { useState } from 'react';
import { ChangeDiff, type DiffColumn } from '@/components/governance/change-diff';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Input, Select } from '@/components/ui/field';
import { Table, Td, Th } from '@/components/ui/table';
import type {
  FieldMapChangeView,
  FieldMapProblemView,
  FieldMapView,
  FieldTransformView,
  SourceRecordView,
} from './mapping-types';

type TransformName = FieldTransformView['name'];
type DateLayout = Extract<FieldTransformView, { name: 'date_format' }>['from'];

const TRANSFORMS: Record<TransformName, string> = {
  trim: 'Trim',
  upper: 'Upper case',
  lookup: 'Look up value map',
  default: 'Default when empty',
  date_format: 'Date from layout',
  decimal_scale: 'Round to decimal places',
};
const TRANSFORM_NAMES = Object.keys(TRANSFORMS) as TransformName[];

interface Options {
  sources: SourceRecordView[];
  kinds: { value: string; label: string }[];
  dateLayouts: string[];
}

/** A transform as one reads it: "upper", "lookup currency", "date_format DD.MM.YYYY". */
export function transformText(t: FieldTransformView): string {
  switch (t.name) {
    case 'lookup':
      return `lookup ${t.kind}`;
    case 'default':
      return `default "${t.value}"`;
    case 'date_format':
      return `date from ${t.from}`;
    case 'decimal_scale':
      return `${t.scale} decimal places`;
    default:
      return t.name;
  }
}

const chainText = (transforms: FieldTransformView[]) =>
  transforms.length === 0 ? 'as it is' : transforms.map(transformText).join(' → ');

function newTransform(name: TransformName, { kinds, dateLayouts }: Options): FieldTransformView {
  switch (name) {
    case 'lookup':
      return { name, kind: kinds[0]?.value ?? '' };
    case 'default':
      return { name, value: '' };
    case 'date_format':
      return { name, from: (dateLayouts[0] ?? 'YYYY-MM-DD') as DateLayout };
    case 'decimal_scale':
      return { name, scale: 2 };
    default:
      return { name };
  }
}

const DIFF_COLUMNS: DiffColumn<FieldMapView>[] = [
  { field: 'sourceField', header: 'Source field' },
  { field: 'transforms', header: 'Transforms', format: (_value, row) => chainText(row.transforms) },
];

/** Field map changes between two versions (or a draft and the version in force). */
export function FieldMapDiff({ changes, caption }: { changes: FieldMapChangeView[]; caption: string }) {
  if (changes.length === 0) return null;
  return (
    <ChangeDiff
      changes={changes}
      rowHeader="Field map"
      rowLabel={(row) => `${row.source} → ${row.attribute}`}
      columns={DIFF_COLUMNS}
      caption={caption}
    />
  );
}

/**
 * The field maps of a scope — a source field into a canonical attribute through ordered
 * transforms, overriding the routine's built-in mapping of that attribute — read-only, or as a
 * form whose problems sit on their row.
 */
export function FieldMapsCard({
  rows,
  options,
  editing,
}: {
  rows: FieldMapView[];
  options: Options;
  editing?: { problems: FieldMapProblemView[]; onChange: (rows: FieldMapView[]) => void };
}) {
  const { sources } = options;
  if (sources.length === 0 && rows.length === 0) return null;
  const first = sources[0];
  return (
    <Card className="mb-6">
      <section aria-label="Field maps">
        <div className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 px-4 py-3">
          <div>
            <h2 className="font-semibold">Field maps</h2>
            <p className="text-sm text-slate-600">
              A source field into a canonical attribute, through transforms applied in order; it replaces the
              routine&apos;s built-in mapping of that attribute.
            </p>
          </div>
          {editing && first ? (
            <Button
              variant="secondary"
              onClick={() =>
                editing.onChange([
                  ...rows,
                  {
                    source: first.value,
                    sourceField: first.fields[0] ?? '',
                    attribute: first.attributes[0] ?? '',
                    transforms: [],
                  },
                ])
              }
            >
              Add field map
            </Button>
          ) : null}
        </div>
        {rows.length === 0 ? (
          <p className="p-4 text-sm text-slate-600">No field maps: the routines map every attribute themselves.</p>
        ) : (
          <Table aria-label={editing ? 'Field maps being edited' : 'Field maps in force'}>
            <thead className="bg-slate-50">
              <tr>
                <Th>Source record</Th>
                <Th>Source field</Th>
                <Th>Canonical attribute</Th>
                <Th>Transforms</Th>
                {editing ? (
                  <Th>
                    <span className="sr-only">Actions</span>
                  </Th>
                ) : null}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((row, index) =>
                editing ? (
                  <FieldMapRowEditor
                    key={index}
                    row={row}
                    n={index + 1}
                    options={options}
                    problems={editing.problems.filter((p) => p.index === index)}
                    onChange={(next) => editing.onChange(rows.map((r, i) => (i === index ? next : r)))}
                    onRemove={() => editing.onChange(rows.filter((_, i) => i !== index))}
                  />
                ) : (
                  <tr key={`${row.source}|${row.attribute}`}>
                    <Td>{sources.find((s) => s.value === row.source)?.label ?? row.source}</Td>
                    <Td className="font-mono">{row.sourceField}</Td>
                    <Td className="font-mono">{row.attribute}</Td>
                    <Td>{chainText(row.transforms)}</Td>
                  </tr>
                ),
              )}
            </tbody>
          </Table>
        )}
      </section>
    </Card>
  );
}

/** A select of these values, keeping a value that is not among them (a row saved before) visible. */
function Choice({
  label,
  value,
  values,
  invalid,
  onChange,
}: {
  label: string;
  value: string;
  values: { value: string; label: string }[];
  invalid?: boolean;
  onChange: (value: string) => void;
}) {
  return (
    <Select
      aria-label={label}
      aria-invalid={invalid || undefined}
      value={value}
      onChange={(e) => onChange(e.target.value)}
    >
      {values.some((v) => v.value === value) ? null : <option value={value}>{value || '—'}</option>}
      {values.map((v) => (
        <option key={v.value} value={v.value}>
          {v.label}
        </option>
      ))}
    </Select>
  );
}

const plain = (values: readonly string[]) => values.map((value) => ({ value, label: value }));

function FieldMapRowEditor({
  row,
  n,
  options,
  problems,
  onChange,
  onRemove,
}: {
  row: FieldMapView;
  n: number;
  options: Options;
  problems: FieldMapProblemView[];
  onChange: (row: FieldMapView) => void;
  onRemove: () => void;
}) {
  const [adding, setAdding] = useState<TransformName>('trim');
  const source = options.sources.find((s) => s.value === row.source);
  const invalid = (field: FieldMapProblemView['field']) => problems.some((p) => p.field === field);
  const setTransforms = (transforms: FieldTransformView[]) => onChange({ ...row, transforms });
  const move = (from: number, to: number) => {
    const next = [...row.transforms];
    const [moved] = next.splice(from, 1);
    next.splice(to, 0, moved!);
    setTransforms(next);
  };
  return (
    <tr aria-invalid={problems.length > 0 || undefined} className="align-top">
      <Td>
        <Choice
          label={`Source record of field map ${n}`}
          value={row.source}
          values={options.sources.map((s) => ({ value: s.value, label: s.label }))}
          invalid={invalid('source')}
          onChange={(value) => onChange({ ...row, source: value })}
        />
      </Td>
      <Td>
        <Choice
          label={`Source field of field map ${n}`}
          value={row.sourceField}
          values={plain(source?.fields ?? [])}
          invalid={invalid('sourceField')}
          onChange={(value) => onChange({ ...row, sourceField: value })}
        />
      </Td>
      <Td>
        <Choice
          label={`Canonical attribute of field map ${n}`}
          value={row.attribute}
          values={plain(source?.attributes ?? [])}
          invalid={invalid('attribute')}
          onChange={(value) => onChange({ ...row, attribute: value })}
        />
      </Td>
      <Td>
        <ol aria-label={`Transforms of field map ${n}`} className="space-y-2">
          {row.transforms.map((t, i) => (
            <li key={i} className="flex flex-wrap items-center gap-1">
              <span className="text-sm">
                {i + 1}. {TRANSFORMS[t.name]}
              </span>
              <TransformParameter
                transform={t}
                label={`transform ${i + 1} of field map ${n}`}
                options={options}
                onChange={(next) => setTransforms(row.transforms.map((x, j) => (j === i ? next : x)))}
              />
              <Button size="sm" variant="ghost" disabled={i === 0} onClick={() => move(i, i - 1)}>
                ↑
                <span className="sr-only">
                  {' '}
                  Move transform {i + 1} of field map {n} up
                </span>
              </Button>
              <Button
                size="sm"
                variant="ghost"
                disabled={i === row.transforms.length - 1}
                onClick={() => move(i, i + 1)}
              >
                ↓
                <span className="sr-only">
                  {' '}
                  Move transform {i + 1} of field map {n} down
                </span>
              </Button>
              <Button size="sm" variant="ghost" onClick={() => setTransforms(row.transforms.filter((_, j) => j !== i))}>
                ✕
                <span className="sr-only">
                  {' '}
                  Remove transform {i + 1} of field map {n}
                </span>
              </Button>
            </li>
          ))}
        </ol>
        <div className="mt-2 flex gap-1">
          <Select
            aria-label={`Transform to add to field map ${n}`}
            value={adding}
            onChange={(e) => setAdding(e.target.value as TransformName)}
          >
            {TRANSFORM_NAMES.map((name) => (
              <option key={name} value={name}>
                {TRANSFORMS[name]}
              </option>
            ))}
          </Select>
          <Button
            size="sm"
            variant="secondary"
            onClick={() => setTransforms([...row.transforms, newTransform(adding, options)])}
          >
            Add<span className="sr-only"> transform to field map {n}</span>
          </Button>
        </div>
        {problems.map((p) => (
          <p key={p.field + p.message} className="mt-1 text-xs text-red-700">
            {p.message}
          </p>
        ))}
      </Td>
      <Td>
        <Button size="sm" variant="secondary" onClick={onRemove}>
          Remove<span className="sr-only"> field map {n}</span>
        </Button>
      </Td>
    </tr>
  );
}

/** The one parameter a transform takes, if any. */
function TransformParameter({
  transform: t,
  label,
  options,
  onChange,
}: {
  transform: FieldTransformView;
  label: string;
  options: Options;
  onChange: (t: FieldTransformView) => void;
}) {
  switch (t.name) {
    case 'lookup':
      return (
        <Choice
          label={`Value map of ${label}`}
          value={t.kind}
          values={options.kinds}
          onChange={(kind) => onChange({ ...t, kind })}
        />
      );
    case 'default':
      return (
        <Input
          aria-label={`Default value of ${label}`}
          className="w-32"
          value={t.value}
          onChange={(e) => onChange({ ...t, value: e.target.value })}
        />
      );
    case 'date_format':
      return (
        <Choice
          label={`Date layout of ${label}`}
          value={t.from}
          values={plain(options.dateLayouts)}
          onChange={(from) => onChange({ ...t, from: from as DateLayout })}
        />
      );
    case 'decimal_scale':
      return (
        <Input
          aria-label={`Decimal places of ${label}`}
          className="w-16"
          type="number"
          min={0}
          max={6}
          value={t.scale}
          onChange={(e) => onChange({ ...t, scale: Number(e.target.value) })}
        />
      );
    default:
      return null;
  }
}
