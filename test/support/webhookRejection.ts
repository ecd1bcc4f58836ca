import { AthosWebhookError } from '../../clients/node/src/index.js';

/** The client's refusal of a webhook; fails the test when it accepts the delivery or throws anything else. */
export const rejectionOf = (verify: () => unknown): AthosWebhookError => {
  try {
    verify();
  } catch (error) {
    if (error instanceof AthosWebhookError) return error;
    throw error;
  }
  throw new Error('the delivery was accepted');
};
