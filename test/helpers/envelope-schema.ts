import Ajv2020 from 'ajv/dist/2020';
import schema from '../../schema/evidence-envelope.v1.json';

const ajv = new Ajv2020({ allErrors: true, strict: true });
ajv.addFormat('date-time', {
  type: 'string',
  validate: (s: string) =>
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s) &&
    !Number.isNaN(Date.parse(s)),
});
const validate = ajv.compile(schema);

/** Fails the test with every schema violation when `envelope` is not a valid schema-1 envelope. */
export function expectValidEnvelope(envelope: unknown): void {
  const ok = validate(JSON.parse(JSON.stringify(envelope)));
  if (!ok)
    throw new Error(
      `envelope does not match schema/evidence-envelope.v1.json:\n${ajv.errorsText(validate.errors, { separator: '\n' })}`,
    );
}
