/** IAM's largest page (MaxItems) for list calls; its default is 100, which multiplies calls in large accounts. */
export const IAM_MAX_PAGE = 1000;
