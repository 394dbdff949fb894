/** What each audit action reads as in the log: "Changed role", not `user.role_changed`. */
const ACTION_LABELS: Record<string, string> = {
  'access.denied': 'Was refused access',
  'audit.chain_verified': 'Verified the audit chain',
  'audit.exported': 'Exported the audit log',
  'auth.signed_in': 'Signed in',
  'auth.signed_out': 'Signed out',
  'auth.signin_failed': 'Failed to sign in',
  'auth.signin_rate_limited': 'Was slowed down signing in',
  'connection.credentials_rotated': 'Rotated connection credentials',
  'connection.sandbox_connected': 'Connected the sandbox',
  'exception.assigned': 'Assigned an exception',
  'exception.replayed': 'Replayed an exception',
  'exception.settled': 'Settled an exception',
  'ownership.published': 'Published ownership rules',
  'sync.created': 'Created in a target system',
  'sync.updated': 'Updated in a target system',
  'sync.reconcile_requested': 'Asked for a reconciliation',
  'sync.run_requested': 'Started a run',
  'user.created': 'Created a user',
  'user.disabled': 'Disabled a user',
  'user.enabled': 'Enabled a user',
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
