import { escapeHtml } from '../../lambdas/collectors/access-review/render';

/** Every value inserted into the auditor page goes through this: envelope fields are attacker-controlled. */
export const esc = (v: unknown) => escapeHtml(String(v));

/** Keys are restricted to safe characters, but encode each segment anyway. */
export const href = (key: string) => esc(key.split('/').map(encodeURIComponent).join('/'));
