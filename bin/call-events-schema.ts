import { writeFileSync } from 'node:fs';
import { callEventsJsonSchema } from '../lambdas/domain/callEventsJsonSchema.js';

/** `npm run events:schema`: publishes the events contract beside the OpenAPI document. */
export const callEventsSchemaPath = 'openapi/call-events.schema.json';
export const callEventsSchemaText = () => `${JSON.stringify(callEventsJsonSchema(), null, 2)}\n`;

if (process.argv[1]?.endsWith('call-events-schema.ts')) {
  writeFileSync(callEventsSchemaPath, callEventsSchemaText());
  console.log(`Wrote ${callEventsSchemaPath}`);
}
