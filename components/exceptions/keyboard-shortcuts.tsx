'use client';

import { useEffect } from 'react';
import { Dialog } from '@/components/ui/dialog';

export interface Shortcut {
  key: string;
  label: string;
  /** Absent: listed in the help, but not available here (not permitted, or not now). */
  run?: () => void;
}

/** True when the key press belongs to a field being typed in, or a dialog is open. */
function typing(event: KeyboardEvent): boolean {
  const target = event.target as HTMLElement | null;
  if (!target) return false;
  if (target.closest('[role="dialog"]')) return true;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** Single-key shortcuts for the page, and "?" for their list. */
export function useShortcuts(shortcuts: Shortcut[], openHelp: () => void) {
  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if (event.ctrlKey || event.metaKey || event.altKey || typing(event)) return;
      if (event.key === '?') {
        event.preventDefault();
        openHelp();
        return;
      }
      const shortcut = shortcuts.find((s) => s.key === event.key);
      if (shortcut?.run) {
        event.preventDefault();
        shortcut.run();
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [shortcuts, openHelp]);
}

export function ShortcutHelp({
  open,
  onOpenChange,
  shortcuts,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  shortcuts: Shortcut[];
}) {
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title="Keyboard shortcuts"
      description="Tab moves through every action; these keys act at once (not while typing)."
    >
      <table className="w-full text-sm" aria-label="Keyboard shortcuts">
        <tbody>
          {[...shortcuts, { key: '?', label: 'Show this list', run: () => undefined }].map((s) => (
            <tr key={s.key} className={s.run ? '' : 'text-slate-400'}>
              <td className="w-16 py-1">
                <kbd className="rounded border border-slate-300 bg-slate-50 px-1.5 py-0.5 font-mono text-xs">
                  {s.key}
                </kbd>
              </td>
              <td className="py-1">
                {s.label}
                {s.run ? '' : ' (not available here)'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Dialog>
  );
}
