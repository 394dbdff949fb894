import {
  deliverTeamWebhook,
  TEAM_WEBHOOK_JOB_ID,
  TEAM_WEBHOOK_MAX_ATTEMPTS,
  teamWebhookPayload,
} from '@/server/services/notifications/team-webhooks';
import { defineJob } from './job-definition';

/** Posts one message to a team's webhook; a refused or unanswered post is retried with backoff. */
export const teamWebhookJob = defineJob({
  id: TEAM_WEBHOOK_JOB_ID,
  payload: teamWebhookPayload,
  maxAttempts: TEAM_WEBHOOK_MAX_ATTEMPTS,
  async handler(payload) {
    await deliverTeamWebhook(payload);
  },
});
