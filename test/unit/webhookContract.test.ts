import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { webhookEventOf, webhookEventSchema, webhookEventTypes } from '../../lambdas/domain/webhooks.js';
import { openApiDocument } from '../support/openApiValidator.js';

/** The OpenAPI document's `webhooks` section is what resellers code against: hold it to what is sent. */
const doc = openApiDocument as unknown as {
  webhooks: Record<string, { post: { requestBody: { content: Record<string, { schema: { $ref: string } }> } } }>;
  components: Record<string, unknown>;
};
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ $id: 'openapi.json', components: doc.components });

const announced = {
  callId: 'athos_call_GZ1DjOkZv_VEPoE-CJ8mp',
  tenantId: 'tnt_0LTSJ3KAcFX8iwqS',
  sessionId: 'ext_t6FU-V5l3tQE8aoxHlzDL',
  source: 'roleplay',
  externalUserId: 'rep_8842',
  externalAgencyId: null,
  drillKey: 'ma-full-sale',
  endedAt: '2026-06-05T18:07:30.000Z',
};

describe('the webhooks section of the OpenAPI document', () => {
  it('describes exactly the events that are sent', () => {
    expect(Object.keys(doc.webhooks).sort()).toEqual([...webhookEventTypes].sort());
  });

  it.each([
    ['call.scored', { ...announced, scoredAt: '2026-06-05T18:07:42.120Z', overallScore: 82 }],
    ['call.ended', { ...announced, scoredAt: null, overallScore: null }],
  ] as const)('matches the %s body the sender sends', (type, call) => {
    const event = webhookEventOf(call, type);
    expect(webhookEventSchema.safeParse(event).success).toBe(true);
    const schemaRef = doc.webhooks[type]?.post.requestBody.content['application/json']?.schema.$ref;
    const validate = ajv.compile({ $ref: `openapi.json${schemaRef}` });
    expect([validate(event), ajv.errorsText(validate.errors)]).toEqual([true, 'No errors']);
  });
});
