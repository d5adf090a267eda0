// Kept in step with package.json by a test; not imported from it so that Lambda bundles stay small.
export const PRODUCER = { name: 'soc2-evidence', version: '0.1.0' } as const;
