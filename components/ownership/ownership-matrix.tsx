'use client';

import { Fragment } from 'react';
import { Badge } from '@/components/ui/badge';
import { Input, Select } from '@/components/ui/field';
import { Table, Td, Th } from '@/components/ui/table';
import {
  ruleName,
  SYSTEM_CHOICES,
  systemLabel,
  TEAM_CHOICES,
  withRule,
  type OwnershipRule,
  type SystemName,
  type TeamName,
} from './ownership-rows';

/**
 * Every canonical object type and attribute with its system of record, owning team and note: the
 * object's default ("all attributes") first, then each attribute, marked as an override when it
 * has a rule of its own. With `onChange` the cells are controls that edit `rules`.
 */
export function OwnershipMatrix({
  catalogue,
  rules,
  onChange,
}: {
  catalogue: { objectType: string; attributes: string[] }[];
  rules: OwnershipRule[];
  onChange?: (rules: OwnershipRule[]) => void;
}) {
  const find = (objectType: string, attribute: string) =>
    rules.find((r) => r.objectType === objectType && r.attribute === attribute);
  return (
    <Table aria-label="Ownership matrix">
      <thead className="bg-slate-50">
        <tr>
          <Th>Object / attribute</Th>
          <Th>System of record</Th>
          <Th>Owning team</Th>
          <Th>Note</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {catalogue.map(({ objectType, attributes }) => {
          const fallback = find(objectType, '*');
          return (
            <Fragment key={objectType}>
              {['*', ...attributes].map((attribute) => {
                const own = find(objectType, attribute);
                const rule = own ?? fallback;
                const name = ruleName({ objectType, attribute });
                const isDefault = attribute === '*';
                const set = (patch: Partial<OwnershipRule> | null) =>
                  onChange?.(withRule(rules, objectType, attribute, patch));
                return (
                  <tr
                    key={attribute}
                    data-rule={`${objectType}.${attribute}`}
                    className={isDefault ? 'bg-slate-50/60' : undefined}
                  >
                    <Td className={isDefault ? 'font-semibold' : 'pl-8'}>
                      {isDefault ? objectType : attribute}
                      {isDefault ? <span className="ml-2 text-xs text-slate-500">object default</span> : null}
                      {!isDefault && own ? (
                        <span className="ml-2">
                          <Badge tone="info">Override</Badge>
                        </span>
                      ) : null}
                    </Td>
                    <Td>
                      {onChange ? (
                        <Select
                          aria-label={`System of record for ${name}`}
                          value={own?.owner ?? ''}
                          onChange={(e) => set(e.target.value ? { owner: e.target.value as SystemName } : null)}
                        >
                          <option value="">
                            {isDefault
                              ? 'No owner: changes are refused'
                              : `Object default${fallback ? ` (${systemLabel(fallback.owner)})` : ''}`}
                          </option>
                          {SYSTEM_CHOICES.map((c) => (
                            <option key={c.value} value={c.value}>
                              {c.label}
                            </option>
                          ))}
                        </Select>
                      ) : rule ? (
                        <span className={own ? undefined : 'text-slate-500'}>{systemLabel(rule.owner)}</span>
                      ) : (
                        <span className="text-red-700">No owner: changes are refused</span>
                      )}
                    </Td>
                    <Td>
                      {onChange && own ? (
                        <Select
                          aria-label={`Owning team for ${name}`}
                          value={own.team}
                          onChange={(e) => set({ team: e.target.value as TeamName })}
                        >
                          {TEAM_CHOICES.map((team) => (
                            <option key={team} value={team}>
                              {team}
                            </option>
                          ))}
                        </Select>
                      ) : (
                        <span className={own ? 'capitalize' : 'capitalize text-slate-500'}>{rule?.team ?? '—'}</span>
                      )}
                    </Td>
                    <Td>
                      {onChange && own ? (
                        <Input
                          aria-label={`Note for ${name}`}
                          value={own.note ?? ''}
                          maxLength={500}
                          onChange={(e) => set({ note: e.target.value || null })}
                        />
                      ) : (
                        <span className="text-slate-600">{own?.note ?? ''}</span>
                      )}
                    </Td>
                  </tr>
                );
              })}
            </Fragment>
          );
        })}
      </tbody>
    </Table>
  );
}
