'use client';

import { useState, type ReactNode } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { LocalTime, TimeZoneNote } from '@/components/ui/local-time';
import { Table, Td, Th } from '@/components/ui/table';

/** A published version of a policy as the history lists it. */
export interface PublishedVersion {
  version: number;
  publishedBy: string | null;
  publishedAt: Date | string;
  reason: string;
}

/**
 * Every published version, newest first: who, when, why. Selecting one shows what it changed
 * (`renderDiff`, usually against the version before it); with `onRepublish` an earlier version can
 * be published again, which is how a policy is rolled back (versions themselves never change).
 */
export function VersionHistory({
  versions,
  activeVersion,
  renderDiff,
  onRepublish,
  republishPending = false,
  republishLabel = 'Publish this version again',
}: {
  versions: readonly PublishedVersion[];
  activeVersion: number | null;
  renderDiff: (version: number) => ReactNode;
  onRepublish?: (version: number) => void;
  republishPending?: boolean;
  /** The words on the button that publishes an earlier version again. */
  republishLabel?: string;
}) {
  const [selected, setSelected] = useState<number | null>(null);
  if (versions.length === 0) return <p className="text-sm text-slate-600">Nothing has been published yet.</p>;
  const sorted = [...versions].sort((a, b) => b.version - a.version);
  return (
    <div className="space-y-4">
      <TimeZoneNote className="text-xs text-slate-500" />
      <Table aria-label="Published versions">
        <thead className="bg-slate-50">
          <tr>
            <Th>Version</Th>
            <Th>Published by</Th>
            <Th>When</Th>
            <Th>Reason</Th>
            <Th>
              <span className="sr-only">Actions</span>
            </Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {sorted.map((entry) => (
            <tr
              key={entry.version}
              data-selected={selected === entry.version || undefined}
              data-version={entry.version}
            >
              <Td className="whitespace-nowrap font-medium">
                v{entry.version} {entry.version === activeVersion ? <Badge tone="success">Active</Badge> : null}
              </Td>
              <Td>{entry.publishedBy ?? '—'}</Td>
              <Td className="whitespace-nowrap">
                <LocalTime value={entry.publishedAt} />
              </Td>
              <Td className="max-w-md whitespace-pre-wrap">{entry.reason}</Td>
              <Td className="whitespace-nowrap">
                <div className="flex gap-2">
                  <Button
                    size="sm"
                    variant="secondary"
                    aria-pressed={selected === entry.version}
                    onClick={() => setSelected(selected === entry.version ? null : entry.version)}
                  >
                    {selected === entry.version ? `Hide changes` : `Show changes`}
                    <span className="sr-only"> of version {entry.version}</span>
                  </Button>
                  {onRepublish && entry.version !== activeVersion ? (
                    <Button
                      size="sm"
                      variant="secondary"
                      disabled={republishPending}
                      onClick={() => onRepublish(entry.version)}
                    >
                      {republishLabel}
                      <span className="sr-only"> (version {entry.version})</span>
                    </Button>
                  ) : null}
                </div>
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
      {selected !== null ? (
        <section aria-label={`Changes in version ${selected}`} className="space-y-2">
          <h3 className="text-sm font-semibold">Changes in version {selected}</h3>
          {renderDiff(selected)}
        </section>
      ) : null}
    </div>
  );
}
