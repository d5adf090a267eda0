/** Every value inserted into the auditor page goes through this: envelope fields are attacker-controlled. */
export const esc = (v: unknown) =>
  String(v).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** Keys are restricted to safe characters, but encode each segment anyway. */
export const href = (key: string) => esc(key.split('/').map(encodeURIComponent).join('/'));
