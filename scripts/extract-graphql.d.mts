export const subsetPath: string;
export function extractGraphqlSubset(): string;
