/** Placeholder: replaced by the tamper-watch implementation (issue 13). */
export const handler = async (): Promise<void> => {
  throw new Error('tamper-watch is not implemented yet');
};
