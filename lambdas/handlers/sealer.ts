/** Placeholder: replaced by the sealer implementation (issue 13). */
export const handler = async (): Promise<void> => {
  throw new Error('sealer is not implemented yet');
};
