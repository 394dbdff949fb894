/** What each audit action reads as in the log: "Changed role", not `user.role_changed`. */
const ACTION_LABELS: Record<string, string> = {
  'access.denied': 'Was refused access',
  'audit.chain_verified': 'Verified the audit chain',
  'audit.exported': 'Exported the audit log',
  'auth.signed_in': 'Signed in',
  'auth.signed_out': 'Signed out',
  'auth.signin_failed': 'Failed to sign in',
  'auth.signin_rate_limited': 'Was slowed down signing in',
  'auth.signin_throttled': 'Was held back signing in',
  'connection.created': 'Created a connection',
  'connection.updated': 'Changed a connection',
  'connection.credentials_replaced': 'Replaced connection credentials',
  'connection.tested': 'Tested a connection',
  'connection.credentials_rotated': 'Rotated connection credentials',
  'connection.sandbox_connected': 'Connected the sandbox',
  'exception.assigned': 'Assigned an exception',
  'exception.started': 'Started on an exception',
  'exception.resolved': 'Resolved an exception',
  'exception.ignored': 'Ignored an exception',
  'exception.reopened': 'Reopened an exception',
  'exception.commented': 'Commented on an exception',
  'exception.priority_changed': 'Changed an exception’s priority',
  'exception.bulk_started': 'Started bulk work on exceptions',
  'exception.bulk_finished': 'Finished bulk work on exceptions',
  'exception.replayed': 'Replayed an exception',
  'exception.settled': 'Settled an exception',
  'ownership.published': 'Published ownership rules',
  'ownership.draft_saved': 'Saved a draft of the ownership rules',
  'ownership.draft_discarded': 'Discarded the draft of the ownership rules',
  'ownership.rolled_back': 'Rolled the ownership rules back to an earlier version',
  'schedule.paused': 'Paused a schedule',
  'schedule.resumed': 'Resumed a schedule',
  'schedule.updated': 'Changed a schedule',
  'sync.created': 'Created in a target system',
  'sync.updated': 'Updated in a target system',
  'team_webhook.configured': 'Set a team webhook',
  'fx_rate.added': 'Added an exchange rate',
  'fx_rate.corrected': 'Corrected an exchange rate',
  'fx_rate.removed': 'Removed an exchange rate',
  'sync.reconcile_requested': 'Asked for a reconciliation',
  'sync.run_requested': 'Started a run',
  'user.created': 'Created a user',
  'user.disabled': 'Disabled a user',
  'user.enabled': 'Enabled a user',
  'user.password_changed': 'Changed their password',
  'user.password_reset': 'Reset a password',
  'user.role_changed': 'Changed role',
  'webhook.received': 'Received a webhook',
  'webhook.rejected': 'Rejected a webhook',
};

/** An action in words; one without its own label reads from its code ("invoice.voided" → "Invoice voided"). */
export function auditActionLabel(action: string): string {
  const known = ACTION_LABELS[action];
  if (known) return known;
  const words = action.replace(/[._]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
