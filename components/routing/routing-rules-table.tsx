'use client';

import { ArrowDown, ArrowUp, GripVertical, Pencil, Trash2 } from 'lucide-react';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Table, Td, Th } from '@/components/ui/table';
import {
  amountRangeLabel,
  dueLabel,
  priorityLabel,
  teamLabel,
  type RoutingChoices,
  type RoutingProblem,
  type RoutingRule,
} from './routing-rows';

export interface RuleEditing {
  /** Stable keys of the rows, in order, so focus and drag follow a rule as it moves. */
  keys: string[];
  problems: RoutingProblem[];
  onMove: (from: number, to: number) => void;
  onEdit: (index: number) => void;
  onRemove: (index: number) => void;
}

/**
 * The ordered routing rules: the first enabled rule that matches a new exception places it. With
 * `editing` each row can be edited, removed, and moved by drag, by its Move up / Move down buttons,
 * or with Alt+Arrow keys while the row has focus.
 */
export function RoutingRulesTable({
  rules,
  choices,
  editing,
  caption,
  caught,
}: {
  rules: RoutingRule[];
  choices: RoutingChoices;
  editing?: RuleEditing;
  caption: string;
  /** Open exceptions each rule would catch, by position (the draft's preview). */
  caught?: Map<number, number>;
}) {
  const [dragging, setDragging] = useState<number | null>(null);
  const [dropAt, setDropAt] = useState<number | null>(null);
  const [announcement, setAnnouncement] = useState('');
  // After a keyboard move, focus follows the rule to its new row.
  const focusAfterMove = useRef<{ key: string; direction: 'up' | 'down' } | null>(null);
  const body = useRef<HTMLTableSectionElement>(null);

  useEffect(() => {
    const target = focusAfterMove.current;
    if (!target || !body.current) return;
    focusAfterMove.current = null;
    const row = body.current.querySelector<HTMLElement>(`tr[data-key="${target.key}"]`);
    const button =
      row?.querySelector<HTMLButtonElement>(`button[data-move="${target.direction}"]:not(:disabled)`) ??
      row?.querySelector<HTMLButtonElement>('button[data-move]:not(:disabled)');
    (button ?? row)?.focus();
  });

  const routineLabel = (routine: RoutingRule['routine']) =>
    routine ? (choices.routines.find((r) => r.value === routine)?.label ?? routine) : 'Any';
  const entityLabel = (id: string | null) => (id ? id : 'Any');

  function move(from: number, to: number, direction?: 'up' | 'down') {
    if (!editing || to < 0 || to >= rules.length || from === to) return;
    if (direction) focusAfterMove.current = { key: editing.keys[from]!, direction };
    editing.onMove(from, to);
    setAnnouncement(`Rule ${from + 1} is now rule ${to + 1}.`);
  }

  function onRowKeyDown(event: KeyboardEvent<HTMLTableRowElement>, index: number) {
    if (!event.altKey || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) return;
    event.preventDefault();
    move(index, event.key === 'ArrowUp' ? index - 1 : index + 1, event.key === 'ArrowUp' ? 'up' : 'down');
  }

  const columns = 9 + (caught ? 1 : 0) + (editing ? 1 : 0);
  return (
    <>
      {editing ? (
        <p className="sr-only" aria-live="polite">
          {announcement}
        </p>
      ) : null}
      <Table aria-label={caption}>
        <thead className="bg-slate-50">
          <tr>
            <Th>#</Th>
            <Th>Routine</Th>
            <Th>Code</Th>
            <Th>Legal entity</Th>
            <Th>Amount</Th>
            <Th>Team</Th>
            <Th>Priority</Th>
            <Th>Due in</Th>
            <Th>Enabled</Th>
            {caught ? <Th>Open exceptions caught</Th> : null}
            {editing ? (
              <Th>
                <span className="sr-only">Actions</span>
              </Th>
            ) : null}
          </tr>
        </thead>
        <tbody ref={body} className="divide-y divide-slate-100">
          {rules.length === 0 ? (
            <tr>
              <Td colSpan={columns} className="py-6 text-center text-slate-600">
                No rules: every new exception goes to Integration with normal priority, due in 72 hours.
              </Td>
            </tr>
          ) : null}
          {rules.map((rule, index) => {
            const key = editing?.keys[index] ?? String(rule.position);
            const problems = editing?.problems.filter((p) => p.index === index) ?? [];
            const problemId = `rule-${key}-problems`;
            return [
              <tr
                key={key}
                data-key={key}
                data-rule={index + 1}
                tabIndex={editing ? 0 : undefined}
                aria-describedby={problems.length > 0 ? problemId : undefined}
                aria-label={editing ? `Rule ${index + 1}` : undefined}
                draggable={Boolean(editing)}
                onKeyDown={editing ? (e) => onRowKeyDown(e, index) : undefined}
                onDragStart={(e) => {
                  setDragging(index);
                  e.dataTransfer.effectAllowed = 'move';
                  e.dataTransfer.setData('text/plain', String(index));
                }}
                onDragOver={(e) => {
                  if (dragging === null) return;
                  e.preventDefault();
                  setDropAt(index);
                }}
                onDrop={(e) => {
                  e.preventDefault();
                  if (dragging !== null) move(dragging, index);
                  setDragging(null);
                  setDropAt(null);
                }}
                onDragEnd={() => {
                  setDragging(null);
                  setDropAt(null);
                }}
                className={[
                  !rule.enabled ? 'text-slate-500' : '',
                  dragging === index ? 'opacity-50' : '',
                  dropAt === index && dragging !== index ? 'outline outline-2 outline-brand-600' : '',
                  problems.length > 0 ? 'bg-red-50/60' : '',
                  editing ? 'focus:outline focus:outline-2 focus:outline-brand-600' : '',
                ].join(' ')}
              >
                <Td className="whitespace-nowrap font-medium">
                  {editing ? (
                    <GripVertical className="mr-1 inline size-4 cursor-grab text-slate-400" aria-hidden />
                  ) : null}
                  {index + 1}
                </Td>
                <Td>{routineLabel(rule.routine)}</Td>
                <Td className={rule.code ? 'font-mono text-xs' : undefined}>{rule.code ?? 'Any'}</Td>
                <Td>{entityLabel(rule.legalEntityId)}</Td>
                <Td className="whitespace-nowrap">{amountRangeLabel(rule)}</Td>
                <Td>{teamLabel(rule.team)}</Td>
                <Td>{priorityLabel(rule.priority)}</Td>
                <Td className="whitespace-nowrap">{dueLabel(rule.dueHours)}</Td>
                <Td>{rule.enabled ? 'Yes' : <Badge tone="neutral">Disabled</Badge>}</Td>
                {caught ? <Td>{caught.get(rule.position) ?? 0}</Td> : null}
                {editing ? (
                  <Td className="whitespace-nowrap px-2">
                    <div className="flex">
                      <Button
                        size="sm"
                        variant="ghost"
                        data-move="up"
                        aria-label={`Move rule ${index + 1} up`}
                        title="Move up (Alt+↑)"
                        disabled={index === 0}
                        onClick={() => move(index, index - 1, 'up')}
                      >
                        <ArrowUp className="size-4" aria-hidden />
                      </Button>
                      <Button
                        size="sm"
                        variant="ghost"
                        data-move="down"
                        aria-label={`Move rule ${index + 1} down`}
                        title="Move down (Alt+↓)"
                        disabled={index === rules.length - 1}
                        onClick={() => move(index, index + 1, 'down')}
                      >
                        <ArrowDown className="size-4" aria-hidden />
                      </Button>
                      <Button
                        size="sm"
                        variant="ghost"
                        aria-label={`Edit rule ${index + 1}`}
                        title="Edit"
                        onClick={() => editing.onEdit(index)}
                      >
                        <Pencil className="size-4" aria-hidden />
                      </Button>
                      <Button
                        size="sm"
                        variant="ghost"
                        aria-label={`Remove rule ${index + 1}`}
                        title="Remove"
                        onClick={() => editing.onRemove(index)}
                      >
                        <Trash2 className="size-4" aria-hidden />
                      </Button>
                    </div>
                  </Td>
                ) : null}
              </tr>,
              problems.length > 0 ? (
                <tr key={`${key}-problems`}>
                  <Td colSpan={columns} className="bg-red-50/60 pt-0">
                    <ul id={problemId} className="list-disc pl-5 text-sm text-red-700">
                      {problems.map((p) => (
                        <li key={`${p.field}-${p.message}`}>{p.message}</li>
                      ))}
                    </ul>
                  </Td>
                </tr>
              ) : null,
            ];
          })}
        </tbody>
      </Table>
    </>
  );
}
